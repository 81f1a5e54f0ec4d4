// The simulated peer center as a separate HTTP service (node:http), so the platform protocol runs over
// real sockets: Anju sends signed messages to POST /messages and asks GET /transfers/:no/status; the peer
// POSTs its signed messages to Anju's /api/v1/transfer-platform/messages. Behind the socket is the same
// InProcessPeerCenter, returned as `control` (accounts, faults, startTransferOut, idle, releaseHeld).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, send, signedPoster } from '../http-simulator-support.ts';
import type { AddressInfo } from 'node:net';
import type { IsoDate } from '../../domain/dates.ts';
import { TRANSFER_SIGNATURE_HEADER, type PlatformNotifier } from './gateway.ts';
import { InProcessPeerCenter } from './in-process-peer-center.ts';
import { transferSecretFromEnv, verifyTransferSignature } from './signing.ts';

export interface PeerCenterServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  secret?: string;
  /** Anju's inbound endpoint, e.g. http://127.0.0.1:3000/api/v1/transfer-platform/messages. */
  notifyUrl: string;
  centerCode?: string;
  centerName?: string;
  anjuCenterCode?: string;
  valueDate?: () => IsoDate | Promise<IsoDate>;
  idPrefix?: string;
  deliveryAttempts?: number;
}

export interface PeerCenterServer {
  url: string;
  control: InProcessPeerCenter;
  close(): Promise<void>;
}

/** POSTs a signed message to Anju; a non-2xx answer counts as not delivered (the peer retries). */
export function httpPlatformNotifier(notifyUrl: string): PlatformNotifier {
  return signedPoster(notifyUrl, TRANSFER_SIGNATURE_HEADER);
}

export async function startPeerCenterServer(options: PeerCenterServerOptions): Promise<PeerCenterServer> {
  const secret = options.secret ?? transferSecretFromEnv();
  const peer = new InProcessPeerCenter({
    secret,
    notify: httpPlatformNotifier(options.notifyUrl),
    ...(options.centerCode ? { centerCode: options.centerCode } : {}),
    ...(options.centerName ? { centerName: options.centerName } : {}),
    ...(options.anjuCenterCode ? { anjuCenterCode: options.anjuCenterCode } : {}),
    ...(options.valueDate ? { valueDate: options.valueDate } : {}),
    ...(options.idPrefix ? { idPrefix: options.idPrefix } : {}),
    ...(options.deliveryAttempts ? { deliveryAttempts: options.deliveryAttempts } : {}),
  });
  const hanging = new Set<ServerResponse>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://peer.local');
    const raw = await readBody(request);
    const status = /^\/transfers\/([^/]+)\/status$/.exec(url.pathname);
    if (status && request.method === 'GET') {
      // The query is signed over the transfer number, so only the center holding the secret may ask.
      if (
        !verifyTransferSignature(url.pathname, request.headers[TRANSFER_SIGNATURE_HEADER] as string, secret)
      )
        return send(response, 401, { code: 'TRANSFER_SIGNATURE_INVALID' });
      return send(response, 200, await peer.queryStatus(decodeURIComponent(status[1]!)));
    }
    if (url.pathname !== '/messages' || request.method !== 'POST')
      return send(response, 404, { code: 'NOT_FOUND' });
    const answer = await peer.handleMessage(raw, request.headers[TRANSFER_SIGNATURE_HEADER] as string);
    if (answer.status === 'unauthenticated')
      return send(response, 401, { code: 'TRANSFER_SIGNATURE_INVALID' });
    if (answer.status === 'no_answer') {
      // The timeout fault: the request hangs until the caller gives up or the server closes.
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    return send(response, 200, answer);
  }

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { code: 'INTERNAL_ERROR', message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    control: peer,
    close: async () => {
      await peer.idle();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
