// The loan quota (rules.md §6.2) with its explanation: quota = min(A deposit-linked, B repayment capacity,
// C price, D cap), rounded down to 1,000 yuan, every factor and candidate shown; the affordability search
// behind B; and the maximum term (§6.1: 30 years, age at maturity ≤ retirement age + 5 years).
import { Decimal } from 'decimal.js';
import { addMonths, isIsoDate, monthOf, monthsBetween, type IsoDate } from '../dates.ts';
import { AppError } from '../errors.ts';
import { retirementAge, type RetirementGroup } from '../retirement.ts';
import type { Fen } from '../money.ts';
import type { Home } from './rates.ts';
import {
  assertTermMonths,
  firstInstallmentFen,
  isRepaymentMethod,
  levelFactor,
  MAX_TERM_MONTHS,
  monthlyRate,
  type RepaymentMethod,
} from './schedule.ts';

/** Products of an amount and a few short coefficients, exact before the one rounding down to the fen. */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN });

export const ALERT_LEVELS = ['normal', 'level1', 'level2', 'level3'] as const;
/** 预警级别 of the pool (rules.md §8). */
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
/** 信用等级 (rules.md §9). */
export type CreditGrade = (typeof CREDIT_GRADES)[number];

export function isAlertLevel(value: string): value is AlertLevel {
  return (ALERT_LEVELS as readonly string[]).includes(value);
}

export function isCreditGrade(value: string): value is CreditGrade {
  return (CREDIT_GRADES as readonly string[]).includes(value);
}

/** The numbers of §6.2 and §6.1; dated parameters in the service, these defaults in the calculators. */
export interface QuotaParameters {
  /** A = balances × this multiple × coefficients. */
  depositMultiple: Decimal;
  /** Duration coefficient by consecutive covered months, ascending; the first band is the minimum (§6.1). */
  durationBands: readonly { fromMonths: number; coefficient: Decimal }[];
  /** Stability by covered months among the last 12 (scaled to 12 when the account is younger), descending. */
  stabilityBands: readonly { fromCoveredOf12: number; coefficient: Decimal }[];
  liquidity: Readonly<Record<AlertLevel, Decimal>>;
  /** Grade D is not eligible and has no coefficient. */
  credit: Readonly<Record<Exclude<CreditGrade, 'D'>, Decimal>>;
  /** B: the share of (income − debts) an installment may take, in percent. */
  repaymentSharePct: Decimal;
  /** C: the minimum down payment in percent. */
  downPaymentPct: Readonly<Record<Home, Decimal>>;
  capSingleFen: Fen;
  capCoupleFen: Fen;
  /** D rises by this percent for a family with at least `childrenForBonus` children. */
  childrenBonusPct: Decimal;
  childrenForBonus: number;
  /** The quota is rounded down to a multiple of this. */
  roundingFen: Fen;
  maxTermMonths: number;
  /** Age at maturity ≤ statutory retirement age + this many years. */
  yearsAfterRetirement: number;
}

export const DEFAULT_QUOTA_PARAMETERS: QuotaParameters = {
  depositMultiple: new Decimal(20),
  durationBands: [
    { fromMonths: 6, coefficient: new Decimal('0.8') },
    { fromMonths: 12, coefficient: new Decimal('1.0') },
    { fromMonths: 24, coefficient: new Decimal('1.2') },
    { fromMonths: 36, coefficient: new Decimal('1.5') },
  ],
  stabilityBands: [
    { fromCoveredOf12: 12, coefficient: new Decimal('1.0') },
    { fromCoveredOf12: 9, coefficient: new Decimal('0.9') },
    { fromCoveredOf12: 0, coefficient: new Decimal('0.8') },
  ],
  liquidity: {
    normal: new Decimal('1.0'),
    level1: new Decimal('0.9'),
    level2: new Decimal('0.8'),
    level3: new Decimal('0.7'),
  },
  credit: { A: new Decimal('1.1'), B: new Decimal('1.0'), C: new Decimal('0.9') },
  repaymentSharePct: new Decimal(50),
  downPaymentPct: { first: new Decimal(20), second: new Decimal(30) },
  capSingleFen: 60_000_000n,
  capCoupleFen: 80_000_000n,
  childrenBonusPct: new Decimal(10),
  childrenForBonus: 2,
  roundingFen: 100_000n,
  maxTermMonths: MAX_TERM_MONTHS,
  yearsAfterRetirement: 5,
};

