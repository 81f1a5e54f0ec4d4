// Close step for June 30: the annual interest settlement (结息, rules.md §4.1) of every member account, per
// book, as a few set-based SQL statements in one transaction: the year's interest from the accumulators,
// one journal entry per book (Dr 211 accrued + Dr/Cr 41101 the difference, Cr 201 per account), the
// balances, account_interest, and the roll of every account into the new interest year.
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { addDays } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { BOOKS, type Book } from '../../domain/journal.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel } from '../../domain/roles.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { accruedThisYear } from './accrue-month-end-interest.ts';
import { applyRateChange } from './apply-rate-change.ts';
import {
  currentRateSegment,
  earningAccountsSql,
  interestToDateSql,
  interestYearOf,
  isSettlementDay,
  lockInterestSteps,
  type InterestStepContext,
} from './interest-accumulator.ts';

/** Test seam: called after each statement inside the settlement transaction (a throw rolls it all back). */
export interface SettlementHooks {
  afterStatement?: (statement: SettlementStatement, tx: DbOrTx) => Promise<void>;
}

export type SettlementStatement =
  'computed' | 'entry' | 'postings' | 'ledger' | 'account_interest' | 'accounts';

export interface BookSettlement {
  book: Book;
  hpfYear: number;
  /** Accounts credited with interest (> 0). */
  accounts: number;
  total: string;
  accrued: string;
  journalEntryId: string | null;
  skipped?: 'already_settled';
}

/** Work memory for the settlement's joins and sorts over a million rows (this transaction only). */
const SETTLEMENT_WORK_MEM = '256MB';

/**
 * Settles the interest year ending on the closed date (June 30) for both books in one transaction: a kill
 * anywhere leaves nothing, and the rerun settles. A book with an interest_settlements row for the year is
 * skipped (idempotent). Rate changes in force are cut first (apply-rate-change.ts, itself idempotent).
 */
export async function settleAnnualInterest(
  ctx: InterestStepContext & { hooks?: SettlementHooks },
): Promise<{ date: string; skipped?: 'not_june_30'; books: BookSettlement[] }> {
  if (!isSettlementDay(ctx.date)) return { date: ctx.date, skipped: 'not_june_30', books: [] };
  await applyRateChange(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    await lockInterestSteps(tx);
    const books: BookSettlement[] = [];
    for (const book of BOOKS) books.push(await settleBook(tx, ctx, book));
    return { date: ctx.date, books };
  });
}

