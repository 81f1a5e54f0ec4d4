// Repayment schedules of deposit-linked loans (rules.md §6.4): equal installment (等额本息) and equal
// principal (等额本金), exact to the fen in integer arithmetic, with due dates from a disbursement date, and
// the recomputations the loan workflow calls: repricing (§6.3) and partial prepayment (§6.5).
import type { Decimal } from 'decimal.js';
import { daysBetween, isIsoDate, parts, type IsoDate } from '../dates.ts';
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';

export const REPAYMENT_METHODS = ['equal-installment', 'equal-principal'] as const;
/** 等额本息 equal-installment / 等额本金 equal-principal. */
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

export const REPAYMENT_METHOD_LABELS: Record<RepaymentMethod, { zh: string; en: string }> = {
  'equal-installment': { zh: '等额本息', en: 'Equal installment' },
  'equal-principal': { zh: '等额本金', en: 'Equal principal' },
};

/** Terms run from 1 month to 30 years (rules.md §6.1). */
export const MAX_TERM_MONTHS = 360;
/** A due day after the 28th moves to the 28th, so every month has it (rules.md §6.4). */
export const LATEST_DUE_DAY = 28;
/** The first period's interest counts actual days over a 30-day month (rules.md §6.4, ours). */
export const FIRST_PERIOD_DAY_BASIS = 30;

export const FIRST_PERIOD_NOTE = {
  zh: '首期利息按放款日至首个还款日的实际天数 ÷ 30 计算（本中心规则）',
  en: 'First-period interest runs from disbursement by actual days / 30 of a month (center rule)',
} as const;

export function isRepaymentMethod(value: string): value is RepaymentMethod {
  return (REPAYMENT_METHODS as readonly string[]).includes(value);
}

