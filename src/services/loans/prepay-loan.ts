// A partial prepayment (提前还款, rules.md §6.5): after the minimum installments paid (a dated parameter),
// at least the minimum amount, at most once per interval, nothing due unpaid, no fee. The borrower keeps the
// term (a lower installment) or the installment (a shorter term). In one transaction: the entry (Dr 201 or
// 101 / Cr 121 / Cr 40103 for the interest accrued on the prepaid principal), the future schedule replaced
// (the old one kept as a version), the prepayment row and the audit row. Idempotent by the client key.
import { Decimal } from 'decimal.js';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { isPrepaymentMode, prepaySchedule, type PrepaymentMode } from '../../domain/loans/schedule.ts';
import {
  accruedInterest,
  checkPartialPrepayment,
  prepaymentBusinessType,
} from '../../domain/loans/prepayment.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { onceByKey } from '../idempotency.ts';
import { getFenParameter, getIntegerParameter } from '../parameters/get-parameter.ts';
import { assertStaffRole } from './loan-store.ts';
import { replaceFutureSchedules, scheduleVersionNumber } from './loan-schedule-store.ts';
import { assertFunds, lockLoanForPayoff, parseFunding, PAYOFF_ROLES, postPayoff } from './loan-payoff.ts';
import type { Db } from '../../db/connection.ts';

export interface PrepayLoanInput {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  /** The principal to repay, yuan ("50000.00"). */
  amount: string;
  mode: string;
  funding: string;
  /** The bank's reference of the borrower's transfer (funding 'bank'). */
  bankReference?: string;
  idempotencyKey: string;
}

export interface LoanPrepaymentResult extends Record<string, unknown> {
  prepaymentId: string;
  loanId: string;
  loanNumber: string;
  prepaidOn: string;
  mode: PrepaymentMode;
  funding: string;
  businessType: string;
  principal: string;
  interest: string;
  total: string;
  accruedFrom: string;
  accruedDays: number;
  remainingBefore: string;
  remainingAfter: string;
  monthsBefore: number;
  monthsAfter: number;
  installmentBefore: string;
  installmentAfter: string;
  nextDueDate: string;
  lastDueDate: string;
  scheduleVersion: number;
  journalEntryId: string;
}

