// Account numbers: pool digit + 10-digit sequence + Luhn check digit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidAccountNumber,
  luhnCheckDigit,
  makeAccountNumber,
  parseAccountNumber,
  type AccountPool,
} from './account-number.ts';
import { AppError } from './errors.ts';

describe('account numbers', () => {
  it('are 12 digits: 8 for the flexible pool, 1 for the mandatory pool, the sequence, a Luhn digit', () => {
    expect(makeAccountNumber('FLEX', 1n)).toBe('800000000011');
    expect(makeAccountNumber('MANDATORY', 1n)).toBe('100000000016');
    expect(makeAccountNumber('FLEX', 9_999_999_999n)).toBe('899999999993');
  });

  it('uses the standard Luhn digit (the textbook 7992739871 → 3)', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
  });

  it('validates, and parses back to the pool and sequence', () => {
    expect(isValidAccountNumber('800000000011')).toBe(true);
    expect(parseAccountNumber('8000 0000 0011')).toEqual({ pool: 'FLEX', sequence: 1n });
    expect(parseAccountNumber('100000000016')).toEqual({ pool: 'MANDATORY', sequence: 1n });
  });

  it('refuses a wrong check digit, an unknown pool digit, or the wrong length', () => {
    for (const bad of ['800000000012', '500000000011', '80000000011', '8000000000110', '80000000001X', '']) {
      expect(isValidAccountNumber(bad)).toBe(false);
    }
    expect(() => parseAccountNumber('800000000012')).toThrow(AppError);
  });

  it('refuses a sequence outside 1 … 9,999,999,999', () => {
    for (const sequence of [0n, -1n, 10_000_000_000n]) {
      try {
        makeAccountNumber('FLEX', sequence);
        expect.unreachable();
      } catch (error) {
        expect((error as AppError).code).toBe('ACCOUNT_SEQUENCE_OUT_OF_RANGE');
      }
    }
  });

  it('property: every generated number validates and parses back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AccountPool>('FLEX', 'MANDATORY'),
        fc.bigInt(1n, 9_999_999_999n),
        (pool, sequence) => {
          const number = makeAccountNumber(pool, sequence);
          expect(number).toHaveLength(12);
          expect(isValidAccountNumber(number)).toBe(true);
          expect(parseAccountNumber(number)).toEqual({ pool, sequence });
        },
      ),
    );
  });

  it('property: any single-digit change is detected', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AccountPool>('FLEX', 'MANDATORY'),
        fc.bigInt(1n, 9_999_999_999n),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (pool, sequence, position, delta) => {
          const number = makeAccountNumber(pool, sequence);
          const digit = (Number(number[position]) + delta) % 10;
          const changed = number.slice(0, position) + String(digit) + number.slice(position + 1);
          expect(isValidAccountNumber(changed)).toBe(false);
        },
      ),
    );
  });
});
