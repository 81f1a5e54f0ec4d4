// Reversal (冲正): a posted entry is never edited; a mistake is undone by its mirror entry (every debit
// becomes a credit), linked by reverses_entry_id. An entry is reversed at most once; a reversal is final.
import type { DbOrTx } from '../db/connection.ts';
import { AppError } from '../domain/errors.ts';
import { mirrorPostings, type Book, type PostingDraft } from '../domain/journal.ts';
import { postEntry, type PostedEntry } from './post.ts';

export interface ReverseOptions {
  /** The business date of the reversal (not the original's). */
  businessDate: string;
  memo: string;
  /** The actor label (actorLabel(actor)), as in postEntry. */
  actor: string;
}

/** The entry type written on reversing entries. */
export const REVERSAL_ENTRY_TYPE = 'reversal';

/**
 * Posts the mirror of entry `entryId` in the caller's transaction. The original is locked first so two
 * concurrent reversals queue and the second is refused (LEDGER_ALREADY_REVERSED); the unique
 * reverses_entry_id column backs this. The reversal keeps the original's source for drill-down; it
 * carries no pair id (reverse both halves of a pair to undo an inter-pool movement).
 */
export async function reverseEntry(
  tx: DbOrTx,
  entryId: bigint,
  options: ReverseOptions,
): Promise<PostedEntry> {
  const original = await tx
    .selectFrom('journal_entries')
    .select(['id', 'book', 'entry_type', 'source_type', 'source_id', 'reverses_entry_id'])
    .where('id', '=', entryId)
    .forUpdate()
    .executeTakeFirst();
  if (!original) {
    throw new AppError('LEDGER_ENTRY_NOT_FOUND', { field: 'entryId', details: { entryId: String(entryId) } });
  }
  if (original.reverses_entry_id !== null) {
    throw new AppError('LEDGER_REVERSAL_NOT_REVERSIBLE', {
      field: 'entryId',
      details: { entryId: String(entryId), reversesEntryId: String(original.reverses_entry_id) },
    });
  }
  const earlier = await tx
    .selectFrom('journal_entries')
    .select(['id'])
    .where('reverses_entry_id', '=', entryId)
    .executeTakeFirst();
  if (earlier) {
    throw new AppError('LEDGER_ALREADY_REVERSED', {
      field: 'entryId',
      details: { entryId: String(entryId), reversalEntryId: String(earlier.id) },
    });
  }
  const postings = await tx
    .selectFrom('postings')
    .select(['account_code', 'side', 'amount_fen', 'member_account_id'])
    .where('entry_id', '=', entryId)
    .orderBy('id')
    .execute();
  const drafts: PostingDraft[] = postings.map((p) => ({
    account: p.account_code,
    side: p.side,
    amountFen: p.amount_fen,
    ...(p.member_account_id !== null ? { memberAccountId: p.member_account_id } : {}),
  }));
  return postEntry(
    tx,
    {
      book: original.book as Book,
      businessDate: options.businessDate,
      entryType: REVERSAL_ENTRY_TYPE,
      memo: options.memo,
      ...(original.source_type !== null ? { sourceType: original.source_type } : {}),
      ...(original.source_id !== null ? { sourceId: original.source_id } : {}),
      postings: mirrorPostings(drafts),
    },
    options.actor,
    { reversesEntryId: entryId },
  );
}
