// Posting journal entries (rules.md §7): checks a draft against the chart and the member accounts, then
// writes the entry, its postings and every balance it moves in one statement, inside the caller's
// transaction (the caller writes the business row and the audit row in the same transaction).
import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/connection.ts';
import { AppError } from '../domain/errors.ts';
import {
  balanceDaysWeight,
  MEMBERS_ACCOUNT_CODE,
  normalSideDelta,
  validateEntry,
  type JournalEntryDraft,
  type NormalSide,
} from '../domain/journal.ts';
import type { Fen } from '../domain/money.ts';

export interface PostOptions {
  /** Set by reverseEntry (src/ledger/reverse.ts): the entry this one mirrors. */
  reversesEntryId?: bigint;
}

export interface PostedEntry {
  entryId: bigint;
}

export interface PostedPair {
  pairId: string;
  flexEntryId: bigint;
  mandatoryEntryId: bigint;
}

interface LookupRow {
  kind: 'L' | 'M';
  key: string;
  is_open: boolean | null;
  normal_side: NormalSide | null;
  pool: string | null;
  balance_fen: bigint | null;
}

/**
 * Posts one balanced entry in its book and moves the balances: each touched ledger account's
 * balance_fen (kept on its normal side) and, for postings to 201, the member account's balance_fen.
 *
 * Member balance parts (rules.md §4.1 keeps 上年结转 / 当年归集): a credit to 201 adds to current_year_fen;
 * a debit takes from current_year_fen first, then from carried_over_fen.
 *
 * Refusals found before writing (validation, unknown or closed ledger account, unknown member account,
 * a member of the other pool, a member balance that would go below zero) write nothing and leave the
 * caller's transaction usable. A refusal raised by a constraint during the write (a concurrent posting
 * emptied the member's balance first) aborts the transaction: the caller must roll back, which
 * happens by itself when the error propagates out of `db.transaction().execute(...)`.
 *
 * Rows are locked members first (by id), then ledger accounts (by book, code), the same order in every
 * transaction, so concurrent postings queue instead of deadlocking; a service that locks the member
 * account before posting keeps that order too. The shared ledger rows (101, 201 of a book) are held
 * from this statement to the caller's commit: keep work after postEntry short (bench/RESULTS.md).
 */