function floorFen(value: Decimal): Fen {
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0));
}

function times(fen: Fen, ...factors: Decimal[]): Decimal {
  return factors.reduce((acc, f) => acc.times(f), new Exact(fen.toString()));
}

function wholeMonths(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError('LOAN_MONTHS_COUNT_INVALID', { field, details: { value } });
  }
}

// ---- factors of A --------------------------------------------------------------------------------------

export interface DurationFactor {
  consecutiveMonths: number;
  /** The band, e.g. "12–23" or "36+". */
  band: string;
  coefficient: Decimal;
}

/** Duration coefficient (rules.md §6.2 A); fewer months than the first band is not eligible (§6.1). */
export function durationFactor(
  consecutiveMonths: number,
  params: QuotaParameters = DEFAULT_QUOTA_PARAMETERS,
): DurationFactor {
  wholeMonths(consecutiveMonths, 'consecutiveMonths');
  const bands = params.durationBands;
  const i = bands.findLastIndex((b) => consecutiveMonths >= b.fromMonths);
  if (i < 0) {
    throw new AppError('LOAN_CONSECUTIVE_MONTHS_TOO_FEW', {
      field: 'consecutiveMonths',
      details: { value: consecutiveMonths, minimum: bands[0]?.fromMonths },
    });
  }
  const next = bands[i + 1];
  const band =
    next === undefined ? `${bands[i]!.fromMonths}+` : `${bands[i]!.fromMonths}–${next.fromMonths - 1}`;
  return { consecutiveMonths, band, coefficient: bands[i]!.coefficient };
}

export interface StabilityFactor {
  coveredMonths: number;
  /** 12, or the months since opening when fewer. */
  windowMonths: number;
  coefficient: Decimal;
}

/**
 * Stability (rules.md §6.2 A): covered months among the last 12, or since opening if fewer. Ours for a
 * younger account: its months are scaled to twelfths, so all of them covered is 12/12 and 3/4 is "≥ 9".
 */
export function stabilityFactor(
  coveredMonths: number,
  monthsSinceOpening: number,
  params: QuotaParameters = DEFAULT_QUOTA_PARAMETERS,
): StabilityFactor {
  wholeMonths(coveredMonths, 'coveredMonthsLast12');
  wholeMonths(monthsSinceOpening, 'monthsSinceOpening');
  const windowMonths = Math.min(12, monthsSinceOpening);
  if (windowMonths === 0 || coveredMonths > windowMonths) {
    throw new AppError('LOAN_MONTHS_COUNT_INVALID', {
      field: 'coveredMonthsLast12',
      details: { coveredMonths, windowMonths },
    });
  }
  // covered / window ≥ threshold / 12, in integers.
  const band = params.stabilityBands.find((b) => coveredMonths * 12 >= b.fromCoveredOf12 * windowMonths);
  return { coveredMonths, windowMonths, coefficient: (band ?? params.stabilityBands.at(-1)!).coefficient };
}

// ---- B: affordability ----------------------------------------------------------------------------------

export interface Affordability {
  /** What the installment may take: share × (income − debts), rounded down to the fen (installments are whole fen). */
  monthlyLimitFen: Fen;
  /** The largest principal, to the fen, whose installment fits the limit. */
  maxPrincipalFen: Fen;
  /** Its installment (等额本息 M, 等额本金 the first). */
  installmentFen: Fen;
}

/**
 * rules.md §6.2 B: the largest principal whose installment at the rate, term and method (the first one
 * for 等额本金) is ≤ share × (verified monthly household income − existing monthly debt payments). The
 * installment grows with the principal, so the largest fitting fen is found by bisection on the exact
 * installment.
 */
