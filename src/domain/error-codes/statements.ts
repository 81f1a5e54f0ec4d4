// Error codes of account statements, the tax-deduction deposit certificate (rules.md §12) and the
// subsidy preview (§4.2); the subsidy's own ineligibility reasons are the SUBSIDY_* codes in deposits.ts.
import type { ErrorEntry } from './types.ts';

export const STATEMENT_ERRORS = {
  STATEMENT_PERIOD_INVALID: {
    kind: 'validation',
    zh: '对账单期间无效：起始日期晚于截止日期',
    en: 'Invalid statement period: it starts after it ends',
  },
  TAX_CERTIFICATE_YEAR_INVALID: {
    kind: 'validation',
    zh: '证明年度无效：不能晚于当前会计年度',
    en: 'Invalid certificate year: it cannot be after the current business year',
  },
  TAX_CERTIFICATE_NO_DEPOSITS: {
    kind: 'rule',
    zh: '该年度没有缴存记录，无法出具缴存证明',
    en: 'No deposits in that year: no certificate can be issued',
  },
  TAX_CERTIFICATE_NOT_FOUND: {
    kind: 'not_found',
    zh: '缴存证明不存在或校验码不正确',
    en: 'No certificate with this verification code, or the code is wrong',
  },
  SUBSIDY_PREVIEW_DATE_PAST: {
    kind: 'validation',
    zh: '预计销户日期不能早于当前会计日期',
    en: 'The closure date of a preview cannot be before the business date',
  },
} as const satisfies Record<string, ErrorEntry>;
