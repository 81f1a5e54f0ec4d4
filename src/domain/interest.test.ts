// rules.md §4.1: balance-days (积数) and interest at actual days / 360, rounded half-up once.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './dates.ts';
import { AppError } from './errors.ts';
import {
  balanceDays,
  hpfInterestYear,
  interestFen,
  interestForPeriod,
  interestFromBalanceDays,
  type BalanceMovement,
} from './interest.ts';

const RATE = new Decimal('1.5');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('§4.1 the worked example', () => {
  it('10,000.00 held 2024-07-01 … 2025-06-30: 3,650,000.00 yuan·days, interest 152.08', () => {
    const days = balanceDays({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 1_000_000n,
      movements: [],
    });
    expect(days).toBe(365_000_000n);
    expect(interestFromBalanceDays(days, RATE).toString()).toMatch(/^15208\.3333/);
    expect(interestFen(days, RATE)).toBe(15_208n);
  });
});

describe('§4.1 day count: the sum of end-of-day balances, both ends included', () => {
  it('a deposit counts from the day it arrives', () => {
    // 2,000.00 on 2024-10-01 counts for 2024-10-01 … 2025-06-30: 273 days.
    const days = balanceDays({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 1_000_000n,
      movements: [{ date: '2024-10-01', amountFen: 200_000n }],
    });
    expect(days).toBe(365_000_000n + 200_000n * 273n);
    expect(interestFen(days, RATE)).toBe(17_483n); // 4,196,000 × 1.5 % / 360 = 174.833…
  });

  it('a withdrawal stops counting on the day it leaves', () => {
    const days = balanceDays({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 1_000_000n,
      movements: [{ date: '2025-06-30', amountFen: -300_000n }],
    });
    expect(days).toBe(1_000_000n * 364n + 700_000n);
  });

  it('a one-day period is that day’s end-of-day balance; money in and out the same day nets', () => {
    expect(
      balanceDays({
        from: '2025-01-15',
        to: '2025-01-15',
        openingBalanceFen: 100n,
        movements: [
          { date: '2025-01-15', amountFen: -100n },
          { date: '2025-01-15', amountFen: 50n },
        ],
      }),
    ).toBe(50n);
  });

  it('rounds half-up once: 12,000 fen·days at 1.5 % is exactly half a fen', () => {
    expect(interestFromBalanceDays(12_000n, RATE).toString()).toBe('0.5');
    expect(interestFen(12_000n, RATE)).toBe(1n);
    expect(interestFen(11_999n, RATE)).toBe(0n);
  });

  it('refuses movements outside the period, a period ending before it starts, and a balance below zero', () => {
    const base = { from: '2024-07-01', to: '2025-06-30', openingBalanceFen: 100n };
    expect(codeOf(() => balanceDays({ ...base, movements: [{ date: '2025-07-01', amountFen: 1n }] }))).toBe(
      'INTEREST_MOVEMENT_OUTSIDE_PERIOD',
    );
    expect(codeOf(() => balanceDays({ ...base, movements: [{ date: '2024-06-30', amountFen: 1n }] }))).toBe(
      'INTEREST_MOVEMENT_OUTSIDE_PERIOD',
    );
    expect(codeOf(() => balanceDays({ ...base, from: '2025-07-01', movements: [] }))).toBe(
      'INTEREST_PERIOD_INVALID',
    );
    expect(codeOf(() => balanceDays({ ...base, to: '2025-02-30', movements: [] }))).toBe('INVALID_DATE');
    expect(
      codeOf(() => balanceDays({ ...base, movements: [{ date: '2024-08-01', amountFen: -101n }] })),
    ).toBe('INTEREST_BALANCE_NEGATIVE');
    expect(codeOf(() => balanceDays({ ...base, openingBalanceFen: -1n, movements: [] }))).toBe(
      'INTEREST_BALANCE_NEGATIVE',
    );
    expect(codeOf(() => interestFen(1n, new Decimal(-1)))).toBe('INVALID_RATE');
  });
});

describe('§4.1 interest year: July 1 – June 30, settled on June 30', () => {
  it('names the interest year a date falls in', () => {
    expect(hpfInterestYear('2025-03-15')).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(hpfInterestYear('2025-06-30')).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(hpfInterestYear('2025-07-01')).toEqual({ from: '2025-07-01', to: '2026-06-30' });
  });
});