async function settleBook(
  tx: DbOrTx,
  ctx: InterestStepContext & { hooks?: SettlementHooks },
  book: Book,
): Promise<BookSettlement> {
  const year = interestYearOf(ctx.date);
  const next = interestYearOf(addDays(year.to, 1));
  const label = actorLabel(ctx.actor);
  const after = async (statement: SettlementStatement) => ctx.hooks?.afterStatement?.(statement, tx);

  const done = await tx
    .selectFrom('interest_settlements')
    .select(['accounts', 'total_fen', 'accrued_fen', 'journal_entry_id'])
    .where('book', '=', book)
    .where('hpf_year', '=', year.hpfYear)
    .executeTakeFirst();
  if (done) {
    return {
      book,
      hpfYear: year.hpfYear,
      accounts: done.accounts,
      total: fenToYuanString(done.total_fen),
      accrued: fenToYuanString(done.accrued_fen),
      journalEntryId: done.journal_entry_id === null ? null : String(done.journal_entry_id),
      skipped: 'already_settled',
    };
  }
  await sql`SELECT set_config('work_mem', ${SETTLEMENT_WORK_MEM}, true)`.execute(tx);
  // Postings wait while the year is settled (readers do not): what is computed is what is credited.
  await sql`LOCK TABLE accounts IN EXCLUSIVE MODE`.execute(tx);
  const ledger = await tx
    .selectFrom('ledger_accounts')
    .select(['code', 'is_open'])
    .where('book', '=', book)
    .where('code', 'in', [LEDGER.members, LEDGER.interestPayable, LEDGER.interestExpense])
    .execute();
  for (const code of [LEDGER.members, LEDGER.interestPayable, LEDGER.interestExpense]) {
    const row = ledger.find((l) => l.code === code);
    if (!row) throw new AppError('LEDGER_ACCOUNT_UNKNOWN', { details: { book, account: code } });
    if (!row.is_open) throw new AppError('LEDGER_ACCOUNT_CLOSED', { details: { book, account: code } });
  }

  // 1. Each earning account's interest for the whole year, June 30 included (0 days after it).
  const { ratePct } = await currentRateSegment(tx, year);
  await sql`CREATE TEMP TABLE IF NOT EXISTS interest_settlement_rows (account_id bigint NOT NULL, interest_fen bigint NOT NULL)
    ON COMMIT DROP`.execute(tx);
  await sql`TRUNCATE interest_settlement_rows`.execute(tx);
  await sql`
    INSERT INTO interest_settlement_rows (account_id, interest_fen)
    SELECT id, interest_fen FROM (
      SELECT a.id, a.balance_fen, ${interestToDateSql(year, 0, ratePct)} AS interest_fen
      FROM accounts a WHERE ${earningAccountsSql(book, year)}
    ) s
    WHERE s.balance_fen > 0 OR s.interest_fen > 0`.execute(tx);
  await sql`ANALYZE interest_settlement_rows`.execute(tx);
  const totals = await sql<{ accounts: number; total: bigint }>`
    SELECT (count(*) FILTER (WHERE interest_fen > 0))::int AS accounts, COALESCE(SUM(interest_fen), 0)::bigint AS total
    FROM interest_settlement_rows`.execute(tx);
  const { accounts, total } = totals.rows[0]!;
  const accrued = await accruedThisYear(tx, book, year.from, year.to);
  const difference = total - accrued;
  await after('computed');

  // 2. One entry: Dr 211 what was accrued, Dr 41101 the difference (Cr when negative), Cr 201 per account.
  let entryId: bigint | null = null;
  if (total !== 0n || accrued !== 0n) {
    const entry = await sql<{ id: bigint }>`
      INSERT INTO journal_entries (book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
      VALUES (${book}, ${ctx.date}::date, ${ctx.date}::date, 'interest_settlement', ${`结息 ${year.hpfYear} 年度`},
        'interest_settlement', ${`${book}:${year.hpfYear}`}, ${label})
      RETURNING id`.execute(tx);
    entryId = entry.rows[0]!.id;
    await after('entry');

    const legs: Array<{ code: string; side: 'D' | 'C'; amount: bigint }> = [];
    if (accrued !== 0n)
      legs.push({ code: LEDGER.interestPayable, side: accrued > 0n ? 'D' : 'C', amount: abs(accrued) });
    if (difference !== 0n) {
      legs.push({ code: LEDGER.interestExpense, side: difference > 0n ? 'D' : 'C', amount: abs(difference) });
    }
    if (legs.length > 0) {
      await sql`
        INSERT INTO postings (entry_id, book, account_code, side, amount_fen)
        SELECT ${entryId}, ${book}, l.code, l.side, l.amount
        FROM unnest(${legs.map((l) => l.code)}::text[], ${legs.map((l) => l.side)}::text[],
          ${legs.map((l) => l.amount)}::bigint[]) WITH ORDINALITY AS l (code, side, amount, ord)
        ORDER BY l.ord`.execute(tx);
    }
    await sql`
      INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
      SELECT ${entryId}, ${book}, ${LEDGER.members}, 'C', interest_fen, account_id
      FROM interest_settlement_rows WHERE interest_fen > 0
      ORDER BY account_id`.execute(tx);
    await after('postings');

    // Balances on the normal side: 201 and 211 are credit-normal, 41101 debit-normal. A set-based write
    // adds to the base part of ledger_balances (migration 0012): postings add to their stripes instead.
    await sql`
      UPDATE ledger_accounts la SET balance_fen = la.balance_fen + d.delta
      FROM unnest(${[LEDGER.members, LEDGER.interestPayable, LEDGER.interestExpense]}::text[],
        ${[total, -accrued, difference]}::bigint[]) AS d (code, delta)
      WHERE la.book = ${book} AND la.code = d.code AND d.delta <> 0`.execute(tx);
    await after('ledger');
  }

  // 3. What each account received, for statements.
  await sql`
    INSERT INTO account_interest (account_id, hpf_year, settled_on, interest_fen, kind)
    SELECT account_id, ${year.hpfYear}, ${ctx.date}::date, interest_fen, 'annual'
    FROM interest_settlement_rows WHERE interest_fen > 0`.execute(tx);
  await after('account_interest');

  // 4. Credit the interest and roll into the new year: the whole balance is carried over (上年结转) and
  //    earns from July 1 (annual compounding), so the accumulator starts at balance × days of the year.
  await sql`
    UPDATE accounts a
    SET balance_fen = a.balance_fen + t.interest_fen,
        carried_over_fen = a.balance_fen + t.interest_fen,
        current_year_fen = 0,
        balance_days_fen = (a.balance_fen + t.interest_fen) * ${next.days}::bigint,
        interest_carry = 0,
        interest_year_end = ${next.to}::date
    FROM interest_settlement_rows t
    WHERE a.id = t.account_id`.execute(tx);
  await after('accounts');

  await tx
    .insertInto('interest_settlements')
    .values({
      book,
      hpf_year: year.hpfYear,
      settled_on: ctx.date,
      accounts,
      total_fen: total,
      accrued_fen: accrued,
      journal_entry_id: entryId,
    })
    .execute();
  const result = {
    book,
    hpfYear: year.hpfYear,
    accounts,
    total: fenToYuanString(total),
    accrued: fenToYuanString(accrued),
    journalEntryId: entryId === null ? null : String(entryId),
  };
  await recordAudit(tx, {
    actor: label,
    action: 'interest.settle',
    subjectType: 'interest_settlement',
    subjectId: `${book}:${year.hpfYear}`,
    businessDate: ctx.date,
    summary: { ...result, rate: ratePct.toString(), difference: fenToYuanString(difference) },
  });
  return result;
}

function abs(fen: bigint): bigint {
  return fen < 0n ? -fen : fen;
}
