// Interest on member balances (rules.md §4.1, 积数法): balance-days (Σ end-of-day balance over the days of a
// period), interest = balance-days × annual rate / 360, rate segments, rounded half-up to the fen once.
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, hpfYearBounds, hpfYearOf, isIsoDate, type IsoDate } from './dates.ts';
import { AppError } from './errors.ts';
import { fenToYuanString, roundHalfUpToFen, type Fen } from './money.ts';

/**
 * Enough digits that every product here is exact and the one division by 36,000 (= 360 days × 100 %) is
 * exact to far below a fen, so the single half-up rounding sees the true value.
 */
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

/** Interest is counted on actual days and divided by 360 (rules.md §4.1). */
export const INTEREST_DAY_BASIS = 360;

/** A change of balance: positive arrives (a deposit), negative leaves (a withdrawal), on its value date. */
export interface BalanceMovement {
  date: IsoDate;
  amountFen: Fen;
}

export interface RateFrom {
  /** The first day the rate is in force. */
  from: IsoDate;
  /** Annual rate in percent: 1.5 means 1.5 %. */
  ratePct: Decimal;
}

function assertDate(value: string, field: string): void {
  if (!isIsoDate(value)) throw new AppError('INVALID_DATE', { field, details: { value } });
}

function assertRate(rate: Decimal, field: string): void {
  if (!rate.isFinite() || rate.isNegative()) {
    throw new AppError('INVALID_RATE', { field, details: { value: rate.toString() } });
  }
}

/** Days from `from` to `to`, both included. */
export function daysInclusive(from: IsoDate, to: IsoDate): number {
  return daysBetween(from, to) + 1;
}

/** The interest year (July 1 – June 30, settled on June 30) a date falls in (rules.md §4.1). */
export function hpfInterestYear(date: IsoDate): { from: IsoDate; to: IsoDate } {
  assertDate(date, 'date');
  return hpfYearBounds(hpfYearOf(date));
}

/**
 * Balance-days (积数) in fen·days over [from, to], both included: the sum over the days of each day's
 * end-of-day balance (rules.md §4.1). So money counts from the day it arrives and a withdrawal stops counting
 * on the day it leaves. `openingBalanceFen` is the balance at the start of `from`; movements must be dated
 * inside the period, and the balance may never end a day below zero.
 */
export function balanceDays(input: {
  from: IsoDate;
  to: IsoDate;
  openingBalanceFen: Fen;
  movements: readonly BalanceMovement[];
}): Fen {
  const { from, to, openingBalanceFen, movements } = input;
  assertDate(from, 'from');
  assertDate(to, 'to');
  if (to < from) throw new AppError('INTEREST_PERIOD_INVALID', { field: 'to', details: { from, to } });
  if (openingBalanceFen < 0n) {
    throw new AppError('INTEREST_BALANCE_NEGATIVE', {
      field: 'openingBalance',
      details: { date: from, balance: fenToYuanString(openingBalanceFen) },
    });
  }
  const byDate = new Map<IsoDate, Fen>();
  for (const m of movements) {
    assertDate(m.date, 'movements.date');
    if (m.date < from || m.date > to) {
      throw new AppError('INTEREST_MOVEMENT_OUTSIDE_PERIOD', {
        field: 'movements.date',
        details: { date: m.date, from, to },
      });
    }
    byDate.set(m.date, (byDate.get(m.date) ?? 0n) + m.amountFen);
  }
  // Each day's end-of-day balance = opening + movements up to that day, so the sum over the days is the
  // opening times all days plus each movement times the days from its date to the end (both included).
  let total = openingBalanceFen * BigInt(daysInclusive(from, to));
  let balance = openingBalanceFen;
  for (const date of [...byDate.keys()].sort()) {
    const amount = byDate.get(date)!;
    balance += amount;
    if (balance < 0n) {
      throw new AppError('INTEREST_BALANCE_NEGATIVE', {
        field: 'movements.amount',
        details: { date, balance: fenToYuanString(balance) },
      });
    }
    total += amount * BigInt(daysInclusive(date, to));
  }
  return total;
}

/** Interest in fen, not rounded: balance-days × annual rate % / 100 / 360 (rules.md §4.1). */
export function interestFromBalanceDays(balanceDaysFen: Fen, annualRatePct: Decimal): Decimal {
  assertRate(annualRatePct, 'annualRate');
  return new Exact(balanceDaysFen.toString()).times(new Exact(annualRatePct)).div(INTEREST_DAY_BASIS * 100);
}

/** Interest in whole fen, rounded half-up once (rules.md §4.1). */
export function interestFen(balanceDaysFen: Fen, annualRatePct: Decimal): Fen {
  return roundHalfUpToFen(interestFromBalanceDays(balanceDaysFen, annualRatePct));
}

export interface InterestSegment {
  from: IsoDate;
  to: IsoDate;
  ratePct: Decimal;
  balanceDaysFen: Fen;
  /** This segment's interest in fen, not rounded: the period is rounded once, on the sum. */
  interestFen: Decimal;
}

/**
 * Interest over a period in which the rate may change: the period is cut where a rate starts, each
 * segment's balance-days earn that segment's rate, and the sum is rounded half-up once (rules.md §4.1).
 * `rates` ascend by `from`; the last one starting on or before the period's first day is in force then.
 */
export function interestForPeriod(input: {
  from: IsoDate;
  to: IsoDate;
  openingBalanceFen: Fen;
  movements: readonly BalanceMovement[];
  rates: readonly RateFrom[];
}): { balanceDaysFen: Fen; interestFen: Fen; segments: InterestSegment[] } {
  const { from, to, movements, rates } = input;
  // Validates dates, movements and balances over the whole period before cutting it.
  const total = balanceDays(input);
  rates.forEach((r, i) => {
    assertDate(r.from, 'rates.from');
    assertRate(r.ratePct, 'rates.ratePct');
    if (i > 0 && r.from <= rates[i - 1]!.from) {
      throw new AppError('INTEREST_RATES_INVALID', { field: 'rates', details: { from: r.from } });
    }
  });
  const first = rates.findLastIndex((r) => r.from <= from);
  if (first < 0) throw new AppError('INTEREST_RATES_INVALID', { field: 'rates', details: { from } });

  const segments: InterestSegment[] = [];
  let opening = input.openingBalanceFen;
  for (let i = first; i < rates.length && rates[i]!.from <= to; i += 1) {
    const segFrom = i === first ? from : rates[i]!.from;
    const next = rates[i + 1];
    const segTo = next !== undefined && next.from <= to ? addDays(next.from, -1) : to;
    const inside = movements.filter((m) => m.date >= segFrom && m.date <= segTo);
    const segDays = balanceDays({ from: segFrom, to: segTo, openingBalanceFen: opening, movements: inside });
    const ratePct = rates[i]!.ratePct;
    segments.push({
      from: segFrom,
      to: segTo,
      ratePct,
      balanceDaysFen: segDays,
      interestFen: interestFromBalanceDays(segDays, ratePct),
    });
    opening += inside.reduce((sum, m) => sum + m.amountFen, 0n);
  }
  const exact = segments.reduce((sum, s) => sum.plus(s.interestFen), new Exact(0));
  return { balanceDaysFen: total, interestFen: roundHalfUpToFen(exact), segments };
}
