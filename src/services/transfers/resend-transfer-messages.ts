// Staff send a transfer's queued platform messages now (立即重发), e.g. when the platform was down and is
// back, instead of waiting for the close's retry step. It runs the close's dispatcher for this transfer
// (dispatch-transfer-messages.ts): a message that timed out is first looked up on the platform by its id
// and a resend carries the same id and bytes, so the peer acts on each message once. A message the
// platform rejected (state failed) is final and not sent again. The outcome is audited.
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { TransferPlatformGateway } from '../../integrations/transfer-platform/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { dispatchTransferMessages, type DispatchResult } from './dispatch-transfer-messages.ts';

/** One message that was queued when staff asked, as it stands after the run. */
export interface ResentMessage {
  messageId: string;
  type: string;
  seq: number | null;
  /** sent (outcome accepted or confirmed_by_query), failed (rejected by the platform) or still pending. */
  state: string;
  outcome: string | null;
  attempts: number;
  lastError: string | null;
}

export interface ResendTransferMessagesResult extends DispatchResult {
  transferId: string;
  transferNo: string;
  /** Messages of this transfer still queued after the run (timed out, or waiting behind one that did). */
  stillQueued: number;
  /** Messages of this transfer the platform rejected, now or earlier: final, not resent. */
  failed: number;
  messages: ResentMessage[];
}

export async function resendTransferMessages(input: {
  db: Db;
  actor: Actor;
  platform: TransferPlatformGateway;
  transferId: string | bigint;
}): Promise<ResendTransferMessagesResult> {
  const { db, actor } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const transferId = BigInt(input.transferId);
  const t = db;
  const transfer = await t
    .selectFrom('transfers as t')
    .leftJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.id', 't.transfer_no', 'a.district_code'])
    .where('t.id', '=', transferId)
    .executeTakeFirst();
  if (!transfer) throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
  const scope = districtScopeOf(actor);
  if (scope !== null && transfer.district_code !== scope) throw new AppError('FORBIDDEN');

  const outbound = () =>
    t
      .selectFrom('transfer_messages')
      .select(['id', 'message_id', 'type', 'seq', 'state', 'outcome', 'attempts', 'last_error'])
      .where('transfer_id', '=', transferId)
      .where('direction', '=', 'outbound')
      .orderBy('id')
      .execute();
  const queued = new Set((await outbound()).filter((m) => m.state === 'pending').map((m) => m.id));
  const dispatched = await dispatchTransferMessages({ db, platform: input.platform, transferId });
  const after = await outbound();

  const result: ResendTransferMessagesResult = {
    ...dispatched,
    transferId: String(transferId),
    transferNo: transfer.transfer_no,
    stillQueued: after.filter((m) => m.state === 'pending').length,
    failed: after.filter((m) => m.state === 'failed').length,
    messages: after
      .filter((m) => queued.has(m.id))
      .map((m) => ({
        messageId: m.message_id,
        type: m.type,
        seq: m.seq,
        state: m.state,
        outcome: m.outcome,
        attempts: m.attempts,
        lastError: m.last_error,
      })),
  };
  // The sends are not one transaction (each waits on the platform); the request is recorded once, after.
  await db.transaction().execute(async (tx) =>
    recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'transfer.messages.resend',
      subjectType: 'transfer',
      subjectId: transferId,
      businessDate: await getBusinessDate(tx),
      summary: {
        transferNo: transfer.transfer_no,
        sent: dispatched.sent,
        confirmedByQuery: dispatched.confirmedByQuery,
        timedOut: dispatched.timedOut,
        rejected: dispatched.rejected,
        stillQueued: result.stillQueued,
        messages: result.messages.map((m) => ({
          messageId: m.messageId,
          state: m.state,
          outcome: m.outcome,
        })),
      },
    }),
  );
  return result;
}