export function affordability(input: {
  monthlyIncomeFen: Fen;
  monthlyDebtsFen: Fen;
  annualRatePct: Decimal;
  months: number;
  method: RepaymentMethod;
  repaymentSharePct?: Decimal;
}): Affordability {
  if (!isRepaymentMethod(input.method)) {
    throw new AppError('LOAN_METHOD_INVALID', { field: 'method', details: { value: input.method } });
  }
  assertTermMonths(input.months);
  if (input.monthlyIncomeFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'income' });
  if (input.monthlyDebtsFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'debts' });
  const share = input.repaymentSharePct ?? DEFAULT_QUOTA_PARAMETERS.repaymentSharePct;
  const available = input.monthlyIncomeFen - input.monthlyDebtsFen;
  const monthlyLimitFen = available <= 0n ? 0n : floorFen(times(available, share).div(100));
  const rate = monthlyRate(input.annualRatePct);
  const factor = levelFactor(rate, input.months);
  const installment = (p: Fen) => firstInstallmentFen(p, rate, input.months, input.method, factor);
  // Invariant: installment(lo) ≤ limit < installment(hi). Any installment is ≥ round(P / n), so P =
  // n × (limit + 2) is above the limit.
  // No room at all lends nothing (a few fen would otherwise have an installment rounding to 0.00).
  let lo = 0n;
  let hi = monthlyLimitFen === 0n ? 1n : BigInt(input.months) * (monthlyLimitFen + 2n);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (installment(mid) <= monthlyLimitFen) lo = mid;
    else hi = mid;
  }
  return { monthlyLimitFen, maxPrincipalFen: lo, installmentFen: installment(lo) };
}

// ---- term ----------------------------------------------------------------------------------------------

export interface TermLimit {
  maximumMonths: number;
  /** Set when the age rule is what limits the term. */
  ageLimit?: {
    retirementAge: { years: number; months: number };
    /** The latest maturity date: birth date + retirement age + 5 years. */
    latestMaturity: IsoDate;
  };
}

/**
 * rules.md §6.1: the term is at most 30 years and the borrower's age at maturity at most the statutory
 * retirement age + 5 years, so maturity (contract date + term) may not fall after birth date + that age.
 */
export function maximumTerm(
  input: { contractDate: IsoDate; birthDate?: IsoDate; retirementGroup?: RetirementGroup },
  params: QuotaParameters = DEFAULT_QUOTA_PARAMETERS,
): TermLimit {
  if (!isIsoDate(input.contractDate)) {
    throw new AppError('INVALID_DATE', { field: 'contractDate', details: { value: input.contractDate } });
  }
  if (input.birthDate === undefined || input.retirementGroup === undefined) {
    return { maximumMonths: params.maxTermMonths };
  }
  if (!isIsoDate(input.birthDate)) {
    throw new AppError('INVALID_DATE', { field: 'birthDate', details: { value: input.birthDate } });
  }
  const age = retirementAge(monthOf(input.birthDate), input.retirementGroup);
  const limitMonths = (age.years + params.yearsAfterRetirement) * 12 + age.months;
  const latestMaturity = addMonths(input.birthDate, limitMonths);
  let months = monthsBetween(monthOf(input.contractDate), monthOf(latestMaturity));
  while (months > 0 && addMonths(input.contractDate, months) > latestMaturity) months -= 1;
  if (months < 1) {
    throw new AppError('LOAN_TERM_NOT_AVAILABLE', {
      field: 'birthDate',
      details: { latestMaturity, contractDate: input.contractDate },
    });
  }
  if (months >= params.maxTermMonths) return { maximumMonths: params.maxTermMonths };
  return { maximumMonths: months, ageLimit: { retirementAge: age, latestMaturity } };
}

// ---- the quota -----------------------------------------------------------------------------------------

export const QUOTA_CANDIDATES = {
  A: { zh: '存贷挂钩额度', en: 'Deposit-linked' },
  B: { zh: '还款能力额度', en: 'Repayment capacity' },
  C: { zh: '房价额度（扣除最低首付）', en: 'House price less the minimum down payment' },
  D: { zh: '最高贷款额度', en: 'Cap' },
} as const;
export type QuotaCandidateCode = keyof typeof QUOTA_CANDIDATES;

export interface QuotaCandidate {
  code: QuotaCandidateCode;
  zh: string;
  en: string;
  /** Rounded down to the fen; the min is rounded down to 1,000 yuan, so this loses nothing. */
  amountFen: Fen;
}

export interface QuotaInput {
  applicantBalanceFen: Fen;
  /** The spouse co-applicant's balance, when the spouse is a depositor. */
  spouseBalanceFen?: Fen;
  spouseDepositor: boolean;
  consecutiveMonths: number;
  coveredMonthsLast12: number;
  /** Months since the account opened; fewer than 12 narrows the stability window. */
  monthsSinceOpening: number;
  alertLevel: AlertLevel;
  creditGrade: CreditGrade;
  monthlyIncomeFen: Fen;
  monthlyDebtsFen: Fen;
  housePriceFen: Fen;
  home: Home;
  children: number;
  annualRatePct: Decimal;
  months: number;
  method: RepaymentMethod;
}

