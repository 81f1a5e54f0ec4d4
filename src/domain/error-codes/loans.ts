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
  LOAN_NOT_ELIGIBLE: {
    kind: 'rule',
    zh: '不符合住房公积金贷款条件，详见各项原因',
    en: 'Not eligible for an HPF loan; see every reason',
  },
  LOAN_ACCOUNT_NOT_OPEN: {
    kind: 'rule',
    zh: '申请人没有正常状态的灵活就业缴存账户',
    en: 'The applicant has no open flexible deposit account',
  },
  LOAN_OUTSTANDING_HERE: {
    kind: 'rule',
    zh: '申请人或配偶在本中心有未结清的住房公积金贷款',
    en: 'The applicant or spouse has an HPF loan outstanding at this center',
  },
  LOAN_OUTSTANDING_ELSEWHERE: {
    kind: 'rule',
    zh: '征信报告显示在外地有未结清的住房公积金贷款',
    en: 'The credit report shows an HPF loan outstanding elsewhere',
  },
  LOAN_IN_MISSED_PERIOD: {
    kind: 'rule',
    zh: '申请人有断缴的按期缴存期次未补缴',
    en: 'The applicant is in a missed periodic deposit period',
  },
  LOAN_CARD_DELINQUENCIES: {
    kind: 'rule',
    zh: '近 12 个月信用卡逾期超过 6 次',
    en: 'More than 6 card delinquencies in the last 12 months',
  },
  LOAN_CONSECUTIVE_MISSED_INSTALLMENTS: {
    kind: 'rule',
    zh: '近 48 个月内单笔贷款连续 6 期（含）以上未还款',
    en: '6 or more consecutive missed installments on one loan in the last 48 months',
  },
  LOAN_TOTAL_MISSED_INSTALLMENTS: {
    kind: 'rule',
    zh: '累计未按期还款超过 24 期',
    en: 'More than 24 missed installments in total',
  },
  LOAN_HOUSE_NOT_IN_CITY: {
    kind: 'rule',
    zh: '所购住房不在本市',
    en: 'The house is not in the city',
  },
  LOAN_AMOUNT_ABOVE_QUOTA: {
    kind: 'rule',
    zh: '申请金额超过可贷额度',
    en: 'The requested amount is above the quota',
  },
  LOAN_NOT_FOUND: { kind: 'not_found', zh: '贷款申请不存在', en: 'Loan application not found' },
  LOAN_STEP_OUT_OF_ORDER: {
    kind: 'conflict',
    zh: '贷款办理环节顺序不对，当前状态不允许此操作',
    en: 'Loan steps out of order: the current status does not allow this step',
  },
  LOAN_NOT_APPROVED: {
    kind: 'rule',
    zh: '贷款未经审批（及抵押登记），不能放款',
    en: 'The loan is not approved (and its mortgage registered): no disbursement',
  },
  LOAN_ALREADY_DISBURSED: {
    kind: 'conflict',
    zh: '贷款已放款，不能重复放款',
    en: 'The loan is already disbursed; it cannot be disbursed twice',
  },
  LOAN_SAME_USER_REVIEW_APPROVE: {
    kind: 'forbidden',
    zh: '同一人不能既复核又审批同一笔贷款',
    en: 'The same user may not both review and approve a loan',
  },
  LOAN_ROLE_REQUIRED: {
    kind: 'forbidden',
    zh: '该环节需要相应岗位的工作人员办理',
    en: 'This step needs a staff member holding the required role',
  },
  LOAN_REJECTION_REASON_REQUIRED: {
    kind: 'validation',
    zh: '退回或拒绝须填写原因',
    en: 'A rejection needs a reason',
  },
  LOAN_SPOUSE_INVALID: {
    kind: 'validation',
    zh: '配偶共同申请人信息无效：缴存人须有正常账户，非缴存人须提供姓名和身份证号',
    en: 'Invalid spouse co-applicant: a depositor needs an open account; otherwise give a name and an ID number',
  },
  LOAN_MORTGAGE_MISMATCH: {
    kind: 'rule',
    zh: '抵押登记的房屋与申请的房屋不一致',
    en: 'The registered mortgage does not match the house applied for',
  },
  LOAN_DISBURSEMENT_NOT_FOUND: {
    kind: 'not_found',
    zh: '放款记录不存在',
    en: 'Loan disbursement not found',
  },
  // Prepayment, settlement and repricing (rules.md §6.3, §6.5).
  LOAN_NOT_REPAYING: {
    kind: 'conflict',
    zh: '贷款未处于还款中（未放款或已结清），不能办理提前还款或结清',
    en: 'The loan is not being repaid (not disbursed, or settled): no prepayment or settlement',
  },
  LOAN_ALREADY_SETTLED: {
    kind: 'conflict',
    zh: '贷款已结清',
    en: 'The loan is already settled',
  },
  LOAN_DISBURSEMENT_NOT_CONFIRMED: {
    kind: 'rule',
    zh: '银行尚未确认放款，暂不能办理提前还款或结清',
    en: 'The bank has not confirmed the disbursement yet: no prepayment or settlement',
  },
  LOAN_OVERDUE_OUTSTANDING: {
    kind: 'rule',
    zh: '贷款有到期未还的期次（含逾期），请先归还后再办理提前还款或结清',
    en: 'An installment is due or overdue and unpaid; repay it before a prepayment or settlement',
  },
  LOAN_PREPAYMENT_TOO_EARLY: {
    kind: 'rule',
    zh: '已归还期数不足，暂不能部分提前还款（全部结清不受限制）',
    en: 'Too few installments paid for a partial prepayment yet (full settlement is allowed any time)',
  },
  LOAN_PREPAYMENT_BELOW_MINIMUM: {
    kind: 'rule',
    zh: '部分提前还款金额低于最低金额（或全部结清）',
    en: 'The partial prepayment is below the minimum (or settle the loan in full)',
  },
  LOAN_PREPAYMENT_TOO_FREQUENT: {
    kind: 'rule',
    zh: '距上次部分提前还款不足规定月数',
    en: 'Too soon after the last partial prepayment',
  },
  LOAN_FUNDING_INVALID: {
    kind: 'validation',
    zh: '还款资金来源无效，应为 hpf-balance（公积金账户余额）或 bank（银行转账）',
    en: 'Invalid funding; expected hpf-balance or bank',
  },
  LOAN_HPF_BALANCE_INSUFFICIENT: {
    kind: 'rule',
    zh: '借款人公积金账户余额不足',
    en: "The borrower's HPF balance is not enough",
  },
  LOAN_SETTLEMENT_NOT_FOUND: {
    kind: 'not_found',
    zh: '贷款结清记录不存在',
    en: 'Loan settlement not found',
  },
  // Repayment, overdue and collection (rules.md §6.5; src/services/loans/*repayment*, collect-due-installments.ts).
  LOAN_REPAYMENT_NOTHING_DUE: {
    kind: 'rule',
    zh: '该贷款当前没有到期应还的款项（提前还款请另行办理）',
    en: 'Nothing is due on this loan now (a prepayment is a separate step)',
  },
  LOAN_REPAYMENT_ABOVE_DUE: {
    kind: 'rule',
    zh: '还款金额超过当前应还金额（罚息、逾期利息、逾期本金和当期应还之和）',
    en: 'The amount is above what is due now (penalty, overdue interest, overdue principal and the current installment)',
  },
  LOAN_DEBIT_IN_FLIGHT: {
    kind: 'conflict',
    zh: '今日的银行代扣还款尚未返回结果，请待结果返回后再办理柜面还款',
    en: "Today's bank debit for this loan awaits its result; take a counter repayment after it is answered",
  },
  // Refunding over-payments held on 21909 (src/services/loans/refund-loan-overpayment.ts).
  LOAN_REPAYMENT_NOT_FOUND: {
    kind: 'not_found',
    zh: '该贷款没有这笔还款记录',
    en: 'No such repayment on this loan',
  },
  LOAN_OVERPAYMENT_NOTHING_HELD: {
    kind: 'rule',
    zh: '没有可退还的多收款项（未多收，或已退还、正在退还）',
    en: 'Nothing over-paid is held for refund (none was over-paid, or it is refunded or being refunded)',
  },
  LOAN_OVERPAYMENT_REFUND_ABOVE_HELD: {
    kind: 'rule',
    zh: '退款金额超过可退还的多收款项',
    en: 'The refund is above the over-payment held for refund',
  },
  LOAN_OFFSET_NOT_AVAILABLE: {
    kind: 'rule',
    zh: '借款人没有正常状态的灵活缴存账户，不能签约冲还贷',
    en: 'The borrower has no open flexible (FLEX) account: monthly balance offset cannot be signed',
  },
  CREDIT_BUREAU_TIMEOUT: {
    kind: 'internal',
    zh: '征信系统未在规定时间内应答，请稍后重试',
    en: 'The credit bureau did not answer in time; try again later',
  },
} as const satisfies Record<string, ErrorEntry>;
