// `anju verify`, the books half (rules.md §7): recomputes every ledger invariant from the postings with
// set-based SQL in one snapshot and reports each check per book; formatVerifyReport renders it for the CLI.
// Ledger balances are read as every reader reads them: through ledger_balances (base row + stripes).
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/connection.ts';
import { BOOKS, type Book } from '../domain/journal.ts';
import { fenToYuanString } from '../domain/money.ts';

export type VerifyCheckName =
  | 'debits_equal_credits'
  | 'ledger_balances_match_postings'
  | 'members_sum_equals_201'
  | 'entries_balance'
  | 'member_postings_well_formed'
  | 'member_balances_non_negative'
  | 'member_balances_match_postings';

export interface VerifyCheck {
  book: Book;
  name: VerifyCheckName;
  ok: boolean;
  /** As displayed: yuan for amounts ("1234.56"), a count for counts of bad rows. */
  expected?: string;
  actual?: string;
  /** The first few offenders when a check fails. */
  detail?: string;
}

export interface VerifyBooksResult {
  ok: boolean;
  checks: VerifyCheck[];
}

export const VERIFY_CHECK_LABELS: Record<VerifyCheckName, string> = {
  debits_equal_credits: 'Σ debits = Σ credits',
  ledger_balances_match_postings: 'each ledger balance = Σ its postings',
  members_sum_equals_201: 'Σ member balances = 201 balance',
  entries_balance: 'every entry balances (≥ 2 postings, one book)',
  member_postings_well_formed: '201 postings name a member of the pool',
  member_balances_non_negative: 'no member balance below zero',
  member_balances_match_postings: 'each member balance = Σ its 201 postings',
};

/** How many offenders a failing check names. */
const FIRST_FEW = 5;

/**
 * Runs every check for both books. Outside a transaction it opens a read-only REPEATABLE READ one, so
 * the checks see one consistent snapshot while postings continue.
 */
export async function verifyBooks(db: Db | DbOrTx): Promise<VerifyBooksResult> {
  if (db.isTransaction) return runChecks(db);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((tx) => runChecks(tx));
}

