// The loan calculators shared by `anju calc schedule|affordability|quota` and the API (/api/v1/calc/…):
// one reading of the input (unknown keys refused, money as yuan strings, rates as percent strings, months
// as whole numbers) and one output shape, amounts as yuan strings. A refused input throws an AppError.
import { Decimal } from 'decimal.js';
import { asObject, jsonAmount, jsonDate, jsonRate, required } from '../calculators.ts';
import { AppError } from '../errors.ts';
import { fenToYuanString, type Fen } from '../money.ts';
import { isRetirementGroup } from '../retirement.ts';
import {
  affordability,
  DEFAULT_QUOTA_PARAMETERS,
  isAlertLevel,
  isCreditGrade,
  loanQuota,
  maximumTerm,
  type AlertLevel,
  type CreditGrade,
  type TermLimit,
} from './quota.ts';
import { isHome, loanRateOnContract, type Home } from './rates.ts';
import {
  buildSchedule,
  FIRST_PERIOD_NOTE,
  isRepaymentMethod,
  MAX_TERM_MONTHS,
  type RepaymentMethod,
  type Schedule,
} from './schedule.ts';

/** The highest annual rate the loan calculators take, in percent (HPF rates are a few percent). */
export const MAX_LOAN_RATE_PCT = new Decimal(10);

function loanRate(value: unknown, field = 'annualRate'): Decimal {
  const rate = jsonRate(value, field);
  if (rate.gt(MAX_LOAN_RATE_PCT)) {
    throw new AppError('LOAN_RATE_OUT_OF_RANGE', { field, details: { value } });
  }
  return rate;
}

function termMonths(value: unknown, field = 'months'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TERM_MONTHS) {
    throw new AppError('LOAN_TERM_INVALID', { field, details: { value } });
  }
  return value;
}

function method(value: unknown): RepaymentMethod {
  const text = value ?? 'equal-installment';
  if (typeof text !== 'string' || !isRepaymentMethod(text)) {
    throw new AppError('LOAN_METHOD_INVALID', { field: 'method', details: { value } });
  }
  return text;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new AppError('LOAN_MONTHS_COUNT_INVALID', { field, details: { value } });
  }
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new AppError('VALIDATION_FAILED', { field, details: { value } });
  return value;
}

/** A coefficient or percent as written in the rule book: "0.8", "1.0", "20". */
function decimalText(value: Decimal, minimumPlaces = 1): string {
  return value.toFixed(Math.max(minimumPlaces, value.decimalPlaces()));
}

const yuan = fenToYuanString;

// ---- schedule ------------------------------------------------------------------------------------------

export interface ScheduleRow {
  period: number;
  dueDate?: string;
  payment: string;
  principal: string;
  interest: string;
  balance: string;
}

export interface ScheduleCalculation {
  installments: ScheduleRow[];
  totalPayment: string;
  totalInterest: string;
  /** With a disbursement date: the first period's day count and how it is charged. */
  note?: { firstPeriodDays: number; zh: string; en: string };
}

export function scheduleJson(schedule: Schedule): ScheduleCalculation {
  const installments = schedule.installments.map((r): ScheduleRow => ({
    period: r.period,
    ...(r.dueDate === undefined ? {} : { dueDate: r.dueDate }),
    payment: yuan(r.paymentFen),
    principal: yuan(r.principalFen),
    interest: yuan(r.interestFen),
    balance: yuan(r.balanceFen),
  }));
  const out: ScheduleCalculation = {
    installments,
    totalPayment: yuan(schedule.totalPaymentFen),
    totalInterest: yuan(schedule.totalInterestFen),
  };
  if (schedule.firstPeriodDays !== undefined) {
    out.note = { firstPeriodDays: schedule.firstPeriodDays, ...FIRST_PERIOD_NOTE };
  }
  return out;
}

