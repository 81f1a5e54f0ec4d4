// The bank's result of a loan repayment debit (request numbers "LR…"), inside the bank notification's
// transaction (handle-bank-notification.ts routes it here after its serial checks): a success is applied
// to the loan by the waterfall (business type 02, or 04 when it pays anything overdue; Dr 101), once per
// request under its row lock and the loan's; a failure marks the request failed, leaving the installment
// unpaid for the overdue stage of the close. Money beyond what the loan owes (it was paid meanwhile, or
// settled) is booked to 21909 for refund, never dropped.
import { sql } from 'kysely';
import { fenToYuanString } from '../../domain/money.ts';
import type { ParsedBankNotification } from '../../integrations/bank/gateway.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { releaseSuspenseToBank } from '../reconciliation/incoming-from-suspense.ts';
import { applyRecordedDebitResults } from './apply-recorded-debit-results.ts';
import { LOAN_REPAYMENT_STEP, type RepaymentRecord } from './repayment-store.ts';

/** Request numbers of loan repayment debits (loan_debit_requests.request_no). */
export const LOAN_DEBIT_PREFIX = 'LR';

export const LOAN_DEBIT_ACTOR = 'system:bank';

export function isLoanDebitRequestNo(requestNo: string | undefined): boolean {
  return requestNo !== undefined && requestNo.startsWith(LOAN_DEBIT_PREFIX);
}

export interface LoanDebitDecision {
  outcome: 'loan_repaid' | 'debit_failed' | 'unmatched' | 'ignored';
  detail: string | null;
}

export async function handleLoanDebitResult(
  tx: DbOrTx,
  n: ParsedBankNotification,
  inStatement: boolean,
): Promise<LoanDebitDecision> {
  const found = await sql<{ id: bigint; loan_id: bigint; amount_fen: bigint; status: string }>`
    SELECT id, loan_id, amount_fen, status FROM loan_debit_requests WHERE request_no = ${n.requestNo!}
    FOR UPDATE`.execute(tx);
  const request = found.rows[0];
  if (n.status !== 'success') {
    if (!request) return { outcome: 'ignored', detail: 'REQUEST_UNKNOWN' };
    if (request.status === 'succeeded' || request.status === 'failed') {
      return { outcome: 'ignored', detail: `REQUEST_${request.status.toUpperCase()}` };
    }
    await sql`
      UPDATE loan_debit_requests SET status = 'failed', failure_code = ${n.failureCode ?? 'DEBIT_FAILED'},
        bank_serial = ${n.serial}, answered_at = now()
      WHERE id = ${request.id}`.execute(tx);
    return { outcome: 'debit_failed', detail: n.failureCode ?? 'DEBIT_FAILED' };
  }
  if (!request) return { outcome: 'unmatched', detail: 'REQUEST_UNKNOWN' };
  if (request.status === 'succeeded') return { outcome: 'unmatched', detail: 'REQUEST_SUCCEEDED' };
  if (request.amount_fen !== n.amountFen) return { outcome: 'unmatched', detail: 'AMOUNT_MISMATCH' };
  // The statement import came first and put the money in suspense (21902): released back to the bank, so
  // the repayment below books it once; when staff had already resolved that item, it stays theirs.
  const released =
    inStatement &&
    (
      await releaseSuspenseToBank(
        tx,
        [{ serial: n.serial, amountFen: n.amountFen, sourceType: 'loan_debit', sourceId: request.id }],
        { actorLabel: LOAN_DEBIT_ACTOR, businessDate: await getBusinessDate(tx) },
      )
    ).has(n.serial);
  if (inStatement && !released) {
    await sql`
      UPDATE loan_debit_requests SET status = 'succeeded', failure_code = 'IN_SUSPENSE', bank_serial = ${n.serial},
        answered_at = now()
      WHERE id = ${request.id}`.execute(tx);
    return { outcome: 'unmatched', detail: 'LOAN_DEBIT_IN_SUSPENSE' };
  }
  // Pending, sent, or even failed (a late success after a failure report): the money did arrive. While the
  // close that sent the request is still in its loan step, the result is only recorded: the step applies all
  // of them at once, set-based (apply-recorded-debit-results.ts), before its overdue stage; a result that
  // comes later is applied here and now.
  const step = await sql<{ status: string }>`
    SELECT s.status FROM close_steps s JOIN loan_debit_requests r ON r.requested_on = s.business_date
    WHERE r.id = ${request.id} AND s.step = ${LOAN_REPAYMENT_STEP}`.execute(tx);
  await sql`
    UPDATE loan_debit_requests SET status = 'succeeded', failure_code = NULL, bank_serial = ${n.serial},
      answered_at = now()
    WHERE id = ${request.id}`.execute(tx);
  if (step.rows[0] !== undefined && step.rows[0].status !== 'done') {
    return { outcome: 'loan_repaid', detail: 'APPLIED_BY_CLOSE' };
  }
  const date = await getBusinessDate(tx);
  await applyRecordedDebitResults(tx, { date, actorLabel: LOAN_DEBIT_ACTOR, loanId: request.loan_id });
  return { outcome: 'loan_repaid', detail: null };
}

/** The audit summary of one repayment (money as yuan strings). */
export function repaymentSummary(
  r: RepaymentRecord,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    repaymentId: r.repaymentId,
    channel: r.channel,
    businessType: r.businessType,
    amount: fenToYuanString(r.amountFen),
    penalty: fenToYuanString(r.penaltyFen),
    overdueInterest: fenToYuanString(r.overdueInterestFen),
    overduePrincipal: fenToYuanString(r.overduePrincipalFen),
    interest: fenToYuanString(r.interestFen),
    principal: fenToYuanString(r.principalFen),
    unapplied: fenToYuanString(r.unappliedFen),
    ...extra,
  };
}
