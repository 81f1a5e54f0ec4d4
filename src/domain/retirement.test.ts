// rules.md §10: statutory retirement age after the 2025 reform.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsToMonth } from './dates.ts';
import { AppError } from './errors.ts';
import {
  defaultRetirementGroup,
  isRetired,
  retirementAge,
  retirementDate,
  retirementMonth,
  type RetirementGroup,
} from './retirement.ts';

function expectRetirement(
  birthMonth: string,
  group: RetirementGroup,
  years: number,
  months: number,
  month: string,
) {
  expect(retirementAge(birthMonth, group)).toEqual({ years, months });
  expect(retirementMonth(birthMonth, group)).toBe(month);
}

describe('men: start cohort 1965-01, 60 years, +1 month per 4 birth months, cap +36', () => {
  it('the rule-book example: a man born 1965-01 retires at 60 years 1 month, in 2025-02', () => {
    expectRetirement('1965-01', 'male', 60, 1, '2025-02');
  });

  it('a man born 1970-06 retires at 61 years 5 months, in 2031-11', () => {
    expectRetirement('1970-06', 'male', 61, 5, '2031-11');
  });

  it('steps every 4 birth months', () => {
    expectRetirement('1965-04', 'male', 60, 1, '2025-05');
    expectRetirement('1965-05', 'male', 60, 2, '2025-07');
  });

  it('reaches the cap of 63 with the cohort born 1976-09, and stays there', () => {
    expectRetirement('1976-08', 'male', 62, 11, '2039-07');
    expectRetirement('1976-09', 'male', 63, 0, '2039-09');
    expectRetirement('1980-01', 'male', 63, 0, '2043-01');
  });

  it('before the start cohort the original age holds', () => {
    expectRetirement('1964-12', 'male', 60, 0, '2024-12');
    expectRetirement('1950-03', 'male', 60, 0, '2010-03');
  });
});

describe('women, 55 group: start cohort 1970-01, 55 years, +1 month per 4 birth months, cap +36', () => {
  it('before, at and after the start cohort', () => {
    expectRetirement('1969-12', 'female55', 55, 0, '2024-12');
    expectRetirement('1970-01', 'female55', 55, 1, '2025-02');
    expectRetirement('1972-06', 'female55', 55, 8, '2028-02');
  });

  it('reaches the cap of 58 with the cohort born 1981-09', () => {
    expectRetirement('1981-08', 'female55', 57, 11, '2039-07');
    expectRetirement('1981-09', 'female55', 58, 0, '2039-09');
    expectRetirement('1990-01', 'female55', 58, 0, '2048-01');
  });
});

describe('women, 50 group: start cohort 1975-01, 50 years, +1 month per 2 birth months, cap +60', () => {
  it('before, at and after the start cohort', () => {
    expectRetirement('1974-12', 'female50', 50, 0, '2024-12');
    expectRetirement('1975-01', 'female50', 50, 1, '2025-02');
    expectRetirement('1975-03', 'female50', 50, 2, '2025-05');
  });

  it('reaches the cap of 55 with the cohort born 1984-11', () => {
    expectRetirement('1984-10', 'female50', 54, 11, '2039-09');
    expectRetirement('1984-11', 'female50', 55, 0, '2039-11');
    expectRetirement('1995-06', 'female50', 55, 0, '2050-06');
  });
});

describe('the retirement date', () => {
  it('is the birth date plus the age', () => {
    expect(retirementDate('1970-06-15', 'male')).toBe('2031-11-15');
    expect(retirementDate('1965-01-01', 'male')).toBe('2025-02-01');
  });

  it('clamps the day to the target month', () => {
    // 1965-01-31 + 60 y 1 m → February 2025 has 28 days.
    expect(retirementDate('1965-01-31', 'male')).toBe('2025-02-28');
  });

  it('isRetired is true from the retirement date on', () => {
    expect(isRetired('1970-06-15', 'male', '2031-11-14')).toBe(false);
    expect(isRetired('1970-06-15', 'male', '2031-11-15')).toBe(true);
    expect(isRetired('1970-06-15', 'male', '2040-01-01')).toBe(true);
  });
});

describe('groups and bad input', () => {
  it('the default group: men "male", women "female50" (the 55 group is declared)', () => {
    expect(defaultRetirementGroup('male')).toBe('male');
    expect(defaultRetirementGroup('female')).toBe('female50');
  });

  it('refuses an unknown group and a malformed month or date', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof AppError ? error.code : 'not an AppError';
      }
      return undefined;
    };
    expect(codeOf(() => retirementAge('1970-06', 'women' as RetirementGroup))).toBe(
      'RETIREMENT_GROUP_INVALID',
    );
    expect(codeOf(() => retirementAge('1970-13', 'male'))).toBe('INVALID_MONTH');
    expect(codeOf(() => retirementAge('1970-6', 'male'))).toBe('INVALID_MONTH');
    expect(codeOf(() => retirementDate('1970-02-30', 'male'))).toBe('INVALID_DATE');
    expect(codeOf(() => isRetired('1970-02-03', 'male', '2031-1-1'))).toBe('INVALID_DATE');
  });

  it('property: the delay never decreases with later birth months and stays within the cap', () => {
    const caps: Record<RetirementGroup, [number, number]> = {
      male: [720, 756],
      female55: [660, 696],
      female50: [600, 660],
    };
    fc.assert(
      fc.property(
        fc.constantFrom<RetirementGroup>('male', 'female55', 'female50'),
        fc.integer({ min: 0, max: 1200 }),
        (group, offset) => {
          const month = addMonthsToMonth('1940-01', offset);
          const next = addMonthsToMonth(month, 1);
          const total = (m: string) => {
            const age = retirementAge(m, group);
            return age.years * 12 + age.months;
          };
          expect(total(next)).toBeGreaterThanOrEqual(total(month));
          expect(total(next) - total(month)).toBeLessThanOrEqual(1);
          expect(total(month)).toBeGreaterThanOrEqual(caps[group][0]);
          expect(total(month)).toBeLessThanOrEqual(caps[group][1]);
        },
      ),
    );
  });
});
