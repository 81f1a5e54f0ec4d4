// Sends the queued platform messages (the outbox of transfer_messages), oldest first. A timeout leaves the
// message pending with its attempt counted; before resending one that timed out, the platform is asked
// whether it already has that message id (status query), so a message is never acted on twice; a resend
// anyway carries the same id and bytes. A transfer's later messages wait while an earlier one is unsent.
import type { Db } from '../../db/connection.ts';
import { isAppError } from '../../domain/errors.ts';
import type { TransferPlatformGateway } from '../../integrations/transfer-platform/gateway.ts';

export interface DispatchResult {
  sent: number;
  /** Found already received by the platform (status query) after an earlier timeout. */
  confirmedByQuery: number;
  timedOut: number;
  rejected: number;
}

export async function dispatchTransferMessages(input: {
  db: Db;
  platform: TransferPlatformGateway;
  /** Only this transfer's messages (default: all pending). */
  transferId?: bigint;
}): Promise<DispatchResult> {
  const t = input.db;
  let q = t
    .selectFrom('transfer_messages')
    .select(['id', 'message_id', 'transfer_no', 'transfer_id', 'type', 'raw_body', 'signature', 'attempts'])
    .where('direction', '=', 'outbound')
    .where('state', '=', 'pending')
    .orderBy('id');
  if (input.transferId !== undefined) q = q.where('transfer_id', '=', input.transferId);
  const pending = await q.execute();
  const result: DispatchResult = { sent: 0, confirmedByQuery: 0, timedOut: 0, rejected: 0 };
  const blocked = new Set<string>();
  for (const m of pending) {
    if (blocked.has(m.transfer_no)) continue;
    if (m.attempts > 0) {
      try {
        const status = await input.platform.queryStatus(m.transfer_no);
        if (status.receivedMessageIds.includes(m.message_id)) {
          await markSent(input.db, m, 'confirmed_by_query');
          result.confirmedByQuery += 1;
          continue;
        }
      } catch (error) {
        if (!isAppError(error)) throw error;
        // The query failed too: fall through to the resend, which is safe (same message id).
      }
    }
    let ack;
    try {
      ack = await input.platform.send(m.raw_body, m.signature);
    } catch (error) {
      if (!isAppError(error)) throw error;
      await t
        .updateTable('transfer_messages')
        .set({ attempts: m.attempts + 1, last_error: error.code })
        .where('id', '=', m.id)
        .execute();
      result.timedOut += 1;
      blocked.add(m.transfer_no);
      continue;
    }
    if (ack.status === 'accepted') {
      await markSent(input.db, m, 'accepted');
      result.sent += 1;
      continue;
    }
    await t
      .updateTable('transfer_messages')
      .set({
        state: 'failed',
        attempts: m.attempts + 1,
        outcome: 'rejected',
        detail: ack.code,
        last_error: ack.code,
      })
      .where('id', '=', m.id)
      .execute();
    if (m.type === 'contact_letter' && m.transfer_id !== null) {
      await t
        .updateTable('transfers')
        .set({ stage: 'failed', platform_status: '40', refusal_reason: ack.code, updated_at: new Date() })
        .where('id', '=', m.transfer_id)
        .where('stage', '=', 'letter_pending')
        .execute();
    }
    result.rejected += 1;
    blocked.add(m.transfer_no);
  }
  return result;
}

async function markSent(
  db: Db,
  m: { id: bigint; type: string; transfer_id: bigint | null; attempts: number },
  outcome: string,
): Promise<void> {
  const t = db;
  await t
    .updateTable('transfer_messages')
    .set({ state: 'sent', outcome, attempts: m.attempts + 1, sent_at: new Date(), last_error: null })
    .where('id', '=', m.id)
    .where('state', '=', 'pending')
    .execute();
  if (m.type === 'contact_letter' && m.transfer_id !== null) {
    // Only from letter_pending: the peer's answer may already have moved the transfer on.
    await t
      .updateTable('transfers')
      .set({ stage: 'letter_sent', updated_at: new Date() })
      .where('id', '=', m.transfer_id)
      .where('stage', '=', 'letter_pending')
      .execute();
  }
}
