// rules.md §6.4 schedules (等额本息, 等额本金), due dates and the first period by actual days / 30;
// §6.3 repricing and §6.5 partial prepayment; the integer arithmetic proved equal to decimal.js.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { referenceSchedule } from './schedule-reference.ts';
import {
  buildSchedule,
  dueDates,
  equalPrincipalPartFen,
  levelFactor,
  levelInstallmentFen,
  monthlyRate,
  prepaySchedule,
  repriceSchedule,
  type RepaymentMethod,
  type Schedule,
} from './schedule.ts';

const RATE = new Decimal('2.6');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

/** The invariants every schedule keeps (rules.md §6.4). */
function expectWellFormed(s: Schedule): void {
  const rows = s.installments;
  expect(rows.reduce((sum, r) => sum + r.principalFen, 0n)).toBe(s.principalFen);
  let balance = s.principalFen;
  for (const r of rows) {
    balance -= r.principalFen;
    expect(r.balanceFen).toBe(balance);
    expect(r.balanceFen >= 0n).toBe(true);
    expect(r.interestFen >= 0n).toBe(true);
    expect(r.paymentFen).toBe(r.principalFen + r.interestFen);
  }
  expect(rows.at(-1)!.balanceFen).toBe(0n);
  expect(s.totalInterestFen).toBe(rows.reduce((sum, r) => sum + r.interestFen, 0n));
  expect(s.totalPaymentFen).toBe(s.principalFen + s.totalInterestFen);
}

describe('§6.4 the worked example: 500,000 over 360 months at 2.6 %, equal installment', () => {
  const s = buildSchedule({
    principalFen: 50_000_000n,
    annualRatePct: RATE,
    months: 360,
    method: 'equal-installment',
  });

  it('M = 2,001.70; month 1 interest 1,083.33, principal 918.37, balance 499,081.63', () => {
    expect(s.firstPaymentFen).toBe(200_170n);
    expect(s.installments[0]).toEqual({
      period: 1,
      paymentFen: 200_170n,
      principalFen: 91_837n,
      interestFen: 108_333n,
      balanceFen: 49_908_163n,
    });
  });

  it('month 2: interest = round(499,081.63 × 2.6 % / 12) = 1,081.34, principal = M − interest', () => {
    expect(s.installments[1]).toMatchObject({
      paymentFen: 200_170n,
      interestFen: 108_134n,
      principalFen: 92_036n,
    });
  });

  it('every month pays M except the last, which pays the whole remaining balance plus its interest', () => {
    expect(s.installments).toHaveLength(360);
    expect(s.installments.slice(0, 359).every((r) => r.paymentFen === 200_170n)).toBe(true);
    // Month 360: balance 1,996.51 + round(1,996.51 × 2.6 % / 12) = 4.33 → 2,000.84.
    expect(s.installments[359]).toEqual({
      period: 360,
      paymentFen: 200_084n,
      principalFen: 199_651n,
      interestFen: 433n,
      balanceFen: 0n,
    });
    expect(s.totalInterestFen).toBe(22_061_114n);
    expectWellFormed(s);
  });
});

