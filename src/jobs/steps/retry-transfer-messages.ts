// Close step: resends the transfer platform messages still unacknowledged (a time-out, the platform
// down), each with its own message id, after asking the platform whether it already has it
// (dispatch-transfer-messages.ts). The platform is the one configured for this center
// the close was given; without one there is nothing to send to and the queue is reported.
import type { CloseContext } from '../close-day.ts';
import { dispatchTransferMessages } from '../../services/transfers/dispatch-transfer-messages.ts';

export async function retryTransferMessages({
  db,
  transferPlatform: platform,
}: CloseContext): Promise<Record<string, unknown>> {
  if (!platform) {
    const row = await db
      .selectFrom('transfer_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('direction', '=', 'outbound')
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { skipped: 'no transfer platform configured', pending: Number(row.n) };
  }
  return { ...(await dispatchTransferMessages({ db, platform })) };
}
