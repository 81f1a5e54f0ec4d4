// Who may open a flexible-employment account (rules.md §1): every rule checked on the application date,
// every failure reported (not only the first), plus the code lists of employment forms and account states.
import { AppError, errorBody, type ErrorCode } from './errors.ts';
import { fullYearsBetween, isIsoDate, type IsoDate } from './dates.ts';
import type { IdInfo } from './identity.ts';
import { isRetirementGroup, retirementDate, type RetirementGroup } from './retirement.ts';

/** Forms of flexible employment the pilot covers (rules.md §1). */
export const EMPLOYMENT_FORMS = ['individual_business', 'part_time', 'new_forms', 'self_employed'] as const;
export type EmploymentForm = (typeof EMPLOYMENT_FORMS)[number];

export const EMPLOYMENT_FORM_LABELS: Record<EmploymentForm, { zh: string; en: string }> = {
  individual_business: { zh: '个体经营', en: 'Individual business' },
  part_time: { zh: '非全日制', en: 'Part-time' },
  new_forms: { zh: '新业态', en: 'New forms of employment (platform work)' },
  self_employed: { zh: '自谋职业', en: 'Self-employment' },
};

export function isEmploymentForm(value: string): value is EmploymentForm {
  return (EMPLOYMENT_FORMS as readonly string[]).includes(value);
}

/** Account states, JGJ/T 320 codes; 03 (merged) is ours (rules.md §1). */
export const ACCOUNT_STATE_CODES = ['01', '02', '03', '04', '05', '06', '99'] as const;
export type AccountStateCode = (typeof ACCOUNT_STATE_CODES)[number];

export const ACCOUNT_STATES: Record<AccountStateCode, { zh: string; en: string }> = {
  '01': { zh: '正常', en: 'Normal' },
  '02': { zh: '封存', en: 'Sealed' },
  '03': { zh: '合并', en: 'Merged' },
  '04': { zh: '外部转出销户', en: 'Closed by transfer out' },
  '05': { zh: '提取销户', en: 'Closed by withdrawal' },
  '06': { zh: '冻结', en: 'Frozen' },
  '99': { zh: '其他', en: 'Other' },
};

export function isAccountStateCode(value: string): value is AccountStateCode {
  return (ACCOUNT_STATE_CODES as readonly string[]).includes(value);
}

/** The person's birth date comes from the parsed ID (field idNumber) or is given directly (field birthDate). */
export type EligibilityInput = ({ idInfo: Pick<IdInfo, 'birthDate'> } | { birthDate: IsoDate }) & {
  applicationDate: IsoDate;
  retirementGroup: RetirementGroup;
  civilCapacityDeclared: boolean;
  noUnitAccountElsewhereDeclared: boolean;
  /** An active (state 01) unit account in this center. */
  hasActiveUnitAccount: boolean;
  /** A flexible account in this center that is not closed (one account per person, §1). */
  hasOpenFlexibleAccount: boolean;
  employmentForm: string;
};

/** Dated parameters in force on the application date (eligibility.min_age_years). */
export interface EligibilityParams {
  minAgeYears: number;
}

export interface EligibilityFailure {
  code: ErrorCode;
  field: string;
  message_zh: string;
  message_en: string;
  details?: Record<string, unknown>;
}

export interface EligibilityResult {
  eligible: boolean;
  failures: EligibilityFailure[];
}

function failure(code: ErrorCode, field: string, details?: Record<string, unknown>): EligibilityFailure {
  const body = errorBody(code);
  const result: EligibilityFailure = {
    code,
    field,
    message_zh: body.message_zh,
    message_en: body.message_en,
  };
  if (details !== undefined) result.details = details;
  return result;
}

/**
 * Checks every rule of §1 on the application date. Malformed input (a date that is not a date, an unknown
 * retirement group, a bad parameter) throws AppError: that is a bad request, not an ineligible person.
 */
export function checkEligibility(input: EligibilityInput, params: EligibilityParams): EligibilityResult {
  const fromId = 'idInfo' in input;
  const birthDate = fromId ? input.idInfo.birthDate : input.birthDate;
  const birthField = fromId ? 'idNumber' : 'birthDate';
  if (!isIsoDate(birthDate)) throw new AppError('INVALID_DATE', { field: birthField });
  if (!isIsoDate(input.applicationDate)) throw new AppError('INVALID_DATE', { field: 'applicationDate' });
  if (!isRetirementGroup(input.retirementGroup)) {
    throw new AppError('RETIREMENT_GROUP_INVALID', { field: 'retirementGroup' });
  }
  if (!Number.isInteger(params.minAgeYears) || params.minAgeYears < 0) {
    throw new AppError('VALIDATION_FAILED', { field: 'minAgeYears', details: { value: params.minAgeYears } });
  }

  const failures: EligibilityFailure[] = [];

  // Age: at least the minimum in full years on the application date (the birthday itself counts).
  const age = fullYearsBetween(birthDate, input.applicationDate);
  if (age < params.minAgeYears) {
    failures.push(
      failure('BELOW_MINIMUM_AGE', birthField, { ageYears: age, minAgeYears: params.minAgeYears }),
    );
  }

  // Not retired: the application date is before the day the statutory age is reached (§10).
  const retiresOn = retirementDate(birthDate, input.retirementGroup);
  if (input.applicationDate >= retiresOn) {
    failures.push(failure('RETIREMENT_AGE_REACHED', birthField, { retirementDate: retiresOn }));
  }

  if (!input.civilCapacityDeclared)
    failures.push(failure('CIVIL_CAPACITY_NOT_DECLARED', 'civilCapacityDeclared'));

  // Not in mandatory coverage: none active here (our records), none elsewhere (their declaration).
  if (input.hasActiveUnitAccount) failures.push(failure('ACTIVE_UNIT_ACCOUNT', 'hasActiveUnitAccount'));
  if (!input.noUnitAccountElsewhereDeclared) {
    failures.push(failure('UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED', 'noUnitAccountElsewhereDeclared'));
  }

  if (!isEmploymentForm(input.employmentForm)) {
    failures.push(failure('EMPLOYMENT_FORM_INVALID', 'employmentForm', { value: input.employmentForm }));
  }

  if (input.hasOpenFlexibleAccount)
    failures.push(failure('FLEXIBLE_ACCOUNT_EXISTS', 'hasOpenFlexibleAccount'));

  return { eligible: failures.length === 0, failures };
}

/** For services that refuse outright: NOT_ELIGIBLE carrying every failure in details.failures. */
export function assertEligible(input: EligibilityInput, params: EligibilityParams): void {
  const result = checkEligibility(input, params);
  if (!result.eligible) throw new AppError('NOT_ELIGIBLE', { details: { failures: result.failures } });
}
