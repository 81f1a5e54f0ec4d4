// rules.md §4.2: the deposit subsidy on closure by withdrawal.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.ts';
import { AppError } from './errors.ts';
import { depositSubsidy } from './subsidy.ts';

const NEVER_USED = { withdrawal: false, loan: false, transferOut: false, conversion: false };
const BASE = {
  annualRatePct: new Decimal('0.5'),
  capFen: 1_000_000n, // 10,000.00 per person, lifetime
  used: NEVER_USED,
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('§4.2 amount: Σ amount × 0.5 % × days(credit → closure) / 360', () => {
  it('1,000.00 credited 2024-08-01, closed 2025-09-01 (396 days): 5.50', () => {
    const result = depositSubsidy({
      ...BASE,
      closureDate: '2025-09-01',
      firstDepositDate: '2024-08-01',
      deposits: [{ date: '2024-08-01', amountFen: 100_000n }],
    });
    expect(result).toMatchObject({
      eligible: true,
      reasons: [],
      subsidyFen: 550n,
      uncappedFen: 550n,
      capped: false,
    });
    expect(result.perDeposit).toHaveLength(1);
    expect(result.perDeposit[0]).toMatchObject({ date: '2024-08-01', amountFen: 100_000n, days: 396 });
    expect(result.perDeposit[0]!.subsidyFen.toString()).toBe('550');
  });

  it('sums the deposits and rounds half-up once', () => {
    // Each 1.00 × 0.5 % × 288 / 360 = 0.4 fen; two of them 0.8 fen → 1 fen (rounding each would give 0).
    const result = depositSubsidy({
      ...BASE,
      closureDate: '2025-09-01',
      firstDepositDate: '2024-08-01',
      deposits: [
        { date: '2024-08-01', amountFen: 100_000n },
        { date: '2024-11-17', amountFen: 100n },
        { date: '2024-11-17', amountFen: 100n },
      ],
    });
    expect(result.perDeposit.map((d) => [d.days, d.subsidyFen.toString()])).toEqual([
      [396, '550'],
      [288, '0.4'],
      [288, '0.4'],
    ]);
    expect(result.subsidyFen).toBe(551n);
  });

  it('is limited to the lifetime cap less what was already paid', () => {
    // 1,000,000.00 × 0.5 % × 800 / 360 = 11,111.11 > 10,000.00.
    const input = {
      ...BASE,
      closureDate: '2026-10-10',
      firstDepositDate: '2024-08-01',
      deposits: [{ date: '2024-08-01', amountFen: 100_000_000n }],
    };
    expect(depositSubsidy(input)).toMatchObject({
      eligible: true,
      uncappedFen: 1_111_111n,
      subsidyFen: 1_000_000n,
      capped: true,
    });
    expect(depositSubsidy({ ...input, alreadyPaidFen: 300_000n }).subsidyFen).toBe(700_000n);
    expect(depositSubsidy({ ...input, alreadyPaidFen: 1_000_000n }).subsidyFen).toBe(0n);
    expect(depositSubsidy({ ...input, alreadyPaidFen: 2_000_000n }).subsidyFen).toBe(0n);
  });
});

describe('§4.2 eligibility: at least one year since the first deposit, never used', () => {
  const deposits = [{ date: '2024-08-01', amountFen: 100_000n }];

  it('one year to the day is enough; a day less is not', () => {
    const base = { ...BASE, firstDepositDate: '2024-08-01', deposits };
    expect(depositSubsidy({ ...base, closureDate: '2025-08-01' }).eligible).toBe(true);
    const early = depositSubsidy({ ...base, closureDate: '2025-07-31' });
    expect(early).toMatchObject({ eligible: false, subsidyFen: 0n });
    expect(early.uncappedFen).toBe(506n); // 364 days: 505.56 fen, still shown to explain the decision
    expect(early.reasons).toEqual([
      {
        code: 'SUBSIDY_LESS_THAN_ONE_YEAR',
        message_zh: '首次缴存至销户不满一年，不能享受缴存补贴',
        message_en: 'Less than one year from the first deposit to closure: no deposit subsidy',
      },
    ]);
  });

  it('a first deposit on Feb 29 reaches its year on Feb 28', () => {
    const base = {
      ...BASE,
      firstDepositDate: '2024-02-29',
      deposits: [{ date: '2024-02-29', amountFen: 100_000n }],
    };
    expect(depositSubsidy({ ...base, closureDate: '2025-02-28' }).eligible).toBe(true);
    expect(depositSubsidy({ ...base, closureDate: '2025-02-27' }).eligible).toBe(false);
  });

  it('any use of the account (withdrawal, loan, transfer out, conversion) rules it out, each with its reason', () => {
    const base = { ...BASE, closureDate: '2025-09-01', firstDepositDate: '2024-08-01', deposits };
    const cases = [
      ['withdrawal', 'SUBSIDY_USED_WITHDRAWAL'],
      ['loan', 'SUBSIDY_USED_LOAN'],
      ['transferOut', 'SUBSIDY_USED_TRANSFER_OUT'],
      ['conversion', 'SUBSIDY_USED_CONVERSION'],
    ] as const;
    for (const [use, code] of cases) {
      const result = depositSubsidy({ ...base, used: { ...NEVER_USED, [use]: true } });
      expect(result.eligible).toBe(false);
      expect(result.subsidyFen).toBe(0n);
      expect(result.reasons.map((r) => r.code)).toEqual([code]);
    }
    const all = depositSubsidy({
      ...base,
      closureDate: '2025-01-01',
      used: { withdrawal: true, loan: true, transferOut: true, conversion: true },
    });
    expect(all.reasons.map((r) => r.code)).toEqual([
      'SUBSIDY_LESS_THAN_ONE_YEAR',
      'SUBSIDY_USED_WITHDRAWAL',
      'SUBSIDY_USED_LOAN',
      'SUBSIDY_USED_TRANSFER_OUT',
      'SUBSIDY_USED_CONVERSION',
    ]);
  });

  it('no deposits: not eligible', () => {
    const result = depositSubsidy({
      ...BASE,
      closureDate: '2025-09-01',
      firstDepositDate: null,
      deposits: [],
    });
    expect(result).toMatchObject({ eligible: false, subsidyFen: 0n, uncappedFen: 0n });
    expect(result.reasons.map((r) => r.code)).toEqual(['SUBSIDY_NO_DEPOSITS']);
  });

  it('refuses bad input: a deposit after closure, a bad date, a non-positive amount, a negative rate or cap', () => {
    const base = { ...BASE, closureDate: '2025-09-01', firstDepositDate: '2024-08-01' };
    expect(codeOf(() => depositSubsidy({ ...base, deposits: [{ date: '2025-09-02', amountFen: 1n }] }))).toBe(
      'SUBSIDY_DEPOSIT_AFTER_CLOSURE',
    );
    expect(codeOf(() => depositSubsidy({ ...base, deposits: [{ date: '2025-02-29', amountFen: 1n }] }))).toBe(
      'INVALID_DATE',
    );
    expect(codeOf(() => depositSubsidy({ ...base, deposits: [{ date: '2025-01-01', amountFen: 0n }] }))).toBe(
      'AMOUNT_NOT_POSITIVE',
    );
    expect(codeOf(() => depositSubsidy({ ...base, annualRatePct: new Decimal(-0.5), deposits }))).toBe(
      'INVALID_RATE',
    );
    expect(codeOf(() => depositSubsidy({ ...base, capFen: -1n, deposits }))).toBe('AMOUNT_NEGATIVE');
  });
});

describe('§4.2 properties', () => {
  it('never more than the remaining cap, never negative, and zero unless eligible', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 1000 }),
            amountFen: fc.bigInt({ min: 1n, max: 10_000_000n }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        fc.boolean(),
        (raw, alreadyPaidFen, loan) => {
          const deposits = raw.map((d) => ({
            date: addDays('2022-01-01', d.offset),
            amountFen: d.amountFen,
          }));
          const first = deposits.map((d) => d.date).sort()[0]!;
          const result = depositSubsidy({
            ...BASE,
            alreadyPaidFen,
            closureDate: '2025-01-01',
            firstDepositDate: first,
            deposits,
            used: { ...NEVER_USED, loan },
          });
          expect(result.subsidyFen >= 0n).toBe(true);
          expect(result.subsidyFen <= result.uncappedFen).toBe(true);
          expect(result.subsidyFen + alreadyPaidFen <= BASE.capFen || result.subsidyFen === 0n).toBe(true);
          if (!result.eligible) expect(result.subsidyFen).toBe(0n);
          expect(result.eligible).toBe(!loan && first <= '2024-01-01');
        },
      ),
    );
  });
});
