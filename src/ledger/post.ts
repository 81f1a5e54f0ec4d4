// Posting journal entries (rules.md §7): checks a draft against the chart and the member accounts and
// writes the entry, its postings and every balance it moves in one statement (the writes gated on the
// checks), inside the caller's transaction (the caller writes the business row and the audit row in it).
import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { prepared, type DbOrTx } from '../db/connection.ts';
import { AppError } from '../domain/errors.ts';
import {
  balanceDaysWeight,
  MEMBERS_ACCOUNT_CODE,
  validateEntry,
  type JournalEntryDraft,
} from '../domain/journal.ts';
import type { Fen } from '../domain/money.ts';

export interface PostOptions {
  /** Set by reverseEntry (src/ledger/reverse.ts): the entry this one mirrors. */
  reversesEntryId?: bigint;
  /**
   * The caller's own writes, done in the same statement as the entry (one round trip for a business
   * row, its entry and its audit row: credit-deposit.ts): CTE name → a data-modifying statement. Each
   * must read the CTE `entry` (the new entry's id; no row when the checks refused the entry), so a
   * refused entry still writes nothing; they may read each other's RETURNING by name.
   */
  alongside?: Record<string, RawBuilder<unknown>>;
}

export interface PostedEntry {
  entryId: bigint;
}

export interface PostedPair {
  pairId: string;
  flexEntryId: bigint;
  mandatoryEntryId: bigint;
}

/** A row the checks read (returned as JSON, so the balance travels as text). */
interface LookupRow {
  kind: 'L' | 'M';
  key: string;
  is_open: boolean | null;
  pool: string | null;
  balance_fen: string | null;
}

