// Connects the transfer platform to Anju without HTTP: each message the platform delivers is received
// (receivePlatformMessage) and the answers it queued are sent at once (dispatchTransferMessages), as the
// inbound route does. Used by the demo's in-process peer center and by service tests.
import type { Db } from '../../db/connection.ts';
import type {
  PlatformNotifier,
  TransferPlatformGateway,
} from '../../integrations/transfer-platform/gateway.ts';
import {
  InProcessPeerCenter,
  type InProcessPeerCenterOptions,
} from '../../integrations/transfer-platform/in-process-peer-center.ts';
import { dispatchTransferMessages } from './dispatch-transfer-messages.ts';
import { receivePlatformMessage, type ReceivedPlatformMessage } from './receive-platform-message.ts';
import { centerIdentityFromEnv, type CenterIdentity } from './transfer-store.ts';

/** Receives one signed message and sends what it caused; the route and the in-process notifier share it. */
export async function receiveAndAnswer(
  db: Db,
  platform: TransferPlatformGateway,
  input: { rawBody: string; signature: string | null | undefined; center?: CenterIdentity },
): Promise<ReceivedPlatformMessage> {
  const received = await receivePlatformMessage(db, input);
  if (received.transferId !== null && !received.replayed) {
    await dispatchTransferMessages({ db, platform, transferId: BigInt(received.transferId) });
  }
  return received;
}

export function platformNotifierFor(
  db: Db,
  platform: TransferPlatformGateway,
  center?: CenterIdentity,
): PlatformNotifier {
  return (rawBody, signature) =>
    receiveAndAnswer(db, platform, { rawBody, signature, ...(center ? { center } : {}) });
}

/** The demo's and the tests' peer center, delivering straight to this database's handler. */
export function createInProcessPeerCenter(
  options: { db: Db; center?: CenterIdentity } & InProcessPeerCenterOptions,
): InProcessPeerCenter {
  const { db, center, ...rest } = options;
  const identity = center ?? centerIdentityFromEnv();
  const peer = new InProcessPeerCenter({ secret: identity.secret, anjuCenterCode: identity.code, ...rest });
  peer.setNotifier(platformNotifierFor(db, peer, identity));
  return peer;
}