export async function prepayLoan(
  input: PrepayLoanInput,
): Promise<LoanPrepaymentResult & { replayed: boolean }> {
  const { db, actor } = input;
  assertStaffRole(actor, [...PAYOFF_ROLES]);
  const amountFen = positiveYuanToFen(input.amount, 'amount');
  if (!isPrepaymentMode(input.mode)) {
    throw new AppError('LOAN_PREPAYMENT_MODE_INVALID', { field: 'mode', details: { value: input.mode } });
  }
  const mode = input.mode;
  const funding = parseFunding(input.funding, input.bankReference);
  if (!input.idempotencyKey?.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const payload = {
    loanId: String(input.loanId),
    amount: input.amount,
    mode,
    funding,
    bankReference: input.bankReference ?? null,
  };
  return db.transaction().execute(async (tx) => {
    const { result, replayed } = await onceByKey(
      tx,
      'loan-prepayment',
      input.idempotencyKey,
      payload,
      async (): Promise<LoanPrepaymentResult> => {
        const { loan, date, position } = await lockLoanForPayoff(tx, input.loanId);
        const last = await tx
          .selectFrom('loan_prepayments')
          .select((eb) => eb.fn.max('prepaid_on').as('on'))
          .where('loan_id', '=', loan.id)
          .executeTakeFirst();
        checkPartialPrepayment({
          policy: {
            minPaidInstallments: await getIntegerParameter(tx, 'loan.prepayment.min_paid_installments', date),
            minAmountFen: await getFenParameter(tx, 'loan.prepayment.min_amount_fen', date),
            minIntervalMonths: await getIntegerParameter(tx, 'loan.prepayment.min_interval_months', date),
          },
          onDate: date,
          paidInstallments: position.paidInstallments,
          amountFen,
          remainingPrincipalFen: position.remainingPrincipalFen,
          lastPrepaidOn: last?.on ?? null,
        });
        const rate = new Decimal(loan.annual_rate_pct);
        const next = position.future[0]!;
        // keep-installment keeps what the borrower pays now: 等额本息 the payment, 等额本金 the principal part.
        const current = loan.method === 'equal-installment' ? next.payment_fen : next.principal_fen;
        const recomputed = prepaySchedule({
          remainingPrincipalFen: position.remainingPrincipalFen,
          remainingMonths: position.future.length,
          annualRatePct: rate,
          method: loan.method,
          prepaymentFen: amountFen,
          mode,
          ...(mode === 'keep-installment' && position.future.length > 1
            ? { currentInstallmentFen: current }
            : {}),
          nextPeriod: next.period,
          nextDueDate: next.due_date,
        });
        const interest = accruedInterest({
          principalFen: amountFen,
          annualRatePct: rate,
          from: position.periodStart,
          onDate: date,
        });
        const totalFen = amountFen + interest.interestFen;
        await assertFunds(tx, loan, funding, totalFen);
        const label = actorLabel(actor);
        const businessType = prepaymentBusinessType(funding);
        const entryId = await postPayoff(
          tx,
          {
            loan,
            funding,
            principalFen: amountFen,
            interestFen: interest.interestFen,
            date,
            entryType: 'loan_prepayment',
            memo: `提前还款 ${loan.loan_number}`,
            sourceType: 'loan',
            sourceId: String(loan.id),
          },
          label,
        );
        const installments = recomputed.schedule.installments;
        const versions = await replaceFutureSchedules(
          tx,
          [
            {
              loanId: loan.id,
              reason: 'prepayment',
              effectiveOn: date,
              oldRatePct: loan.annual_rate_pct,
              newRatePct: loan.annual_rate_pct,
              installments,
            },
          ],
          label,
        );
        const versionId = versions.get(loan.id)!;
        const row = await tx
          .insertInto('loan_prepayments')
          .values({
            loan_id: loan.id,
            prepaid_on: date,
            mode,
            funding,
            business_type: businessType,
            principal_fen: amountFen,
            interest_fen: interest.interestFen,
            total_fen: totalFen,
            accrued_from: interest.from,
            accrued_days: interest.days,
            remaining_before_fen: position.remainingPrincipalFen,
            remaining_after_fen: recomputed.principalAfterFen,
            months_before: position.future.length,
            months_after: installments.length,
            installment_before_fen: next.payment_fen,
            installment_after_fen: installments[0]!.paymentFen,
            bank_reference: input.bankReference ?? null,
            schedule_version_id: versionId,
            entry_id: entryId,
            created_by: label,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const yuan = fenToYuanString;
        const reply: LoanPrepaymentResult = {
          prepaymentId: String(row.id),
          loanId: String(loan.id),
          loanNumber: loan.loan_number,
          prepaidOn: date,
          mode,
          funding,
          businessType,
          principal: yuan(amountFen),
          interest: yuan(interest.interestFen),
          total: yuan(totalFen),
          accruedFrom: interest.from,
          accruedDays: interest.days,
          remainingBefore: yuan(position.remainingPrincipalFen),
          remainingAfter: yuan(recomputed.principalAfterFen),
          monthsBefore: position.future.length,
          monthsAfter: installments.length,
          installmentBefore: yuan(next.payment_fen),
          installmentAfter: yuan(installments[0]!.paymentFen),
          nextDueDate: installments[0]!.dueDate!,
          lastDueDate: installments.at(-1)!.dueDate!,
          scheduleVersion: await scheduleVersionNumber(tx, versionId),
          journalEntryId: String(entryId),
        };
        await recordAudit(tx, {
          actor: label,
          action: 'loan.prepay',
          subjectType: 'loan',
          subjectId: loan.id,
          businessDate: date,
          summary: {
            prepaymentId: reply.prepaymentId,
            mode,
            funding,
            businessType,
            principal: reply.principal,
            interest: reply.interest,
            remainingAfter: reply.remainingAfter,
            monthsBefore: reply.monthsBefore,
            monthsAfter: reply.monthsAfter,
            installmentBefore: reply.installmentBefore,
            installmentAfter: reply.installmentAfter,
            scheduleVersion: reply.scheduleVersion,
          },
        });
        return reply;
      },
    );
    return { ...result, replayed };
  });
}