/** The monthly rate i = annual % / 100 / 12 as an exact fraction num / den (den > 0, num ≥ 0). */
export interface MonthlyRate {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** i = annual % / 1200, exactly: "2.6" → 26 / 12000 → 13 / 6000. */
export function monthlyRate(annualRatePct: Decimal): MonthlyRate {
  const known = MONTHLY_RATES.get(annualRatePct);
  if (known !== undefined) return known;
  if (!annualRatePct.isFinite() || annualRatePct.isNegative()) {
    throw new AppError('INVALID_RATE', { field: 'annualRate', details: { value: annualRatePct.toString() } });
  }
  const [whole = '0', frac = ''] = annualRatePct.toFixed().split('.');
  const num = BigInt(whole + frac);
  const den = 1200n * 10n ** BigInt(frac.length);
  const g = num === 0n ? den : gcd(num, den);
  const rate = { num: num / g, den: den / g };
  MONTHLY_RATES.set(annualRatePct, rate);
  return rate;
}

/** Decimals are immutable, so a rate object read once (a parameter, a batch's rate) is converted once. */
const MONTHLY_RATES = new WeakMap<Decimal, MonthlyRate>();

/** num / den rounded half-up to a whole number (num ≥ 0, den > 0): the one rounding rule of money here. */
export function divHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** The installment of 等额本息 as a fraction of the principal: M = P × factor.num / factor.den. */
export interface LevelFactor {
  num: bigint;
  den: bigint;
}

/**
 * M / P = i(1+i)^n / ((1+i)^n − 1) with i = r / d is r(d+r)^n / (d((d+r)^n − d^n)): an exact fraction, so
 * the rounding to the fen sees the true value. At a zero rate M / P = 1 / n.
 */
export function levelFactor(rate: MonthlyRate, months: number): LevelFactor {
  if (rate.num === 0n) return { num: 1n, den: BigInt(months) };
  const key = `${rate.num}/${rate.den}/${months}`;
  const known = LEVEL_FACTORS.get(key);
  if (known !== undefined) return known;
  const n = BigInt(months);
  const grown = (rate.den + rate.num) ** n;
  const factor = { num: rate.num * grown, den: rate.den * (grown - rate.den ** n) };
  // The powers are thousands of bits and most of a schedule's cost, while loans share a few published
  // rates and at most 360 terms each, so the factors are remembered (a pure function's memo, bounded).
  if (LEVEL_FACTORS.size >= LEVEL_FACTOR_MEMO_SIZE) LEVEL_FACTORS.clear();
  LEVEL_FACTORS.set(key, factor);
  return factor;
}

const LEVEL_FACTOR_MEMO_SIZE = 4096;
const LEVEL_FACTORS = new Map<string, LevelFactor>();

/** M = P·i·(1+i)^n / ((1+i)^n − 1), rounded half-up to the fen (rules.md §6.4). */
export function levelInstallmentFen(principalFen: Fen, factor: LevelFactor): Fen {
  return divHalfUp(principalFen * factor.num, factor.den);
}

/**
 * 等额本金's monthly principal: round(P / n) half-up (rules.md §6.4). Ours: when rounding up would repay
 * more than P before the last month (only if P < n(n−1)/2 fen, e.g. a small remainder repriced), it rounds
 * down, so the last month still takes a remainder ≥ 0.
 */
export function equalPrincipalPartFen(principalFen: Fen, months: number): Fen {
  const n = BigInt(months);
  const part = divHalfUp(principalFen, n);
  return part * (n - 1n) >= principalFen ? principalFen / n : part;
}

export interface Installment {
  /** 期次, from 1 (or from the period a recomputed schedule starts at). */
  period: number;
  /** Present when the schedule knows its dates (a disbursement date or a first due date). */
  dueDate?: IsoDate;
  paymentFen: Fen;
  principalFen: Fen;
  interestFen: Fen;
  /** The principal still owed after this installment. */
  balanceFen: Fen;
}

export interface Schedule {
  method: RepaymentMethod;
  principalFen: Fen;
  annualRatePct: Decimal;
  months: number;
  /** The first installment's payment: 等额本息 M (plus the first period's day difference when dated). */
  firstPaymentFen: Fen;
  installments: Installment[];
  totalPaymentFen: Fen;
  totalInterestFen: Fen;
  /** With a disbursement date: days from disbursement to the first due date (interest × days / 30). */
  firstPeriodDays?: number;
}

export interface ScheduleInput {
  principalFen: Fen;
  annualRatePct: Decimal;
  months: number;
  method: RepaymentMethod;
  /** 放款日: gives due dates and the first period's interest by actual days / 30 (rules.md §6.4). */
  disbursedOn?: IsoDate;
}

function assertMethod(method: string): asserts method is RepaymentMethod {
  if (!isRepaymentMethod(method)) {
    throw new AppError('LOAN_METHOD_INVALID', { field: 'method', details: { value: method } });
  }
}

export function assertTermMonths(months: number, field = 'months'): void {
  if (!Number.isInteger(months) || months < 1 || months > MAX_TERM_MONTHS) {
    throw new AppError('LOAN_TERM_INVALID', { field, details: { value: months } });
  }
}

function assertPositive(fen: Fen, field: string): void {
  if (fen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field, details: { value: fen.toString() } });
}

const MONTH_TEXT = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const DUE_DATE_MEMO_SIZE = 65_536;
/** Due dates repeat across loans (a few hundred months × 28 days), so each text is built once. */
const DUE_DATES = new Map<number, IsoDate>();

/** "YYYY-MM-DD" of month index `index` (year × 12 + month − 1) and a day ≤ 28. */
function dueDateText(index: number, day: number): IsoDate {
  const key = index * 32 + day;
  let text = DUE_DATES.get(key);
  if (text === undefined) {
    text = `${String(Math.floor(index / 12)).padStart(4, '0')}-${MONTH_TEXT[index % 12]}-${String(day).padStart(2, '0')}`;
    if (DUE_DATES.size >= DUE_DATE_MEMO_SIZE) DUE_DATES.clear();
    DUE_DATES.set(key, text);
  }
  return text;
}

/**
 * The due dates of a loan disbursed on `disbursedOn`: the first one month later, then monthly, on the
 * disbursement day of month or the 28th if later (rules.md §6.4).
 */
