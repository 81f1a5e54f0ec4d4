// rules.md §1: who may open a flexible-employment account, checked on the application date.
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import {
  ACCOUNT_STATES,
  ACCOUNT_STATE_CODES,
  assertEligible,
  checkEligibility,
  EMPLOYMENT_FORM_LABELS,
  EMPLOYMENT_FORMS,
  type EligibilityInput,
} from './eligibility.ts';
import { parseIdNumber } from './identity.ts';

const params = { minAgeYears: 16 };

/** An eligible applicant: born 1990-01-01, every declaration made, no other account. */
function applicant(overrides: Partial<Record<string, unknown>> = {}): EligibilityInput {
  return {
    birthDate: '1990-01-01',
    applicationDate: '2024-09-01',
    retirementGroup: 'male',
    civilCapacityDeclared: true,
    noUnitAccountElsewhereDeclared: true,
    hasActiveUnitAccount: false,
    hasOpenFlexibleAccount: false,
    employmentForm: 'new_forms',
    ...overrides,
  } as EligibilityInput;
}

function codes(input: EligibilityInput): string[] {
  return checkEligibility(input, params).failures.map((f) => f.code);
}

describe('who may join', () => {
  it('an applicant meeting every rule is eligible, with no failures', () => {
    expect(checkEligibility(applicant(), params)).toEqual({ eligible: true, failures: [] });
  });

  it('takes the birth date from a parsed ID number', () => {
    const idInfo = parseIdNumber('150203199001011232');
    const input = { ...applicant(), idInfo } as EligibilityInput & { birthDate?: string };
    delete input.birthDate;
    expect(checkEligibility(input, params).eligible).toBe(true);
  });

  it('age: 15 years old is refused; on the 16th birthday the applicant is accepted', () => {
    const young = applicant({ birthDate: '2008-09-02', applicationDate: '2024-09-01' });
    const result = checkEligibility(young, params);
    expect(result.eligible).toBe(false);
    expect(result.failures).toEqual([
      {
        code: 'BELOW_MINIMUM_AGE',
        field: 'birthDate',
        message_zh: '未达到开户最低年龄',
        message_en: 'Below the minimum age to open an account',
        details: { ageYears: 15, minAgeYears: 16 },
      },
    ]);
    expect(
      checkEligibility(applicant({ birthDate: '2008-09-01', applicationDate: '2024-09-01' }), params)
        .eligible,
    ).toBe(true);
  });

  it('the minimum age is the dated parameter passed in', () => {
    const seventeen = applicant({ birthDate: '2007-06-01', applicationDate: '2024-09-01' });
    expect(checkEligibility(seventeen, { minAgeYears: 16 }).eligible).toBe(true);
    expect(checkEligibility(seventeen, { minAgeYears: 18 }).failures.map((f) => f.code)).toEqual([
      'BELOW_MINIMUM_AGE',
    ]);
  });

  it('not retired: refused from the retirement date on (a man born 1965-01-15 retires on 2025-02-15)', () => {
    const man = { birthDate: '1965-01-15', retirementGroup: 'male' };
    expect(codes(applicant({ ...man, applicationDate: '2025-02-14' }))).toEqual([]);
    const refused = checkEligibility(applicant({ ...man, applicationDate: '2025-02-15' }), params);
    expect(refused.failures).toEqual([
      expect.objectContaining({
        code: 'RETIREMENT_AGE_REACHED',
        field: 'birthDate',
        details: { retirementDate: '2025-02-15' },
      }),
    ]);
  });

  it('the retirement group matters: a woman born 1975-01-10 reaches 50 y 1 m (50 group) but not 55 y 1 m', () => {
    const woman = { birthDate: '1975-01-10', applicationDate: '2025-06-01' };
    expect(codes(applicant({ ...woman, retirementGroup: 'female50' }))).toEqual(['RETIREMENT_AGE_REACHED']);
    expect(codes(applicant({ ...woman, retirementGroup: 'female55' }))).toEqual([]);
  });

  it('each declaration and account rule is its own failure', () => {
    expect(codes(applicant({ civilCapacityDeclared: false }))).toEqual(['CIVIL_CAPACITY_NOT_DECLARED']);
    expect(codes(applicant({ noUnitAccountElsewhereDeclared: false }))).toEqual([
      'UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED',
    ]);
    expect(codes(applicant({ hasActiveUnitAccount: true }))).toEqual(['ACTIVE_UNIT_ACCOUNT']);
    expect(codes(applicant({ hasOpenFlexibleAccount: true }))).toEqual(['FLEXIBLE_ACCOUNT_EXISTS']);
    expect(codes(applicant({ employmentForm: 'full_time' }))).toEqual(['EMPLOYMENT_FORM_INVALID']);
  });

  it('every employment form of the pilot is accepted', () => {
    for (const form of EMPLOYMENT_FORMS) expect(codes(applicant({ employmentForm: form }))).toEqual([]);
  });

  it('several failures at once are all reported, each with its field and both messages', () => {
    const idInfo = parseIdNumber('11010519491231002X');
    const result = checkEligibility(
      {
        idInfo,
        applicationDate: '2024-09-01',
        retirementGroup: 'female50',
        civilCapacityDeclared: false,
        noUnitAccountElsewhereDeclared: false,
        hasActiveUnitAccount: true,
        hasOpenFlexibleAccount: true,
        employmentForm: 'salaried',
      },
      params,
    );
    expect(result.eligible).toBe(false);
    expect(result.failures.map((f) => [f.code, f.field])).toEqual([
      ['RETIREMENT_AGE_REACHED', 'idNumber'],
      ['CIVIL_CAPACITY_NOT_DECLARED', 'civilCapacityDeclared'],
      ['ACTIVE_UNIT_ACCOUNT', 'hasActiveUnitAccount'],
      ['UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED', 'noUnitAccountElsewhereDeclared'],
      ['EMPLOYMENT_FORM_INVALID', 'employmentForm'],
      ['FLEXIBLE_ACCOUNT_EXISTS', 'hasOpenFlexibleAccount'],
    ]);
    for (const f of result.failures) {
      expect(f.message_zh.length).toBeGreaterThan(0);
      expect(f.message_en.length).toBeGreaterThan(0);
    }
  });

  it('assertEligible throws NOT_ELIGIBLE carrying every failure', () => {
    expect(() => assertEligible(applicant(), params)).not.toThrow();
    try {
      assertEligible(applicant({ civilCapacityDeclared: false, hasOpenFlexibleAccount: true }), params);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.code).toBe('NOT_ELIGIBLE');
      expect((e.details?.failures as { code: string }[]).map((f) => f.code)).toEqual([
        'CIVIL_CAPACITY_NOT_DECLARED',
        'FLEXIBLE_ACCOUNT_EXISTS',
      ]);
    }
  });

  it('malformed input is a bad request, not an ineligible person', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof AppError ? [error.code, error.field] : ['not an AppError'];
      }
      return undefined;
    };
    expect(codeOf(() => checkEligibility(applicant({ applicationDate: '2024-02-30' }), params))).toEqual([
      'INVALID_DATE',
      'applicationDate',
    ]);
    expect(codeOf(() => checkEligibility(applicant({ birthDate: '1990/01/01' }), params))).toEqual([
      'INVALID_DATE',
      'birthDate',
    ]);
    expect(codeOf(() => checkEligibility(applicant({ retirementGroup: 'female' }), params))).toEqual([
      'RETIREMENT_GROUP_INVALID',
      'retirementGroup',
    ]);
    expect(codeOf(() => checkEligibility(applicant(), { minAgeYears: 15.5 }))).toEqual([
      'VALIDATION_FAILED',
      'minAgeYears',
    ]);
  });
});

describe('code lists', () => {
  it('employment forms with Chinese and English labels', () => {
    expect(EMPLOYMENT_FORMS).toEqual(['individual_business', 'part_time', 'new_forms', 'self_employed']);
    expect(EMPLOYMENT_FORMS.map((f) => EMPLOYMENT_FORM_LABELS[f].zh)).toEqual([
      '个体经营',
      '非全日制',
      '新业态',
      '自谋职业',
    ]);
  });

  it('account states (JGJ/T 320, plus 03 merged)', () => {
    expect(ACCOUNT_STATE_CODES.map((c) => `${c} ${ACCOUNT_STATES[c].zh}`)).toEqual([
      '01 正常',
      '02 封存',
      '03 合并',
      '04 外部转出销户',
      '05 提取销户',
      '06 冻结',
      '99 其他',
    ]);
  });
});
