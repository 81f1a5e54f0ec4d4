// Close step: asks the bank to debit every due period (rules.md §3.2): on its due date and, after a
// failure, again each day until the month's last working day. A request still awaiting its result is
// never repeated, so a late answer cannot debit twice. Results arrive as bank notifications.
import { sql } from 'kysely';
import { fenToYuanString } from '../../domain/money.ts';
import { isAppError } from '../../domain/errors.ts';
import type { CloseContext } from '../close-day.ts';

export async function sendPeriodicDebits({ db, date, bank }: CloseContext): Promise<Record<string, unknown>> {
  // Record today's requests first (one per period per day), then send those not yet sent: a rerun after
  // a crash re-sends with the same request number, which the bank treats as the same request.
  const created = await sql<{ n: string }>`
    WITH todo AS (
      INSERT INTO debit_requests (request_no, period_id, account_id, amount_fen, requested_on, status)
      SELECT 'DR' || to_char(${date}::date, 'YYYYMMDD') || lpad(p.id::text, 12, '0'), p.id, p.account_id, p.amount_fen, ${date}::date, 'pending'
      FROM deposit_periods p
      JOIN accounts a ON a.id = p.account_id AND a.state = '01'
      WHERE p.status = 'due' AND p.due_date <= ${date}::date AND p.last_retry_date >= ${date}::date
        AND NOT EXISTS (
          SELECT 1 FROM debit_requests r
          WHERE r.period_id = p.id AND (r.requested_on = ${date}::date OR r.status IN ('pending', 'sent', 'succeeded')))
      ON CONFLICT (period_id, requested_on) DO NOTHING
      RETURNING 1)
    SELECT count(*)::text AS n FROM todo`.execute(db);
  const pending = await db
    .selectFrom('debit_requests as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .innerJoin('agreements as g', (j) => j.onRef('g.account_id', '=', 'a.id').on('g.status', '=', 'signed'))
    .select(['r.id', 'r.request_no', 'r.amount_fen', 'a.account_number', 'g.bank_card'])
    .where('r.requested_on', '=', date)
    .where('r.status', '=', 'pending')
    .orderBy('r.id')
    .execute();
  let accepted = 0;
  let rejected = 0;
  let unanswered = 0;
  for (const r of pending) {
    let answer;
    try {
      answer = await bank.requestDebit({
        requestNo: r.request_no,
        accountNumber: r.account_number,
        bankCard: r.bank_card,
        amountFen: r.amount_fen,
        valueDate: date,
      });
    } catch (error) {
      // No answer (timeout, bank down): the request stays pending and is sent again, with the same
      // number, when the step reruns; its result, if the bank did act, arrives as a notification.
      if (!isAppError(error)) throw error;
      unanswered += 1;
      continue;
    }
    // The result may already have arrived (an in-process bank answers at once): only move a pending row.
    await db
      .updateTable('debit_requests')
      .set(
        answer.status === 'accepted'
          ? { status: 'sent' }
          : { status: 'failed', failure_code: answer.code, answered_at: new Date() },
      )
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .execute();
    if (answer.status === 'accepted') accepted += 1;
    else rejected += 1;
  }
  // The in-process bank delivers results asynchronously; wait for them so the day's books are complete.
  await (bank as Partial<{ idle(): Promise<void> }>).idle?.();
  const total = pending.reduce((s, r) => s + r.amount_fen, 0n);
  return {
    created: Number(created.rows[0]!.n),
    sent: pending.length,
    accepted,
    rejected,
    unanswered,
    amount: fenToYuanString(total),
  };
}
