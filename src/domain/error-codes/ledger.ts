// Error codes of the double-entry books (rules.md §7): entry validation, posting, reversal.
import type { ErrorEntry } from './types.ts';

export const LEDGER_ERRORS = {
  LEDGER_BOOK_UNKNOWN: { kind: 'validation', zh: '账套不存在', en: 'Unknown book' },
  LEDGER_ENTRY_TYPE_REQUIRED: {
    kind: 'validation',
    zh: '凭证类型不能为空',
    en: 'The entry type is required',
  },
  LEDGER_TOO_FEW_POSTINGS: {
    kind: 'validation',
    zh: '一笔凭证至少要有两条分录',
    en: 'A journal entry needs at least two postings',
  },
  LEDGER_AMOUNT_NOT_POSITIVE: {
    kind: 'validation',
    zh: '分录金额必须是大于零的整数（分）',
    en: 'A posting amount must be a positive whole number of fen',
  },
  LEDGER_UNBALANCED: {
    kind: 'validation',
    zh: '借贷不平衡：借方合计不等于贷方合计',
    en: 'The entry does not balance: total debits differ from total credits',
  },
  LEDGER_MEMBER_ACCOUNT_REQUIRED: {
    kind: 'validation',
    zh: '记入“住房公积金”（201）的分录必须指明个人账户',
    en: 'A posting to 201 (members’ balances) must name the member account',
  },
  LEDGER_MEMBER_ACCOUNT_NOT_ALLOWED: {
    kind: 'validation',
    zh: '只有记入“住房公积金”（201）的分录才能指明个人账户',
    en: 'Only postings to 201 (members’ balances) may name a member account',
  },
  LEDGER_ACCOUNT_UNKNOWN: {
    kind: 'validation',
    zh: '该账套中没有这个会计科目',
    en: 'The ledger account does not exist in this book',
  },
  LEDGER_ACCOUNT_CLOSED: { kind: 'rule', zh: '会计科目已停用', en: 'The ledger account is closed' },
  LEDGER_MEMBER_ACCOUNT_UNKNOWN: {
    kind: 'not_found',
    zh: '个人账户不存在',
    en: 'The member account does not exist',
  },
  LEDGER_CROSS_BOOK: {
    kind: 'rule',
    zh: '个人账户不属于该凭证的资金池，跨池资金须通过调剂科目成对记账',
    en: 'The member account belongs to the other pool; inter-pool movements are paired entries',
  },
  LEDGER_MEMBER_BALANCE_NEGATIVE: {
    kind: 'rule',
    zh: '个人账户余额不足',
    en: 'The member account balance would fall below zero',
  },
  LEDGER_PAIR_BOOKS: {
    kind: 'validation',
    zh: '成对凭证须一笔记入灵活缴存账套、一笔记入强制缴存账套',
    en: 'A paired movement needs one entry in the FLEX book and one in the MANDATORY book',
  },
  LEDGER_ENTRY_NOT_FOUND: { kind: 'not_found', zh: '凭证不存在', en: 'The journal entry does not exist' },
  LEDGER_ALREADY_REVERSED: {
    kind: 'conflict',
    zh: '该凭证已冲正',
    en: 'The journal entry was already reversed',
  },
  LEDGER_REVERSAL_NOT_REVERSIBLE: {
    kind: 'rule',
    zh: '冲正凭证不能再冲正，请另行记账',
    en: 'A reversing entry cannot itself be reversed; post a new entry instead',
  },
} as const satisfies Record<string, ErrorEntry>;