describe('§6.4 equal principal (等额本金)', () => {
  it('principal = round(500,000 / 360) = 1,388.89 a month, the last takes the remainder 1,388.49', () => {
    const s = buildSchedule({
      principalFen: 50_000_000n,
      annualRatePct: RATE,
      months: 360,
      method: 'equal-principal',
    });
    expect(s.installments[0]).toEqual({
      period: 1,
      paymentFen: 247_222n,
      principalFen: 138_889n,
      interestFen: 108_333n,
      balanceFen: 49_861_111n,
    });
    // Month 2: interest = round(498,611.11 × 2.6 % / 12) = 1,080.32.
    expect(s.installments[1]).toMatchObject({ principalFen: 138_889n, interestFen: 108_032n });
    // 500,000 − 359 × 1,388.89 = 1,388.49; interest round(1,388.49 × 2.6 % / 12) = 3.01.
    expect(s.installments[359]).toMatchObject({ principalFen: 138_849n, interestFen: 301n, balanceFen: 0n });
    expect(s.firstPaymentFen).toBe(247_222n);
    expectWellFormed(s);
  });

  it('rounds the monthly principal down when rounding up would repay it before the last month (ours)', () => {
    // 3.55 over 10 months: round(0.355) = 0.36 × 9 = 3.24 leaves 0.31; 3.58 over 12: 0.30 × 11 > 3.58 would not.
    expect(equalPrincipalPartFen(355n, 10)).toBe(36n);
    expect(equalPrincipalPartFen(100n, 200)).toBe(0n); // 0.5 fen rounds up to 1 fen × 199 > 100 → 0
    const s = buildSchedule({
      principalFen: 100n,
      annualRatePct: RATE,
      months: 200,
      method: 'equal-principal',
    });
    expect(s.installments).toHaveLength(200);
    expect(s.installments[199]!.principalFen).toBe(100n);
    expectWellFormed(s);
  });
});

describe('§6.4 due dates and the first period by actual days / 30 (ours)', () => {
  it('disbursed 2025-01-15: due on the 15th from 2025-02-15; 31 days → interest 1,083.33 × 31 / 30 = 1,119.44', () => {
    const s = buildSchedule({
      principalFen: 50_000_000n,
      annualRatePct: RATE,
      months: 360,
      method: 'equal-installment',
      disbursedOn: '2025-01-15',
    });
    expect(s.firstPeriodDays).toBe(31);
    // The principal is still M − a whole month's interest (918.37), so the first payment is
    // 918.37 + 1,119.44 = 2,037.81 and every later month is that of the undated schedule.
    expect(s.installments[0]).toEqual({
      period: 1,
      dueDate: '2025-02-15',
      paymentFen: 203_781n,
      principalFen: 91_837n,
      interestFen: 111_944n,
      balanceFen: 49_908_163n,
    });
    expect(s.installments[1]).toMatchObject({
      dueDate: '2025-03-15',
      paymentFen: 200_170n,
      interestFen: 108_134n,
    });
    expect(s.installments[359]).toMatchObject({
      dueDate: '2055-01-15',
      paymentFen: 200_084n,
      balanceFen: 0n,
    });
    expect(s.totalInterestFen).toBe(22_061_114n + 111_944n - 108_333n);
    expectWellFormed(s);
  });

  it('disbursed on the 31st: due on the 28th, the first after 28 days (2025-01-31 → 2025-02-28)', () => {
    const s = buildSchedule({
      principalFen: 50_000_000n,
      annualRatePct: RATE,
      months: 12,
      method: 'equal-principal',
      disbursedOn: '2025-01-31',
    });
    expect(s.installments.map((r) => r.dueDate)).toEqual([
      '2025-02-28',
      '2025-03-28',
      '2025-04-28',
      '2025-05-28',
      '2025-06-28',
      '2025-07-28',
      '2025-08-28',
      '2025-09-28',
      '2025-10-28',
      '2025-11-28',
      '2025-12-28',
      '2026-01-28',
    ]);
    // 500,000 × 2.6 % / 12 × 28 / 30 = 1,011.11; principal round(500,000 / 12) = 41,666.67.
    expect(s.installments[0]).toMatchObject({ interestFen: 101_111n, principalFen: 4_166_667n });
    expect(s.firstPeriodDays).toBe(28);
  });

  it('the 29th and 30th also fall due on the 28th; a leap February counts its 29th day', () => {
    expect(dueDates('2024-01-30', 2)).toEqual(['2024-02-28', '2024-03-28']);
    expect(dueDates('2024-12-29', 1)).toEqual(['2025-01-28']);
    expect(dueDates('2024-01-28', 1)).toEqual(['2024-02-28']);
    const s = buildSchedule({
      principalFen: 1_000_000n,
      annualRatePct: RATE,
      months: 6,
      method: 'equal-installment',
      disbursedOn: '2024-01-30',
    });
    expect(s.firstPeriodDays).toBe(29);
  });

  it('refuses a bad disbursement date', () => {
    expect(
      codeOf(() =>
        buildSchedule({
          principalFen: 1_000_000n,
          annualRatePct: RATE,
          months: 6,
          method: 'equal-installment',
          disbursedOn: '2025-02-30',
        }),
      ),
    ).toBe('INVALID_DATE');
  });
});

