// Error codes of the unit side and identity conversion (rules.md §5.3): unit accounts, unit
// remittances, and conversions flexible → unit and unit → flexible.
import type { ErrorEntry } from './types.ts';

export const CONVERSION_ERRORS = {
  CONVERSION_ACCOUNT_FROZEN: {
    kind: 'rule',
    zh: '账户已冻结，不能办理身份转换',
    en: 'The account is frozen: no conversion',
  },
  CONVERSION_ACCOUNT_CLOSED: {
    kind: 'rule',
    zh: '账户已销户或已转换，不能办理身份转换',
    en: 'The account is closed or already converted',
  },
  CONVERSION_NOT_FLEXIBLE: {
    kind: 'rule',
    zh: '转出账户须为灵活就业人员账户',
    en: 'The account converted must be a flexible-employment account',
  },
  CONVERSION_NOT_UNIT: {
    kind: 'rule',
    zh: '转出账户须为单位缴存账户',
    en: 'The account converted must be a unit account',
  },
  CONVERSION_UNIT_NOT_SEALED: {
    kind: 'rule',
    zh: '单位账户未封存，不能转为灵活就业账户',
    en: 'The unit account is not sealed: it cannot become a flexible account',
  },
  CONVERSION_UNIT_ACCOUNT_NOT_OPEN: {
    kind: 'rule',
    zh: '转入的单位账户须为正常状态',
    en: 'The unit account receiving the money must be in normal state',
  },
  CONVERSION_OTHER_PERSON: {
    kind: 'rule',
    zh: '转出与转入账户不属于同一缴存人',
    en: 'The two accounts belong to different people',
  },
  CONVERSION_LOAN_OUTSTANDING: {
    kind: 'rule',
    zh: '有未结清的住房公积金贷款，不能办理身份转换',
    en: 'A housing provident fund loan is outstanding: no conversion',
  },
  CONVERSION_AGREEMENT_REQUIRED: {
    kind: 'rule',
    zh: '转为灵活就业账户前须签订缴存协议',
    en: 'Sign the flexible-employment agreement before the conversion',
  },
  CONVERSION_NOT_FOUND: { kind: 'not_found', zh: '身份转换记录不存在', en: 'Conversion not found' },
  UNIT_ACCOUNT_NOT_FOUND: { kind: 'not_found', zh: '单位账户不存在', en: 'Unit account not found' },
  UNIT_SEAL_REASON_REQUIRED: {
    kind: 'validation',
    zh: '封存须填写原因',
    en: 'A reason is required to seal the account',
  },
  UNIT_REMITTANCE_EXISTS: {
    kind: 'conflict',
    zh: '该单位该月已汇缴',
    en: 'This unit already remitted for this month',
  },
  UNIT_REMITTANCE_EMPTY: {
    kind: 'rule',
    zh: '没有可汇缴的职工账户（须为正常状态并有月缴存额）',
    en: 'No employee account to remit for (normal state with a monthly amount)',
  },
  UNIT_REMITTANCE_ACCOUNT_INVALID: {
    kind: 'rule',
    zh: '汇缴账户须为本单位正常状态的职工账户',
    en: 'A remitted account must be a normal unit account of this unit',
  },
} as const satisfies Record<string, ErrorEntry>;
