// rules.md §6.2 the quota = min(A, B, C, D) rounded down to 1,000 yuan, every factor table at its
// boundaries, the binding candidate; B's affordability search checked against the installment; §6.1 the
// maximum term (30 years, retirement age + 5 years at maturity).
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  affordability,
  durationFactor,
  loanQuota,
  maximumTerm,
  stabilityFactor,
  type AlertLevel,
  type QuotaInput,
} from './quota.ts';
import { buildSchedule, type RepaymentMethod } from './schedule.ts';

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

/** 50,000 of balance, 24 months, 12/12, normal, grade B; 12,000 income, 1,500 debts; a 1,000,000 first home. */
const base: QuotaInput = {
  applicantBalanceFen: 5_000_000n,
  spouseDepositor: false,
  consecutiveMonths: 24,
  coveredMonthsLast12: 12,
  monthsSinceOpening: 30,
  alertLevel: 'normal',
  creditGrade: 'B',
  monthlyIncomeFen: 1_200_000n,
  monthlyDebtsFen: 150_000n,
  housePriceFen: 100_000_000n,
  home: 'first',
  children: 0,
  annualRatePct: RATE,
  months: 360,
  method: 'equal-installment',
};

function amounts(input: QuotaInput): Record<string, bigint> {
  return Object.fromEntries(loanQuota(input).candidates.map((c) => [c.code, c.amountFen]));
}

describe('§6.2 A: the duration coefficient by consecutive covered months', () => {
  it.each([
    [6, '0.8', '6–11'],
    [11, '0.8', '6–11'],
    [12, '1', '12–23'],
    [23, '1', '12–23'],
    [24, '1.2', '24–35'],
    [35, '1.2', '24–35'],
    [36, '1.5', '36+'],
    [120, '1.5', '36+'],
  ])('%i months → %s (%s)', (months, coefficient, band) => {
    const f = durationFactor(months);
    expect(f.coefficient.toString()).toBe(coefficient);
    expect(f.band).toBe(band);
  });

  it('5 months is not eligible (§6.1: at least 6)', () => {
    expect(codeOf(() => durationFactor(5))).toBe('LOAN_CONSECUTIVE_MONTHS_TOO_FEW');
    expect(codeOf(() => loanQuota({ ...base, consecutiveMonths: 5 }))).toBe(
      'LOAN_CONSECUTIVE_MONTHS_TOO_FEW',
    );
  });
});

describe('§6.2 A: the stability coefficient by covered months among the last 12', () => {
  it.each([
    [12, 12, '1'],
    [11, 12, '0.9'],
    [9, 12, '0.9'],
    [8, 12, '0.8'],
    [0, 12, '0.8'],
  ])('%i of the last 12 (account open %i months or more) → %s', (covered, opened, coefficient) => {
    expect(stabilityFactor(covered, opened).coefficient.toString()).toBe(coefficient);
  });

  it('a younger account counts since opening, scaled to twelfths: 8/8 → 1.0, 6/8 = 9/12 → 0.9, 5/8 → 0.8', () => {
    expect(stabilityFactor(8, 8)).toMatchObject({ windowMonths: 8, coefficient: new Decimal('1.0') });
    expect(stabilityFactor(6, 8).coefficient.toString()).toBe('0.9');
    expect(stabilityFactor(5, 8).coefficient.toString()).toBe('0.8');
  });

  it('refuses more covered months than the window', () => {
    expect(codeOf(() => stabilityFactor(13, 20))).toBe('LOAN_MONTHS_COUNT_INVALID');
    expect(codeOf(() => stabilityFactor(9, 8))).toBe('LOAN_MONTHS_COUNT_INVALID');
  });
});