describe('§6.4 the arithmetic is exact', () => {
  it('the monthly rate is an exact fraction: 2.6 % / 12 = 13 / 6000, 2.775 % / 12 = 37 / 16000', () => {
    expect(monthlyRate(new Decimal('2.6'))).toEqual({ num: 13n, den: 6000n });
    expect(monthlyRate(new Decimal('2.775'))).toEqual({ num: 37n, den: 16_000n });
    expect(monthlyRate(new Decimal(0))).toEqual({ num: 0n, den: 1n });
  });

  it('a true half fen rounds up: 12.00 at 0.5 % is 1,200 × 1 / 2400 = 0.5 fen of interest → 1 fen', () => {
    const s = buildSchedule({
      principalFen: 1_200n,
      annualRatePct: new Decimal('0.5'),
      months: 1,
      method: 'equal-principal',
    });
    expect(s.installments[0]!.interestFen).toBe(1n);
  });

  it('a zero rate divides the principal evenly', () => {
    const s = buildSchedule({
      principalFen: 100_000n,
      annualRatePct: new Decimal(0),
      months: 3,
      method: 'equal-installment',
    });
    expect(s.installments.map((r) => r.paymentFen)).toEqual([33_333n, 33_333n, 33_334n]);
    expect(s.totalInterestFen).toBe(0n);
  });

  it('M of a small loan at a high rate over 30 years rounds down so the term holds (ours)', () => {
    // 1,000 at 10 % over 360 months: M = 8.7757… rounded up to 8.78 would repay it in month 359.
    const factor = levelFactor(monthlyRate(new Decimal(10)), 360);
    expect(levelInstallmentFen(100_000n, factor)).toBe(878n);
    const s = buildSchedule({
      principalFen: 100_000n,
      annualRatePct: new Decimal(10),
      months: 360,
      method: 'equal-installment',
    });
    expect(s.firstPaymentFen).toBe(877n);
    expect(s.installments).toHaveLength(360);
    expectWellFormed(s);
  });

  it('refuses a term outside 1–360 months, a method it does not know, a non-positive principal', () => {
    const base = { principalFen: 1_000_000n, annualRatePct: RATE, method: 'equal-installment' as const };
    expect(codeOf(() => buildSchedule({ ...base, months: 0 }))).toBe('LOAN_TERM_INVALID');
    expect(codeOf(() => buildSchedule({ ...base, months: 361 }))).toBe('LOAN_TERM_INVALID');
    expect(codeOf(() => buildSchedule({ ...base, months: 12.5 }))).toBe('LOAN_TERM_INVALID');
    expect(
      codeOf(() => buildSchedule({ ...base, months: 12, method: 'balloon' as unknown as RepaymentMethod })),
    ).toBe('LOAN_METHOD_INVALID');
    expect(codeOf(() => buildSchedule({ ...base, months: 12, principalFen: 0n }))).toBe(
      'AMOUNT_NOT_POSITIVE',
    );
    expect(codeOf(() => buildSchedule({ ...base, months: 12, annualRatePct: new Decimal(-1) }))).toBe(
      'INVALID_RATE',
    );
  });
});

// Principals 1,000 – 2,000,000 yuan, rates 0.5 – 10 % (to 0.001 %), terms 1 – 360 months.
const principalArb = fc.bigInt({ min: 100_000n, max: 200_000_000n });
const rateArb = fc.integer({ min: 500, max: 10_000 }).map((m) => new Decimal(m).div(1000));
const monthsArb = fc.integer({ min: 1, max: 360 });
const methodArb = fc.constantFrom<RepaymentMethod>('equal-installment', 'equal-principal');
const disbursedArb = fc.option(
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  { nil: undefined },
);

