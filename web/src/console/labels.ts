// Words for the codes the API returns (statuses, kinds, roles, close steps), in both languages.
import type { Words } from '../lib/words.ts';

export { word } from '../lib/words.ts';

export const ROLE_WORDS: Words = {
  teller: ['柜员', 'Teller'],
  reviewer: ['复核员', 'Reviewer'],
  finance: ['财务', 'Finance'],
  risk: ['风控', 'Risk'],
  manager: ['主任', 'Manager'],
  district_viewer: ['区县观察员', 'District viewer'],
  admin: ['系统管理员', 'Administrator'],
};

export const LOAN_STATUS_WORDS: Words = {
  applied: ['已申请', 'Applied'],
  reviewed: ['已初审', 'Reviewed'],
  awaiting_manager: ['待主任审批', 'Awaiting manager'],
  approved: ['已审批', 'Approved'],
  contracted: ['已签合同', 'Contracted'],
  mortgaged: ['已抵押', 'Mortgaged'],
  disbursed: ['已放款', 'Disbursed'],
  settled: ['已结清', 'Settled'],
  rejected: ['已拒绝', 'Rejected'],
};

export const WITHDRAWAL_KIND_WORDS: Words = {
  rent: ['租房提取', 'Rent'],
  free: ['灵活提取', 'Free'],
  closure: ['销户提取', 'Closure'],
};

/** What a payout pays: a withdrawal's kind, a loan over-payment refund, or suspense sent back. */
export const PAYOUT_KIND_WORDS: Words = {
  ...WITHDRAWAL_KIND_WORDS,
  loan_refund: ['贷款多收款退还', 'Loan over-payment refund'],
  suspense_refund: ['挂账退回付款人', 'Suspense refunded to the payer'],
};

export const CHANNEL_WORDS: Words = {
  counter: ['柜面', 'Counter'],
  self_service: ['自助', 'Self-service'],
  standing_order: ['按月委托', 'Standing order'],
  portal: ['网厅', 'Portal'],
  import: ['导入', 'Import'],
  debit: ['委托扣款', 'Direct debit'],
  bank_transfer: ['银行转账', 'Bank transfer'],
};

export const CLOSE_STEP_WORDS: Words = {
  'schedule-periods': ['生成缴存期次', 'Schedule deposit periods'],
  'periodic-debits': ['委托扣款', 'Periodic debits'],
  'missed-periods': ['断缴标记', 'Mark missed periods'],
  'expire-payment-orders': ['过期缴款单', 'Expire payment orders'],
  'rent-orders': ['按月租房提取', 'Monthly rent orders'],
  'payout-dispatch': ['支付发送', 'Dispatch payouts'],
  'transfer-messages': ['转移接续报文', 'Transfer messages'],
  'interest-rate-change': ['利率调整', 'Interest rate change'],
  'month-end-accrual': ['月末计息', 'Month-end accrual'],
  'pool-indicators': ['流动性指标与预警', 'Liquidity indicators and alert'],
  'annual-settlement': ['年度结息', 'Annual settlement'],
  'loan-repayments': ['贷款还款', 'Loan repayments'],
  'loan-repricing': ['贷款利率重定价', 'Loan repricing'],
};

export const CLOSE_STATUS_WORDS: Words = {
  not_started: ['未开始', 'Not started'],
  running: ['进行中', 'Running'],
  done: ['已完成', 'Done'],
  failed: ['失败', 'Failed'],
  pending: ['等待', 'Pending'],
};

export const PARAMETER_STATUS_WORDS: Words = {
  proposed: ['待审批', 'Proposed'],
  approved: ['已生效', 'Approved'],
  rejected: ['已驳回', 'Rejected'],
  superseded: ['已替代', 'Superseded'],
};

export const SUSPENSE_STATUS_WORDS: Words = {
  open: ['待处理', 'Open'],
  assigned: ['已入账', 'Assigned'],
  refunding: ['退回中', 'Being refunded'],
  refunded: ['已退回', 'Refunded'],
};

export const METHOD_WORDS: Words = {
  'equal-installment': ['等额本息', 'Equal installment'],
  'equal-principal': ['等额本金', 'Equal principal'],
};

export const INSTALLMENT_STATUS_WORDS: Words = {
  scheduled: ['未到期', 'Scheduled'],
  paid: ['已还', 'Paid'],
  overdue: ['逾期', 'Overdue'],
};

/** How a loan repayment came (loan_repayments.channel). */
export const REPAYMENT_CHANNEL_WORDS: Words = {
  offset: ['冲还贷', 'Balance offset'],
  debit: ['银行代扣', 'Bank debit'],
  counter: ['柜面还款', 'Counter'],
};

/** A repayment's money beyond what was owed (held on 21909) and its refund. */
export const OVERPAYMENT_REFUND_WORDS: Words = {
  none: ['—', '—'],
  held: ['多收待退', 'Held for refund'],
  refunding: ['退款中', 'Refunding'],
  partly_refunded: ['部分已退', 'Partly refunded'],
  refunded: ['已退还', 'Refunded'],
};

/** A loan refund's standing (loan_overpayment_refunds.status). */
export const LOAN_REFUND_STATUS_WORDS: Words = {
  posted: ['退款中', 'In progress'],
  paid: ['已退还', 'Paid back'],
  rejected: ['银行拒绝，款项已退回待退款项', 'Refused by the bank; held again'],
  returned: ['已退票，款项已退回待退款项', 'Returned; held again'],
};

/** Where a payout stands with the bank (payouts.status). */
export const PAYOUT_STATUS_WORDS: Words = {
  pending: ['待发送', 'Waiting to send'],
  sent: ['已发送', 'Sent'],
  accepted: ['银行已受理', 'Accepted by the bank'],
  confirmed: ['已付款', 'Paid'],
  rejected: ['银行拒绝', 'Refused by the bank'],
  returned: ['已退票', 'Returned'],
};
