// Applies the bank debit results recorded but not yet applied (rules.md §6.5), set-based: a successful
// loan debit answered while the close that sent it is running is only recorded by the notification
// handler, and the close applies them all at once here (business type 02, or 04 when it pays anything
// overdue; Dr 101) before marking anything overdue. Also run for one loan by the notification handler
// outside the close and before a counter repayment, so recorded money is never left unapplied. Under the
// loans' row locks; each request is applied once (its repayment_id).
import { sql } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { applyRepayments, ensureWorkTables } from './repayment-store.ts';

export async function applyRecordedDebitResults(
  tx: DbOrTx,
  input: { date: IsoDate; actorLabel: string; loanId?: bigint },
): Promise<{ repayments: number; amount: string }> {
  const only = input.loanId === undefined ? sql`` : sql`AND r.loan_id = ${input.loanId}`;
  let repayments = 0;
  let amountFen = 0n;
  // One payment per loan per round (a loan with two recorded results takes two rounds).
  for (;;) {
    await ensureWorkTables(tx);
    await sql`
      SELECT l.id FROM loans l
      WHERE l.id IN (SELECT r.loan_id FROM loan_debit_requests r
                     WHERE r.status = 'succeeded' AND r.repayment_id IS NULL AND r.failure_code IS NULL ${only})
      ORDER BY l.id FOR UPDATE OF l`.execute(tx);
    const filled = await sql<{ n: number }>`
      WITH ins AS (
        INSERT INTO loan_pay (loan_id, amount_fen, channel, source_key, cutoff)
        SELECT DISTINCT ON (r.loan_id) r.loan_id, r.amount_fen, 'debit', 'debit:' || r.request_no, ${input.date}::date
        FROM loan_debit_requests r
        WHERE r.status = 'succeeded' AND r.repayment_id IS NULL AND r.failure_code IS NULL ${only}
        ORDER BY r.loan_id, r.id
        RETURNING 1)
      SELECT count(*)::int AS n FROM ins`.execute(tx);
    if (filled.rows[0]!.n === 0) break;
    const applied = await applyRepayments(tx, { date: input.date, actorLabel: input.actorLabel });
    await sql`
      UPDATE loan_debit_requests r SET repayment_id = p.repayment_id
      FROM loan_pay p WHERE r.loan_id = p.loan_id AND p.source_key = 'debit:' || r.request_no`.execute(tx);
    repayments += applied.repayments;
    amountFen += applied.amountFen;
  }
  if (repayments > 0) {
    await recordAudit(tx, {
      actor: input.actorLabel,
      action: 'loan.repayment.debit_results',
      subjectType: input.loanId === undefined ? 'business_date' : 'loan',
      subjectId: input.loanId ?? input.date,
      businessDate: input.date,
      summary: { repayments, amount: fenToYuanString(amountFen) },
    });
  }
  return { repayments, amount: fenToYuanString(amountFen) };
}