describe('§6.4 properties, for any principal, rate, term and method', () => {
  it('Σ principal = P to the fen, the balance never goes negative, the last balance is zero', () => {
    fc.assert(
      fc.property(
        principalArb,
        rateArb,
        monthsArb,
        methodArb,
        disbursedArb,
        (principalFen, annualRatePct, months, method, disbursedOn) => {
          const s = buildSchedule({
            principalFen,
            annualRatePct,
            months,
            method,
            ...(disbursedOn ? { disbursedOn } : {}),
          });
          expect(s.installments).toHaveLength(months);
          expectWellFormed(s);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('equal installment: every payment is M except the last', () => {
    fc.assert(
      fc.property(principalArb, rateArb, monthsArb, (principalFen, annualRatePct, months) => {
        const s = buildSchedule({ principalFen, annualRatePct, months, method: 'equal-installment' });
        const m = s.firstPaymentFen;
        expect(s.installments.slice(0, -1).every((r) => r.paymentFen === m)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('equal principal: every principal is round(P / n) except the last', () => {
    fc.assert(
      fc.property(principalArb, rateArb, monthsArb, (principalFen, annualRatePct, months) => {
        const s = buildSchedule({ principalFen, annualRatePct, months, method: 'equal-principal' });
        const part = (2n * principalFen + BigInt(months)) / (2n * BigInt(months));
        expect(s.installments.slice(0, -1).every((r) => r.principalFen === part)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the integer schedule equals the rule computed literally in decimal.js, installment by installment', () => {
    fc.assert(
      fc.property(
        principalArb,
        rateArb,
        monthsArb,
        methodArb,
        disbursedArb,
        (principalFen, annualRatePct, months, method, disbursedOn) => {
          const s = buildSchedule({
            principalFen,
            annualRatePct,
            months,
            method,
            ...(disbursedOn ? { disbursedOn } : {}),
          });
          const reference = referenceSchedule({
            principalFen,
            annualRatePct,
            months,
            method,
            ...(s.firstPeriodDays === undefined ? {} : { firstPeriodDays: s.firstPeriodDays }),
          });
          expect(s.installments.map((r) => [r.principalFen, r.interestFen, r.balanceFen])).toEqual(
            reference.map((r) => [
              BigInt(r.principal.toFixed(0)),
              BigInt(r.interest.toFixed(0)),
              BigInt(r.balance.toFixed(0)),
            ]),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('§6.3 repricing: the remaining principal over the remaining term at the new rate', () => {
  it('400,000 left over 300 months: 1,865.79 at 2.85 %, 1,814.68 at 2.6 % from period 61', () => {
    const base = {
      remainingPrincipalFen: 40_000_000n,
      remainingMonths: 300,
      method: 'equal-installment' as const,
    };
    expect(repriceSchedule({ ...base, annualRatePct: new Decimal('2.85') }).firstPaymentFen).toBe(186_579n);
    const s = repriceSchedule({ ...base, annualRatePct: RATE, nextPeriod: 61, nextDueDate: '2026-01-15' });
    // Interest is a whole month: round(400,000 × 2.6 % / 12) = 866.67.
    expect(s.installments[0]).toEqual({
      period: 61,
      dueDate: '2026-01-15',
      paymentFen: 181_468n,
      principalFen: 94_801n,
      interestFen: 86_667n,
      balanceFen: 39_905_199n,
    });
    expect(s.installments.at(-1)).toMatchObject({ period: 360, dueDate: '2050-12-15', balanceFen: 0n });
    expectWellFormed(s);
  });

  it('refuses a next due date after the 28th', () => {
    expect(
      codeOf(() =>
        repriceSchedule({
          remainingPrincipalFen: 1_000_000n,
          remainingMonths: 12,
          annualRatePct: RATE,
          method: 'equal-principal',
          nextDueDate: '2026-01-29',
        }),
      ),
    ).toBe('INVALID_DATE');
  });
});

describe('§6.5 partial prepayment', () => {
  const loan = {
    remainingPrincipalFen: 40_000_000n,
    remainingMonths: 300,
    annualRatePct: RATE,
    prepaymentFen: 10_000_000n,
  };

  it('keep the term: 300,000 over the same 300 months, a lower installment (1,361.01)', () => {
    const r = prepaySchedule({ ...loan, method: 'equal-installment', mode: 'keep-term' });
    expect(r.principalAfterFen).toBe(30_000_000n);
    expect(r.months).toBe(300);
    expect(r.schedule.firstPaymentFen).toBe(136_101n);
    expectWellFormed(r.schedule);
  });

  it('keep the installment (1,814.68): the shortest term whose M is not above it, 205 months', () => {
    const r = prepaySchedule({ ...loan, method: 'equal-installment', mode: 'keep-installment' });
    expect(r.keptAmountFen).toBe(181_468n);
    expect(r.months).toBe(205);
    expect(r.schedule.firstPaymentFen).toBe(181_395n);
    // One month shorter would need more than the kept installment.
    const shorter = repriceSchedule({
      remainingPrincipalFen: 30_000_000n,
      remainingMonths: 204,
      annualRatePct: RATE,
      method: 'equal-installment',
    });
    expect(shorter.firstPaymentFen > 181_468n).toBe(true);
    expectWellFormed(r.schedule);
  });

  it('equal principal keeps its monthly principal part: 1,333.33 → 300,000 / 225 months', () => {
    const r = prepaySchedule({ ...loan, method: 'equal-principal', mode: 'keep-installment' });
    expect(r.keptAmountFen).toBe(133_333n);
    expect(r.months).toBe(225);
    expect(r.schedule.installments[0]!.principalFen).toBe(133_333n);
    expectWellFormed(r.schedule);
  });

  it('refuses a prepayment of zero or of the whole balance (settlement is separate), and an unknown mode', () => {
    expect(
      codeOf(() =>
        prepaySchedule({ ...loan, method: 'equal-installment', mode: 'keep-term', prepaymentFen: 0n }),
      ),
    ).toBe('LOAN_PREPAYMENT_INVALID');
    expect(
      codeOf(() =>
        prepaySchedule({
          ...loan,
          method: 'equal-installment',
          mode: 'keep-term',
          prepaymentFen: 40_000_000n,
        }),
      ),
    ).toBe('LOAN_PREPAYMENT_INVALID');
    expect(
      codeOf(() => prepaySchedule({ ...loan, method: 'equal-installment', mode: 'shorten' as 'keep-term' })),
    ).toBe('LOAN_PREPAYMENT_MODE_INVALID');
  });

  it('property: keep-installment never pays more per month than before, and the term is the shortest', () => {
    fc.assert(
      fc.property(
        principalArb,
        rateArb,
        monthsArb,
        methodArb,
        fc.integer({ min: 1, max: 99 }),
        (principalFen, annualRatePct, months, method, pct) => {
          const prepaymentFen = (principalFen * BigInt(pct)) / 100n;
          if (prepaymentFen === 0n) return;
          const r = prepaySchedule({
            remainingPrincipalFen: principalFen,
            remainingMonths: months,
            annualRatePct,
            method,
            prepaymentFen,
            mode: 'keep-installment',
          });
          const kept = (s: Schedule) =>
            method === 'equal-installment' ? s.firstPaymentFen : s.installments[0]!.principalFen;
          expect(kept(r.schedule) <= r.keptAmountFen!).toBe(true);
          expect(r.months <= months).toBe(true);
          if (r.months > 1) {
            // The amount the search compares: M rounded half-up, or the monthly principal part.
            const shorter =
              method === 'equal-installment'
                ? levelInstallmentFen(
                    r.principalAfterFen,
                    levelFactor(monthlyRate(annualRatePct), r.months - 1),
                  )
                : equalPrincipalPartFen(r.principalAfterFen, r.months - 1);
            expect(shorter > r.keptAmountFen!).toBe(true);
          }
          expectWellFormed(r.schedule);
        },
      ),
      { numRuns: 150 },
    );
  });
});