export async function postEntry(
  tx: DbOrTx,
  draft: JournalEntryDraft,
  actorLabel: string,
  options: PostOptions = {},
): Promise<PostedEntry> {
  if (!tx.isTransaction) {
    throw new AppError('INTERNAL_ERROR', { details: { reason: 'postEntry must run inside a transaction' } });
  }
  const valid = validateEntry(draft);
  const { book, postings } = draft;
  const codes = valid.netDebitByAccount.map((a) => a.account);
  const memberIds = valid.memberDeltas.map((m) => m.memberAccountId);

  // One round trip for every row the checks need; no locks are taken yet.
  const lookup = await sql<LookupRow>`
    SELECT 'L' AS kind, la.code AS key, la.is_open, la.normal_side, NULL::text AS pool, NULL::bigint AS balance_fen
    FROM ledger_accounts la
    WHERE la.book = ${book} AND la.code = ANY(${codes}::text[])
    UNION ALL
    SELECT 'M', a.id::text, NULL, NULL, a.pool, a.balance_fen
    FROM accounts a
    WHERE a.id = ANY(${memberIds}::bigint[])`.execute(tx);
  const ledgerRows = new Map<string, LookupRow>();
  const memberRows = new Map<string, LookupRow>();
  for (const row of lookup.rows) (row.kind === 'L' ? ledgerRows : memberRows).set(row.key, row);

  postings.forEach((p, index) => {
    const account = ledgerRows.get(p.account);
    if (!account) {
      throw new AppError('LEDGER_ACCOUNT_UNKNOWN', {
        field: `postings[${index}].account`,
        details: { index, book, account: p.account },
      });
    }
    if (!account.is_open) {
      throw new AppError('LEDGER_ACCOUNT_CLOSED', {
        field: `postings[${index}].account`,
        details: { index, book, account: p.account },
      });
    }
    if (p.account !== MEMBERS_ACCOUNT_CODE) return;
    const member = memberRows.get(String(p.memberAccountId));
    if (!member) {
      throw new AppError('LEDGER_MEMBER_ACCOUNT_UNKNOWN', {
        field: `postings[${index}].memberAccountId`,
        details: { index, memberAccountId: String(p.memberAccountId) },
      });
    }
    if (member.pool !== book) {
      // rules.md §7: a member's money moves between pools only as a pair of entries (postPair).
      throw new AppError('LEDGER_CROSS_BOOK', {
        field: `postings[${index}].memberAccountId`,
        details: { index, memberAccountId: String(p.memberAccountId), book, memberPool: member.pool },
      });
    }
  });

  for (const { memberAccountId, deltaFen } of valid.memberDeltas) {
    const balanceFen = memberRows.get(String(memberAccountId))!.balance_fen!;
    if (balanceFen + deltaFen < 0n) {
      const index = postings.findIndex((p) => p.memberAccountId === memberAccountId && p.side === 'D');
      throw new AppError('LEDGER_MEMBER_BALANCE_NEGATIVE', {
        field: `postings[${index}].memberAccountId`,
        details: {
          memberAccountId: String(memberAccountId),
          balanceFen: String(balanceFen),
          deltaFen: String(deltaFen),
        },
      });
    }
  }

  const ledgerDeltas: Array<{ code: string; deltaFen: Fen }> = [];
  for (const { account, netDebitFen } of valid.netDebitByAccount) {
    const deltaFen = normalSideDelta(ledgerRows.get(account)!.normal_side!, 'D', netDebitFen);
    if (deltaFen !== 0n) ledgerDeltas.push({ code: account, deltaFen });
  }
  const memberDeltas = valid.memberDeltas.filter((m) => m.deltaFen !== 0n);

  try {
    const result = await sql<{ entry_id: bigint; ledger_rows: number }>`
      WITH entry AS (
        INSERT INTO journal_entries
          (book, business_date, value_date, entry_type, memo, source_type, source_id, pair_id, reverses_entry_id, created_by)
        VALUES (${book}, ${draft.businessDate}::date, ${draft.valueDate ?? draft.businessDate}::date, ${draft.entryType}, ${draft.memo ?? ''},
          ${draft.sourceType ?? null}, ${draft.sourceId ?? null}, ${draft.pairId ?? null}::uuid,
          ${options.reversesEntryId ?? null}::bigint, ${actorLabel})
        RETURNING id
      ), posted AS (
        INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
        SELECT entry.id, ${book}, p.code, p.side, p.amount, p.member
        FROM entry,
          unnest(${postings.map((p) => p.account)}::text[], ${postings.map((p) => p.side)}::text[],
            ${postings.map((p) => p.amountFen)}::bigint[], ${postings.map((p) => p.memberAccountId ?? null)}::bigint[])
            WITH ORDINALITY AS p (code, side, amount, member, ord)
        ORDER BY p.ord
        RETURNING 1
      )${memberUpdate(memberDeltas, balanceDaysWeight(draft.businessDate, draft.valueDate ?? draft.businessDate))}${ledgerUpdate(book, ledgerDeltas, memberDeltas.length > 0)}
      SELECT (SELECT id FROM entry) AS entry_id, ${ledgerDeltas.length > 0 ? sql`(SELECT count(*) FROM ledger)::int` : sql`0`} AS ledger_rows`.execute(
      tx,
    );
    const row = result.rows[0]!;
    if (row.ledger_rows !== (ledgerDeltas.length > 0 ? 1 : 0)) {
      // An account was closed between the check and the write; the caller's transaction rolls back.
      throw new AppError('LEDGER_ACCOUNT_CLOSED', {
        field: 'postings',
        details: { book, closedConcurrently: true },
      });
    }
    return { entryId: row.entry_id };
  } catch (error) {
    throw translateConstraintError(error);
  }
}

/**
 * Member balances: locked in id order, then moved (credit to 201 increases, debit decreases), with the
 * interest accumulator (balance_days_fen, see migration 0006) moved by delta × days to the year's end.
 */