export function dueDates(disbursedOn: IsoDate, months: number): IsoDate[] {
  if (!isIsoDate(disbursedOn)) {
    throw new AppError('INVALID_DATE', { field: 'disbursedOn', details: { value: disbursedOn } });
  }
  const { year, month, day } = parts(disbursedOn);
  const dueDay = Math.min(day, LATEST_DUE_DAY);
  const first = year * 12 + month; // the month after disbursement, as a month index (January = 1)
  const dates: IsoDate[] = new Array<IsoDate>(months);
  for (let k = 0; k < months; k += 1) dates[k] = dueDateText(first + k, dueDay);
  return dates;
}

interface CoreOptions {
  firstPeriod: number;
  dates: IsoDate[] | undefined;
  /** Days of the first period when it runs by actual days / 30; undefined for a whole month. */
  firstPeriodDays: number | undefined;
}

/**
 * One pass of §6.4 in integer fen with the fixed amount (等额本息 M, 等额本金 the principal part). Returns
 * undefined when an installment before the last would repay more than the balance, unless `shorten`.
 */
function amortize(
  principalFen: Fen,
  rate: MonthlyRate,
  months: number,
  level: boolean,
  fixed: Fen,
  options: CoreOptions,
  shorten: boolean,
): Installment[] | undefined {
  const { num, den } = rate;
  // interest = round(balance × num / den) half-up = (2·balance·num + den) div (2·den), exactly.
  const twoNum = 2n * num;
  const twoDen = 2n * den;
  const installments: Installment[] = new Array<Installment>(months);
  const dates = options.dates;
  let balance = principalFen;
  for (let k = 0; k < months; k += 1) {
    const monthInterest = (balance * twoNum + den) / twoDen;
    // The last installment pays the whole remaining balance; before it 等额本息 pays M − interest of
    // principal and 等额本金 its fixed part.
    const lastMonth = k === months - 1;
    let principal = lastMonth ? balance : level ? fixed - monthInterest : fixed;
    // A dated first period charges its actual days / 30 of a month's interest; its principal stays that of
    // a whole month, so only the first payment moves (ours).
    const interest =
      k === 0 && options.firstPeriodDays !== undefined
        ? divHalfUp(balance * num * BigInt(options.firstPeriodDays), den * BigInt(FIRST_PERIOD_DAY_BASIS))
        : monthInterest;
    const clears = principal >= balance;
    if (clears && !lastMonth) {
      if (!shorten) return undefined;
      principal = balance;
    }
    balance -= principal;
    // 等额本息 pays M in a whole month that neither ends nor clears the loan.
    const paymentFen = level && !clears && interest === monthInterest ? fixed : principal + interest;
    const period = options.firstPeriod + k;
    installments[k] =
      dates === undefined
        ? { period, paymentFen, principalFen: principal, interestFen: interest, balanceFen: balance }
        : {
            period,
            dueDate: dates[k]!,
            paymentFen,
            principalFen: principal,
            interestFen: interest,
            balanceFen: balance,
          };
    if (clears) {
      installments.length = k + 1;
      break;
    }
  }
  return installments;
}

/**
 * The schedule of §6.4. 等额本息's M is rounded half-up; ours: when that would repay the loan before its
 * last month (a small loan at a high rate over a long term, e.g. 1,000 yuan at 10 % over 30 years, where
 * half a fen a month compounds), M is rounded down instead so the term holds and the last month takes the
 * rest. Should even that not hold, the installment that clears the balance is the last.
 */
