// Depositing rules (rules.md §3): which months a payment covers, continuity of covered months, the checks
// a payment must pass, and the calendar of periodic plans (period starts, due dates, the retry window).
import type { DepositLimits, DepositMode } from './agreement.ts';
import {
  addMonthsToMonth,
  daysInMonth,
  formatDate,
  isIsoDate,
  isIsoMonth,
  monthOf,
  monthsBetween,
  parts,
  type IsoDate,
  type IsoMonth,
} from './dates.ts';
import { AppError } from './errors.ts';
import { fenToYuanString, type Fen } from './money.ts';

export type { DepositLimits, DepositMode };

/** JGJ/T 320-2014 collection and withdrawal business types (rules.md §14); stored as the two-digit code. */
export const COLLECTION_BUSINESS_TYPES = [
  { code: '01', zh: '汇缴', en: 'Regular deposit' },
  { code: '02', zh: '补缴', en: 'Catch-up deposit' },
  { code: '03', zh: '开户', en: 'Account opening' },
  { code: '04', zh: '启封', en: 'Unsealing' },
  { code: '05', zh: '封存', en: 'Sealing' },
  { code: '06', zh: '内部转移', en: 'Internal transfer' },
  { code: '07', zh: '外部转出', en: 'Transfer out' },
  { code: '08', zh: '外部转入', en: 'Transfer in' },
  { code: '09', zh: '年终结息', en: 'Year-end interest settlement' },
  { code: '10', zh: '基数调整', en: 'Base adjustment' },
  { code: '11', zh: '部分提取', en: 'Partial withdrawal' },
  { code: '12', zh: '销户提取', en: 'Closure withdrawal' },
  { code: '13', zh: '缓缴', en: 'Deferred deposit' },
  { code: '14', zh: '冻结', en: 'Freeze' },
  { code: '15', zh: '解冻', en: 'Unfreeze' },
  { code: '99', zh: '其他', en: 'Other' },
] as const;
export type CollectionBusinessType = (typeof COLLECTION_BUSINESS_TYPES)[number]['code'];

export function isCollectionBusinessType(value: string): value is CollectionBusinessType {
  return COLLECTION_BUSINESS_TYPES.some((t) => t.code === value);
}

// ---- allocation and continuity (§3.2, §3.3) -------------------------------------------------------------

/** How many months one period of a mode covers: monthly 1, quarterly 3, annual 12; flexible pays no periods. */
export function monthsPerPeriod(mode: DepositMode): 1 | 3 | 12 {
  switch (mode) {
    case 'monthly':
      return 1;
    case 'quarterly':
      return 3;
    case 'annual':
      return 12;
    default:
      throw new AppError('DEPOSIT_MODE_INVALID', { field: 'mode', details: { value: mode } });
  }
}

export interface MonthAllocation {
  month: IsoMonth;
  amountFen: Fen;
}

/**
 * The months a payment covers (rules.md §3.2): a periodic payment covers its period's months, split evenly
 * with the remainder fen on the last month so the parts sum to the amount; a flexible payment
 * (periodStartMonth null) covers the calendar month of its value date.
 */
export function allocateDeposit(input: {
  mode: DepositMode;
  periodStartMonth: IsoMonth | null;
  valueDate: IsoDate;
  amountFen: Fen;
}): MonthAllocation[] {
  const { mode, periodStartMonth, valueDate, amountFen } = input;
  if (amountFen <= 0n) {
    throw new AppError('AMOUNT_NOT_POSITIVE', {
      field: 'amount',
      details: { value: fenToYuanString(amountFen) },
    });
  }
  if (!isIsoDate(valueDate))
    throw new AppError('INVALID_DATE', { field: 'valueDate', details: { value: valueDate } });
  if (mode === 'flexible') {
    if (periodStartMonth !== null) throw new AppError('DEPOSIT_MODE_INVALID', { field: 'periodStartMonth' });
    return [{ month: monthOf(valueDate), amountFen }];
  }
  const months = monthsPerPeriod(mode);
  if (periodStartMonth === null) throw new AppError('DEPOSIT_PERIOD_REQUIRED', { field: 'periodStartMonth' });
  if (!isIsoMonth(periodStartMonth)) {
    throw new AppError('INVALID_MONTH', { field: 'periodStartMonth', details: { value: periodStartMonth } });
  }
  const share = amountFen / BigInt(months);
  const out: MonthAllocation[] = [];
  for (let i = 0; i < months; i += 1) {
    const last = i === months - 1;
    out.push({
      month: addMonthsToMonth(periodStartMonth, i),
      amountFen: last ? amountFen - share * BigInt(months - 1) : share,
    });
  }
  return out;
}

