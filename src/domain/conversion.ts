// Identity conversion (身份转换, rules.md §5.3): which accounts may be converted, and the two pairs of
// entries that move a member's money between the pools (§7; the legs are decided in
// docs/decisions/0005-conversion-entries.md). Pure: the services read the rows and post the drafts.
import { AppError } from './errors.ts';
import type { AccountStateCode } from './account-state.ts';
import type { Book, JournalEntryDraft } from './journal.ts';
import type { Fen } from './money.ts';

export type ConversionDirection = 'to_unit' | 'to_flexible';

export interface ConvertedAccountFacts {
  kind: 'flexible' | 'unit';
  state: AccountStateCode;
}

/** Closed states: 03 merged (a converted account), 04 transferred out, 05 closed by withdrawal. */
const ENDED: readonly AccountStateCode[] = ['03', '04', '05'];

/**
 * The account whose money leaves. Flexible → unit: a flexible account, normal or sealed. Unit →
 * flexible: a unit account that is sealed (封存, the person left the job). Frozen accounts (06,
 * judicial) and ended ones never move.
 */
export function checkConversionSource(direction: ConversionDirection, account: ConvertedAccountFacts): void {
  const field = direction === 'to_unit' ? 'flexibleAccountId' : 'unitAccountId';
  if (direction === 'to_unit' && account.kind !== 'flexible')
    throw new AppError('CONVERSION_NOT_FLEXIBLE', { field, details: { kind: account.kind } });
  if (direction === 'to_flexible' && account.kind !== 'unit')
    throw new AppError('CONVERSION_NOT_UNIT', { field, details: { kind: account.kind } });
  if (ENDED.includes(account.state))
    throw new AppError('CONVERSION_ACCOUNT_CLOSED', { field, details: { state: account.state } });
  if (account.state === '06') throw new AppError('CONVERSION_ACCOUNT_FROZEN', { field });
  if (direction === 'to_flexible' && account.state !== '02')
    throw new AppError('CONVERSION_UNIT_NOT_SEALED', { field, details: { state: account.state } });
  if (account.state !== '01' && account.state !== '02')
    throw new AppError('CONVERSION_ACCOUNT_CLOSED', { field, details: { state: account.state } });
}

/** The unit account receiving a flexible account's money: the person's, in normal state (01). */
export function checkConversionTarget(account: ConvertedAccountFacts): void {
  const field = 'unitAccountId';
  if (account.kind !== 'unit') throw new AppError('CONVERSION_NOT_UNIT', { field });
  if (account.state === '06') throw new AppError('CONVERSION_ACCOUNT_FROZEN', { field });
  if (account.state !== '01')
    throw new AppError('CONVERSION_UNIT_ACCOUNT_NOT_OPEN', { field, details: { state: account.state } });
}

export interface ConversionDraftsInput {
  direction: ConversionDirection;
  amountFen: Fen;
  fromAccountId: bigint;
  toAccountId: bigint;
  businessDate: string;
  conversionRef: string;
  memo: string;
}

export interface ConversionPairs {
  /** The member's liability leaves one book's 201 and arrives in the other's, through 21901 / 11901. */
  liability: { flex: JournalEntryDraft; mandatory: JournalEntryDraft };
  /** The money follows between the pools' bank accounts, settling 21901 / 11901 at once. */
  settlement: { flex: JournalEntryDraft; mandatory: JournalEntryDraft };
}

/**
 * The two pairs of a conversion of `amountFen` (principal with its interest to date), as decided in
 * docs/decisions/0005: in the source book Dr 201 (member) / Cr 21901, then Dr 21901 / Cr 101; in the
 * target book Dr 11901 / Cr 201 (member), then Dr 101 / Cr 11901. Each entry balances in its book; the
 * inter-pool accounts net to zero, so the source loses the liability and the bank money, the target gains both.
 */
export function conversionPairs(input: ConversionDraftsInput): ConversionPairs {
  const { direction, amountFen, fromAccountId, toAccountId, businessDate, conversionRef, memo } = input;
  if (amountFen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field: 'amount' });
  const source: Book = direction === 'to_unit' ? 'FLEX' : 'MANDATORY';
  const common = { businessDate, valueDate: businessDate, sourceType: 'conversion', sourceId: conversionRef };
  const out = (book: Book): JournalEntryDraft => ({
    ...common,
    book,
    entryType: 'conversion_out',
    memo: `身份转换转出 ${memo}`,
    postings: [
      { account: '201', side: 'D', amountFen, memberAccountId: fromAccountId },
      { account: '21901', side: 'C', amountFen },
    ],
  });
  const into = (book: Book): JournalEntryDraft => ({
    ...common,
    book,
    entryType: 'conversion_in',
    memo: `身份转换转入 ${memo}`,
    postings: [
      { account: '11901', side: 'D', amountFen },
      { account: '201', side: 'C', amountFen, memberAccountId: toAccountId },
    ],
  });
  const pay = (book: Book): JournalEntryDraft => ({
    ...common,
    book,
    entryType: 'conversion_settlement',
    memo: `身份转换资金划出 ${memo}`,
    postings: [
      { account: '21901', side: 'D', amountFen },
      { account: '101', side: 'C', amountFen },
    ],
  });
  const receive = (book: Book): JournalEntryDraft => ({
    ...common,
    book,
    entryType: 'conversion_settlement',
    memo: `身份转换资金划入 ${memo}`,
    postings: [
      { account: '101', side: 'D', amountFen },
      { account: '11901', side: 'C', amountFen },
    ],
  });
  return source === 'FLEX'
    ? {
        liability: { flex: out('FLEX'), mandatory: into('MANDATORY') },
        settlement: { flex: pay('FLEX'), mandatory: receive('MANDATORY') },
      }
    : {
        liability: { flex: into('FLEX'), mandatory: out('MANDATORY') },
        settlement: { flex: receive('FLEX'), mandatory: pay('MANDATORY') },
      };
}

/** The interest to date credited to the source account before it moves (Dr 41101 / Cr 201, §4.1, §5.2). */
export function conversionInterestDraft(input: {
  book: Book;
  accountId: bigint;
  interestFen: Fen;
  businessDate: string;
  conversionRef: string;
  memo: string;
}): JournalEntryDraft {
  return {
    book: input.book,
    businessDate: input.businessDate,
    valueDate: input.businessDate,
    entryType: 'interest_conversion',
    memo: `身份转换结息 ${input.memo}`,
    sourceType: 'conversion',
    sourceId: input.conversionRef,
    postings: [
      { account: '41101', side: 'D', amountFen: input.interestFen },
      { account: '201', side: 'C', amountFen: input.interestFen, memberAccountId: input.accountId },
    ],
  };
}
