import type { ErrorEntry } from './types.ts';

export const COMMON_ERRORS = {
  VALIDATION_FAILED: { kind: 'validation', zh: '输入不符合要求', en: 'The input is not valid' },
  INVALID_AMOUNT: {
    kind: 'validation',
    zh: '金额格式错误，最多两位小数',
    en: 'Invalid amount: at most two decimals',
  },
  AMOUNT_NOT_POSITIVE: {
    kind: 'validation',
    zh: '金额必须大于零',
    en: 'The amount must be greater than zero',
  },
  INVALID_DATE: {
    kind: 'validation',
    zh: '日期无效，应为 YYYY-MM-DD',
    en: 'Invalid date; expected YYYY-MM-DD',
  },
  INVALID_MONTH: { kind: 'validation', zh: '月份无效，应为 YYYY-MM', en: 'Invalid month; expected YYYY-MM' },
  INVALID_RATE: { kind: 'validation', zh: '利率格式错误', en: 'Invalid rate' },
  NOT_FOUND: { kind: 'not_found', zh: '记录不存在', en: 'Not found' },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'conflict',
    zh: '该请求编号已用于不同的内容',
    en: 'This idempotency key was already used with a different payload',
  },
  CONCURRENT_UPDATE: {
    kind: 'conflict',
    zh: '数据已被他人修改，请重试',
    en: 'Changed by someone else; please retry',
  },
  UNAUTHENTICATED: { kind: 'unauthenticated', zh: '请先登录', en: 'Please log in' },
  FORBIDDEN: { kind: 'forbidden', zh: '无权执行此操作', en: 'You are not allowed to do this' },
  INTERNAL_ERROR: { kind: 'internal', zh: '系统内部错误', en: 'Internal error' },
} as const satisfies Record<string, ErrorEntry>;
