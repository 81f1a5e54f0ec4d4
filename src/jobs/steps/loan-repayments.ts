// Close step: repayment of loans on the closed date (rules.md §6.5), in three stages, each idempotent —
// the due-date collection (HPF balance first when offset is signed, one transaction, set-based), the bank
// debits for the rest (one batch file to the bank and its one signed result file, recorded set-based, then
// applied here all at once by the waterfall), then the overdue stage (121 → 122, receivable interest,
// penalty, days past due, class and the enforcement/defaulter marks). A close killed anywhere reruns the
// step: the collection is guarded per loan and date, an open batch is resent with its own number (the bank
// acts on it once), overdue is guarded by the installments' status and the accrual rows.
import { sql } from 'kysely';
import type { CloseContext } from '../close-day.ts';
import { collectDueInstallments } from '../../services/loans/collect-due-installments.ts';
import { sendLoanDebits } from '../../services/loans/send-loan-debits.ts';
import { markOverdueLoans } from '../../services/loans/mark-overdue-loans.ts';
import { applyRecordedDebitResults } from '../../services/loans/apply-recorded-debit-results.ts';
import { LOAN_REPAYMENT_LOCK } from '../../services/loans/repayment-store.ts';
import { actorLabel } from '../../domain/roles.ts';

export async function loanRepaymentsStep(ctx: CloseContext): Promise<Record<string, unknown>> {
  const collected = await collectDueInstallments(ctx);
  const debits = await sendLoanDebits(ctx);
  // The day's debit results (the batch's result file, or notifications recorded while this step runs).
  const debitResults = await ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOAN_REPAYMENT_LOCK})`.execute(tx);
    return applyRecordedDebitResults(tx, { date: ctx.date, actorLabel: actorLabel(ctx.actor) });
  });
  const overdue = await markOverdueLoans(ctx);
  return { collected, debits, debitResults, overdue };
}
