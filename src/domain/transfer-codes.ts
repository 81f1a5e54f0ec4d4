// Code lists of the national transfer platform (全国住房公积金异地转移接续平台, rules.md §5.4, §14):
// the platform status codes and the business types of a transfer.

/** Platform status codes (转移接续业务状态). */
export const TRANSFER_STATUS = {
  /** 00 办结 */
  done: '00',
  /** 01 联系函已审核 */
  letterReviewed: '01',
  /** 02 联系函已受理 */
  letterAccepted: '02',
  /** 05 转入撤销 */
  transferInCancelled: '05',
  /** 06 协商中 */
  underNegotiation: '06',
  /** 08 账户信息表已审核 */
  sheetReviewed: '08',
  /** 13 转出拒绝 */
  transferOutRefused: '13',
  /** 20 协商后办结 */
  doneAfterNegotiation: '20',
  /** 40 失败 */
  failed: '40',
} as const;

export type TransferStatusCode = (typeof TRANSFER_STATUS)[keyof typeof TRANSFER_STATUS];

export const TRANSFER_STATUS_LABELS: Record<TransferStatusCode, { zh: string; en: string }> = {
  '00': { zh: '办结', en: 'done' },
  '01': { zh: '联系函已审核', en: 'letter reviewed' },
  '02': { zh: '联系函已受理', en: 'letter accepted' },
  '05': { zh: '转入撤销', en: 'transfer-in cancelled' },
  '06': { zh: '协商中', en: 'under negotiation' },
  '08': { zh: '账户信息表已审核', en: 'account sheet reviewed' },
  '13': { zh: '转出拒绝', en: 'transfer-out refused' },
  '20': { zh: '协商后办结', en: 'done after negotiation' },
  '40': { zh: '失败', en: 'failed' },
};

export const TRANSFER_STATUS_CODES: readonly TransferStatusCode[] = Object.values(TRANSFER_STATUS);

export function isTransferStatusCode(value: unknown): value is TransferStatusCode {
  return typeof value === 'string' && (TRANSFER_STATUS_CODES as readonly string[]).includes(value);
}

/** Business types (JGJ/T 320 归集业务类型): 07 外部转出, 08 外部转入. */
export const TRANSFER_BUSINESS_TYPE = { transferOut: '07', transferIn: '08' } as const;
export type TransferBusinessType = (typeof TRANSFER_BUSINESS_TYPE)[keyof typeof TRANSFER_BUSINESS_TYPE];

/** Why a transfer out is refused (sent with status 13). */
export const TRANSFER_REFUSAL_REASONS = {
  LOAN_OUTSTANDING: { zh: '存在未结清的住房公积金贷款', en: 'An HPF loan is outstanding' },
  ACCOUNT_FROZEN: { zh: '账户已冻结', en: 'The account is frozen' },
  ACCOUNT_CLOSED: { zh: '账户已销户', en: 'The account is closed' },
  ACCOUNT_NOT_FOUND: { zh: '账户不存在', en: 'No such account' },
  PERSON_MISMATCH: { zh: '证件信息与账户不符', en: 'The person does not match the account' },
} as const;
export type TransferRefusalReason = keyof typeof TRANSFER_REFUSAL_REASONS;
