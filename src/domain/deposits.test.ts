// rules.md §3: allocation of payments to months, continuity, payment checks, periodic plan calendar.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonthsToMonth } from './dates.ts';
import {
  allocateDeposit,
  annualRoomFen,
  checkPayment,
  COLLECTION_BUSINESS_TYPES,
  consecutiveMonths,
  dueDate,
  firstPeriodStart,
  isCollectionBusinessType,
  isMonthCovered,
  isWorkingDay,
  lastRetryDate,
  nextPeriodStart,
  periodAmountFen,
  periodsDueOn,
  stabilityCoveredOfLast12,
} from './deposits.ts';
import { AppError } from './errors.ts';

// The 2024-07-01 limits (rules.md §3.1): 198.00 and 6,574.00 a month.
const LIMITS = { lowerFen: 19_800n, upperFen: 657_400n };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('§3.2 every payment is allocated to the months it covers', () => {
  it('monthly: the period month', () => {
    expect(
      allocateDeposit({
        mode: 'monthly',
        periodStartMonth: '2024-09',
        valueDate: '2024-09-15',
        amountFen: 50_000n,
      }),
    ).toEqual([{ month: '2024-09', amountFen: 50_000n }]);
  });

  it('quarterly: its three months, evenly', () => {
    expect(
      allocateDeposit({
        mode: 'quarterly',
        periodStartMonth: '2024-10',
        valueDate: '2024-10-15',
        amountFen: 150_000n,
      }),
    ).toEqual([
      { month: '2024-10', amountFen: 50_000n },
      { month: '2024-11', amountFen: 50_000n },
      { month: '2024-12', amountFen: 50_000n },
    ]);
  });

  it('annual: twelve months across the year end, the remainder fen on the last month', () => {
    const parts = allocateDeposit({
      mode: 'annual',
      periodStartMonth: '2024-08',
      valueDate: '2024-08-01',
      amountFen: 100_007n,
    });
    expect(parts.map((p) => p.month)).toEqual([
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
    ]);
    expect(parts.slice(0, 11).every((p) => p.amountFen === 8_333n)).toBe(true);
    expect(parts[11]!.amountFen).toBe(8_344n);
  });

  it('flexible: the calendar month of the value date', () => {
    expect(
      allocateDeposit({
        mode: 'flexible',
        periodStartMonth: null,
        valueDate: '2025-01-31',
        amountFen: 19_800n,
      }),
    ).toEqual([{ month: '2025-01', amountFen: 19_800n }]);
  });

  it('refuses a periodic payment without its period, a flexible one with a period, and a non-positive amount', () => {
    expect(
      codeOf(() =>
        allocateDeposit({ mode: 'monthly', periodStartMonth: null, valueDate: '2024-09-15', amountFen: 1n }),
      ),
    ).toBe('DEPOSIT_PERIOD_REQUIRED');
    expect(
      codeOf(() =>
        allocateDeposit({
          mode: 'flexible',
          periodStartMonth: '2024-09',
          valueDate: '2024-09-15',
          amountFen: 1n,
        }),
      ),
    ).toBe('DEPOSIT_MODE_INVALID');
    expect(
      codeOf(() =>
        allocateDeposit({ mode: 'flexible', periodStartMonth: null, valueDate: '2024-09-15', amountFen: 0n }),
      ),
    ).toBe('AMOUNT_NOT_POSITIVE');
    expect(
      codeOf(() =>
        allocateDeposit({
          mode: 'monthly',
          periodStartMonth: '2024-13',
          valueDate: '2024-09-15',
          amountFen: 1n,
        }),
      ),
    ).toBe('INVALID_MONTH');
  });

  it('property: the parts sum to the amount, differ by the remainder only, and cover consecutive months', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('monthly' as const, 'quarterly' as const, 'annual' as const),
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        (mode, amountFen, year, month) => {
          const start = `${year}-${String(month).padStart(2, '0')}`;
          const parts = allocateDeposit({
            mode,
            periodStartMonth: start,
            valueDate: `${start}-01`,
            amountFen,
          });
          expect(parts.reduce((s, p) => s + p.amountFen, 0n)).toBe(amountFen);
          parts.forEach((p, i) => expect(p.month).toBe(addMonthsToMonth(start, i)));
          const first = parts[0]!.amountFen;
          expect(parts.slice(0, -1).every((p) => p.amountFen === first)).toBe(true);
          expect(parts.at(-1)!.amountFen - first).toBeLessThan(BigInt(parts.length));
          expect(parts.at(-1)!.amountFen).toBeGreaterThanOrEqual(first);
        },
      ),
    );
  });
});