/**
 * rules.md §6.4: `{"principal":"500000.00","annualRate":"2.6","months":360,"method":"equal-installment",
 * "disbursed":"YYYY-MM-DD"}` (method defaults to equal-installment, disbursed is optional).
 */
export function calculateSchedule(body: unknown): ScheduleCalculation {
  const input = asObject(body, '', ['principal', 'annualRate', 'months', 'method', 'disbursed']);
  const principalFen = jsonAmount(required(input, 'principal'), 'principal', 'positive');
  const annualRatePct = loanRate(required(input, 'annualRate'));
  const months = termMonths(required(input, 'months'));
  const schedule = buildSchedule({
    principalFen,
    annualRatePct,
    months,
    method: method(input.method),
    ...(input.disbursed === undefined ? {} : { disbursedOn: jsonDate(input.disbursed, 'disbursed') }),
  });
  return scheduleJson(schedule);
}

// ---- affordability -------------------------------------------------------------------------------------

export interface AffordabilityCalculation {
  /** 50 % × (income − debts), down to the fen. */
  monthlyLimit: string;
  /** The largest principal whose installment fits. */
  maxPrincipal: string;
  /** Its installment (the first one for equal principal). */
  installment: string;
}

/** rules.md §6.2 B: `{"income":"12000.00","debts":"1500.00","annualRate":"2.6","months":360,"method":…}`. */
export function calculateAffordability(body: unknown): AffordabilityCalculation {
  const input = asObject(body, '', ['income', 'debts', 'annualRate', 'months', 'method']);
  const result = affordability({
    monthlyIncomeFen: jsonAmount(required(input, 'income'), 'income', 'nonNegative'),
    monthlyDebtsFen: input.debts === undefined ? 0n : jsonAmount(input.debts, 'debts', 'nonNegative'),
    annualRatePct: loanRate(required(input, 'annualRate')),
    months: termMonths(required(input, 'months')),
    method: method(input.method),
  });
  return {
    monthlyLimit: yuan(result.monthlyLimitFen),
    maxPrincipal: yuan(result.maxPrincipalFen),
    installment: yuan(result.installmentFen),
  };
}

// ---- quota ---------------------------------------------------------------------------------------------

const QUOTA_KEYS = [
  'applicantBalance',
  'spouseBalance',
  'spouseDepositor',
  'consecutiveMonths',
  'coveredMonthsLast12',
  'monthsSinceOpening',
  'alertLevel',
  'creditGrade',
  'income',
  'debts',
  'price',
  'home',
  'children',
  'annualRate',
  'contractDate',
  'birthDate',
  'retirementGroup',
  'months',
  'method',
] as const;

interface CandidateJson {
  code: string;
  label_zh: string;
  label_en: string;
  amount: string;
}

export interface QuotaCalculation {
  quota: string;
  binding: CandidateJson;
  candidates: CandidateJson[];
  factors: {
    deposit: {
      applicantBalance: string;
      spouseBalance: string;
      totalBalance: string;
      multiple: string;
      duration: { consecutiveMonths: number; band: string; coefficient: string };
      stability: { coveredMonths: number; windowMonths: number; coefficient: string };
      liquidity: { alertLevel: AlertLevel; coefficient: string };
      credit: { grade: CreditGrade; coefficient: string };
    };
    repayment: {
      income: string;
      debts: string;
      sharePct: string;
      monthlyLimit: string;
      annualRate: string;
      /** Where the rate comes from: the input, or the table row in force on the contract date. */
      rateSource: { input: true } | { table: string; column: string };
      months: number;
      method: RepaymentMethod;
      installment: string;
    };
    price: { price: string; home: Home; downPaymentPct: string; loanToValuePct: string };
    cap: { base: string; spouseDepositor: boolean; children: number; bonusPct: string; cap: string };
  };
  term: {
    months: number;
    maximumMonths: number;
    retirementAge?: { years: number; months: number };
    latestMaturity?: string;
  };
  /** The quota is rounded down to a multiple of this. */
  roundedDownTo: string;
  /** The installment of the quota itself (the first one for equal principal). */
  installment: string;
}