describe('§6.2 A: liquidity and credit coefficients', () => {
  it.each([
    ['normal', 1_200_000_00n],
    ['level1', 1_080_000_00n],
    ['level2', 960_000_00n],
    ['level3', 840_000_00n],
  ] as [AlertLevel, bigint][])('alert level %s: A = 50,000 × 20 × 1.2 × coefficient', (alertLevel, a) => {
    expect(amounts({ ...base, alertLevel }).A).toBe(a);
  });

  it('credit A × 1.1, B × 1.0, C × 0.9; D is not eligible', () => {
    expect(amounts({ ...base, creditGrade: 'A' }).A).toBe(1_320_000_00n);
    expect(amounts({ ...base, creditGrade: 'B' }).A).toBe(1_200_000_00n);
    expect(amounts({ ...base, creditGrade: 'C' }).A).toBe(1_080_000_00n);
    expect(codeOf(() => loanQuota({ ...base, creditGrade: 'D' }))).toBe('LOAN_CREDIT_GRADE_NOT_ELIGIBLE');
  });

  it('the spouse co-applicant’s balance adds to the applicant’s', () => {
    expect(amounts({ ...base, spouseDepositor: true, spouseBalanceFen: 1_000_000n }).A).toBe(1_440_000_00n);
    expect(codeOf(() => loanQuota({ ...base, spouseBalanceFen: 1_000_000n }))).toBe(
      'LOAN_SPOUSE_NOT_DEPOSITOR',
    );
  });

  it('all factors at once: 12,345.67 × 20 × 0.8 × 0.9 × 0.9 × 1.1 = 175,999.87152 → down to the fen', () => {
    const q = loanQuota({
      ...base,
      applicantBalanceFen: 1_234_567n,
      consecutiveMonths: 6,
      coveredMonthsLast12: 9,
      alertLevel: 'level1',
      creditGrade: 'A',
    });
    // 1,234,567 fen × 14.256 = 17,599,987.152 fen → 175,999.87 → quota 175,000.
    expect(q.candidates[0]!.amountFen).toBe(17_599_987n);
    expect(q.binding.code).toBe('A');
    expect(q.quotaFen).toBe(17_500_000n);
  });
});

describe('§6.2 the quota: min(A, B, C, D), rounded down to 1,000 yuan, with the binding candidate', () => {
  it('the base case: A 1,200,000; B 1,311,387.51; C 800,000; D 600,000 → D binds, 600,000', () => {
    const q = loanQuota(base);
    expect(amounts(base)).toEqual({ A: 120_000_000n, B: 131_138_751n, C: 80_000_000n, D: 60_000_000n });
    expect(q.binding).toMatchObject({ code: 'D', zh: '最高贷款额度', en: 'Cap' });
    expect(q.quotaFen).toBe(60_000_000n);
    expect(q.repayment.monthlyLimitFen).toBe(525_000n);
    // The quota's own installment at 2.6 % over 360 months: 600,000 → 2,402.04.
    expect(q.quotaInstallmentFen).toBe(240_204n);
  });

  it('A binds and is rounded down: 20,012.34 × 20 × 1.2 = 480,296.16 → 480,000', () => {
    const q = loanQuota({ ...base, applicantBalanceFen: 2_001_234n });
    expect(q.binding.code).toBe('A');
    expect(q.binding.amountFen).toBe(48_029_616n);
    expect(q.quotaFen).toBe(48_000_000n);
  });

  it('B binds: 6,000 income, 1,500 debts → 2,250 a month → 562,023.93 → 562,000', () => {
    const q = loanQuota({ ...base, monthlyIncomeFen: 600_000n });
    expect(q.binding).toMatchObject({ code: 'B', amountFen: 56_202_393n });
    expect(q.quotaFen).toBe(56_200_000n);
  });

  it('C binds: a 500,000 second home → 70 % = 350,000; a first home 80 %', () => {
    expect(loanQuota({ ...base, housePriceFen: 50_000_000n, home: 'second' })).toMatchObject({
      binding: { code: 'C', amountFen: 35_000_000n },
      quotaFen: 35_000_000n,
    });
    expect(amounts({ ...base, housePriceFen: 50_000_000n }).C).toBe(40_000_000n);
  });

  it('D: 600,000 single, 800,000 both spouses depositors, +10 % with two or more children', () => {
    const rich = {
      ...base,
      applicantBalanceFen: 50_000_000n,
      monthlyIncomeFen: 10_000_000n,
      housePriceFen: 1_000_000_000n,
    };
    expect(amounts({ ...rich, children: 1 }).D).toBe(60_000_000n);
    expect(loanQuota({ ...rich, children: 2 })).toMatchObject({
      binding: { code: 'D' },
      quotaFen: 66_000_000n,
    });
    expect(amounts({ ...rich, spouseDepositor: true }).D).toBe(80_000_000n);
    expect(amounts({ ...rich, spouseDepositor: true, children: 3 }).D).toBe(88_000_000n);
  });

  it('a tie binds the first of A, B, C, D', () => {
    // A = 25,000 × 20 × 1.2 = 600,000 = D.
    expect(loanQuota({ ...base, applicantBalanceFen: 2_500_000n }).binding.code).toBe('A');
  });

  it('no room for an installment: B = 0, quota 0', () => {
    const q = loanQuota({ ...base, monthlyDebtsFen: 1_300_000n });
    expect(q.binding).toMatchObject({ code: 'B', amountFen: 0n });
    expect(q.quotaFen).toBe(0n);
  });
});