describe('§3.3 continuity', () => {
  it('a month is covered when its allocations reach the lower limit', () => {
    expect(isMonthCovered(19_800n, 19_800n)).toBe(true);
    expect(isMonthCovered(19_799n, 19_800n)).toBe(false);
  });

  it('counts covered months backwards from the latest completed month, stopping at the first gap', () => {
    const covered = ['2024-01', '2024-02', '2024-04', '2024-05', '2024-06', '2024-07'];
    expect(consecutiveMonths(covered, '2024-07')).toBe(4);
    expect(consecutiveMonths(covered, '2024-02')).toBe(2);
    expect(consecutiveMonths(covered, '2024-03')).toBe(0);
    expect(consecutiveMonths(covered, '2024-08')).toBe(0);
  });

  it('counts across a year end', () => {
    expect(consecutiveMonths(new Set(['2024-11', '2024-12', '2025-01']), '2025-01')).toBe(3);
  });

  it('stability: covered months among the last 12, or since opening when fewer', () => {
    const covered = ['2024-01', '2024-02', '2024-04', '2024-05', '2024-06', '2024-07', '2023-07'];
    // 2023-08 … 2024-07: 2024-01, 02, 04, 05, 06, 07 → 6 of 12 (2023-07 is outside the window).
    expect(stabilityCoveredOfLast12(covered, '2024-07', '2020-01')).toEqual({ covered: 6, of: 12 });
    // Opened 2024-01: 7 months since opening, 6 covered.
    expect(stabilityCoveredOfLast12(covered, '2024-07', '2024-01')).toEqual({ covered: 6, of: 7 });
    expect(stabilityCoveredOfLast12(covered, '2024-07', '2024-08')).toEqual({ covered: 0, of: 0 });
  });
});

