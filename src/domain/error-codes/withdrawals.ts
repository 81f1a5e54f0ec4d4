// Error codes of using the money (rules.md §5.1, §5.2): withdrawal eligibility (each code is also a reason
// in the list of every failed rule), review (maker-checker), payouts and returned payments, referrals,
// closure certificates.
import type { ErrorEntry } from './types.ts';

export const WITHDRAWAL_ERRORS = {
  WITHDRAWAL_ACCOUNT_FROZEN: {
    kind: 'rule',
    zh: '账户已冻结，不能提取',
    en: 'The account is frozen: no withdrawal',
  },
  WITHDRAWAL_ACCOUNT_CLOSED: {
    kind: 'rule',
    zh: '账户已销户，不能提取',
    en: 'The account is closed: no withdrawal',
  },
  WITHDRAWAL_NOT_FLEXIBLE: {
    kind: 'rule',
    zh: '仅灵活就业人员账户可在此办理提取',
    en: 'Only flexible-employment accounts withdraw here',
  },
  WITHDRAWAL_TOO_FEW_MONTHS: {
    kind: 'rule',
    zh: '连续缴存月数不足，不能提取',
    en: 'Too few consecutive covered months to withdraw',
  },
  WITHDRAWAL_LOAN_OUTSTANDING: {
    kind: 'rule',
    zh: '有未结清的住房公积金贷款，不能提取',
    en: 'A housing provident fund loan is outstanding',
  },
  WITHDRAWAL_OWNS_HOUSING: {
    kind: 'rule',
    zh: '本人或配偶在本市有自有住房，不能办理租房提取',
    en: 'The depositor or spouse owns housing in the city: no rent withdrawal',
  },
  WITHDRAWAL_NO_HOUSING_NOT_DECLARED: {
    kind: 'rule',
    zh: '须声明本人及配偶在本市无自有住房',
    en: 'The depositor must declare that they and their spouse own no housing in the city',
  },
  WITHDRAWAL_OVER_ANNUAL_CAP: {
    kind: 'rule',
    zh: '超过本自然年度租房提取限额',
    en: 'Above the rent withdrawal cap for this calendar year',
  },
  WITHDRAWAL_OVER_RENT_PAID: {
    kind: 'rule',
    zh: '提取金额超过租赁合同期间的租金',
    en: 'The amount is more than the rent of the lease period',
  },
  WITHDRAWAL_INSUFFICIENT_BALANCE: {
    kind: 'conflict',
    zh: '账户余额不足',
    en: 'The account balance is too low for this withdrawal',
  },
  WITHDRAWAL_LEASE_INVALID: {
    kind: 'validation',
    zh: '租赁信息不完整或期间无效',
    en: 'The lease is incomplete or its period is invalid',
  },
  WITHDRAWAL_NOT_FOUND: { kind: 'not_found', zh: '提取申请不存在', en: 'No such withdrawal' },
  WITHDRAWAL_NOT_PENDING: {
    kind: 'conflict',
    zh: '该提取申请不在待复核状态',
    en: 'The withdrawal is not waiting for review',
  },
  WITHDRAWAL_MAKER_CHECKER: {
    kind: 'forbidden',
    zh: '复核人不能是经办人本人',
    en: 'The approver must be another staff member than the maker',
  },
  WITHDRAWAL_ABOVE_REVIEW_THRESHOLD: {
    kind: 'rule',
    zh: '柜面提取金额超过复核阈值，须另一名工作人员复核',
    en: 'A staff withdrawal above the review threshold needs a second staff approval',
  },
  WITHDRAWAL_REASON_REQUIRED: {
    kind: 'validation',
    zh: '请填写复核意见',
    en: 'A reason is required for the decision',
  },
  WITHDRAWAL_NO_BANK_CARD: {
    kind: 'rule',
    zh: '没有已签约的收款银行卡',
    en: 'No signed agreement with a bank card to pay to',
  },
  WITHDRAWAL_CLOSURE_PENDING: {
    kind: 'conflict',
    zh: '账户已有销户提取申请',
    en: 'A closure of this account is already under way',
  },
  HOUSING_REGISTRY_UNAVAILABLE: {
    kind: 'internal',
    zh: '不动产登记系统暂时无法查询',
    en: 'The housing registry did not answer',
  },
  RENT_ORDER_EXISTS: {
    kind: 'conflict',
    zh: '该账户已有按月租房提取',
    en: 'The account already has a standing monthly rent order',
  },
  RENT_ORDER_NOT_FOUND: { kind: 'not_found', zh: '按月租房提取不存在', en: 'No such standing rent order' },
  RENT_ORDER_NOT_ACTIVE: {
    kind: 'conflict',
    zh: '该按月租房提取已终止',
    en: 'The standing rent order has already ended',
  },
  PAYOUT_NOT_FOUND: { kind: 'not_found', zh: '付款记录不存在', en: 'No such payout' },
  PAYOUT_NOT_RETURNABLE: {
    kind: 'conflict',
    zh: '该付款当前状态不能退票',
    en: 'This payout cannot be returned in its current state',
  },
  REFERRAL_NOT_ELIGIBLE: {
    kind: 'rule',
    zh: '不符合租房提取条件，不能推荐至住房保障部门',
    en: 'Not eligible for rent withdrawal: cannot be referred to housing security',
  },
  CLOSURE_CERTIFICATE_NOT_FOUND: {
    kind: 'not_found',
    zh: '销户证明不存在或校验码不正确',
    en: 'No closure certificate with this verification code',
  },
} as const satisfies Record<string, ErrorEntry>;
