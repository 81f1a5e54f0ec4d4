// Error codes of deposit-linked loans (rules.md §6): schedules, rates, affordability and the quota.
import type { ErrorEntry } from './types.ts';

export const LOAN_ERRORS = {
  LOAN_METHOD_INVALID: {
    kind: 'validation',
    zh: '还款方式无效，应为 equal-installment（等额本息）或 equal-principal（等额本金）',
    en: 'Invalid repayment method; expected equal-installment or equal-principal',
  },
  LOAN_TERM_INVALID: {
    kind: 'validation',
    zh: '贷款期限无效，应为 1 至 360 个月的整数',
    en: 'Invalid loan term; expected a whole number of months from 1 to 360',
  },
  LOAN_RATE_OUT_OF_RANGE: {
    kind: 'validation',
    zh: '贷款年利率应在 0 至 10% 之间',
    en: 'The loan annual rate must be from 0 to 10 %',
  },
  LOAN_RATE_NOT_IN_FORCE: {
    kind: 'rule',
    zh: '合同日期没有生效的贷款利率',
    en: 'No loan rate is in force on the contract date',
  },
  LOAN_RATE_TABLE_INVALID: {
    kind: 'validation',
    zh: '贷款利率表无效：生效日期须升序且不重复',
    en: 'Invalid loan rate table: the start dates must ascend without repeats',
  },
  LOAN_HOME_INVALID: {
    kind: 'validation',
    zh: '住房套数无效，应为 first（首套）或 second（二套）',
    en: 'Invalid home; expected first or second',
  },
  LOAN_PREPAYMENT_INVALID: {
    kind: 'validation',
    zh: '部分提前还款金额须大于零且小于剩余本金（全部结清另行办理）',
    en: 'A partial prepayment must be above zero and below the remaining principal (full settlement is separate)',
  },
  LOAN_PREPAYMENT_MODE_INVALID: {
    kind: 'validation',
    zh: '提前还款方式无效，应为 keep-term（缩减月供）或 keep-installment（缩短期限）',
    en: 'Invalid prepayment mode; expected keep-term or keep-installment',
  },
  LOAN_ALERT_LEVEL_INVALID: {
    kind: 'validation',
    zh: '预警级别无效，应为 normal、level1、level2 或 level3',
    en: 'Invalid alert level; expected normal, level1, level2 or level3',
  },
  LOAN_CREDIT_GRADE_INVALID: {
    kind: 'validation',
    zh: '信用等级无效，应为 A、B、C 或 D',
    en: 'Invalid credit grade; expected A, B, C or D',
  },
  LOAN_MONTHS_COUNT_INVALID: {
    kind: 'validation',
    zh: '月数无效：须为非负整数，近 12 个月的缴存月数不得超过 12 或开户月数',
    en: 'Invalid month count: a whole number ≥ 0; covered months cannot exceed 12 or the months since opening',
  },
  LOAN_SPOUSE_NOT_DEPOSITOR: {
    kind: 'validation',
    zh: '配偶不是缴存人，不能计入配偶账户余额',
    en: 'The spouse is not a depositor, so no spouse balance can count',
  },
  LOAN_CREDIT_GRADE_NOT_ELIGIBLE: {
    kind: 'rule',
    zh: '信用等级为 D，不能申请住房公积金贷款',
    en: 'Credit grade D: not eligible for an HPF loan',
  },
  LOAN_CONSECUTIVE_MONTHS_TOO_FEW: {
    kind: 'rule',
    zh: '连续缴存不足 6 个月，不能申请住房公积金贷款',
    en: 'Fewer than 6 consecutive covered months: not eligible for an HPF loan',
  },
  LOAN_TERM_BEYOND_AGE_LIMIT: {
    kind: 'rule',
    zh: '贷款到期时年龄将超过法定退休年龄加 5 年，请缩短贷款期限',
    en: 'At maturity the borrower would be older than the statutory retirement age + 5 years; choose a shorter term',
  },
  LOAN_TERM_NOT_AVAILABLE: {
    kind: 'rule',
    zh: '借款人年龄已达法定退休年龄加 5 年，不能申请贷款',
    en: 'The borrower has reached the statutory retirement age + 5 years: no loan term is possible',
  },
} as const satisfies Record<string, ErrorEntry>;
