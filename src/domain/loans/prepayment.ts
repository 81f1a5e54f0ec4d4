// The policy of paying a loan early (rules.md §6.5): when a partial prepayment (提前还款) is allowed, what
// funds it, and the interest accrued between due dates that a prepayment or a full settlement (结清) pays.
// The recomputed schedules themselves are schedule.ts's (prepaySchedule, repriceSchedule).
import type { Decimal } from 'decimal.js';
import { addMonths, compareDates, daysBetween, type IsoDate } from '../dates.ts';
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import { divHalfUp, FIRST_PERIOD_DAY_BASIS, monthlyRate } from './schedule.ts';

export const LOAN_FUNDINGS = ['hpf-balance', 'bank'] as const;
/**
 * Where the money comes from: the borrower's own HPF balance (Dr 201 the member, business type 05 with the
 * prepayment's 03 or the settlement's 06), or a bank payment the staff record on receipt (Dr 101).
 */
export type LoanFunding = (typeof LOAN_FUNDINGS)[number];

export function isLoanFunding(value: string): value is LoanFunding {
  return (LOAN_FUNDINGS as readonly string[]).includes(value);
}

/** JGJ/T 320 business types (rules.md §6.5): 03 prepayment, 05 from the HPF balance, 06 settlement. */
export function prepaymentBusinessType(funding: LoanFunding): '03' | '05+03' {
  return funding === 'hpf-balance' ? '05+03' : '03';
}

export function settlementBusinessType(funding: LoanFunding): '06' | '05+06' {
  return funding === 'hpf-balance' ? '05+06' : '06';
}

export interface PrepaymentPolicy {
  /** loan.prepayment.min_paid_installments (12). */
  minPaidInstallments: number;
  /** loan.prepayment.min_amount_fen (10,000.00). */
  minAmountFen: Fen;
  /** loan.prepayment.min_interval_months (12). */
  minIntervalMonths: number;
}

/**
 * Refuses a partial prepayment the policy does not allow (rules.md §6.5): fewer installments paid than the
 * minimum, an amount below the minimum, or too soon after the last partial prepayment. A prepayment of the
 * whole balance is a settlement (allowed any time), so the amount must stay below the remaining principal.
 */
export function checkPartialPrepayment(input: {
  policy: PrepaymentPolicy;
  onDate: IsoDate;
  paidInstallments: number;
  amountFen: Fen;
  remainingPrincipalFen: Fen;
  lastPrepaidOn: IsoDate | null;
}): void {
  const { policy } = input;
  if (input.amountFen <= 0n || input.amountFen >= input.remainingPrincipalFen) {
    throw new AppError('LOAN_PREPAYMENT_INVALID', {
      field: 'amount',
      details: { amountFen: String(input.amountFen), remainingFen: String(input.remainingPrincipalFen) },
    });
  }
  if (input.paidInstallments < policy.minPaidInstallments) {
    throw new AppError('LOAN_PREPAYMENT_TOO_EARLY', {
      details: { paidInstallments: input.paidInstallments, required: policy.minPaidInstallments },
    });
  }
  if (input.amountFen < policy.minAmountFen) {
    throw new AppError('LOAN_PREPAYMENT_BELOW_MINIMUM', {
      field: 'amount',
      details: { amountFen: String(input.amountFen), minimumFen: String(policy.minAmountFen) },
    });
  }
  if (input.lastPrepaidOn !== null) {
    const nextAllowed = addMonths(input.lastPrepaidOn, policy.minIntervalMonths);
    if (compareDates(input.onDate, nextAllowed) < 0) {
      throw new AppError('LOAN_PREPAYMENT_TOO_FREQUENT', {
        details: { lastPrepaidOn: input.lastPrepaidOn, nextAllowedOn: nextAllowed },
      });
    }
  }
}

export interface AccruedInterest {
  interestFen: Fen;
  from: IsoDate;
  days: number;
}

/**
 * Interest on `principalFen` from the last due date (or the disbursement) to `onDate`: round(P × i × days
 * / 30) half-up, the actual-days-over-a-30-day-month convention of the first period (rules.md §6.4, ours).
 * The next installment still charges a whole month on what stays owed, so the principal paid now pays its
 * interest up to today only, and no day is charged twice.
 */
export function accruedInterest(input: {
  principalFen: Fen;
  annualRatePct: Decimal;
  from: IsoDate;
  onDate: IsoDate;
}): AccruedInterest {
  const days = Math.max(0, daysBetween(input.from, input.onDate));
  const rate = monthlyRate(input.annualRatePct);
  const interestFen = divHalfUp(
    input.principalFen * rate.num * BigInt(days),
    rate.den * BigInt(FIRST_PERIOD_DAY_BASIS),
  );
  return { interestFen, from: input.from, days };
}
