// The JSON calculators shared by `anju calc … --json` and the API (/api/v1/calc/…): one reading of the
// input (unknown keys refused, money as yuan strings, rates as percent strings) and one output shape.
// Pure: a refused input throws an AppError naming the field.
import { Decimal } from 'decimal.js';
import { isIsoDate } from './dates.ts';
import { AppError } from './errors.ts';
import { balanceDays, interestFen } from './interest.ts';
import { fenToYuanString, yuanToFen, type Fen } from './money.ts';
import { depositSubsidy, type SubsidyReason } from './subsidy.ts';

type JsonObject = Record<string, unknown>;

/** An object with only the listed keys, so a misspelt key is refused rather than ignored. */
export function asObject(value: unknown, field: string, allowed: readonly string[]): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('VALIDATION_FAILED', { field, details: { reason: 'expected an object' } });
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new AppError('VALIDATION_FAILED', {
        field: field ? `${field}.${key}` : key,
        details: { reason: 'unknown key' },
      });
  }
  return value as JsonObject;
}

export function required(input: JsonObject, key: string): unknown {
  if (input[key] === undefined)
    throw new AppError('VALIDATION_FAILED', { field: key, details: { reason: 'required' } });
  return input[key];
}

export function jsonDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIsoDate(value))
    throw new AppError('INVALID_DATE', { field, details: { value } });
  return value;
}

/** Money is a yuan string with at most two decimals, never a JSON number (a float). */
export function jsonAmount(value: unknown, field: string, sign: 'any' | 'nonNegative' | 'positive'): Fen {
  if (typeof value !== 'string') throw new AppError('INVALID_AMOUNT', { field, details: { value } });
  const fen = yuanToFen(value, field);
  if (sign === 'positive' && fen <= 0n)
    throw new AppError('AMOUNT_NOT_POSITIVE', { field, details: { value } });
  if (sign === 'nonNegative' && fen < 0n)
    throw new AppError('AMOUNT_NEGATIVE', { field, details: { value } });
  return fen;
}

/** A rate in percent as a string ("1.5" = 1.5 %): exact decimals, never a float. */
export function jsonRate(value: unknown, field: string): Decimal {
  if (typeof value !== 'string' || !/^\d{1,3}(\.\d{1,8})?$/.test(value)) {
    throw new AppError('INVALID_RATE', { field, details: { value } });
  }
  return new Decimal(value);
}

function jsonArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value))
    throw new AppError('VALIDATION_FAILED', { field, details: { reason: 'expected an array' } });
  return value;
}

export interface InterestCalculation {
  /** Σ end-of-day balances, in yuan·days, printed with two decimals like an amount. */
  balanceDays: string;
  interest: string;
}

/**
 * rules.md §4.1: balance-days over `from` … `to` (both included, a day's balance is its end-of-day balance),
 * interest = balance-days × rate / 360, rounded half-up to the fen. Movements are signed (a withdrawal is
 * negative).
 */
export function calculateInterest(body: unknown): InterestCalculation {
  const input = asObject(body, '', ['from', 'to', 'openingBalance', 'annualRate', 'movements']);
  const from = jsonDate(required(input, 'from'), 'from');
  const to = jsonDate(required(input, 'to'), 'to');
  const openingBalanceFen =
    input.openingBalance === undefined
      ? 0n
      : jsonAmount(input.openingBalance, 'openingBalance', 'nonNegative');
  const rate = jsonRate(required(input, 'annualRate'), 'annualRate');
  const movements = jsonArray(input.movements ?? [], 'movements').map((m, i) => {
    const movement = asObject(m, `movements[${i}]`, ['date', 'amount']);
    return {
      date: jsonDate(required(movement, 'date'), `movements[${i}].date`),
      amountFen: jsonAmount(required(movement, 'amount'), `movements[${i}].amount`, 'any'),
    };
  });
  const days = balanceDays({ from, to, openingBalanceFen, movements });
  return { balanceDays: fenToYuanString(days), interest: fenToYuanString(interestFen(days, rate)) };
}

/** The lifetime subsidy cap when the input gives none (rules.md §4.2, Baotou default). */
export const DEFAULT_SUBSIDY_CAP = '10000.00';

export interface SubsidyCalculation {
  subsidy: string;
  eligible: boolean;
  /** Present when the cap cut the amount. */
  uncapped?: string;
  /** Why not eligible (each failed condition). */
  reasons?: SubsidyReason[];
}

/** rules.md §4.2: Σ amount × rate × days from credit to closure / 360, lifetime cap, with the deciding rule. */
export function calculateSubsidy(body: unknown): SubsidyCalculation {
  const input = asObject(body, '', [
    'closureDate',
    'annualRate',
    'deposits',
    'cap',
    'alreadyPaid',
    'firstDepositDate',
    'used',
  ]);
  const closureDate = jsonDate(required(input, 'closureDate'), 'closureDate');
  const annualRatePct = jsonRate(required(input, 'annualRate'), 'annualRate');
  const deposits = jsonArray(required(input, 'deposits'), 'deposits').map((d, i) => {
    const deposit = asObject(d, `deposits[${i}]`, ['date', 'amount']);
    return {
      date: jsonDate(required(deposit, 'date'), `deposits[${i}].date`),
      amountFen: jsonAmount(required(deposit, 'amount'), `deposits[${i}].amount`, 'positive'),
    };
  });
  const capFen = jsonAmount(input.cap ?? DEFAULT_SUBSIDY_CAP, 'cap', 'nonNegative');
  const alreadyPaidFen =
    input.alreadyPaid === undefined ? 0n : jsonAmount(input.alreadyPaid, 'alreadyPaid', 'nonNegative');
  // The first deposit defaults to the earliest one given.
  const firstDepositDate =
    input.firstDepositDate === undefined
      ? (deposits.map((d) => d.date).sort()[0] ?? null)
      : jsonDate(input.firstDepositDate, 'firstDepositDate');
  const usedInput =
    input.used === undefined
      ? {}
      : asObject(input.used, 'used', ['withdrawal', 'loan', 'transferOut', 'conversion']);
  const flag = (key: string): boolean => {
    const value = usedInput[key] ?? false;
    if (typeof value !== 'boolean')
      throw new AppError('VALIDATION_FAILED', { field: `used.${key}`, details: { value } });
    return value;
  };
  const result = depositSubsidy({
    closureDate,
    annualRatePct,
    capFen,
    alreadyPaidFen,
    deposits,
    firstDepositDate,
    used: {
      withdrawal: flag('withdrawal'),
      loan: flag('loan'),
      transferOut: flag('transferOut'),
      conversion: flag('conversion'),
    },
  });
  const out: SubsidyCalculation = { subsidy: fenToYuanString(result.subsidyFen), eligible: result.eligible };
  if (result.capped) out.uncapped = fenToYuanString(result.uncappedFen);
  if (!result.eligible) out.reasons = result.reasons;
  return out;
}
