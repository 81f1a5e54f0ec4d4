// Error codes of interest accrual, settlement and rate changes (rules.md §4.1). The pure calculator's codes
// (INTEREST_PERIOD_INVALID …) live with depositing in deposits.ts.
import type { ErrorEntry } from './types.ts';

export const INTEREST_ERRORS = {
  INTEREST_UP_TO_INVALID: {
    kind: 'validation',
    zh: '计息截止日期早于已计入的资金变动或账户当前计息年度',
    en: 'The interest cut-off date is before a movement already counted or before the account’s interest year',
  },
  INTEREST_RATE_TOO_PRECISE: {
    kind: 'rule',
    zh: '存款利率最多保留六位小数',
    en: 'The deposit interest rate may have at most six decimals',
  },
  INTEREST_BENCH_DATA_INVALID: {
    kind: 'validation',
    zh: '压测数据参数无效',
    en: 'Invalid benchmark data options',
  },
} as const satisfies Record<string, ErrorEntry>;