export interface QuotaExplanation {
  quotaFen: Fen;
  binding: QuotaCandidate;
  candidates: QuotaCandidate[];
  deposit: {
    totalBalanceFen: Fen;
    multiple: Decimal;
    duration: DurationFactor;
    stability: StabilityFactor;
    liquidity: { alertLevel: AlertLevel; coefficient: Decimal };
    credit: { grade: CreditGrade; coefficient: Decimal };
  };
  repayment: Affordability & { sharePct: Decimal };
  price: { housePriceFen: Fen; home: Home; downPaymentPct: Decimal };
  cap: { baseFen: Fen; spouseDepositor: boolean; children: number; bonusPct: Decimal };
  /** The installment of the quota itself at the rate, term and method. */
  quotaInstallmentFen: Fen;
}

/**
 * rules.md §6.2: quota = min(A, B, C, D) rounded down to 1,000 yuan, with each factor, each candidate and
 * the binding one (the first of A, B, C, D at the minimum). Credit grade D and fewer than 6 consecutive
 * months are refused (§6.1).
 */
export function loanQuota(
  input: QuotaInput,
  params: QuotaParameters = DEFAULT_QUOTA_PARAMETERS,
): QuotaExplanation {
  if (input.creditGrade === 'D') {
    throw new AppError('LOAN_CREDIT_GRADE_NOT_ELIGIBLE', { field: 'creditGrade', details: { value: 'D' } });
  }
  if (input.applicantBalanceFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'applicantBalance' });
  const spouseBalance = input.spouseBalanceFen ?? 0n;
  if (spouseBalance < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'spouseBalance' });
  if (spouseBalance > 0n && !input.spouseDepositor) {
    throw new AppError('LOAN_SPOUSE_NOT_DEPOSITOR', { field: 'spouseBalance' });
  }
  if (input.housePriceFen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field: 'housePrice' });
  wholeMonths(input.children, 'children');

  const duration = durationFactor(input.consecutiveMonths, params);
  const stability = stabilityFactor(input.coveredMonthsLast12, input.monthsSinceOpening, params);
  const liquidity = { alertLevel: input.alertLevel, coefficient: params.liquidity[input.alertLevel] };
  const credit = { grade: input.creditGrade, coefficient: params.credit[input.creditGrade] };
  const totalBalanceFen = input.applicantBalanceFen + spouseBalance;
  const a = floorFen(
    times(
      totalBalanceFen,
      params.depositMultiple,
      duration.coefficient,
      stability.coefficient,
      liquidity.coefficient,
      credit.coefficient,
    ),
  );

  const repayment = affordability({
    monthlyIncomeFen: input.monthlyIncomeFen,
    monthlyDebtsFen: input.monthlyDebtsFen,
    annualRatePct: input.annualRatePct,
    months: input.months,
    method: input.method,
    repaymentSharePct: params.repaymentSharePct,
  });

  const downPaymentPct = params.downPaymentPct[input.home];
  const c = floorFen(times(input.housePriceFen, new Decimal(100).minus(downPaymentPct)).div(100));

  const baseFen = input.spouseDepositor ? params.capCoupleFen : params.capSingleFen;
  const bonusPct = input.children >= params.childrenForBonus ? params.childrenBonusPct : new Decimal(0);
  const d = floorFen(times(baseFen, new Decimal(100).plus(bonusPct)).div(100));

  const amounts: Record<QuotaCandidateCode, Fen> = { A: a, B: repayment.maxPrincipalFen, C: c, D: d };
  const candidates = (Object.keys(QUOTA_CANDIDATES) as QuotaCandidateCode[]).map((code) => ({
    code,
    ...QUOTA_CANDIDATES[code],
    amountFen: amounts[code],
  }));
  const binding = candidates.reduce((min, c) => (c.amountFen < min.amountFen ? c : min));
  const quotaFen = (binding.amountFen / params.roundingFen) * params.roundingFen;
  const rate = monthlyRate(input.annualRatePct);
  return {
    quotaFen,
    binding,
    candidates,
    deposit: {
      totalBalanceFen,
      multiple: params.depositMultiple,
      duration,
      stability,
      liquidity,
      credit,
    },
    repayment: { ...repayment, sharePct: params.repaymentSharePct },
    price: { housePriceFen: input.housePriceFen, home: input.home, downPaymentPct },
    cap: { baseFen, spouseDepositor: input.spouseDepositor, children: input.children, bonusPct },
    quotaInstallmentFen: firstInstallmentFen(quotaFen, rate, input.months, input.method),
  };
}
