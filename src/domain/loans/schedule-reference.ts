// The schedule rule of rules.md §6.4 transcribed literally in decimal.js: the reference the integer
// implementation (schedule.ts) is proved equal to by a property test, and the slower figure of the bench.
import { Decimal } from 'decimal.js';
import { FIRST_PERIOD_DAY_BASIS, type RepaymentMethod } from './schedule.ts';

/**
 * Digits enough that no rounding to the fen moves: every value is a fraction whose distance from a
 * half-fen is either zero or far above 10⁻⁹⁰. Each division comes last, so a true half-fen stays exact.
 */
const Exact = Decimal.clone({ precision: 120, rounding: Decimal.ROUND_HALF_UP });

export interface ReferenceInstallment {
  principal: Decimal;
  interest: Decimal;
  payment: Decimal;
  balance: Decimal;
}

function toFen(value: Decimal, rounding: Decimal.Rounding): Decimal {
  return value.toDecimalPlaces(0, rounding);
}

/** Amounts in fen as decimals; the same rule and the same fallbacks as buildSchedule. */
export function referenceSchedule(input: {
  principalFen: bigint;
  annualRatePct: Decimal;
  months: number;
  method: RepaymentMethod;
  firstPeriodDays?: number;
}): ReferenceInstallment[] {
  const p = new Exact(input.principalFen.toString());
  const n = input.months;
  const annual = new Exact(input.annualRatePct);
  // interest = balance × annual % / 100 / 12, the first period × days / 30, rounded half-up.
  const interestOf = (balance: Decimal, k: number): Decimal => {
    const days =
      k === 0 && input.firstPeriodDays !== undefined ? input.firstPeriodDays : FIRST_PERIOD_DAY_BASIS;
    return toFen(
      balance
        .times(annual)
        .times(days)
        .div(1200 * FIRST_PERIOD_DAY_BASIS),
      Decimal.ROUND_HALF_UP,
    );
  };
  const run = (fixed: Decimal, level: boolean, shorten: boolean): ReferenceInstallment[] | undefined => {
    const rows: ReferenceInstallment[] = [];
    let balance = p;
    for (let k = 0; k < n; k += 1) {
      const interest = interestOf(balance, k);
      // The first month's principal is split off a whole month's interest even when dated.
      let principal =
        k === n - 1 ? balance : level ? fixed.minus(k === 0 ? interestOf(balance, 1) : interest) : fixed;
      const last = principal.gte(balance);
      if (last && k < n - 1) {
        if (!shorten) return undefined;
        principal = balance;
      }
      balance = balance.minus(principal);
      rows.push({ principal, interest, payment: principal.plus(interest), balance });
      if (last) break;
    }
    return rows;
  };
  if (input.method === 'equal-principal') {
    let part = toFen(p.div(n), Decimal.ROUND_HALF_UP);
    if (part.times(n - 1).gte(p)) part = toFen(p.div(n), Decimal.ROUND_DOWN);
    return run(part, false, true)!;
  }
  // M = P·i·(1+i)^n / ((1+i)^n − 1), i = annual / 12.
  const i = annual.div(1200);
  const grown = i.plus(1).pow(n);
  const exactM = i.isZero() ? p.div(n) : p.times(i).times(grown).div(grown.minus(1));
  return (
    run(toFen(exactM, Decimal.ROUND_HALF_UP), true, false) ??
    run(toFen(exactM, Decimal.ROUND_DOWN), true, true)!
  );
}
