// Repayment rules of a disbursed loan (rules.md §6.5): the order a payment clears what is owed (the
// waterfall), penalty interest per day, days past due, the five-level class (五级分类) and the marks for
// collateral enforcement and the defaulter list. Pure: the set-based SQL of the close
// (src/services/loans/repayment-store.ts) implements the same waterfall and penalty, and the service tests
// check it against these functions to the fen.
import { Decimal } from 'decimal.js';
import { daysBetween, type IsoDate } from '../dates.ts';
import { roundHalfUpToFen, type Fen } from '../money.ts';

/** JGJ/T 320 business types of repayment: 02 normal, 04 overdue, 05 from the HPF balance (冲还贷). */
export const REPAYMENT_BUSINESS_TYPE = { normal: '02', overdue: '04', offset: '05' } as const;
export type RepaymentBusinessType = (typeof REPAYMENT_BUSINESS_TYPE)[keyof typeof REPAYMENT_BUSINESS_TYPE];

/** Penalty interest is the loan's rate × 1.5 (rules.md §6.5), per day on a 360-day year. */
export const PENALTY_MULTIPLIER = new Decimal('1.5');

/**
 * One day's penalty interest (罚息) of a loan: (overdue principal + overdue interest) × annual rate / 360 ×
 * 1.5, rounded half-up to the fen **per day** (ours: each day's accrual is a booked amount, so N days owe
 * exactly N × one day, whether the close runs day by day or catches up N days at once).
 */
export function dailyPenaltyFen(overdueBaseFen: Fen, annualRatePct: Decimal | string): Fen {
  if (overdueBaseFen <= 0n) return 0n;
  return roundHalfUpToFen(
    new Decimal(overdueBaseFen.toString())
      .mul(new Decimal(annualRatePct))
      .div(100)
      .div(360)
      .mul(PENALTY_MULTIPLIER),
  );
}

/** The penalty of `days` whole days on an unchanged base: days × one day's rounded penalty. */
export function penaltyForDays(overdueBaseFen: Fen, annualRatePct: Decimal | string, days: number): Fen {
  return days <= 0 ? 0n : BigInt(days) * dailyPenaltyFen(overdueBaseFen, annualRatePct);
}

/**
 * Days past due on a date: days since the due date of the oldest installment still unpaid (0 when none).
 * An installment is overdue from the day after its due date, so on that day it is 1 day past due.
 */
export function daysPastDue(onDate: IsoDate, oldestUnpaidDueDate: IsoDate | null): number {
  if (oldestUnpaidDueDate === null) return 0;
  return Math.max(0, daysBetween(oldestUnpaidDueDate, onDate));
}

export type RiskClassCode = '01' | '02' | '03' | '04' | '05';

export interface RiskClass {
  code: RiskClassCode;
  name: 'normal' | 'special-mention' | 'substandard' | 'doubtful' | 'loss';
  nameZh: '正常' | '关注' | '次级' | '可疑' | '损失';
}

const RISK_CLASSES: readonly RiskClass[] = [
  { code: '01', name: 'normal', nameZh: '正常' },
  { code: '02', name: 'special-mention', nameZh: '关注' },
  { code: '03', name: 'substandard', nameZh: '次级' },
  { code: '04', name: 'doubtful', nameZh: '可疑' },
  { code: '05', name: 'loss', nameZh: '损失' },
];

/** Five-level classification by days past due: 0 正常; 1–90 关注; 91–180 次级; 181–360 可疑; > 360 损失. */
export function riskClassOf(dpd: number): RiskClass {
  const index = dpd <= 0 ? 0 : dpd <= 90 ? 1 : dpd <= 180 ? 2 : dpd <= 360 ? 3 : 4;
  return RISK_CLASSES[index]!;
}

export function riskClassByCode(code: string): RiskClass {
  return RISK_CLASSES.find((c) => c.code === code) ?? RISK_CLASSES[0]!;
}

/** Three consecutive missed installments mark the loan (rules.md §6.5). */
export const CONSECUTIVE_MISSED_LIMIT = 3;
/** Six missed installments in total mark the loan (rules.md §6.5). */
export const CUMULATIVE_MISSED_LIMIT = 6;

