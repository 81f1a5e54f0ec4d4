// Close step for the last day of a month: accrues the deposit interest earned so far in the interest year
// (rules.md §4.1 Accounting: Dr 41101 利息支出 / Cr 211 应付利息, monthly), per book, set-based.
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { daysBetween } from '../../domain/dates.ts';
import { BOOKS, type Book } from '../../domain/journal.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel } from '../../domain/roles.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { applyRateChange } from './apply-rate-change.ts';
import {
  currentRateSegment,
  earningAccountsSql,
  interestToDateSql,
  interestYearOf,
  isMonthEnd,
  lockInterestSteps,
  type InterestStepContext,
} from './interest-accumulator.ts';

export interface BookAccrual {
  book: Book;
  /** The first day of the month accrued. */
  month: string;
  /** Posted this month (negative: a reversal, e.g. after closures paid their interest). */
  amount: string;
  /** Year-to-date interest of the book's accounts through the month end = Σ accruals of the year. */
  cumulative: string;
  journalEntryId: string | null;
  /** Already accrued (a rerun), or the year already settled (June 30 after the settlement). */
  skipped?: 'already_accrued' | 'year_settled';
}

/**
 * For each book, in one transaction: Σ over its earning accounts of the interest to date (each rounded half-up, as the
 * settlement will), minus what this interest year's accruals already booked, posted as one entry when not
 * zero, and recorded in interest_accruals (book, month). Idempotent: a recorded (book, month) is skipped.
 * Rate changes in force are cut first (apply-rate-change.ts, itself idempotent).
 */
export async function accrueMonthEndInterest(
  ctx: InterestStepContext,
): Promise<{ date: string; skipped?: 'not_month_end'; books: BookAccrual[] }> {
  if (!isMonthEnd(ctx.date)) return { date: ctx.date, skipped: 'not_month_end', books: [] };
  await applyRateChange(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    await lockInterestSteps(tx);
    const books: BookAccrual[] = [];
    for (const book of BOOKS) books.push(await accrueBook(tx, ctx, book));
    return { date: ctx.date, books };
  });
}

async function accrueBook(tx: DbOrTx, ctx: InterestStepContext, book: Book): Promise<BookAccrual> {
  const year = interestYearOf(ctx.date);
  const month = `${ctx.date.slice(0, 7)}-01`;
  const label = actorLabel(ctx.actor);
  const done = await tx
    .selectFrom('interest_accruals')
    .select(['amount_fen', 'cumulative_fen', 'journal_entry_id'])
    .where('book', '=', book)
    .where('month', '=', month)
    .executeTakeFirst();
  if (done) {
    return {
      book,
      month,
      amount: fenToYuanString(done.amount_fen),
      cumulative: fenToYuanString(done.cumulative_fen),
      journalEntryId: done.journal_entry_id === null ? null : String(done.journal_entry_id),
      skipped: 'already_accrued',
    };
  }
  const accrued = await accruedThisYear(tx, book, year.from, year.to);
  const settled = await tx
    .selectFrom('interest_settlements')
    .select('hpf_year')
    .where('book', '=', book)
    .where('hpf_year', '=', year.hpfYear)
    .executeTakeFirst();
  if (settled) {
    // The settlement already moved the year's accruals to the members; nothing more accrues this year.
    await tx
      .insertInto('interest_accruals')
      .values({ book, month, amount_fen: 0n, cumulative_fen: accrued, journal_entry_id: null })
      .execute();
    return {
      book,
      month,
      amount: '0.00',
      cumulative: fenToYuanString(accrued),
      journalEntryId: null,
      skipped: 'year_settled',
    };
  }

  const { ratePct } = await currentRateSegment(tx, year);
  const totalRow = await sql<{ total: bigint }>`
    SELECT COALESCE(SUM(${interestToDateSql(year, daysBetween(ctx.date, year.to), ratePct)}), 0)::bigint AS total
    FROM accounts a WHERE ${earningAccountsSql(book, year)}`.execute(tx);
  const total = totalRow.rows[0]!.total;
  const amount = total - accrued;

  let entryId: bigint | null = null;
  if (amount !== 0n) {
    const abs = amount < 0n ? -amount : amount;
    const posted = await postEntry(
      tx,
      {
        book,
        businessDate: ctx.date,
        valueDate: ctx.date,
        entryType: 'interest_accrual',
        memo: `计提利息 ${month.slice(0, 7)}`,
        sourceType: 'interest_accrual',
        sourceId: `${book}:${month}`,
        postings: [
          { account: LEDGER.interestExpense, side: amount > 0n ? 'D' : 'C', amountFen: abs },
          { account: LEDGER.interestPayable, side: amount > 0n ? 'C' : 'D', amountFen: abs },
        ],
      },
      label,
    );
    entryId = posted.entryId;
  }
  await tx
    .insertInto('interest_accruals')
    .values({ book, month, amount_fen: amount, cumulative_fen: total, journal_entry_id: entryId })
    .execute();
  await recordAudit(tx, {
    actor: label,
    action: 'interest.accrue',
    subjectType: 'interest_accrual',
    subjectId: `${book}:${month}`,
    businessDate: ctx.date,
    summary: {
      book,
      month: month.slice(0, 7),
      rate: ratePct.toString(),
      amount: fenToYuanString(amount),
      cumulative: fenToYuanString(total),
      journalEntryId: entryId === null ? null : String(entryId),
    },
  });
  return {
    book,
    month,
    amount: fenToYuanString(amount),
    cumulative: fenToYuanString(total),
    journalEntryId: entryId === null ? null : String(entryId),
  };
}

/** Σ of the book's accruals booked in the interest year (months July … June). */
export async function accruedThisYear(db: DbOrTx, book: Book, from: string, to: string): Promise<bigint> {
  const row = await sql<{ total: bigint }>`
    SELECT COALESCE(SUM(amount_fen), 0)::bigint AS total FROM interest_accruals
    WHERE book = ${book} AND month BETWEEN ${from}::date AND ${to}::date`.execute(db);
  return row.rows[0]!.total;
}
