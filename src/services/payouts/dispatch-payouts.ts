// Sends pending payouts to the bank (the outbox's dispatcher; guide habit 5). Each payout moves
// pending → sent under its row lock and commits BEFORE the bank is called, with the payout's own request
// number; a payout left 'sent' (a crash or a timeout before the answer) is sent again with the SAME
// number, which the bank treats as the same request, so it is never paid twice and never lost. Called by
// the withdrawal services and the loan over-payment refund (loans/refund-loan-overpayment.ts) right after
// commit, and by the close for anything left; what a payout pays does not matter here.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { isAppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { lockPayout, putPayoutBackInTx } from './settle-payout.ts';

export const PAYOUT_ACTOR_LABEL = 'system:payouts';

export interface DispatchOptions {
  db: Db;
  bank: BankGateway;
  /** Only these payouts (the ones a service just wrote); default: every payout due. */
  payoutIds?: bigint[];
  /** The close sends everything left, whatever its retry time. */
  ignoreBackoff?: boolean;
  /** Payouts claimed per batch (at most 500). */
  limit?: number;
  now?: Date;
}

export interface DispatchResult extends Record<string, unknown> {
  sent: number;
  accepted: number;
  rejected: number;
  unanswered: number;
  amount: string;
}

/** Seconds before retrying after the n-th failed attempt: 30 s doubling, at most an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(attempts - 1, 0), 3600);
}

export async function dispatchPayouts(options: DispatchOptions): Promise<DispatchResult> {
  const { db, bank } = options;
  const now = options.now ?? new Date();
  const batchSize = Math.min(options.limit ?? 500, 500);
  const result: DispatchResult = { sent: 0, accepted: 0, rejected: 0, unanswered: 0, amount: '0.00' };
  let total = 0n;
  let afterId = 0n;
  // Most calls have nothing to send: one indexed look-up, no transaction.
  const anyDue = await sql<{ due: boolean }>`
    SELECT EXISTS (SELECT 1 FROM payouts WHERE status IN ('pending', 'sent')) AS due`.execute(db);
  if (!anyDue.rows[0]!.due) return result;
  for (;;) {
    // 1. Claim a batch: pending → sent (or a resend of sent) under the rows' locks, committed before the
    //    bank hears of them. Rows another dispatcher holds are skipped, not waited for.
    const claimed = await db.transaction().execute(async (tx) => {
      const rows = await sql<{
        id: bigint;
        request_no: string;
        amount_fen: bigint;
        bank_card: string;
        value_date: string;
        account_number: string | null;
        attempts: number;
      }>`
        WITH due AS (
          SELECT p.id FROM payouts p
          WHERE p.status IN ('pending', 'sent') AND p.id > ${afterId}
            ${options.payoutIds ? sql`AND p.id = ANY(${options.payoutIds}::bigint[])` : sql``}
            ${options.ignoreBackoff ? sql`` : sql`AND p.next_attempt_at <= ${now}`}
          ORDER BY p.id
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE payouts p SET status = 'sent', attempts = p.attempts + 1, sent_at = ${now}
        FROM due
        WHERE p.id = due.id
        RETURNING p.id, p.request_no, p.amount_fen, p.bank_card, p.value_date::text AS value_date,
          (SELECT a.account_number FROM accounts a WHERE a.id = p.account_id) AS account_number, p.attempts`.execute(
        tx,
      );
      return rows.rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    });
    if (claimed.length === 0) break;
    afterId = claimed[claimed.length - 1]!.id;
    const accepted: bigint[] = [];
    const unanswered: Array<{ id: bigint; code: string; attempts: number }> = [];
    for (const p of claimed) {
      result.sent += 1;
      total += p.amount_fen;
      // 2. Ask the bank, outside any transaction, with the payout's own request number.
      let answer;
      try {
        answer = await bank.requestPayout({
          requestNo: p.request_no,
          // A suspense refund pays a payer who holds no account here.
          accountNumber: p.account_number ?? '',
          bankCard: p.bank_card,
          amountFen: p.amount_fen,
          valueDate: p.value_date,
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        // No answer: stays 'sent'; the next dispatch asks again with the same number.
        result.unanswered += 1;
        unanswered.push({ id: p.id, code: error.code, attempts: p.attempts });
        continue;
      }
      if (answer.status === 'accepted') {
        result.accepted += 1;
        accepted.push(p.id);
        continue;
      }
      result.rejected += 1;
      await db.transaction().execute(async (tx) => {
        const payout = await lockPayout(tx, { id: p.id });
        if (payout.status !== 'sent') return;
        await putPayoutBackInTx(tx, payout, {
          kind: 'rejected',
          reason: answer.code,
          serial: null,
          actorLabel: PAYOUT_ACTOR_LABEL,
        });
      });
    }
    // 3. Record the answers; a result notification may already have moved a row on (only 'sent' moves).
    if (accepted.length > 0) {
      await db
        .updateTable('payouts')
        .set({ status: 'accepted', answered_at: new Date(), last_error: null })
        .where('id', 'in', accepted)
        .where('status', '=', 'sent')
        .execute();
    }
    for (const u of unanswered) {
      await db
        .updateTable('payouts')
        .set({
          last_error: u.code,
          next_attempt_at: new Date(now.getTime() + retryDelaySeconds(u.attempts) * 1000),
        })
        .where('id', '=', u.id)
        .where('status', '=', 'sent')
        .execute();
    }
    if (options.payoutIds && claimed.length < batchSize) break;
  }
  result.amount = fenToYuanString(total);
  return result;
}