function computeSchedule(
  principalFen: Fen,
  annualRatePct: Decimal,
  months: number,
  method: RepaymentMethod,
  options: CoreOptions,
): Schedule {
  const rate = monthlyRate(annualRatePct);
  let installments: Installment[] | undefined;
  if (method === 'equal-installment') {
    const factor = levelFactor(rate, months);
    const halfUp = levelInstallmentFen(principalFen, factor);
    installments = amortize(principalFen, rate, months, true, halfUp, options, false);
    if (installments === undefined) {
      const down = (principalFen * factor.num) / factor.den;
      installments = amortize(principalFen, rate, months, true, down, options, true)!;
    }
  } else {
    const part = equalPrincipalPartFen(principalFen, months);
    installments = amortize(principalFen, rate, months, false, part, options, true)!;
  }
  let totalInterest = 0n;
  for (const row of installments) totalInterest += row.interestFen;
  const schedule: Schedule = {
    method,
    principalFen,
    annualRatePct,
    months,
    firstPaymentFen: installments[0]!.paymentFen,
    installments,
    totalPaymentFen: principalFen + totalInterest,
    totalInterestFen: totalInterest,
  };
  if (options.firstPeriodDays !== undefined) schedule.firstPeriodDays = options.firstPeriodDays;
  return schedule;
}

/**
 * A new loan's schedule (rules.md §6.4). Monthly rate = annual / 12; every amount rounded half-up to the
 * fen, exactly. With `disbursedOn` each installment has its due date and the first period's interest runs
 * by actual days / 30; ours: the first installment's principal is still M − a whole month's interest, so
 * the first payment is M plus (or minus) the difference and the later months are those of an undated loan.
 */
export function buildSchedule(input: ScheduleInput): Schedule {
  assertMethod(input.method);
  assertTermMonths(input.months);
  assertPositive(input.principalFen, 'principal');
  let dates: IsoDate[] | undefined;
  let firstPeriodDays: number | undefined;
  if (input.disbursedOn !== undefined) {
    dates = dueDates(input.disbursedOn, input.months);
    firstPeriodDays = daysBetween(input.disbursedOn, dates[0]!);
  }
  return computeSchedule(input.principalFen, input.annualRatePct, input.months, input.method, {
    firstPeriod: 1,
    dates,
    firstPeriodDays,
  });
}

/** Where a recomputed schedule continues an existing loan. */
export interface Continuation {
  /** The period number of the first recomputed installment (default 1). */
  nextPeriod?: number;
  /** Its due date; the later ones follow monthly on the same day (≤ 28th). */
  nextDueDate?: IsoDate;
}

function continuationOptions(
  months: number,
  at: Continuation,
): { firstPeriod: number; dates: IsoDate[] | undefined } {
  const firstPeriod = at.nextPeriod ?? 1;
  if (!Number.isInteger(firstPeriod) || firstPeriod < 1) {
    throw new AppError('VALIDATION_FAILED', { field: 'nextPeriod', details: { value: firstPeriod } });
  }
  let dates: IsoDate[] | undefined;
  if (at.nextDueDate !== undefined) {
    const first = at.nextDueDate;
    if (!isIsoDate(first) || parts(first).day > LATEST_DUE_DAY) {
      throw new AppError('INVALID_DATE', { field: 'nextDueDate', details: { value: first } });
    }
    const { year, month, day } = parts(first);
    dates = new Array<IsoDate>(months);
    for (let k = 0; k < months; k += 1) dates[k] = dueDateText(year * 12 + month - 1 + k, day);
  }
  return { firstPeriod, dates };
}

/**
 * Repricing (rules.md §6.3): from the next installment the loan runs at the new rate, the installment
 * recomputed from the remaining principal over the remaining term; every period is a whole month.
 */
export function repriceSchedule(
  input: {
    remainingPrincipalFen: Fen;
    remainingMonths: number;
    annualRatePct: Decimal;
    method: RepaymentMethod;
  } & Continuation,
): Schedule {
  assertMethod(input.method);
  assertTermMonths(input.remainingMonths, 'remainingMonths');
  assertPositive(input.remainingPrincipalFen, 'remainingPrincipal');
  return computeSchedule(
    input.remainingPrincipalFen,
    input.annualRatePct,
    input.remainingMonths,
    input.method,
    {
      ...continuationOptions(input.remainingMonths, input),
      firstPeriodDays: undefined,
    },
  );
}

export const PREPAYMENT_MODES = ['keep-term', 'keep-installment'] as const;
/** keep-term: same term, lower installment; keep-installment: same installment, shorter term (§6.5). */
export type PrepaymentMode = (typeof PREPAYMENT_MODES)[number];

