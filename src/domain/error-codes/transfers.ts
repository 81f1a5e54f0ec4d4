// Error codes of cross-city transfers (rules.md §5.4) and the transfer platform protocol.
import type { ErrorEntry } from './types.ts';

export const TRANSFER_ERRORS = {
  TRANSFER_SIGNATURE_INVALID: {
    kind: 'unauthenticated',
    zh: '转移接续平台报文签名无效',
    en: 'The transfer platform message signature is invalid',
  },
  TRANSFER_MESSAGE_MALFORMED: {
    kind: 'validation',
    zh: '转移接续平台报文格式错误',
    en: 'The transfer platform message is malformed',
  },
  TRANSFER_MESSAGE_ID_REUSED: {
    kind: 'conflict',
    zh: '报文编号已用于另一报文',
    en: 'The message id was already used for another message',
  },
  TRANSFER_PLATFORM_TIMEOUT: {
    kind: 'internal',
    zh: '转移接续平台未在规定时间内应答',
    en: 'The transfer platform did not answer in time',
  },
  TRANSFER_PLATFORM_UNAVAILABLE: {
    kind: 'internal',
    zh: '转移接续平台接口不可用',
    en: 'The transfer platform interface is unavailable',
  },
  TRANSFER_NOT_FOUND: { kind: 'not_found', zh: '转移接续业务不存在', en: 'Transfer not found' },
  TRANSFER_IN_PROGRESS: {
    kind: 'conflict',
    zh: '该账户已有办理中的转移接续业务',
    en: 'A transfer is already in progress for this account',
  },
  TRANSFER_ACCOUNT_NOT_OPEN: {
    kind: 'rule',
    zh: '账户状态不允许办理转入',
    en: 'The account is not open for a transfer in',
  },
  TRANSFER_NOT_CANCELLABLE: {
    kind: 'rule',
    zh: '该转移接续业务不能撤销：只有转出地尚未发来账户信息表和资金的转入业务可以撤销',
    en: 'This transfer cannot be cancelled: only a transfer in whose account sheet and funds have not yet come from the old center can be',
  },
  TRANSFER_CANCEL_REASON_REQUIRED: {
    kind: 'validation',
    zh: '请填写撤销原因（不超过200字）',
    en: 'Give the reason for the cancellation (at most 200 characters)',
  },
  TRANSFER_FUNDS_NOT_RETURNABLE: {
    kind: 'rule',
    zh: '该转移接续业务没有可退回的资金：只有未入账即终止（被拒、失败或已撤销）的转入业务的待匹配资金可以退回原中心',
    en: 'This transfer has no money to return: only the waiting money of a transfer in that ended without being credited (refused, failed or cancelled) can go back to the old center',
  },
  TRANSFER_SAME_CENTER: {
    kind: 'validation',
    zh: '原中心不能是本中心',
    en: 'The old center cannot be this center',
  },
} as const satisfies Record<string, ErrorEntry>;
