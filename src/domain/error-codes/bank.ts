// Error codes of the bank integration: notifications, portal payment orders, statements and suspense.
import type { ErrorEntry } from './types.ts';

export const BANK_ERRORS = {
  BANK_SIGNATURE_INVALID: {
    kind: 'unauthenticated',
    zh: '银行通知签名无效',
    en: 'The bank notification signature is invalid',
  },
  BANK_NOTIFICATION_MALFORMED: {
    kind: 'validation',
    zh: '银行通知格式错误',
    en: 'The bank notification is malformed',
  },
  BANK_TIMEOUT: { kind: 'internal', zh: '银行未在规定时间内应答', en: 'The bank did not answer in time' },
  BANK_UNAVAILABLE: { kind: 'internal', zh: '银行接口不可用', en: 'The bank interface is unavailable' },
  BANK_SIMULATOR_ABSENT: {
    kind: 'not_found',
    zh: '未启用模拟银行',
    en: 'No simulated bank is configured',
  },
  BANK_PAGE_UNKNOWN: { kind: 'not_found', zh: '支付页面不存在', en: 'No such payment page' },
  PAYMENT_ORDER_NOT_FOUND: { kind: 'not_found', zh: '支付订单不存在', en: 'Payment order not found' },
  PAYMENT_ORDER_NOT_OPEN: {
    kind: 'conflict',
    zh: '支付订单已支付、已取消或已过期',
    en: 'The payment order is paid, cancelled or expired',
  },
  PAYMENT_ORDER_OPEN_FOR_PERIOD: {
    kind: 'conflict',
    zh: '该期次已有未完成的支付订单',
    en: 'An open payment order already exists for this period',
  },
  BANK_STATEMENT_MALFORMED: {
    kind: 'validation',
    zh: '银行对账单格式错误',
    en: 'The bank statement is malformed',
  },
  BANK_STATEMENT_SERIAL_REPEATED: {
    kind: 'conflict',
    zh: '对账单中的银行流水号已导入过',
    en: 'A bank serial in the statement was already imported',
  },
  SUSPENSE_ITEM_NOT_FOUND: { kind: 'not_found', zh: '挂账款项不存在', en: 'Suspense item not found' },
  SUSPENSE_ITEM_NOT_OPEN: {
    kind: 'conflict',
    zh: '挂账款项已处理',
    en: 'The suspense item is already resolved',
  },
  BANK_SERIAL_ALREADY_RECONCILED: {
    kind: 'conflict',
    zh: '该银行流水已在对账中作挂账处理（已分配或退回），请在对账中核对后再处理',
    en: 'Reconciliation already put this bank serial in suspense and staff resolved it; check it in reconciliation first',
  },
} as const satisfies Record<string, ErrorEntry>;