/** The longest run of consecutive periods among the missed ones (periods in any order, no repeats). */
export function longestConsecutiveRun(missedPeriods: readonly number[]): number {
  const sorted = [...new Set(missedPeriods)].sort((a, b) => a - b);
  let best = 0;
  let run = 0;
  sorted.forEach((p, i) => {
    run = i > 0 && p === sorted[i - 1]! + 1 ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
}

/** Whether the loan is marked for collateral enforcement and its borrower for the defaulter list. */
export function isEnforcementDue(missedPeriods: readonly number[]): boolean {
  return (
    new Set(missedPeriods).size >= CUMULATIVE_MISSED_LIMIT ||
    longestConsecutiveRun(missedPeriods) >= CONSECUTIVE_MISSED_LIMIT
  );
}

/** What an installment still owes. `overdue`: it was not paid by its due date (its balance is in 122). */
export interface OwedInstallment {
  period: number;
  interestFen: Fen;
  principalFen: Fen;
  overdue: boolean;
}

export interface RepaymentLine {
  component: 'penalty' | 'interest' | 'principal';
  /** null for the penalty (owed by the loan as a whole). */
  period: number | null;
  overdue: boolean;
  amountFen: Fen;
}

export interface Allocation {
  lines: RepaymentLine[];
  penaltyFen: Fen;
  overdueInterestFen: Fen;
  overduePrincipalFen: Fen;
  interestFen: Fen;
  principalFen: Fen;
  /** What the payment could not be applied to (more than was owed). */
  unappliedFen: Fen;
}

/**
 * The waterfall (rules.md §6.5): penalty first, then the overdue interest of every overdue installment
 * (oldest first), then their principal (oldest first), then the current installment(s), interest before
 * principal, in period order.
 */
export function allocateRepayment(
  amountFen: Fen,
  owed: { penaltyFen: Fen; installments: readonly OwedInstallment[] },
): Allocation {
  const byPeriod = [...owed.installments].sort((a, b) => a.period - b.period);
  const overdue = byPeriod.filter((i) => i.overdue);
  const current = byPeriod.filter((i) => !i.overdue);
  const queue: RepaymentLine[] = [
    { component: 'penalty', period: null, overdue: true, amountFen: owed.penaltyFen },
    ...overdue.map((i) => ({
      component: 'interest' as const,
      period: i.period,
      overdue: true,
      amountFen: i.interestFen,
    })),
    ...overdue.map((i) => ({
      component: 'principal' as const,
      period: i.period,
      overdue: true,
      amountFen: i.principalFen,
    })),
    ...current.flatMap((i) => [
      { component: 'interest' as const, period: i.period, overdue: false, amountFen: i.interestFen },
      { component: 'principal' as const, period: i.period, overdue: false, amountFen: i.principalFen },
    ]),
  ];
  let left = amountFen;
  const lines: RepaymentLine[] = [];
  for (const item of queue) {
    if (left <= 0n) break;
    if (item.amountFen <= 0n) continue;
    const paid = item.amountFen < left ? item.amountFen : left;
    lines.push({ ...item, amountFen: paid });
    left -= paid;
  }
  const sum = (pred: (l: RepaymentLine) => boolean) =>
    lines.filter(pred).reduce((s, l) => s + l.amountFen, 0n);
  return {
    lines,
    penaltyFen: sum((l) => l.component === 'penalty'),
    overdueInterestFen: sum((l) => l.component === 'interest' && l.overdue),
    overduePrincipalFen: sum((l) => l.component === 'principal' && l.overdue),
    interestFen: sum((l) => l.component === 'interest' && !l.overdue),
    principalFen: sum((l) => l.component === 'principal' && !l.overdue),
    unappliedFen: left,
  };
}

/** The business type of a repayment: 05 from the HPF balance; otherwise 04 when it pays anything overdue. */
export function repaymentBusinessType(
  channel: 'offset' | 'debit' | 'counter',
  allocation: Pick<Allocation, 'penaltyFen' | 'overdueInterestFen' | 'overduePrincipalFen'>,
): RepaymentBusinessType {
  if (channel === 'offset') return REPAYMENT_BUSINESS_TYPE.offset;
  const overdue = allocation.penaltyFen + allocation.overdueInterestFen + allocation.overduePrincipalFen;
  return overdue > 0n ? REPAYMENT_BUSINESS_TYPE.overdue : REPAYMENT_BUSINESS_TYPE.normal;
}