function candidateJson(c: { code: string; zh: string; en: string; amountFen: Fen }): CandidateJson {
  return { code: c.code, label_zh: c.zh, label_en: c.en, amount: yuan(c.amountFen) };
}

/**
 * rules.md §6.2 with the term rule of §6.1: the quota and its explanation. The rate is `annualRate` or, when
 * absent, the table rate in force on `contractDate` for the home and term (§6.3); the term is `months` or,
 * when absent, the maximum term, which `birthDate` + `retirementGroup` (with `contractDate`) can shorten.
 */
export function calculateQuota(body: unknown): QuotaCalculation {
  const input = asObject(body, '', QUOTA_KEYS);
  const applicantBalanceFen = jsonAmount(
    required(input, 'applicantBalance'),
    'applicantBalance',
    'nonNegative',
  );
  const spouseBalanceFen =
    input.spouseBalance === undefined
      ? undefined
      : jsonAmount(input.spouseBalance, 'spouseBalance', 'nonNegative');
  const spouseDepositor =
    input.spouseDepositor === undefined
      ? spouseBalanceFen !== undefined
      : flag(input.spouseDepositor, 'spouseDepositor');
  const consecutiveMonths = count(required(input, 'consecutiveMonths'), 'consecutiveMonths');
  const coveredMonthsLast12 = count(required(input, 'coveredMonthsLast12'), 'coveredMonthsLast12');
  const monthsSinceOpening =
    input.monthsSinceOpening === undefined ? 12 : count(input.monthsSinceOpening, 'monthsSinceOpening');
  const alertLevel = input.alertLevel ?? 'normal';
  if (typeof alertLevel !== 'string' || !isAlertLevel(alertLevel)) {
    throw new AppError('LOAN_ALERT_LEVEL_INVALID', { field: 'alertLevel', details: { value: alertLevel } });
  }
  const creditGrade = input.creditGrade ?? 'B';
  if (typeof creditGrade !== 'string' || !isCreditGrade(creditGrade)) {
    throw new AppError('LOAN_CREDIT_GRADE_INVALID', {
      field: 'creditGrade',
      details: { value: creditGrade },
    });
  }
  const incomeFen = jsonAmount(required(input, 'income'), 'income', 'nonNegative');
  const debtsFen = input.debts === undefined ? 0n : jsonAmount(input.debts, 'debts', 'nonNegative');
  const priceFen = jsonAmount(required(input, 'price'), 'price', 'positive');
  const home = input.home ?? 'first';
  if (typeof home !== 'string' || !isHome(home)) {
    throw new AppError('LOAN_HOME_INVALID', { field: 'home', details: { value: home } });
  }
  const children = input.children === undefined ? 0 : count(input.children, 'children');
  const repaymentMethod = method(input.method);

  // §6.1 the term: at most 30 years, and the age rule when the birth date and group are given.
  const contractDate =
    input.contractDate === undefined ? undefined : jsonDate(input.contractDate, 'contractDate');
  let limit: TermLimit = { maximumMonths: MAX_TERM_MONTHS };
  if (input.birthDate !== undefined || input.retirementGroup !== undefined) {
    const birthDate = jsonDate(required(input, 'birthDate'), 'birthDate');
    const group = required(input, 'retirementGroup');
    if (typeof group !== 'string' || !isRetirementGroup(group)) {
      throw new AppError('RETIREMENT_GROUP_INVALID', { field: 'retirementGroup', details: { value: group } });
    }
    if (contractDate === undefined) {
      throw new AppError('VALIDATION_FAILED', { field: 'contractDate', details: { reason: 'required' } });
    }
    limit = maximumTerm({ contractDate, birthDate, retirementGroup: group });
  }
  const months = input.months === undefined ? limit.maximumMonths : termMonths(input.months);
  if (months > limit.maximumMonths) {
    throw new AppError('LOAN_TERM_BEYOND_AGE_LIMIT', {
      field: 'months',
      details: { months, maximumMonths: limit.maximumMonths, latestMaturity: limit.ageLimit?.latestMaturity },
    });
  }

  // §6.3 the rate: given, or the table's on the contract date.
  let annualRatePct: Decimal;
  let rateSource: QuotaCalculation['factors']['repayment']['rateSource'];
  if (input.annualRate !== undefined) {
    annualRatePct = loanRate(input.annualRate);
    rateSource = { input: true };
  } else {
    if (contractDate === undefined) {
      throw new AppError('VALIDATION_FAILED', { field: 'annualRate', details: { reason: 'required' } });
    }
    const inForce = loanRateOnContract({ contractDate, home, termMonths: months });
    annualRatePct = inForce.ratePct;
    rateSource = { table: inForce.from, column: inForce.column };
  }

  const q = loanQuota({
    applicantBalanceFen,
    ...(spouseBalanceFen === undefined ? {} : { spouseBalanceFen }),
    spouseDepositor,
    consecutiveMonths,
    coveredMonthsLast12,
    monthsSinceOpening,
    alertLevel,
    creditGrade,
    monthlyIncomeFen: incomeFen,
    monthlyDebtsFen: debtsFen,
    housePriceFen: priceFen,
    home,
    children,
    annualRatePct,
    months,
    method: repaymentMethod,
  });
  const capFen = q.candidates.find((c) => c.code === 'D')!.amountFen;
  const term: QuotaCalculation['term'] = { months, maximumMonths: limit.maximumMonths };
  if (limit.ageLimit !== undefined) {
    term.retirementAge = limit.ageLimit.retirementAge;
    term.latestMaturity = limit.ageLimit.latestMaturity;
  }
  return {
    quota: yuan(q.quotaFen),
    binding: candidateJson(q.binding),
    candidates: q.candidates.map(candidateJson),
    factors: {
      deposit: {
        applicantBalance: yuan(applicantBalanceFen),
        spouseBalance: yuan(spouseBalanceFen ?? 0n),
        totalBalance: yuan(q.deposit.totalBalanceFen),
        multiple: decimalText(q.deposit.multiple, 0),
        duration: {
          consecutiveMonths: q.deposit.duration.consecutiveMonths,
          band: q.deposit.duration.band,
          coefficient: decimalText(q.deposit.duration.coefficient),
        },
        stability: {
          coveredMonths: q.deposit.stability.coveredMonths,
          windowMonths: q.deposit.stability.windowMonths,
          coefficient: decimalText(q.deposit.stability.coefficient),
        },
        liquidity: { alertLevel, coefficient: decimalText(q.deposit.liquidity.coefficient) },
        credit: { grade: creditGrade, coefficient: decimalText(q.deposit.credit.coefficient) },
      },
      repayment: {
        income: yuan(incomeFen),
        debts: yuan(debtsFen),
        sharePct: decimalText(q.repayment.sharePct, 0),
        monthlyLimit: yuan(q.repayment.monthlyLimitFen),
        annualRate: annualRatePct.toString(),
        rateSource,
        months,
        method: repaymentMethod,
        installment: yuan(q.repayment.installmentFen),
      },
      price: {
        price: yuan(priceFen),
        home,
        downPaymentPct: decimalText(q.price.downPaymentPct, 0),
        loanToValuePct: decimalText(new Decimal(100).minus(q.price.downPaymentPct), 0),
      },
      cap: {
        base: yuan(q.cap.baseFen),
        spouseDepositor,
        children,
        bonusPct: decimalText(q.cap.bonusPct, 0),
        cap: yuan(capFen),
      },
    },
    term,
    roundedDownTo: yuan(DEFAULT_QUOTA_PARAMETERS.roundingFen),
    installment: yuan(q.quotaInstallmentFen),
  };
}