describe('§6.2 B: affordability', () => {
  it('12,000 income, 1,500 debts at 2.6 % over 360 months: limit 5,250; 1,311,387.51 equal installment', () => {
    expect(
      affordability({
        monthlyIncomeFen: 1_200_000n,
        monthlyDebtsFen: 150_000n,
        annualRatePct: RATE,
        months: 360,
        method: 'equal-installment',
      }),
    ).toEqual({ monthlyLimitFen: 525_000n, maxPrincipalFen: 131_138_751n, installmentFen: 525_000n });
  });

  it('equal principal limits the first installment: 6,000 − 1,500 → 2,250 → 455,056.19', () => {
    const r = affordability({
      monthlyIncomeFen: 600_000n,
      monthlyDebtsFen: 150_000n,
      annualRatePct: RATE,
      months: 360,
      method: 'equal-principal',
    });
    expect(r.maxPrincipalFen).toBe(45_505_619n);
    // round(455,056.19 / 360) = 1,264.04 + round(455,056.19 × 2.6 % / 12) = 985.96 → 2,250.00.
    expect(r.installmentFen).toBe(225_000n);
  });

  it('half of an odd fen rounds down: 6,000.01 → 3,000.00', () => {
    const r = affordability({
      monthlyIncomeFen: 600_001n,
      monthlyDebtsFen: 0n,
      annualRatePct: RATE,
      months: 360,
      method: 'equal-principal',
    });
    expect(r.monthlyLimitFen).toBe(300_000n);
  });

  it('property: the schedule of the result fits the limit, one fen (and one yuan) more does not', () => {
    const method = fc.constantFrom<RepaymentMethod>('equal-installment', 'equal-principal');
    fc.assert(
      fc.property(
        // income − debts from 2,000 to 100,000 yuan a month.
        fc.bigInt({ min: 200_000n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        fc.integer({ min: 500, max: 10_000 }).map((m) => new Decimal(m).div(1000)),
        fc.integer({ min: 1, max: 360 }),
        method,
        (availableFen, monthlyDebtsFen, annualRatePct, months, method) => {
          const monthlyIncomeFen = availableFen + monthlyDebtsFen;
          const r = affordability({ monthlyIncomeFen, monthlyDebtsFen, annualRatePct, months, method });
          expect(r.monthlyLimitFen * 2n <= monthlyIncomeFen - monthlyDebtsFen).toBe(true);
          const first = (principalFen: bigint) =>
            buildSchedule({ principalFen, annualRatePct, months, method }).firstPaymentFen;
          expect(first(r.maxPrincipalFen)).toBe(r.installmentFen);
          expect(r.installmentFen <= r.monthlyLimitFen).toBe(true);
          expect(first(r.maxPrincipalFen + 1n) > r.monthlyLimitFen).toBe(true);
          expect(first(r.maxPrincipalFen + 100n) > r.monthlyLimitFen).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('§6.1 the maximum term', () => {
  it('a man born 1970-06-15 retires at 61 y 5 m; + 5 years → maturity by 2036-11-15', () => {
    expect(
      maximumTerm({ contractDate: '2026-01-10', birthDate: '1970-06-15', retirementGroup: 'male' }),
    ).toEqual({
      maximumMonths: 130,
      ageLimit: { retirementAge: { years: 61, months: 5 }, latestMaturity: '2036-11-15' },
    });
    // Contracted on the 20th, 130 months would end 2036-11-20, five days late.
    expect(
      maximumTerm({ contractDate: '2026-01-20', birthDate: '1970-06-15', retirementGroup: 'male' })
        .maximumMonths,
    ).toBe(129);
  });

  it('a woman of the 50 group born 1990-03-01 retires at 55 → maturity by 2050-03-01: 289 months', () => {
    expect(
      maximumTerm({ contractDate: '2026-01-20', birthDate: '1990-03-01', retirementGroup: 'female50' })
        .maximumMonths,
    ).toBe(289);
  });

  it('30 years at most; without a birth date only that', () => {
    expect(
      maximumTerm({ contractDate: '2026-01-20', birthDate: '1995-03-01', retirementGroup: 'male' }),
    ).toEqual({
      maximumMonths: 360,
    });
    expect(maximumTerm({ contractDate: '2026-01-20' })).toEqual({ maximumMonths: 360 });
  });

  it('past retirement + 5 years no term is possible', () => {
    expect(
      codeOf(() =>
        maximumTerm({ contractDate: '2026-01-20', birthDate: '1958-01-01', retirementGroup: 'male' }),
      ),
    ).toBe('LOAN_TERM_NOT_AVAILABLE');
  });
});