/**
 * Posts one balanced entry in its book and moves the balances: each touched ledger account's
 * balance_fen (kept on its normal side) and, for postings to 201, the member account's balance_fen.
 *
 * Member balance parts (rules.md §4.1 keeps 上年结转 / 当年归集): a credit to 201 adds to current_year_fen;
 * a debit takes from current_year_fen first, then from carried_over_fen.
 *
 * Refusals found by the checks (validation, unknown or closed ledger account, unknown member account,
 * a member of the other pool, a member balance that would go below zero) write nothing and leave the
 * caller's transaction usable. A refusal raised by a constraint during the write (a concurrent posting
 * emptied the member's balance first) aborts the transaction: the caller must roll back, which
 * happens by itself when the error propagates out of `db.transaction().execute(...)`.
 *
 * Ledger balances are striped (migration 0012): the entry's deltas go to this backend's stripe rows in
 * ledger_balance_deltas, not to the shared ledger_accounts rows, so concurrent postings in a book no
 * longer queue on its 101 and 201 rows; read balances through ledger_balances (chart.ts).
 *
 * Rows are locked members first (by id), then ledger accounts (by book, code; FOR SHARE: concurrent
 * postings share it, closing the account waits for them and they see the close), then the stripe rows
 * (by book, code): the same order in every transaction, so concurrent postings queue instead of
 * deadlocking; a service that locks the member account before posting keeps that order too. A
 * transaction uses one stripe for all its entries (its backend's), so two entries in one transaction
 * never take two stripes of one account.
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
  const { book } = draft;
  const codes = valid.netDebitByAccount.map((a) => a.account);
  const memberIds = valid.memberDeltas.map((m) => m.memberAccountId);
  const memberDeltas = valid.memberDeltas.filter((m) => m.deltaFen !== 0n);
  const ledgerDeltas = valid.netDebitByAccount.filter((a) => a.netDebitFen !== 0n);

  // One round trip: `lookup` reads every row the checks need (no locks) and every write is gated on
  // `checked`, so a refused entry writes nothing and leaves the caller's transaction usable; the rows
  // come back only then, to name the refusal.
  let row: { entry_id: bigint | null; ledger_rows: number; stripe_rows: number; lookup: LookupRow[] | null };
  try {
    // Prepared: its text takes a few shapes (with or without member accounts, the callers' alongside).
    const result = await prepared(sql<typeof row>`
      WITH lookup AS MATERIALIZED (
        SELECT 'L' AS kind, la.code AS key, la.is_open, NULL::text AS pool, NULL::text AS balance_fen
        FROM ledger_accounts la
        WHERE la.book = ${book} AND la.code = ANY(${codes}::text[])
        UNION ALL
        SELECT 'M', a.id::text, NULL, a.pool, a.balance_fen::text
        FROM accounts a
        WHERE a.id = ANY(${memberIds}::bigint[])
      ), checked AS MATERIALIZED (
        SELECT (SELECT count(*) FROM lookup WHERE kind = 'L' AND is_open) = ${codes.length}
          AND (SELECT count(*) FROM lookup l
            JOIN unnest(${memberIds}::bigint[], ${valid.memberDeltas.map((m) => m.deltaFen)}::bigint[]) AS d (id, delta)
              ON l.kind = 'M' AND l.key = d.id::text
            WHERE l.pool = ${book} AND l.balance_fen::bigint + d.delta >= 0) = ${memberIds.length} AS ok
      ), entry AS (
        INSERT INTO journal_entries
          (book, business_date, value_date, entry_type, memo, source_type, source_id, pair_id, reverses_entry_id, created_by)
        SELECT ${book}, ${draft.businessDate}::date, ${draft.valueDate ?? draft.businessDate}::date, ${draft.entryType}, ${draft.memo ?? ''},
          ${draft.sourceType ?? null}, ${draft.sourceId ?? null}, ${draft.pairId ?? null}::uuid,
          ${options.reversesEntryId ?? null}::bigint, ${actorLabel}
        WHERE (SELECT ok FROM checked)
        RETURNING id
      ), posted AS (
        INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
        SELECT entry.id, ${book}, p.code, p.side, p.amount, p.member
        FROM entry,
          unnest(${draft.postings.map((p) => p.account)}::text[], ${draft.postings.map((p) => p.side)}::text[],
            ${draft.postings.map((p) => p.amountFen)}::bigint[], ${draft.postings.map((p) => p.memberAccountId ?? null)}::bigint[])
            WITH ORDINALITY AS p (code, side, amount, member, ord)
        ORDER BY p.ord
        RETURNING 1
      )${memberUpdate(memberDeltas, balanceDaysWeight(draft.businessDate, draft.valueDate ?? draft.businessDate))}${ledgerUpdate(book, codes, ledgerDeltas, memberDeltas.length > 0)}${alongside(options.alongside)}
      SELECT (SELECT id FROM entry) AS entry_id, (SELECT count(*) FROM ledger)::int AS ledger_rows,
        (SELECT count(*) FROM stripes)::int AS stripe_rows,
        CASE WHEN NOT (SELECT ok FROM checked) THEN (SELECT json_agg(lookup) FROM lookup) END AS lookup`).execute(
      tx,
    );
    row = result.rows[0]!;
  } catch (error) {
    throw translateConstraintError(error);
  }
  if (row.entry_id === null) {
    throwRefusal(draft, valid.memberDeltas, row.lookup ?? []);
    throw new AppError('INTERNAL_ERROR', { details: { reason: 'posting refused by the database only' } });
  }
  if (row.ledger_rows !== codes.length || row.stripe_rows !== ledgerDeltas.length) {
    // An account was closed between the check and the write; the caller's transaction rolls back.
    throw new AppError('LEDGER_ACCOUNT_CLOSED', {
      field: 'postings',
      details: { book, closedConcurrently: true },
    });
  }
  return { entryId: row.entry_id };
}

/** Names why an entry was refused, from the rows the check read: the first offending posting. */
function throwRefusal(
  draft: JournalEntryDraft,
  memberDeltas: Array<{ memberAccountId: bigint; deltaFen: Fen }>,
  lookup: LookupRow[],
): void {
  const { book, postings } = draft;
  const ledgerRows = new Map<string, LookupRow>();
  const memberRows = new Map<string, LookupRow>();
  for (const r of lookup) (r.kind === 'L' ? ledgerRows : memberRows).set(r.key, r);

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

  for (const { memberAccountId, deltaFen } of memberDeltas) {
    const balanceFen = BigInt(memberRows.get(String(memberAccountId))!.balance_fen!);
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
        SELECT a.id FROM accounts a WHERE a.id = ANY(${ids}::bigint[]) AND (SELECT count(*) FROM entry) = 1
        ORDER BY a.id FOR NO KEY UPDATE
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

/** The caller's writes (PostOptions.alongside) as further CTEs of the posting statement. */
function alongside(writes: Record<string, RawBuilder<unknown>> | undefined): RawBuilder<unknown> {
  if (!writes || Object.keys(writes).length === 0) return sql``;
  return sql.join(
    Object.entries(writes).map(([name, write]) => sql`, ${sql.id(name)} AS (${write})`),
    sql``,
  );
}

/** Stripes per ledger account (migration 0012); a posting uses its backend's stripe. */
export const LEDGER_STRIPES = 16;

/**
 * Ledger balances, in two steps that start only after the entry was written and the member accounts
 * were moved (`members`; one-time filters on their row counts): `ledger` locks every account of the
 * entry FOR SHARE in code order, open ones only (an account closed concurrently drops out, and the
 * caller sees fewer rows than codes); `stripes` then adds each non-zero delta, turned to the account's
 * normal side, to this backend's stripe row, in code order, only if every account was locked. FOR
 * SHARE does not conflict between postings; only the stripe row is written, and another posting waits
 * for it only when both backends map to the same stripe.
 */
function ledgerUpdate(
  book: string,
  codes: string[],
  deltas: Array<{ account: string; netDebitFen: Fen }>,
  afterMembers: boolean,
): RawBuilder<unknown> {
  const gate = afterMembers ? sql` AND (SELECT count(*) FROM members) >= 0` : sql``;
  return sql`, ledger AS MATERIALIZED (
        SELECT la.code, la.normal_side FROM ledger_accounts la
        WHERE la.book = ${book} AND la.code = ANY(${codes}::text[]) AND la.is_open
          AND (SELECT count(*) FROM entry) = 1${gate}
        ORDER BY la.code
        FOR SHARE
      ), stripes AS (
        INSERT INTO ledger_balance_deltas AS s (book, code, stripe, delta_fen)
        SELECT ${book}, d.code, (pg_backend_pid() % ${sql.lit(LEDGER_STRIPES)})::smallint,
          CASE WHEN l.normal_side = 'debit' THEN d.net_debit ELSE -d.net_debit END
        FROM unnest(${deltas.map((d) => d.account)}::text[], ${deltas.map((d) => d.netDebitFen)}::bigint[]) AS d (code, net_debit)
          JOIN ledger l ON l.code = d.code
        WHERE (SELECT count(*) FROM ledger) = ${codes.length}
        ORDER BY d.code
        ON CONFLICT (book, code, stripe) DO UPDATE SET delta_fen = s.delta_fen + excluded.delta_fen
        RETURNING 1
      )`;
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
