// Error codes of identity documents (rules.md §11), retirement age (§10), who may join (§1) and account
// numbers. Messages never repeat the ID number: it is personal data (§11).
import type { ErrorEntry } from './types.ts';

export const IDENTITY_ERRORS = {
  ID_NUMBER_EMPTY: { kind: 'validation', zh: '请填写证件号码', en: 'The ID number is required' },
  ID_NUMBER_MALFORMED: {
    kind: 'validation',
    zh: '证件号码格式错误：应为18位（末位可为X）或15位数字',
    en: 'Malformed ID number: expected 18 characters (the last may be X) or 15 digits',
  },
  ID_NUMBER_DIVISION: {
    kind: 'validation',
    zh: '证件号码的地址码无效（前两位不是有效的省级代码）',
    en: 'Invalid ID number: the first two digits are not a valid province code',
  },
  ID_NUMBER_BIRTH_DATE: {
    kind: 'validation',
    zh: '证件号码中的出生日期无效',
    en: 'Invalid ID number: the birth date in it is not a real date',
  },
  ID_NUMBER_CHECKSUM: {
    kind: 'validation',
    zh: '证件号码校验位错误，请核对号码',
    en: 'Invalid ID number: the check character does not match; please check the number',
  },
  FOREIGN_ID_MALFORMED: {
    kind: 'validation',
    zh: '外国人永久居留身份证号码格式错误：应为以9开头的18位，或3位字母加12位数字',
    en: 'Malformed foreign permanent resident ID: expected 18 characters starting with 9, or 3 letters and 12 digits',
  },
  RETIREMENT_GROUP_INVALID: {
    kind: 'validation',
    zh: '退休年龄类别无效，应为 male、female55 或 female50',
    en: 'Invalid retirement group; expected male, female55 or female50',
  },
  // Eligibility to open a flexible account (rules.md §1); checkEligibility lists every failure.
  NOT_ELIGIBLE: { kind: 'rule', zh: '不符合开户条件', en: 'Not eligible to open a flexible account' },
  BELOW_MINIMUM_AGE: {
    kind: 'rule',
    zh: '未达到开户最低年龄',
    en: 'Below the minimum age to open an account',
  },
  RETIREMENT_AGE_REACHED: {
    kind: 'rule',
    zh: '已达到法定退休年龄，不能开立灵活就业缴存账户',
    en: 'The statutory retirement age has been reached; a flexible account cannot be opened',
  },
  CIVIL_CAPACITY_NOT_DECLARED: {
    kind: 'rule',
    zh: '须声明具有完全民事行为能力',
    en: 'A declaration of full civil capacity is required',
  },
  ACTIVE_UNIT_ACCOUNT: {
    kind: 'rule',
    zh: '在本中心有正常缴存的单位住房公积金账户',
    en: 'The person has an active unit (employer) HPF account in this center',
  },
  UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED: {
    kind: 'rule',
    zh: '须声明未在其他城市参加单位住房公积金缴存',
    en: 'A declaration of no unit (employer) HPF account in any other city is required',
  },
  EMPLOYMENT_FORM_INVALID: {
    kind: 'rule',
    zh: '就业形式须为个体经营、非全日制、新业态或自谋职业',
    en: 'The form of employment must be individual business, part-time, new forms or self-employment',
  },
  // FLEXIBLE_ACCOUNT_EXISTS (one flexible account per person) is defined once, in accounts.ts.
  // Account numbers (src/domain/account-number.ts).
  ACCOUNT_NUMBER_INVALID: {
    kind: 'validation',
    zh: '账号格式错误或校验位不符',
    en: 'Invalid account number: wrong format or check digit',
  },
  ACCOUNT_SEQUENCE_OUT_OF_RANGE: {
    kind: 'internal',
    zh: '账号序号超出范围',
    en: 'The account number sequence is out of range',
  },
} as const satisfies Record<string, ErrorEntry>;
