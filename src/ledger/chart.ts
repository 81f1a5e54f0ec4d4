// The chart of accounts (rules.md §7, 住房公积金会计核算办法): the codes later code posts to, by name,
// and read helpers for a book's accounts and balances (balances are kept on each account's normal side).
// Balances are read only through the view ledger_balances (the base row plus its stripes, migration 0012).
import type { DbOrTx } from '../db/connection.ts';
import { AppError } from '../domain/errors.ts';
import type { Book, NormalSide } from '../domain/journal.ts';
import type { Fen } from '../domain/money.ts';

/** Ledger account codes (the same chart in both books; see migrations/0002_ledger.sql). */
export const LEDGER = {
  /** 101 住房公积金存款: the pool's bank deposits. */
  bank: '101',
  /** 10101 银行在途资金: money in transit between the bank and the pool. */
  bankClearing: '10101',
  /** 111 应收利息. */
  interestReceivable: '111',
  /** 11901 资金调剂应收款: due from the other pool. */
  interPoolReceivable: '11901',
  /** 121 委托贷款. */
  loans: '121',
  /** 122 逾期贷款. */
  overdueLoans: '122',
  /** 201 住房公积金: the members' balances; every posting names a member account. */
  members: '201',
  /** 211 应付利息: interest accrued monthly, credited to members on June 30 (rules.md §4.1). */
  interestPayable: '211',
  /** 21901 资金调剂应付款: due to the other pool. */
  interPoolPayable: '21901',
  /** 21902 待查明款项: unidentified receipts held in suspense. */
  suspense: '21902',
  /** 21903 待付款项: payouts sent to the bank, not yet confirmed. */
  payoutsInTransit: '21903',
  /** 21904 转移接续待匹配款项: transfer-in funds awaiting their account sheet (rules.md §5.4). */
  transferFundsAwaiting: '21904',
  /** 301 贷款风险准备. */
  loanRiskReserve: '301',
  /** 311 增值收益. */
  valueAddedIncome: '311',
  /** 40101 存款利息收入. */
  depositInterestIncome: '40101',
  /** 40103 委托贷款利息收入. */
  loanInterestIncome: '40103',
  /** 40104 资金调剂利息收入. */
  interPoolInterestIncome: '40104',
  /** 41101 住房公积金利息支出. */
  interestExpense: '41101',
  /** 41102 缴存补贴支出 (rules.md §4.2). */
  subsidyExpense: '41102',
  /** 41103 公转商贴息支出 (rules.md §6.6). */
  subsidizedLoanExpense: '41103',
  /** 41104 资金调剂利息支出. */
  interPoolInterestExpense: '41104',
} as const;

export type LedgerCode = (typeof LEDGER)[keyof typeof LEDGER];

export interface LedgerAccount {
  book: Book;
  code: string;
  nameZh: string;
  nameEn: string;
  normalSide: NormalSide;
  parentCode: string | null;
  isOpen: boolean;
  /** On the normal side: debits − credits for debit-normal accounts, credits − debits otherwise. */
  balanceFen: Fen;
}

/** The book's accounts in code order, with their balances. */
export async function listLedgerAccounts(db: DbOrTx, book: Book): Promise<LedgerAccount[]> {
  const rows = await db
    .selectFrom('ledger_balances')
    .select(['book', 'code', 'name_zh', 'name_en', 'normal_side', 'parent_code', 'is_open', 'balance_fen'])
    .where('book', '=', book)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    book: r.book as Book,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    normalSide: r.normal_side,
    parentCode: r.parent_code,
    isOpen: r.is_open,
    balanceFen: r.balance_fen,
  }));
}

/** One account's balance on its normal side; an unknown code is refused (LEDGER_ACCOUNT_UNKNOWN). */
export async function ledgerBalance(db: DbOrTx, book: Book, code: string): Promise<Fen> {
  const row = await db
    .selectFrom('ledger_balances')
    .select(['balance_fen'])
    .where('book', '=', book)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) {
    throw new AppError('LEDGER_ACCOUNT_UNKNOWN', { field: 'code', details: { book, code } });
  }
  return row.balance_fen;
}
