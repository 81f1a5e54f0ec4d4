// rules.md §6.3: the rate in force on the contract date by home and term, and the January 1 switch of
// loans over one year after a table change.
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { loanRateOn, loanRateOnContract, repricingDate, type Home } from './rates.ts';

function rate(contractDate: string, home: Home, termMonths: number): string {
  return loanRateOnContract({ contractDate, home, termMonths }).ratePct.toFixed(3);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('§6.3 the rate a loan takes on its contract date', () => {
  it('from 2025-05-08: first home 2.10 / 2.60, second home 2.525 / 3.075 (≤ 5 years / over)', () => {
    expect(rate('2025-05-08', 'first', 60)).toBe('2.100');
    expect(rate('2025-05-08', 'first', 61)).toBe('2.600');
    expect(rate('2025-05-08', 'second', 60)).toBe('2.525');
    expect(rate('2025-05-08', 'second', 360)).toBe('3.075');
  });

  it('the day before, the 2024-05-18 row: 2.35 / 2.85 / 2.775 / 3.325', () => {
    expect(rate('2025-05-07', 'first', 12)).toBe('2.350');
    expect(rate('2025-05-07', 'first', 240)).toBe('2.850');
    expect(rate('2024-05-18', 'second', 36)).toBe('2.775');
    expect(rate('2024-05-18', 'second', 120)).toBe('3.325');
  });

  it('names the row and the column', () => {
    expect(loanRateOnContract({ contractDate: '2026-03-01', home: 'first', termMonths: 360 })).toMatchObject({
      from: '2025-05-08',
      column: 'firstHomeOver5Years',
    });
  });

  it('refuses a contract before the first row, a bad date, an unknown home', () => {
    expect(codeOf(() => rate('2024-05-17', 'first', 360))).toBe('LOAN_RATE_NOT_IN_FORCE');
    expect(codeOf(() => rate('2025-02-30', 'first', 360))).toBe('INVALID_DATE');
    expect(codeOf(() => rate('2025-06-01', 'third' as Home, 360))).toBe('LOAN_HOME_INVALID');
  });
});

describe('§6.3 a table change reaches existing loans over one year on the next January 1', () => {
  const loan = { contractDate: '2024-09-01', home: 'first' as const, termMonths: 360 };

  it('the 2025-05-08 row applies from 2026-01-01', () => {
    expect(repricingDate('2025-05-08')).toBe('2026-01-01');
    expect(loanRateOn({ ...loan, onDate: '2025-12-31' }).ratePct.toFixed(2)).toBe('2.85');
    const after = loanRateOn({ ...loan, onDate: '2026-01-01' });
    expect(after.ratePct.toFixed(2)).toBe('2.60');
    expect(after.repricedFrom).toBe('2026-01-01');
  });

  it('a loan of one year or less keeps its contract rate', () => {
    expect(loanRateOn({ ...loan, termMonths: 12, onDate: '2026-06-01' }).ratePct.toFixed(2)).toBe('2.35');
  });

  it('a loan contracted under the new row keeps it', () => {
    expect(loanRateOn({ ...loan, contractDate: '2025-06-01', onDate: '2027-01-01' }).ratePct.toFixed(2)).toBe(
      '2.60',
    );
  });
});