async function runChecks(db: DbOrTx): Promise<VerifyBooksResult> {
  const checks: VerifyCheck[] = [];
  const perBook = <T extends { book: string }>(rows: T[]): Map<string, T> =>
    new Map(rows.map((r) => [r.book, r]));

  const totals = perBook(
    (
      await sql<{ book: string; debits: bigint; credits: bigint }>`
        SELECT b.code AS book,
          COALESCE(SUM(p.amount_fen) FILTER (WHERE p.side = 'D'), 0)::bigint AS debits,
          COALESCE(SUM(p.amount_fen) FILTER (WHERE p.side = 'C'), 0)::bigint AS credits
        FROM books b LEFT JOIN postings p ON p.book = b.code
        GROUP BY b.code`.execute(db)
    ).rows,
  );

  const ledgerMismatches = (
    await sql<{ book: string; code: string; balance_fen: bigint; expected_fen: bigint }>`
      WITH sums AS (
        SELECT book, account_code, SUM(CASE WHEN side = 'D' THEN amount_fen ELSE -amount_fen END) AS net_debit
        FROM postings GROUP BY book, account_code
      )
      SELECT la.book, la.code, la.balance_fen, x.expected_fen
      FROM ledger_balances la
        LEFT JOIN sums s ON s.book = la.book AND s.account_code = la.code
        CROSS JOIN LATERAL (
          SELECT (CASE WHEN la.normal_side = 'debit' THEN 1 ELSE -1 END * COALESCE(s.net_debit, 0))::bigint AS expected_fen
        ) x
      WHERE la.balance_fen <> x.expected_fen
      ORDER BY la.book, la.code`.execute(db)
  ).rows;

  const members201 = perBook(
    (
      await sql<{ book: string; ledger_fen: bigint; members_fen: bigint }>`
        SELECT la.book, la.balance_fen AS ledger_fen,
          (SELECT COALESCE(SUM(a.balance_fen), 0) FROM accounts a WHERE a.pool = la.book)::bigint AS members_fen
        FROM ledger_balances la WHERE la.code = '201'`.execute(db)
    ).rows,
  );

  const badEntries = perBook(
    (
      await sql<{ book: string; bad: number; first_ids: string[] }>`
        WITH bad AS (
          SELECT e.book, e.id
          FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
          GROUP BY e.book, e.id
          HAVING count(p.id) < 2
            OR COALESCE(SUM(CASE WHEN p.side = 'D' THEN p.amount_fen ELSE -p.amount_fen END), 0) <> 0
            OR COALESCE(bool_or(p.book <> e.book), false)
        )
        SELECT book, count(*)::int AS bad, ((array_agg(id ORDER BY id))[1:${sql.lit(FIRST_FEW)}])::text[] AS first_ids
        FROM bad GROUP BY book`.execute(db)
    ).rows,
  );

  const badMemberPostings = perBook(
    (
      await sql<{ book: string; bad: number; first_ids: string[] }>`
        SELECT p.book, count(*)::int AS bad, ((array_agg(p.id ORDER BY p.id))[1:${sql.lit(FIRST_FEW)}])::text[] AS first_ids
        FROM postings p LEFT JOIN accounts a ON a.id = p.member_account_id
        WHERE (p.account_code = '201') <> (p.member_account_id IS NOT NULL)
          OR (p.member_account_id IS NOT NULL AND a.pool IS DISTINCT FROM p.book)
        GROUP BY p.book`.execute(db)
    ).rows,
  );

  const negativeMembers = perBook(
    (
      await sql<{ book: string; bad: number; first_ids: string[] }>`
        SELECT pool AS book, count(*)::int AS bad, ((array_agg(id ORDER BY id))[1:${sql.lit(FIRST_FEW)}])::text[] AS first_ids
        FROM accounts WHERE balance_fen < 0 GROUP BY pool`.execute(db)
    ).rows,
  );

  const memberMismatches = perBook(
    (
      await sql<{ book: string; bad: number; first_ids: string[] }>`
        WITH sums AS (
          SELECT member_account_id AS id, SUM(CASE WHEN side = 'C' THEN amount_fen ELSE -amount_fen END) AS net
          FROM postings WHERE member_account_id IS NOT NULL GROUP BY member_account_id
        )
        SELECT a.pool AS book, count(*)::int AS bad, ((array_agg(a.id ORDER BY a.id))[1:${sql.lit(FIRST_FEW)}])::text[] AS first_ids
        FROM accounts a LEFT JOIN sums s ON s.id = a.id
        WHERE a.balance_fen <> COALESCE(s.net, 0)
        GROUP BY a.pool`.execute(db)
    ).rows,
  );

  for (const book of BOOKS) {
    const t = totals.get(book) ?? { debits: 0n, credits: 0n };
    checks.push({
      book,
      name: 'debits_equal_credits',
      ok: t.debits === t.credits,
      expected: fenToYuanString(t.debits),
      actual: fenToYuanString(t.credits),
    });

    const mismatched = ledgerMismatches.filter((m) => m.book === book);
    checks.push({
      book,
      name: 'ledger_balances_match_postings',
      ok: mismatched.length === 0,
      expected: '0',
      actual: String(mismatched.length),
      ...(mismatched.length > 0
        ? {
            detail: mismatched
              .slice(0, FIRST_FEW)
              .map(
                (m) =>
                  `${m.code}: balance ${fenToYuanString(m.balance_fen)}, postings ${fenToYuanString(m.expected_fen)}`,
              )
              .join('; '),
          }
        : {}),
    });

    const m201 = members201.get(book);
    if (m201) {
      checks.push({
        book,
        name: 'members_sum_equals_201',
        ok: m201.ledger_fen === m201.members_fen,
        expected: fenToYuanString(m201.ledger_fen),
        actual: fenToYuanString(m201.members_fen),
      });
    } else {
      checks.push({ book, name: 'members_sum_equals_201', ok: false, detail: 'account 201 is missing' });
    }

    checks.push(countCheck(book, 'entries_balance', badEntries.get(book), 'entries'));
    checks.push(countCheck(book, 'member_postings_well_formed', badMemberPostings.get(book), 'postings'));
    checks.push(countCheck(book, 'member_balances_non_negative', negativeMembers.get(book), 'accounts'));
    checks.push(countCheck(book, 'member_balances_match_postings', memberMismatches.get(book), 'accounts'));
  }
  return { ok: checks.every((c) => c.ok), checks };
}

function countCheck(
  book: Book,
  name: VerifyCheckName,
  row: { bad: number; first_ids: string[] } | undefined,
  noun: string,
): VerifyCheck {
  const bad = row?.bad ?? 0;
  return {
    book,
    name,
    ok: bad === 0,
    expected: '0',
    actual: String(bad),
    ...(row && bad > 0
      ? { detail: `${noun} ${row.first_ids.join(', ')}${bad > row.first_ids.length ? ', …' : ''}` }
      : {}),
  };
}

/** One line per check (✓ / ✗), then a summary line; for `anju verify`. */
export function formatVerifyReport(result: VerifyBooksResult): string {
  const width = Math.max(...Object.values(VERIFY_CHECK_LABELS).map((l) => l.length));
  const lines = result.checks.map((c) => {
    const mark = c.ok ? '✓' : '✗';
    const label = VERIFY_CHECK_LABELS[c.name].padEnd(width);
    let figures = '';
    if (c.expected !== undefined && c.actual !== undefined) {
      figures = c.ok ? `${c.actual}` : `expected ${c.expected}, found ${c.actual}`;
    }
    const detail = c.detail ? ` (${c.detail})` : '';
    return `${mark} ${c.book.padEnd(9)} ${label}  ${figures}${detail}`.trimEnd();
  });
  const failed = result.checks.filter((c) => !c.ok).length;
  lines.push(
    result.ok
      ? `Books: all ${result.checks.length} checks passed`
      : `Books: ${failed} of ${result.checks.length} checks FAILED`,
  );
  return lines.join('\n');
}