export function isPrepaymentMode(value: string): value is PrepaymentMode {
  return (PREPAYMENT_MODES as readonly string[]).includes(value);
}

/** What a borrower pays monthly that "keep the installment" keeps: 等额本息 M, 等额本金 the principal part. */
function keptAmountFen(principalFen: Fen, months: number, method: RepaymentMethod, rate: MonthlyRate): Fen {
  return method === 'equal-installment'
    ? levelInstallmentFen(principalFen, levelFactor(rate, months))
    : equalPrincipalPartFen(principalFen, months);
}

export interface PrepaymentResult {
  mode: PrepaymentMode;
  principalAfterFen: Fen;
  /** The remaining term after the prepayment (shorter with keep-installment). */
  months: number;
  /** The amount kept with keep-installment (M, or the monthly principal part of 等额本金). */
  keptAmountFen?: Fen;
  schedule: Schedule;
}

/**
 * Partial prepayment (rules.md §6.5), recomputed from the principal left after it. keep-term: the same
 * remaining term, a lower installment. keep-installment: the shortest term whose installment (等额本息) or
 * monthly principal part (等额本金) is not above the current one, which is given or, by default, that of
 * the remaining principal over the remaining term. The policy limits (after 12 installments, at least
 * 10,000, once per 12 months) are the workflow's: this is the arithmetic.
 */
export function prepaySchedule(
  input: {
    remainingPrincipalFen: Fen;
    remainingMonths: number;
    annualRatePct: Decimal;
    method: RepaymentMethod;
    prepaymentFen: Fen;
    mode: PrepaymentMode;
    /** keep-installment: the amount to keep; by default recomputed from the remaining principal and term. */
    currentInstallmentFen?: Fen;
  } & Continuation,
): PrepaymentResult {
  assertMethod(input.method);
  assertTermMonths(input.remainingMonths, 'remainingMonths');
  assertPositive(input.remainingPrincipalFen, 'remainingPrincipal');
  if (!isPrepaymentMode(input.mode)) {
    throw new AppError('LOAN_PREPAYMENT_MODE_INVALID', { field: 'mode', details: { value: input.mode } });
  }
  if (input.prepaymentFen <= 0n || input.prepaymentFen >= input.remainingPrincipalFen) {
    throw new AppError('LOAN_PREPAYMENT_INVALID', {
      field: 'prepayment',
      details: { value: input.prepaymentFen.toString() },
    });
  }
  const rate = monthlyRate(input.annualRatePct);
  const after = input.remainingPrincipalFen - input.prepaymentFen;
  let months = input.remainingMonths;
  let kept: Fen | undefined;
  if (input.mode === 'keep-installment') {
    kept =
      input.currentInstallmentFen ??
      keptAmountFen(input.remainingPrincipalFen, input.remainingMonths, input.method, rate);
    assertPositive(kept, 'currentInstallment');
    // The kept amount falls as the term grows, so the shortest term that fits is found by bisection.
    let lo = 1;
    let hi = input.remainingMonths;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keptAmountFen(after, mid, input.method, rate) <= kept) hi = mid;
      else lo = mid + 1;
    }
    months = lo;
  }
  const schedule = computeSchedule(after, input.annualRatePct, months, input.method, {
    ...continuationOptions(months, input),
    firstPeriodDays: undefined,
  });
  const result: PrepaymentResult = { mode: input.mode, principalAfterFen: after, months, schedule };
  if (kept !== undefined) result.keptAmountFen = kept;
  return result;
}

/**
 * The installment that limits what a household can borrow (rules.md §6.2 B): 等额本息 M, 等额本金 the
 * first installment (a whole month's interest on the full principal).
 */
export function firstInstallmentFen(
  principalFen: Fen,
  rate: MonthlyRate,
  months: number,
  method: RepaymentMethod,
  factor: LevelFactor = levelFactor(rate, months),
): Fen {
  return method === 'equal-installment'
    ? levelInstallmentFen(principalFen, factor)
    : equalPrincipalPartFen(principalFen, months) + divHalfUp(principalFen * rate.num, rate.den);
}
