// The HPF loan rate table (rules.md §6.3): the rate a loan takes on its contract date by home (first or
// second) and term (≤ 5 years or more), and the rate in force on a later date after a table change
// (loans over one year switch on the next January 1).
import { Decimal } from 'decimal.js';
import { isIsoDate, parts, type IsoDate } from '../dates.ts';
import { AppError } from '../errors.ts';

export const HOMES = ['first', 'second'] as const;
/** 首套 first / 二套 second home. */
export type Home = (typeof HOMES)[number];

export function isHome(value: string): value is Home {
  return (HOMES as readonly string[]).includes(value);
}

/** One published row: the annual rates in percent in force from `from`. */
export interface LoanRateRow {
  from: IsoDate;
  firstHomeUpTo5Years: Decimal;
  firstHomeOver5Years: Decimal;
  secondHomeUpTo5Years: Decimal;
  secondHomeOver5Years: Decimal;
}

/** The two published rows of rules.md §6.3 (the Baotou defaults); the service passes the dated parameters. */
export const DEFAULT_LOAN_RATE_TABLE: readonly LoanRateRow[] = [
  {
    from: '2024-05-18',
    firstHomeUpTo5Years: new Decimal('2.35'),
    firstHomeOver5Years: new Decimal('2.85'),
    secondHomeUpTo5Years: new Decimal('2.775'),
    secondHomeOver5Years: new Decimal('3.325'),
  },
  {
    from: '2025-05-08',
    firstHomeUpTo5Years: new Decimal('2.10'),
    firstHomeOver5Years: new Decimal('2.60'),
    secondHomeUpTo5Years: new Decimal('2.525'),
    secondHomeOver5Years: new Decimal('3.075'),
  },
];

/** "≤ 5 years" is a term of at most 60 months. */
export const SHORT_TERM_MAX_MONTHS = 60;
/** Loans of one year or less keep their contract rate (rules.md §6.3). */
export const FIXED_RATE_MAX_MONTHS = 12;

export type RateColumn =
  'firstHomeUpTo5Years' | 'firstHomeOver5Years' | 'secondHomeUpTo5Years' | 'secondHomeOver5Years';

export interface RateInForce {
  ratePct: Decimal;
  /** The row's start date. */
  from: IsoDate;
  column: RateColumn;
}

export function rateColumn(home: Home, termMonths: number): RateColumn {
  const short = termMonths <= SHORT_TERM_MAX_MONTHS;
  if (home === 'first') return short ? 'firstHomeUpTo5Years' : 'firstHomeOver5Years';
  return short ? 'secondHomeUpTo5Years' : 'secondHomeOver5Years';
}

function checkTable(table: readonly LoanRateRow[]): void {
  table.forEach((row, i) => {
    if (!isIsoDate(row.from) || (i > 0 && row.from <= table[i - 1]!.from)) {
      throw new AppError('LOAN_RATE_TABLE_INVALID', { field: 'rates', details: { from: row.from } });
    }
  });
}

function checkInput(date: IsoDate, field: string, home: string, termMonths: number): void {
  if (!isIsoDate(date)) throw new AppError('INVALID_DATE', { field, details: { value: date } });
  if (!isHome(home)) throw new AppError('LOAN_HOME_INVALID', { field: 'home', details: { value: home } });
  if (!Number.isInteger(termMonths) || termMonths < 1) {
    throw new AppError('LOAN_TERM_INVALID', { field: 'months', details: { value: termMonths } });
  }
}

function pick(row: LoanRateRow, column: RateColumn): RateInForce {
  return { ratePct: row[column], from: row.from, column };
}

/** The rate a loan takes: the row in force on its contract date (rules.md §6.3). */
export function loanRateOnContract(input: {
  contractDate: IsoDate;
  home: Home;
  termMonths: number;
  table?: readonly LoanRateRow[];
}): RateInForce {
  const table = input.table ?? DEFAULT_LOAN_RATE_TABLE;
  checkInput(input.contractDate, 'contractDate', input.home, input.termMonths);
  checkTable(table);
  const row = table.findLast((r) => r.from <= input.contractDate);
  if (row === undefined) {
    throw new AppError('LOAN_RATE_NOT_IN_FORCE', {
      field: 'contractDate',
      details: { contractDate: input.contractDate },
    });
  }
  return pick(row, rateColumn(input.home, input.termMonths));
}

/** The January 1 from which existing loans over one year take a row published on `from` (§6.3). */
export function repricingDate(from: IsoDate): IsoDate {
  return `${parts(from).year + 1}-01-01`;
}

/**
 * The rate a loan pays on `onDate` (rules.md §6.3): its contract rate, or, for a term over one year, the
 * latest row published after the contract whose next January 1 has come. The column stays the one of the
 * original term and home.
 */
export function loanRateOn(input: {
  contractDate: IsoDate;
  home: Home;
  termMonths: number;
  onDate: IsoDate;
  table?: readonly LoanRateRow[];
}): RateInForce & { repricedFrom?: IsoDate } {
  const table = input.table ?? DEFAULT_LOAN_RATE_TABLE;
  const contract = loanRateOnContract(input);
  checkInput(input.onDate, 'onDate', input.home, input.termMonths);
  if (input.termMonths <= FIXED_RATE_MAX_MONTHS) return contract;
  const later = table.findLast((r) => r.from > input.contractDate && repricingDate(r.from) <= input.onDate);
  if (later === undefined) return contract;
  return { ...pick(later, contract.column), repricedFrom: repricingDate(later.from) };
}