describe('§3.2 payment checks', () => {
  it('flexible: each payment at least the monthly lower limit', () => {
    expect(
      codeOf(() =>
        checkPayment({ mode: 'flexible', amountFen: 19_800n, limits: LIMITS, paidThisHpfYearFen: 0n }),
      ),
    ).toBe(undefined);
    const error = (() => {
      try {
        checkPayment({ mode: 'flexible', amountFen: 19_799n, limits: LIMITS, paidThisHpfYearFen: 0n });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe('DEPOSIT_BELOW_MINIMUM');
    expect(error?.details).toEqual({ lower: '198.00' });
  });

  it('any mode: the HPF year total at most 12 × the monthly upper limit, with the room left in the error', () => {
    // 12 × 6,574.00 = 78,888.00; 78,000.00 paid leaves 888.00.
    const paid = 7_800_000n;
    expect(annualRoomFen(LIMITS, paid)).toBe(88_800n);
    expect(annualRoomFen(LIMITS, 8_000_000n)).toBe(0n);
    expect(
      codeOf(() =>
        checkPayment({ mode: 'flexible', amountFen: 88_800n, limits: LIMITS, paidThisHpfYearFen: paid }),
      ),
    ).toBe(undefined);
    try {
      checkPayment({ mode: 'flexible', amountFen: 88_801n, limits: LIMITS, paidThisHpfYearFen: paid });
      expect.fail('should refuse');
    } catch (e) {
      expect((e as AppError).code).toBe('DEPOSIT_ABOVE_ANNUAL_ROOM');
      expect((e as AppError).details).toEqual({ room: '888.00' });
    }
    expect(
      codeOf(() =>
        checkPayment({
          mode: 'annual',
          amountFen: 7_888_800n,
          limits: LIMITS,
          paidThisHpfYearFen: 100n,
          expectedPeriodAmountFen: 7_888_800n,
        }),
      ),
    ).toBe('DEPOSIT_ABOVE_ANNUAL_ROOM');
  });

  it('periodic: the amount must be the period amount, and a period is required', () => {
    const base = { mode: 'quarterly' as const, limits: LIMITS, paidThisHpfYearFen: 0n };
    expect(
      codeOf(() => checkPayment({ ...base, amountFen: 150_000n, expectedPeriodAmountFen: 150_000n })),
    ).toBe(undefined);
    expect(
      codeOf(() => checkPayment({ ...base, amountFen: 149_999n, expectedPeriodAmountFen: 150_000n })),
    ).toBe('DEPOSIT_PERIOD_AMOUNT_MISMATCH');
    expect(codeOf(() => checkPayment({ ...base, amountFen: 150_000n }))).toBe('DEPOSIT_PERIOD_REQUIRED');
    expect(codeOf(() => checkPayment({ ...base, amountFen: 0n, expectedPeriodAmountFen: 0n }))).toBe(
      'AMOUNT_NOT_POSITIVE',
    );
  });
});

describe('§3.2 periodic plans', () => {
  it('period amounts: monthly M, quarterly 3M, annual 12M', () => {
    expect(periodAmountFen('monthly', 50_000n)).toBe(50_000n);
    expect(periodAmountFen('quarterly', 50_000n)).toBe(150_000n);
    expect(periodAmountFen('annual', 50_000n)).toBe(600_000n);
    expect(codeOf(() => periodAmountFen('flexible', 50_000n))).toBe('DEPOSIT_MODE_INVALID');
  });

  it('monthly and annual start in the opening month when its debit day is not yet past', () => {
    expect(firstPeriodStart('monthly', '2024-07-10', 15)).toBe('2024-07');
    expect(firstPeriodStart('monthly', '2024-07-10', 10)).toBe('2024-07');
    expect(firstPeriodStart('monthly', '2024-07-10', 5)).toBe('2024-08');
    expect(firstPeriodStart('monthly', '2024-12-20', 5)).toBe('2025-01');
    expect(firstPeriodStart('annual', '2024-07-10', 5)).toBe('2024-08');
    expect(firstPeriodStart('annual', '2024-07-01', 1)).toBe('2024-07');
  });

  it('quarterly starts at the first calendar quarter whose debit day is not yet past', () => {
    expect(firstPeriodStart('quarterly', '2024-07-10', 15)).toBe('2024-07');
    expect(firstPeriodStart('quarterly', '2024-07-10', 5)).toBe('2024-10');
    expect(firstPeriodStart('quarterly', '2024-08-01', 28)).toBe('2024-10');
    expect(firstPeriodStart('quarterly', '2024-12-20', 5)).toBe('2025-01');
    expect(firstPeriodStart('quarterly', '2024-09-30', 28)).toBe('2024-10');
  });

  it('next period: +1, +3, +12 months; due on the debit day of the period month', () => {
    expect(nextPeriodStart('monthly', '2024-12')).toBe('2025-01');
    expect(nextPeriodStart('quarterly', '2024-10')).toBe('2025-01');
    expect(nextPeriodStart('annual', '2024-08')).toBe('2025-08');
    expect(dueDate('2025-02', 28)).toBe('2025-02-28');
    expect(dueDate('2025-02', 5)).toBe('2025-02-05');
    expect(codeOf(() => dueDate('2025-02', 29))).toBe('DEBIT_DAY_INVALID');
    expect(codeOf(() => dueDate('2025-02', 0))).toBe('DEBIT_DAY_INVALID');
  });

  it('failed debits are retried until the month’s last working day (Mon–Fri, ours)', () => {
    expect(isWorkingDay('2025-05-30')).toBe(true); // Friday
    expect(isWorkingDay('2025-05-31')).toBe(false); // Saturday
    expect(lastRetryDate('2025-05-15')).toBe('2025-05-30');
    expect(lastRetryDate('2025-06-05')).toBe('2025-06-30'); // Monday
    expect(lastRetryDate('2027-02-10')).toBe('2027-02-26'); // the 27th and 28th are a weekend
    // A debit day after the last working day: the debit day is the only attempt.
    expect(lastRetryDate('2026-02-28')).toBe('2026-02-28');
  });

  it('periods due by a date, from the next period not yet created', () => {
    expect(
      periodsDueOn({ mode: 'monthly', fromPeriodStart: '2024-08', debitDay: 15, onDate: '2024-10-14' }),
    ).toEqual(['2024-08', '2024-09']);
    expect(
      periodsDueOn({ mode: 'monthly', fromPeriodStart: '2024-08', debitDay: 15, onDate: '2024-10-15' }),
    ).toEqual(['2024-08', '2024-09', '2024-10']);
    expect(
      periodsDueOn({ mode: 'quarterly', fromPeriodStart: '2024-10', debitDay: 1, onDate: '2025-04-01' }),
    ).toEqual(['2024-10', '2025-01', '2025-04']);
    expect(
      periodsDueOn({ mode: 'annual', fromPeriodStart: '2025-08', debitDay: 1, onDate: '2025-07-31' }),
    ).toEqual([]);
  });

  it('property: catching up over N days equals asking day by day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('monthly' as const, 'quarterly' as const, 'annual' as const),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 800 }),
        (mode, debitDay, span) => {
          const start = firstPeriodStart(mode, '2024-07-10', debitDay);
          const end = addDays('2024-07-10', span);
          const once = periodsDueOn({ mode, fromPeriodStart: start, debitDay, onDate: end });
          const daily: string[] = [];
          let next = start;
          for (let d = 0; d <= span; d += 1) {
            const day = addDays('2024-07-10', d);
            for (const p of periodsDueOn({ mode, fromPeriodStart: next, debitDay, onDate: day })) {
              daily.push(p);
              next = nextPeriodStart(mode, p);
            }
          }
          expect(daily).toEqual(once);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('§14 JGJ/T 320 collection business types', () => {
  it('keeps the code list with Chinese and English names', () => {
    expect(COLLECTION_BUSINESS_TYPES.map((t) => t.code)).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '99',
    ]);
    expect(COLLECTION_BUSINESS_TYPES[0]).toEqual({ code: '01', zh: '汇缴', en: 'Regular deposit' });
    expect(COLLECTION_BUSINESS_TYPES.find((t) => t.code === '12')?.zh).toBe('销户提取');
    expect(isCollectionBusinessType('09')).toBe(true);
    expect(isCollectionBusinessType('16')).toBe(false);
  });
});
