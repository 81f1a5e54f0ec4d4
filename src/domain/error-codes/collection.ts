import type { ErrorEntry } from './types.ts';

/** Collection (归集) side: crediting payments, periodic plans, the business-day close. */
export const COLLECTION_ERRORS = {
  DEPOSIT_ACCOUNT_NOT_OPEN: {
    kind: 'rule',
    zh: '账户非正常状态（封存、冻结或已销户），不能缴存',
    en: 'The account is not open for deposits (sealed, frozen or closed)',
  },
  DEPOSITOR_RETIRED: {
    kind: 'rule',
    zh: '已达法定退休年龄，不能继续缴存',
    en: 'The statutory retirement age is reached; new deposits stop',
  },
  DEPOSIT_NO_PERIOD_DUE: { kind: 'rule', zh: '没有待缴的缴存期次', en: 'No deposit period is due' },
  DEPOSIT_PERIOD_ALREADY_PAID: { kind: 'conflict', zh: '该期次已缴存', en: 'This period is already paid' },
  CLOSE_ALREADY_RUNNING: {
    kind: 'conflict',
    zh: '日终处理正在进行',
    en: 'The business-day close is already running',
  },
  CLOSE_TARGET_INVALID: {
    kind: 'validation',
    zh: '日终目标日期须晚于当前会计日期',
    en: 'The close target must be after the current business date',
  },
} as const satisfies Record<string, ErrorEntry>;
