import type { ErrorEntry } from './types.ts';

export const ACCOUNT_ERRORS = {
  PARAMETER_UNKNOWN: { kind: 'validation', zh: '参数不存在', en: 'Unknown parameter' },
  PARAMETER_VALUE_INVALID: {
    kind: 'validation',
    zh: '参数值不符合要求',
    en: 'The parameter value is not valid',
  },
  PARAMETER_NOT_SET: {
    kind: 'internal',
    zh: '该日期没有生效的参数值',
    en: 'No parameter value is in force on that date',
  },
  PARAMETER_NOTICE_TOO_SHORT: {
    kind: 'rule',
    zh: '生效日期早于规定的公告期',
    en: 'The effective date is sooner than the required notice period',
  },
  PARAMETER_EFFECTIVE_DATE_PASSED: {
    kind: 'rule',
    zh: '生效日期已过，不能追溯变更参数',
    en: 'The effective date has passed; parameters cannot change retroactively',
  },
  PARAMETER_SELF_APPROVAL: {
    kind: 'forbidden',
    zh: '不能审批自己提交的参数变更',
    en: 'You cannot approve your own proposal',
  },
  PARAMETER_NOT_PROPOSED: {
    kind: 'conflict',
    zh: '该参数变更已处理',
    en: 'This parameter change was already decided',
  },
  BUSINESS_DATE_NOT_SET: {
    kind: 'internal',
    zh: '会计日期未初始化',
    en: 'The business date is not initialized',
  },
  BUSINESS_DATE_BACKWARDS: {
    kind: 'rule',
    zh: '会计日期只能向后推进',
    en: 'The business date can only move forward',
  },
  DISTRICT_UNKNOWN: { kind: 'validation', zh: '行政区划代码不存在', en: 'Unknown district code' },
  DEPOSITOR_NOT_ELIGIBLE: { kind: 'rule', zh: '不符合开户条件', en: 'Not eligible to open an account' },
  DEPOSITOR_ALREADY_REGISTERED: {
    kind: 'conflict',
    zh: '该证件号码已登记缴存人',
    en: 'A depositor with this ID number is already registered',
  },
  DEPOSITOR_NOT_FOUND: { kind: 'not_found', zh: '缴存人不存在', en: 'Depositor not found' },
  PHONE_INVALID: { kind: 'validation', zh: '手机号码格式错误', en: 'Invalid mobile phone number' },
  NAME_INVALID: { kind: 'validation', zh: '姓名不能为空', en: 'The name is required' },
  RETIREMENT_GROUP_MISMATCH: {
    kind: 'validation',
    zh: '退休年龄组别与性别不符',
    en: 'The retirement group does not match the gender',
  },
  FLEXIBLE_ACCOUNT_EXISTS: {
    kind: 'conflict',
    zh: '已有灵活就业缴存账户',
    en: 'A flexible account already exists',
  },
  AGREEMENT_NOT_FOUND: { kind: 'not_found', zh: '协议不存在', en: 'Agreement not found' },
  AGREEMENT_NOT_SIGNED: { kind: 'rule', zh: '协议尚未签署', en: 'The agreement has not been signed' },
  AGREEMENT_ALREADY_SIGNED: { kind: 'conflict', zh: '协议已签署', en: 'The agreement is already signed' },
  AGREEMENT_EXISTS: { kind: 'conflict', zh: '已有有效协议', en: 'A live agreement already exists' },
  AGREEMENT_TEXT_CHANGED: {
    kind: 'conflict',
    zh: '签署的文本与展示的协议文本不一致',
    en: 'The signed text differs from the agreement text shown',
  },
  AGREEMENT_ENDED: { kind: 'rule', zh: '协议已终止', en: 'The agreement has ended' },
  DEPOSIT_MODE_INVALID: { kind: 'validation', zh: '缴存方式无效', en: 'Invalid deposit mode' },
  MONTHLY_AMOUNT_REQUIRED: {
    kind: 'validation',
    zh: '定期缴存须约定月缴存额',
    en: 'Periodic modes need an agreed monthly amount',
  },
  MONTHLY_AMOUNT_NOT_ALLOWED: {
    kind: 'validation',
    zh: '灵活缴存不约定月缴存额',
    en: 'The flexible mode has no agreed monthly amount',
  },
  MONTHLY_AMOUNT_BELOW_LIMIT: {
    kind: 'rule',
    zh: '月缴存额低于缴存下限',
    en: 'The monthly amount is below the lower limit',
  },
  MONTHLY_AMOUNT_ABOVE_LIMIT: {
    kind: 'rule',
    zh: '月缴存额高于缴存上限',
    en: 'The monthly amount is above the upper limit',
  },
  DEBIT_DAY_INVALID: {
    kind: 'validation',
    zh: '扣款日应为1至28日',
    en: 'The debit day must be from 1 to 28',
  },
  BANK_CARD_INVALID: { kind: 'validation', zh: '银行卡号格式错误', en: 'Invalid bank card number' },
  CONSENT_REQUIRED: { kind: 'rule', zh: '须同意信息核验', en: 'Consent to data checks is required' },
  AMENDMENT_LIMIT_REACHED: {
    kind: 'rule',
    zh: '本公积金年度已变更过缴存方式或金额',
    en: 'The deposit mode or amount was already changed this HPF year',
  },
  AMENDMENT_NO_CHANGE: { kind: 'validation', zh: '变更内容与现有协议相同', en: 'Nothing would change' },
  ACCOUNT_NOT_FOUND: { kind: 'not_found', zh: '账户不存在', en: 'Account not found' },
  ACCOUNT_STATE_INVALID: {
    kind: 'rule',
    zh: '账户当前状态不允许此操作',
    en: 'The account state does not allow this operation',
  },
  FREEZE_REASON_REQUIRED: {
    kind: 'validation',
    zh: '冻结须填写原因和文书编号',
    en: 'Freezing needs a reason and a document number',
  },
  EMPLOYER_NOT_FOUND: { kind: 'not_found', zh: '单位不存在', en: 'Employer not found' },
  IMPORT_FILE_INVALID: { kind: 'validation', zh: '导入文件无法读取', en: 'The import file cannot be read' },
} as const satisfies Record<string, ErrorEntry>;