/** A month is covered when what is allocated to it reaches that month's lower limit (rules.md §3.3). */
export function isMonthCovered(allocatedFen: Fen, lowerLimitFen: Fen): boolean {
  return allocatedFen >= lowerLimitFen;
}

/**
 * Consecutive covered months (连续缴存月数, rules.md §3.3): counted backwards from the latest completed
 * month, stopping at the first month not covered. Transferred-in history counts when passed in `covered`.
 */
export function consecutiveMonths(covered: Iterable<IsoMonth>, latestCompletedMonth: IsoMonth): number {
  const set = new Set(covered);
  let count = 0;
  let month = latestCompletedMonth;
  while (set.has(month)) {
    count += 1;
    month = addMonthsToMonth(month, -1);
  }
  return count;
}

/**
 * Stability for the loan quota (rules.md §6.2): covered months among the last 12 completed months, or among
 * the months since opening when fewer. `of` is 0 when the account opened after `latestCompletedMonth`.
 * Pass the first month of transferred-in history as `openedMonth` when that history counts (§5.3, §5.4).
 */
export function stabilityCoveredOfLast12(
  covered: Iterable<IsoMonth>,
  latestCompletedMonth: IsoMonth,
  openedMonth: IsoMonth,
): { covered: number; of: number } {
  const of = Math.max(0, Math.min(12, monthsBetween(openedMonth, latestCompletedMonth) + 1));
  const set = new Set(covered);
  let count = 0;
  for (let i = 0; i < of; i += 1) if (set.has(addMonthsToMonth(latestCompletedMonth, -i))) count += 1;
  return { covered: count, of };
}

// ---- payment checks (§3.2) ------------------------------------------------------------------------------

/** What may still be paid this HPF year: 12 × the monthly upper limit less what was paid (never below 0). */
export function annualRoomFen(limits: DepositLimits, paidThisHpfYearFen: Fen): Fen {
  const room = 12n * limits.upperFen - paidThisHpfYearFen;
  return room > 0n ? room : 0n;
}

/**
 * Refuses a payment the rules do not allow (rules.md §3.2): a flexible payment below the monthly lower limit;
 * a periodic payment that is not exactly its period's amount; in any mode, a payment taking the HPF year's
 * total above 12 × the monthly upper limit. `limits` are those in force on the value date.
 */
export function checkPayment(input: {
  mode: DepositMode;
  amountFen: Fen;
  limits: DepositLimits;
  paidThisHpfYearFen: Fen;
  /** The amount of the period being paid; required for monthly, quarterly and annual plans. */
  expectedPeriodAmountFen?: Fen;
}): void {
  const { mode, amountFen, limits, paidThisHpfYearFen, expectedPeriodAmountFen } = input;
  if (amountFen <= 0n) {
    throw new AppError('AMOUNT_NOT_POSITIVE', {
      field: 'amount',
      details: { value: fenToYuanString(amountFen) },
    });
  }
  if (mode === 'flexible') {
    if (amountFen < limits.lowerFen) {
      throw new AppError('DEPOSIT_BELOW_MINIMUM', {
        field: 'amount',
        details: { lower: fenToYuanString(limits.lowerFen) },
      });
    }
  } else {
    monthsPerPeriod(mode); // refuses an unknown mode
    if (expectedPeriodAmountFen === undefined)
      throw new AppError('DEPOSIT_PERIOD_REQUIRED', { field: 'amount' });
    if (amountFen !== expectedPeriodAmountFen) {
      throw new AppError('DEPOSIT_PERIOD_AMOUNT_MISMATCH', {
        field: 'amount',
        details: { expected: fenToYuanString(expectedPeriodAmountFen) },
      });
    }
  }
  if (paidThisHpfYearFen + amountFen > 12n * limits.upperFen) {
    throw new AppError('DEPOSIT_ABOVE_ANNUAL_ROOM', {
      field: 'amount',
      details: { room: fenToYuanString(annualRoomFen(limits, paidThisHpfYearFen)) },
    });
  }
}

