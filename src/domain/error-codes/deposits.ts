// Error codes of depositing, interest, the deposit subsidy and the tax certificate (rules.md §3, §4, §12).
// The SUBSIDY_* codes are also the reasons an account is not eligible for the subsidy (§4.2).
import type { ErrorEntry } from './types.ts';

export const DEPOSIT_ERRORS = {
  AMOUNT_NEGATIVE: { kind: 'validation', zh: '金额不能为负数', en: 'The amount cannot be negative' },
  DEPOSIT_BELOW_MINIMUM: {
    kind: 'rule',
    zh: '灵活缴存每笔金额不得低于月缴存下限',
    en: 'A flexible deposit must be at least the monthly lower limit',
  },
  DEPOSIT_ABOVE_ANNUAL_ROOM: {
    kind: 'rule',
    zh: '本年度缴存总额将超过 12 个月的月缴存上限',
    en: 'This deposit would take the HPF year total above 12 × the monthly upper limit',
  },
  DEPOSIT_PERIOD_AMOUNT_MISMATCH: {
    kind: 'rule',
    zh: '缴存金额与本期应缴金额不一致',
    en: 'The amount differs from the amount due for the period',
  },
  DEPOSIT_PERIOD_REQUIRED: {
    kind: 'rule',
    zh: '按月、按季、按年缴存须对应一个应缴期次',
    en: 'A monthly, quarterly or annual plan pays a due period',
  },
  INTEREST_PERIOD_INVALID: {
    kind: 'validation',
    zh: '计息期间无效：起始日期晚于截止日期',
    en: 'Invalid interest period: it starts after it ends',
  },
  INTEREST_MOVEMENT_OUTSIDE_PERIOD: {
    kind: 'validation',
    zh: '发生额的日期不在计息期间内',
    en: 'A movement is dated outside the interest period',
  },
  INTEREST_BALANCE_NEGATIVE: {
    kind: 'validation',
    zh: '余额不能为负数',
    en: 'The balance cannot go below zero',
  },
  INTEREST_RATES_INVALID: {
    kind: 'validation',
    zh: '利率表无效：须按日期升序，且计息起始日已有利率生效',
    en: 'Invalid rate table: dates must ascend and a rate must be in force on the first day',
  },
  SUBSIDY_NO_DEPOSITS: {
    kind: 'rule',
    zh: '没有缴存记录，不能享受缴存补贴',
    en: 'No deposits: no deposit subsidy',
  },
  SUBSIDY_LESS_THAN_ONE_YEAR: {
    kind: 'rule',
    zh: '首次缴存至销户不满一年，不能享受缴存补贴',
    en: 'Less than one year from the first deposit to closure: no deposit subsidy',
  },
  SUBSIDY_USED_WITHDRAWAL: {
    kind: 'rule',
    zh: '账户办理过提取，不能享受缴存补贴',
    en: 'The account had a withdrawal: no deposit subsidy',
  },
  SUBSIDY_USED_LOAN: {
    kind: 'rule',
    zh: '账户使用过住房公积金贷款，不能享受缴存补贴',
    en: 'The account was used for an HPF loan: no deposit subsidy',
  },
  SUBSIDY_USED_TRANSFER_OUT: {
    kind: 'rule',
    zh: '账户办理过转出，不能享受缴存补贴',
    en: 'The account had a transfer out: no deposit subsidy',
  },
  SUBSIDY_USED_CONVERSION: {
    kind: 'rule',
    zh: '账户办理过身份转换，不能享受缴存补贴',
    en: 'The account was converted: no deposit subsidy',
  },
  SUBSIDY_DEPOSIT_AFTER_CLOSURE: {
    kind: 'validation',
    zh: '缴存日期晚于销户日期',
    en: 'A deposit is dated after the closure date',
  },
  TAX_CERTIFICATE_MONTH_OUTSIDE_YEAR: {
    kind: 'validation',
    zh: '缴存月份不在证明年度内',
    en: 'A deposit month is outside the certificate year',
  },
} as const satisfies Record<string, ErrorEntry>;
