// Journal entries as data (rules.md §7): the draft a service builds, its validation (at least two
// postings, positive amounts, debits = credits, member accounts exactly on 201) and normal-side arithmetic.
// Pure: the ledger (src/ledger/post.ts) checks the database side and writes.
import { compareDates, daysBetween, hpfYearBounds, hpfYearOf, isIsoDate } from './dates.ts';
import { AppError } from './errors.ts';
import type { Fen } from './money.ts';

export type Book = 'FLEX' | 'MANDATORY';
export const BOOKS: readonly Book[] = ['FLEX', 'MANDATORY'];

export type PostingSide = 'D' | 'C';
export type NormalSide = 'debit' | 'credit';

/** The members' balances account (201 住房公积金): its postings move one member account each. */
export const MEMBERS_ACCOUNT_CODE = '201';

export interface PostingDraft {
  /** Ledger account code in the entry's book, e.g. '101', '201', '21903'. */
  account: string;
  side: PostingSide;
  amountFen: Fen;
  /** Required on postings to 201, forbidden elsewhere. */
  memberAccountId?: bigint;
}

export interface JournalEntryDraft {
  book: Book;
  businessDate: string;
  /** The day the money arrived or left (interest counts from it); defaults to the business date. */
  valueDate?: string;
  /** What the entry records, e.g. 'deposit', 'withdrawal', 'interest_accrual'. */
  entryType: string;
  memo?: string;
  /** The business row behind the entry (e.g. 'deposit', '42'), for drill-down. */
  sourceType?: string;
  sourceId?: string;
  /** Set by postPair: the two entries of an inter-pool movement share it. */
  pairId?: string;
  postings: PostingDraft[];
}

/** A valid entry, summed: the net normal-side change is left to the ledger (it knows each account's side). */
export interface ValidatedEntry {
  debitTotalFen: Fen;
  creditTotalFen: Fen;
  /** Net debit (debits − credits) per ledger account, sorted by code. */
  netDebitByAccount: Array<{ account: string; netDebitFen: Fen }>;
  /** Net change of each member's balance (credits to 201 − debits), sorted by member account id. */
  memberDeltas: Array<{ memberAccountId: bigint; deltaFen: Fen }>;
}

/**
 * Checks an entry on its own: a book, a date, an entry type, at least two postings, each amount a
 * positive bigint, Σ debits = Σ credits, and member accounts named on 201 postings only. Throws the
 * first problem as an AppError (field = the posting, e.g. "postings[2].amountFen").
 */