// ---- periodic plans (§3.2) ------------------------------------------------------------------------------

/** One period's amount: monthly M, quarterly 3 × M, annual 12 × M (rules.md §3.2). */
export function periodAmountFen(mode: DepositMode, monthlyAmountFen: Fen): Fen {
  return BigInt(monthsPerPeriod(mode)) * monthlyAmountFen;
}

function assertDebitDay(debitDay: number): void {
  if (!Number.isInteger(debitDay) || debitDay < 1 || debitDay > 28) {
    throw new AppError('DEBIT_DAY_INVALID', { field: 'debitDay', details: { value: debitDay } });
  }
}

/** The debit date of a period: the debit day (1–28) of its first month. */
export function dueDate(periodStart: IsoMonth, debitDay: number): IsoDate {
  assertDebitDay(debitDay);
  const { year, month } = parts(`${periodStart}-01`);
  return formatDate(year, month, debitDay);
}

/**
 * The first period of a new plan: monthly and annual start in the opening month when its debit day is on or
 * after the opening date, else the next month; quarterly starts at the first calendar quarter (Jan, Apr,
 * Jul, Oct) whose first month's debit day is on or after the opening date (quarters are paid in advance).
 */
export function firstPeriodStart(mode: DepositMode, openedOn: IsoDate, debitDay: number): IsoMonth {
  monthsPerPeriod(mode); // refuses flexible and unknown modes
  if (!isIsoDate(openedOn))
    throw new AppError('INVALID_DATE', { field: 'openedOn', details: { value: openedOn } });
  let month = monthOf(openedOn);
  if (dueDate(month, debitDay) < openedOn) month = addMonthsToMonth(month, 1);
  if (mode === 'quarterly') {
    while ((parts(`${month}-01`).month - 1) % 3 !== 0) month = addMonthsToMonth(month, 1);
  }
  return month;
}

/** The period after `periodStart`: +1, +3 or +12 months. */
export function nextPeriodStart(mode: DepositMode, periodStart: IsoMonth): IsoMonth {
  return addMonthsToMonth(periodStart, monthsPerPeriod(mode));
}

/** Monday to Friday. Ours: no public-holiday table, so a holiday on a weekday counts as a working day. */
export function isWorkingDay(date: IsoDate): boolean {
  const { year, month, day } = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The last day a failed debit is retried (rules.md §3.2, ours): the last working day (Mon–Fri, no holiday
 * table) of the due date's month; the period is missed after it. When the debit day itself falls after that
 * day (the 28th on a weekend at the end of February), the debit day is the only attempt.
 */
export function lastRetryDate(due: IsoDate): IsoDate {
  const { year, month } = parts(due);
  let day = daysInMonth(year, month);
  while (!isWorkingDay(formatDate(year, month, day))) day -= 1;
  const last = formatDate(year, month, day);
  return last < due ? due : last;
}

/**
 * The periods that have fallen due by `onDate`, starting from `fromPeriodStart` (the plan's next period not
 * yet created): each period start whose due date ≤ onDate, in order. Used by the close of business to
 * create due periods (catch-up equivalence: one call over N days = N daily calls).
 */
export function periodsDueOn(input: {
  mode: DepositMode;
  fromPeriodStart: IsoMonth;
  debitDay: number;
  onDate: IsoDate;
}): IsoMonth[] {
  if (!isIsoMonth(input.fromPeriodStart)) {
    throw new AppError('INVALID_MONTH', {
      field: 'fromPeriodStart',
      details: { value: input.fromPeriodStart },
    });
  }
  if (!isIsoDate(input.onDate))
    throw new AppError('INVALID_DATE', { field: 'onDate', details: { value: input.onDate } });
  const out: IsoMonth[] = [];
  let start = input.fromPeriodStart;
  while (dueDate(start, input.debitDay) <= input.onDate) {
    out.push(start);
    start = nextPeriodStart(input.mode, start);
  }
  return out;
}
