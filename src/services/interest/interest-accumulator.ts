// Reading the interest accumulators (积数, rules.md §4.1; columns in migration 0006, kept by postEntry):
// the interest year of a date, the rate segment in force, rate changes not yet cut, and the SQL that turns
// an account row into its interest to date, shared by the per-account reader and the set-based steps.
import { Decimal } from 'decimal.js';
import { sql, type RawBuilder } from 'kysely';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { addDays, daysBetween, hpfYearBounds, hpfYearOf, type IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { INTEREST_DAY_BASIS } from '../../domain/interest.ts';
import type { Actor } from '../../domain/roles.ts';
import { getPercentParameter } from '../parameters/get-parameter.ts';

/** What every close step receives (the lead's close framework, src/jobs/close-day.ts). */
export interface InterestStepContext {
  db: Db;
  /** The business date being closed. */
  date: IsoDate;
  actor: Actor;
}

export const RATE_PARAMETER = 'interest.annual_rate_pct';

/**
 * Exact decimals for the one division by 36,000 (360 days × 100 %): enough digits that the single
 * half-up rounding sees the true value (rules.md §4.1).
 */
export const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

/** The carry column is numeric(40, 6): a rate with more decimals could not be carried exactly. */
const RATE_MAX_DECIMALS = 6;

export interface InterestYear {
  hpfYear: number;
  /** July 1. */
  from: IsoDate;
  /** June 30: the settlement day and the accumulators' horizon. */
  to: IsoDate;
  days: number;
}

/** The interest year (July 1 – June 30) a date falls in. */
export function interestYearOf(date: IsoDate): InterestYear {
  const hpfYear = hpfYearOf(date);
  const { from, to } = hpfYearBounds(hpfYear);
  return { hpfYear, from, to, days: daysBetween(from, to) + 1 };
}

/** Days from `from` to `to`, both included (0 when `from` is after `to`). */
export function daysThrough(from: IsoDate, to: IsoDate): number {
  return Math.max(daysBetween(from, to) + 1, 0);
}

export interface RateSegment {
  /** The first day of the segment: July 1, or the day of the last rate change cut this year. */
  from: IsoDate;
  ratePct: Decimal;
}

/** The rate segment the accumulators currently stand in for an interest year. */
export async function currentRateSegment(db: DbOrTx, year: InterestYear): Promise<RateSegment> {
  const cut = await sql<{ starts_on: string; rate_pct: string }>`
    SELECT starts_on, rate_pct::text AS rate_pct FROM interest_rate_segments
    WHERE hpf_year = ${year.hpfYear} ORDER BY starts_on DESC LIMIT 1`.execute(db);
  const row = cut.rows[0];
  if (row) return { from: row.starts_on, ratePct: new Decimal(row.rate_pct) };
  return { from: year.from, ratePct: await rateOn(db, year.from) };
}

export interface RateChange {
  /** The first day the new rate is in force. */
  startsOn: IsoDate;
  oldRatePct: Decimal;
  ratePct: Decimal;
}

/**
 * Rate changes inside the year after the current segment's start, in force on or before `through`, not yet
 * cut into the accumulators. Candidates are the days an approved value starts or the day after one ends;
 * a candidate whose rate equals the running one is no change.
 */
export async function pendingRateChanges(
  db: DbOrTx,
  year: InterestYear,
  through: IsoDate,
): Promise<{ segment: RateSegment; changes: RateChange[] }> {
  const segment = await currentRateSegment(db, year);
  const last = through < year.to ? through : year.to;
  if (last <= segment.from) return { segment, changes: [] };
  const candidates = await sql<{ day: string }>`
    SELECT DISTINCT day FROM (
      SELECT effective_from AS day FROM parameters WHERE key = ${RATE_PARAMETER} AND status = 'approved'
      UNION SELECT (effective_to + 1)::date FROM parameters
      WHERE key = ${RATE_PARAMETER} AND status = 'approved' AND effective_to IS NOT NULL
    ) c
    WHERE day > ${segment.from}::date AND day <= ${last}::date
    ORDER BY day`.execute(db);
  const changes: RateChange[] = [];
  let running = segment.ratePct;
  for (const { day } of candidates.rows) {
    const rate = await rateOn(db, day);
    if (rate.equals(running)) continue;
    changes.push({ startsOn: day, oldRatePct: running, ratePct: rate });
    running = rate;
  }
  return { segment, changes };
}

/** The deposit rate in force on a day, checked to fit the carry column. */
export async function rateOn(db: DbOrTx, day: IsoDate): Promise<Decimal> {
  const rate = await getPercentParameter(db, RATE_PARAMETER, day);
  if (rate.decimalPlaces() > RATE_MAX_DECIMALS) {
    throw new AppError('INTEREST_RATE_TOO_PRECISE', {
      field: RATE_PARAMETER,
      details: { day, rate: rate.toString() },
    });
  }
  return rate;
}

/**
 * An account's balance-days of the current segment, read as of `year`: the column when the accumulator
 * stands in that year, else the balance held the whole year (an account no posting has touched since the
 * last roll; postEntry rolls such an account the same way on its next posting).
 */
export function effectiveBalanceDaysSql(year: InterestYear): RawBuilder<bigint> {
  return sql<bigint>`(CASE WHEN a.interest_year_end = ${year.to}::date THEN a.balance_days_fen
    ELSE a.balance_fen * ${year.days}::bigint END)`;
}

export function effectiveCarrySql(year: InterestYear): RawBuilder<string> {
  return sql<string>`(CASE WHEN a.interest_year_end = ${year.to}::date THEN a.interest_carry ELSE 0 END)`;
}

/**
 * Interest to date in whole fen for the account row `a`: (carry + (balance-days − balance × days after the
 * last counted day) × rate) / 36,000, rounded half-up once (rules.md §4.1). `daysAfter` is the number of
 * days from the day after the last counted day through June 30 (0 on the settlement day).
 */
export function interestToDateSql(
  year: InterestYear,
  daysAfter: number,
  ratePct: Decimal,
): RawBuilder<bigint> {
  const numerator = sql`(${effectiveCarrySql(year)} + (${effectiveBalanceDaysSql(year)} - a.balance_fen * ${daysAfter}::bigint)::numeric * ${ratePct.toString()}::numeric)`;
  return roundHalfUpDivSql(numerator, INTEREST_DAY_BASIS * 100);
}

/**
 * Exact half-up integer division of a non-negative numeric by a positive integer, as bigint (div truncates,
 * so adding half first rounds half-up). The numerator is written once, so each row computes it once; it is
 * never negative because balances never are (a segment's balance-days and the carry are sums of them).
 */
export function roundHalfUpDivSql(numerator: RawBuilder<unknown>, divisor: number): RawBuilder<bigint> {
  return sql<bigint>`div(${numerator} + ${divisor / 2}, ${divisor})::bigint`;
}

/**
 * The member accounts of a book that can owe interest for the year: not closed (closure paid its interest,
 * §5.2), and holding money or touched this year. Sealed (02) and frozen (06) accounts earn interest (§4.1).
 */
export function earningAccountsSql(book: string, year: InterestYear): RawBuilder<boolean> {
  return sql<boolean>`a.pool = ${book} AND a.state NOT IN ('03', '04', '05')
    AND (a.balance_fen > 0 OR a.interest_year_end = ${year.to}::date)`;
}

/** The day before a date. */
export function dayBefore(date: IsoDate): IsoDate {
  return addDays(date, -1);
}

/** True on the last day of a calendar month. */
export function isMonthEnd(date: IsoDate): boolean {
  return addDays(date, 1).endsWith('-01');
}

/** True on June 30, the settlement day (rules.md §4.1). */
export function isSettlementDay(date: IsoDate): boolean {
  return date.endsWith('-06-30');
}

/**
 * One transaction-scoped advisory lock for all interest steps, so a rate cut, an accrual and a settlement
 * never interleave (two close runners, a rerun after a crash while the first is still rolling back).
 */
export async function lockInterestSteps(tx: DbOrTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(4242041)`.execute(tx);
}