function memberUpdate(
  deltas: Array<{ memberAccountId: bigint; deltaFen: Fen }>,
  weight: { yearEnd: string; daysInYear: number; days: number },
): RawBuilder<unknown> {
  if (deltas.length === 0) return sql``;
  const ids = deltas.map((d) => d.memberAccountId);
  return sql`, member_locks AS MATERIALIZED (
        SELECT a.id FROM accounts a WHERE a.id = ANY(${ids}::bigint[]) ORDER BY a.id FOR NO KEY UPDATE
      ), members AS (
        UPDATE accounts a
        SET balance_fen = a.balance_fen + d.delta,
          balance_days_fen = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.balance_days_fen
            ELSE a.balance_fen * ${weight.daysInYear}::bigint END + d.delta * ${weight.days}::bigint,
          interest_carry = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.interest_carry ELSE 0 END,
          interest_year_end = ${weight.yearEnd}::date,
          current_year_fen = CASE WHEN d.delta >= 0 THEN a.current_year_fen + d.delta
            ELSE a.current_year_fen - LEAST(GREATEST(a.current_year_fen, 0), -d.delta) END,
          carried_over_fen = CASE WHEN d.delta >= 0 THEN a.carried_over_fen
            ELSE a.carried_over_fen + d.delta + LEAST(GREATEST(a.current_year_fen, 0), -d.delta) END
        FROM member_locks l
          JOIN unnest(${ids}::bigint[], ${deltas.map((d) => d.deltaFen)}::bigint[]) AS d (id, delta) ON d.id = l.id
        WHERE a.id = l.id
        RETURNING 1
      )`;
}

/**
 * Ledger balances: one single-row UPDATE per touched account, chained in (book, code) order: each starts
 * only after the previous one (a one-time filter on its row count), and the first only after the member
 * accounts (`members`), so every transaction takes its locks in the same order: member accounts by id,
 * then the book's shared rows by code. Each UPDATE is a cheap primary-key plan. The last one is named
 * `ledger`; it updates its row only if all before it did (a closed or missing account breaks the chain).
 */
function ledgerUpdate(
  book: string,
  deltas: Array<{ code: string; deltaFen: Fen }>,
  afterMembers: boolean,
): RawBuilder<unknown> {
  const name = (i: number) => sql.raw(i === deltas.length - 1 ? 'ledger' : `ledger_${i}`);
  const after = (i: number) =>
    i > 0
      ? sql` AND (SELECT count(*) FROM ${name(i - 1)}) = 1`
      : afterMembers
        ? sql` AND (SELECT count(*) FROM members) >= 0`
        : sql``;
  return sql.join(
    deltas.map(
      (d, i) => sql`, ${name(i)} AS (
        UPDATE ledger_accounts SET balance_fen = balance_fen + ${d.deltaFen}::bigint
        WHERE book = ${book} AND code = ${d.code} AND is_open${after(i)}
        RETURNING 1
      )`,
    ),
    sql``,
  );
}

/** Database constraints that back the checks above, turned into the same coded errors. */
function translateConstraintError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23514' && constraint === 'accounts_balance_fen_check') {
    return new AppError('LEDGER_MEMBER_BALANCE_NEGATIVE', {
      field: 'postings',
      details: { concurrent: true },
    });
  }
  if (code === '23505' && constraint === 'journal_entries_reverses_entry_id_key') {
    return new AppError('LEDGER_ALREADY_REVERSED', { field: 'entryId' });
  }
  return error;
}

/**
 * An inter-pool movement (rules.md §5.3, §7): one entry in each book, sharing a new pair id, posted in
 * the caller's transaction (FLEX first, then MANDATORY: the same order as the row locks).
 */
export async function postPair(
  tx: DbOrTx,
  flexDraft: JournalEntryDraft,
  mandatoryDraft: JournalEntryDraft,
  actorLabel: string,
): Promise<PostedPair> {
  if (flexDraft.book !== 'FLEX' || mandatoryDraft.book !== 'MANDATORY') {
    throw new AppError('LEDGER_PAIR_BOOKS', {
      field: 'book',
      details: { flexDraftBook: flexDraft.book, mandatoryDraftBook: mandatoryDraft.book },
    });
  }
  // Both drafts are validated before either is written; a refusal of the second half after the first
  // was written propagates and the caller's transaction rolls both back.
  validateEntry(flexDraft);
  validateEntry(mandatoryDraft);
  const pairId = randomUUID();
  const flex = await postEntry(tx, { ...flexDraft, pairId }, actorLabel);
  const mandatory = await postEntry(tx, { ...mandatoryDraft, pairId }, actorLabel);
  return { pairId, flexEntryId: flex.entryId, mandatoryEntryId: mandatory.entryId };
}
