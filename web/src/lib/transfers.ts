// A cross-city transfer (转移接续, rules.md §5.4) as GET /transfers returns it
// (src/services/transfers/transfer-store.ts, list-transfers.ts), and the words for its codes: shared by
// the console's transfer inbox and the depositor portal.
import type { Words } from './words.ts';

export interface Transfer {
  transferId: string;
  transferNo: string;
  direction: 'in' | 'out';
  businessType: string;
  accountId: string | null;
  depositorId: string | null;
  peerCenterCode: string;
  peerCenterName: string;
  peerAccountNumber: string;
  stage: string;
  platformStatus: string | null;
  refusalReason: string | null;
  principal: string | null;
  interest: string | null;
  funds: string | null;
  monthsCredited: number;
  businessDate: string;
  pendingMessages: number;
  cancellable: boolean;
  fundsReturnable: boolean;
  returnSerial: string | null;
  returnedOn: string | null;
  /** In the list and the details: our account and its holder. */
  accountNumber?: string | null;
  depositorName?: string | null;
}

/** Our progress on a transfer (src/domain/transfer-stages.ts). */
export const TRANSFER_STAGE_WORDS: Words = {
  letter_pending: ['联系函待发', 'Letter pending'],
  letter_sent: ['联系函已发', 'Letter sent'],
  sheet_received: ['已收信息表', 'Sheet received'],
  funds_received: ['资金已到账', 'Funds received'],
  credited: ['已入账', 'Credited'],
  paid_out: ['已划出', 'Paid out'],
  done: ['已办结', 'Done'],
  refused: ['已拒绝', 'Refused'],
  failed: ['失败', 'Failed'],
  cancelled: ['已撤销', 'Cancelled'],
};

/** The national platform's status codes (rules.md §5.4). */
export const TRANSFER_PLATFORM_STATUS_WORDS: Words = {
  '00': ['办结', 'Done'],
  '01': ['联系函已审核', 'Letter reviewed'],
  '02': ['联系函已受理', 'Letter accepted'],
  '05': ['转入撤销', 'Transfer-in cancelled'],
  '06': ['协商中', 'Under negotiation'],
  '08': ['信息表已审核', 'Sheet reviewed'],
  '13': ['转出拒绝', 'Transfer-out refused'],
  '20': ['协商后办结', 'Done after negotiation'],
  '40': ['失败', 'Failed'],
};

/** Why the old center refused a transfer (TRANSFER_REFUSAL_REASONS); other text is the person's own reason. */
export const TRANSFER_REFUSAL_WORDS: Words = {
  LOAN_OUTSTANDING: ['存在未结清的住房公积金贷款', 'An HPF loan is outstanding'],
  ACCOUNT_FROZEN: ['账户已冻结', 'The account is frozen'],
  ACCOUNT_CLOSED: ['账户已销户', 'The account is closed'],
  ACCOUNT_NOT_FOUND: ['账户不存在', 'No such account'],
  PERSON_MISMATCH: ['证件信息与账户不符', 'The person does not match the account'],
};