export function validateEntry(draft: JournalEntryDraft): ValidatedEntry {
  if (!BOOKS.includes(draft.book)) {
    throw new AppError('LEDGER_BOOK_UNKNOWN', { field: 'book', details: { book: draft.book } });
  }
  if (typeof draft.businessDate !== 'string' || !isIsoDate(draft.businessDate)) {
    throw new AppError('INVALID_DATE', { field: 'businessDate', details: { value: draft.businessDate } });
  }
  if (typeof draft.entryType !== 'string' || draft.entryType.trim() === '') {
    throw new AppError('LEDGER_ENTRY_TYPE_REQUIRED', { field: 'entryType' });
  }
  const postings = Array.isArray(draft.postings) ? draft.postings : [];
  if (postings.length < 2) {
    throw new AppError('LEDGER_TOO_FEW_POSTINGS', { field: 'postings', details: { count: postings.length } });
  }
  let debitTotalFen = 0n;
  let creditTotalFen = 0n;
  const netDebit = new Map<string, Fen>();
  const memberDelta = new Map<bigint, Fen>();
  postings.forEach((p, index) => {
    const at = `postings[${index}]`;
    if (typeof p.account !== 'string' || p.account === '') {
      throw new AppError('LEDGER_ACCOUNT_UNKNOWN', {
        field: `${at}.account`,
        details: { index, account: p.account },
      });
    }
    if (p.side !== 'D' && p.side !== 'C') {
      throw new AppError('VALIDATION_FAILED', { field: `${at}.side`, details: { index, side: p.side } });
    }
    if (typeof p.amountFen !== 'bigint' || p.amountFen <= 0n) {
      throw new AppError('LEDGER_AMOUNT_NOT_POSITIVE', {
        field: `${at}.amountFen`,
        details: { index, amountFen: String(p.amountFen) },
      });
    }
    const isMembers = p.account === MEMBERS_ACCOUNT_CODE;
    const hasMember = p.memberAccountId !== undefined && p.memberAccountId !== null;
    if (isMembers && !hasMember) {
      throw new AppError('LEDGER_MEMBER_ACCOUNT_REQUIRED', {
        field: `${at}.memberAccountId`,
        details: { index },
      });
    }
    if (!isMembers && hasMember) {
      throw new AppError('LEDGER_MEMBER_ACCOUNT_NOT_ALLOWED', {
        field: `${at}.memberAccountId`,
        details: { index, account: p.account },
      });
    }
    if (isMembers && (typeof p.memberAccountId !== 'bigint' || p.memberAccountId <= 0n)) {
      throw new AppError('LEDGER_MEMBER_ACCOUNT_UNKNOWN', {
        field: `${at}.memberAccountId`,
        details: { index, memberAccountId: String(p.memberAccountId) },
      });
    }
    if (p.side === 'D') debitTotalFen += p.amountFen;
    else creditTotalFen += p.amountFen;
    netDebit.set(p.account, (netDebit.get(p.account) ?? 0n) + (p.side === 'D' ? p.amountFen : -p.amountFen));
    if (isMembers) {
      const id = p.memberAccountId!;
      memberDelta.set(id, (memberDelta.get(id) ?? 0n) + normalSideDelta('credit', p.side, p.amountFen));
    }
  });
  if (debitTotalFen !== creditTotalFen) {
    throw new AppError('LEDGER_UNBALANCED', {
      field: 'postings',
      details: { debitTotalFen: String(debitTotalFen), creditTotalFen: String(creditTotalFen) },
    });
  }
  return {
    debitTotalFen,
    creditTotalFen,
    netDebitByAccount: [...netDebit.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([account, netDebitFen]) => ({ account, netDebitFen })),
    memberDeltas: [...memberDelta.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([memberAccountId, deltaFen]) => ({ memberAccountId, deltaFen })),
  };
}

/**
 * The signed change a posting makes to a balance kept on the account's normal side: a debit raises a
 * debit-normal account (assets, expenses) and lowers a credit-normal one (liabilities, income), and
 * the reverse for a credit.
 */
export function normalSideDelta(normalSide: NormalSide, side: PostingSide, amount: Fen): Fen {
  const debitNormal = normalSide === 'debit';
  return (side === 'D') === debitNormal ? amount : -amount;
}

/** The mirror of a posting list: each debit becomes a credit of the same amount and vice versa. */
export function mirrorPostings(postings: readonly PostingDraft[]): PostingDraft[] {
  return postings.map((p) => ({ ...p, side: p.side === 'D' ? 'C' : 'D' }));
}

/**
 * How a member posting moves the interest accumulator (积数, rules.md §4.1): money counts from its value
 * date (a withdrawal stops counting that day) to the end of the interest year (July 1 – June 30) of the
 * business date; a value date before that year counts from the year's first day.
 */
export function balanceDaysWeight(
  businessDate: string,
  valueDate: string,
): {
  yearEnd: string;
  daysInYear: number;
  days: number;
} {
  const { from, to } = hpfYearBounds(hpfYearOf(businessDate));
  const start = compareDates(valueDate, from) < 0 ? from : valueDate;
  return {
    yearEnd: to,
    daysInYear: daysBetween(from, to) + 1,
    days: Math.max(daysBetween(start, to) + 1, 0),
  };
}