describe('§4.1 rate segments: each segment at its own rate, rounded once at the end', () => {
  const rates = [
    { from: '2016-02-21', ratePct: new Decimal('1.5') },
    { from: '2025-01-01', ratePct: new Decimal('1.35') },
  ];

  it('one rate in force all year gives the worked example', () => {
    const result = interestForPeriod({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 1_000_000n,
      movements: [],
      rates: rates.slice(0, 1),
    });
    expect(result.balanceDaysFen).toBe(365_000_000n);
    expect(result.interestFen).toBe(15_208n);
    expect(result.segments).toHaveLength(1);
  });

  it('a rate change on 2025-01-01 cuts the year in two; rounding once gives 144.54, not 144.55', () => {
    const result = interestForPeriod({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 1_000_000n,
      movements: [],
      rates,
    });
    expect(result.segments.map((s) => [s.from, s.to, s.balanceDaysFen])).toEqual([
      ['2024-07-01', '2024-12-31', 184_000_000n],
      ['2025-01-01', '2025-06-30', 181_000_000n],
    ]);
    // 7,666.67 fen + 6,787.50 fen = 14,454.17 fen → 144.54 (rounding each part would give 7,667 + 6,788).
    expect(result.segments[1]!.interestFen.toString()).toBe('6787.5');
    expect(result.interestFen).toBe(14_454n);
    expect(result.balanceDaysFen).toBe(365_000_000n);
  });

  it('a movement inside the second segment carries its balance into it', () => {
    const result = interestForPeriod({
      from: '2024-07-01',
      to: '2025-06-30',
      openingBalanceFen: 0n,
      movements: [
        { date: '2024-12-31', amountFen: 100_000n },
        { date: '2025-06-01', amountFen: 50_000n },
      ],
      rates,
    });
    expect(result.segments.map((s) => s.balanceDaysFen)).toEqual([100_000n, 100_000n * 181n + 50_000n * 30n]);
  });

  it('refuses rates that do not ascend or leave the first day without a rate', () => {
    const base = { from: '2024-07-01', to: '2025-06-30', openingBalanceFen: 0n, movements: [] };
    expect(codeOf(() => interestForPeriod({ ...base, rates: [...rates].reverse() }))).toBe(
      'INTEREST_RATES_INVALID',
    );
    expect(codeOf(() => interestForPeriod({ ...base, rates: rates.slice(1) }))).toBe(
      'INTEREST_RATES_INVALID',
    );
    expect(codeOf(() => interestForPeriod({ ...base, rates: [] }))).toBe('INTEREST_RATES_INVALID');
  });
});

// A period within 2024-07-01 … 2025-06-30 and movements that never take the balance below zero.
const periodWithMovements = fc
  .record({
    length: fc.integer({ min: 1, max: 365 }),
    opening: fc.bigInt({ min: 0n, max: 100_000_000n }),
    raw: fc.array(fc.record({ offset: fc.nat(), amount: fc.bigInt({ min: -5_000_000n, max: 5_000_000n }) }), {
      maxLength: 20,
    }),
  })
  .map(({ length, opening, raw }) => {
    const from = '2024-07-01';
    const to = addDays(from, length - 1);
    let balance = opening;
    const movements: BalanceMovement[] = raw
      .map((m) => ({ offset: m.offset % length, amount: m.amount }))
      .sort((a, b) => a.offset - b.offset)
      .map((m) => {
        const amountFen = m.amount < -balance ? -balance : m.amount;
        balance += amountFen;
        return { date: addDays(from, m.offset), amountFen };
      });
    return { from, to, openingBalanceFen: opening, movements };
  });

describe('§4.1 properties', () => {
  it('splitting a period at any day and adding the two halves equals the whole', () => {
    fc.assert(
      fc.property(periodWithMovements, fc.nat(), (period, cut) => {
        const length = daysBetween(period.from, period.to) + 1;
        fc.pre(length >= 2);
        const firstEnd = addDays(period.from, cut % (length - 1));
        const secondStart = addDays(firstEnd, 1);
        const firstMoves = period.movements.filter((m) => m.date <= firstEnd);
        const secondMoves = period.movements.filter((m) => m.date >= secondStart);
        const firstEndBalance = firstMoves.reduce((s, m) => s + m.amountFen, period.openingBalanceFen);
        const whole = balanceDays(period);
        const halves =
          balanceDays({ ...period, to: firstEnd, movements: firstMoves }) +
          balanceDays({
            ...period,
            from: secondStart,
            openingBalanceFen: firstEndBalance,
            movements: secondMoves,
          });
        expect(halves).toBe(whole);
      }),
    );
  });

  it('balance-days equal the day-by-day sum of end-of-day balances', () => {
    fc.assert(
      fc.property(periodWithMovements, (period) => {
        let sum = 0n;
        let balance = period.openingBalanceFen;
        for (let d = period.from; d <= period.to; d = addDays(d, 1)) {
          for (const m of period.movements) if (m.date === d) balance += m.amountFen;
          sum += balance;
        }
        expect(balanceDays(period)).toBe(sum);
      }),
      { numRuns: 50 },
    );
  });

  it('one rate over segments equals the single-rate interest; segments sum to the whole', () => {
    fc.assert(
      fc.property(periodWithMovements, fc.integer({ min: 0, max: 364 }), (period, cutOffset) => {
        const cut = addDays('2024-07-01', cutOffset);
        const result = interestForPeriod({
          ...period,
          rates: [
            { from: '2016-02-21', ratePct: RATE },
            { from: cut, ratePct: RATE },
          ].filter((r, i) => i === 0 || r.from > '2024-07-01'),
        });
        expect(result.segments.reduce((s, x) => s + x.balanceDaysFen, 0n)).toBe(result.balanceDaysFen);
        expect(result.interestFen).toBe(interestFen(balanceDays(period), RATE));
      }),
    );
  });
});
