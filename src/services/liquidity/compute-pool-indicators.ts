// A month's liquidity figures and alert level for each pool (rules.md §8), from the books at the month's
// end: loan balance (121 + 122), deposit balance (201), bank balance (101), lent to the other pool (11901),
// loans approved and not yet disbursed, the net flow (the month's change of 101: deposits and repayments in,
// withdrawals and disbursements out), and the periodic periods due and paid in the month. The level follows
// the pure rule in src/domain/liquidity.ts from this month and the two before; a change of level is audited
// with the figures that caused it. Run by the close on each month end, or on demand for a past month;
// rerunning a month rewrites its row from the same books.
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';
import { addMonthsToMonth, type IsoDate, type IsoMonth } from '../../domain/dates.ts';
import { BOOKS, type Book } from '../../domain/journal.ts';
import {
  ALERT_MONTHS,
  indicatedLevel,
  nextAlertLevel,
  poolRatios,
  type PoolMonth,
} from '../../domain/liquidity.ts';
import type { AlertLevel } from '../../domain/loans/quota.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { getBusinessDate } from '../calendar/business-date.ts';

export interface PoolIndicatorsOfMonth {
  book: Book;
  month: IsoMonth;
  alertLevel: AlertLevel;
  previousLevel: AlertLevel;
  indicatedLevel: AlertLevel;
  change: 'raised' | 'stepped_down' | 'held';
  loanRatioPct: string | null;
  usageRatioPct: string | null;
  paymentRatePct: string | null;
  capacity: string;
  netFlow: string;
  loanBalance: string;
  depositBalance: string;
}

/** The books' figures of one pool for one month (balances at its end, flows within it). */
async function figuresOf(db: DbOrTx, book: Book, month: IsoMonth): Promise<PoolMonth> {
  const from = `${month}-01`;
  const next = `${addMonthsToMonth(month, 1)}-01`;
  const r = await sql<{
    loans: string;
    deposits: string;
    bank: string;
    lent: string;
    flow: string;
    pending: string;
    due: number;
    paid: number;
  }>`
    WITH codes AS (
      SELECT unnest(ARRAY[${LEDGER.loans}, ${LEDGER.overdueLoans}, ${LEDGER.members}, ${LEDGER.bank},
        ${LEDGER.interPoolReceivable}]::text[]) AS code
    ),
    -- Balances now (debit positive), less what was posted after the month: the balances at its end. At
    -- the month-end close nothing is posted later, so no history is summed.
    now AS (
      SELECT b.code, CASE b.normal_side WHEN 'debit' THEN b.balance_fen ELSE -b.balance_fen END AS dr
      FROM ledger_balances b JOIN codes USING (code) WHERE b.book = ${book}
    ),
    later AS (
      SELECT p.account_code AS code, sum(CASE p.side WHEN 'D' THEN p.amount_fen ELSE -p.amount_fen END) AS dr
      FROM journal_entries e JOIN postings p ON p.entry_id = e.id
      WHERE e.book = ${book} AND e.business_date >= ${next}::date AND p.account_code IN (SELECT code FROM codes)
      GROUP BY p.account_code
    ),
    at_end AS (SELECT now.code, now.dr - coalesce(later.dr, 0) AS dr FROM now LEFT JOIN later USING (code))
    SELECT
      coalesce((SELECT sum(dr) FROM at_end WHERE code IN (${LEDGER.loans}, ${LEDGER.overdueLoans})), 0)::text AS loans,
      coalesce(-(SELECT sum(dr) FROM at_end WHERE code = ${LEDGER.members}), 0)::text AS deposits,
      coalesce((SELECT sum(dr) FROM at_end WHERE code = ${LEDGER.bank}), 0)::text AS bank,
      coalesce((SELECT sum(dr) FROM at_end WHERE code = ${LEDGER.interPoolReceivable}), 0)::text AS lent,
      (SELECT coalesce(sum(CASE p.side WHEN 'D' THEN p.amount_fen ELSE -p.amount_fen END), 0)::text
        FROM journal_entries e JOIN postings p ON p.entry_id = e.id
        WHERE e.book = ${book} AND e.business_date >= ${from}::date AND e.business_date < ${next}::date
          AND p.account_code = ${LEDGER.bank}) AS flow,
      (SELECT coalesce(sum(l.requested_fen), 0)::text FROM loans l
        JOIN accounts a ON a.id = l.account_id
        WHERE a.pool = ${book} AND l.status IN ('approved', 'contracted', 'mortgaged')) AS pending,
      (SELECT count(*)::int FROM deposit_periods d JOIN accounts a ON a.id = d.account_id
        WHERE a.pool = ${book} AND d.due_date >= ${from}::date AND d.due_date < ${next}::date
          AND d.status <> 'cancelled') AS due,
      (SELECT count(*)::int FROM deposit_periods d JOIN accounts a ON a.id = d.account_id
        WHERE a.pool = ${book} AND d.due_date >= ${from}::date AND d.due_date < ${next}::date
          AND d.status = 'paid') AS paid`.execute(db);
  const f = r.rows[0]!;
  return {
    loanBalanceFen: BigInt(f.loans),
    depositBalanceFen: BigInt(f.deposits),
    bankBalanceFen: BigInt(f.bank),
    lentFen: BigInt(f.lent),
    pendingLoansFen: BigInt(f.pending),
    netFlowFen: BigInt(f.flow),
    periodsDue: f.due,
    periodsPaid: f.paid,
  };
}

/**
 * The months just before `month` as stored (the last two, oldest first, only if consecutive), the level in
 * force before it, and at how many of the latest month ends that level was already in force (up to 3).
 */
async function before(db: DbOrTx, book: Book, month: IsoMonth) {
  const rows = await db
    .selectFrom('pool_indicators')
    .selectAll()
    .where('book', '=', book)
    .where('month', '<', `${month}-01`)
    .orderBy('month', 'desc')
    .limit(ALERT_MONTHS)
    .execute();
  const consecutive = rows.filter((r, i) => r.month === `${addMonthsToMonth(month, -(i + 1))}-01`);
  const levelBefore: AlertLevel = rows[0]?.alert_level ?? 'normal';
  const changedAt = consecutive.findIndex((r) => r.alert_level !== levelBefore);
  return {
    months: consecutive.slice(0, ALERT_MONTHS - 1).reverse(),
    levelBefore,
    monthsInForce: changedAt === -1 ? consecutive.length : changedAt,
  };
}

export async function computePoolIndicators(input: {
  db: Db;
  month: IsoMonth;
  actor: Actor;
}): Promise<PoolIndicatorsOfMonth[]> {
  const { db, month, actor } = input;
  return db.transaction().execute(async (tx) => {
    // One computation of a pool at a time (the close and an on-demand run).
    await sql`SELECT pg_advisory_xact_lock(hashtextextended('pool-indicators', 0))`.execute(tx);
    const computedOn = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const out: PoolIndicatorsOfMonth[] = [];
    for (const book of BOOKS) {
      const now = await figuresOf(tx, book, month);
      const prior = await before(tx, book, month);
      const history: PoolMonth[] = [
        ...prior.months.map((r) => ({
          loanBalanceFen: r.loan_balance_fen,
          depositBalanceFen: r.deposit_balance_fen,
          bankBalanceFen: r.bank_balance_fen,
          lentFen: r.lent_fen,
          pendingLoansFen: r.pending_loans_fen,
          netFlowFen: r.net_flow_fen,
          periodsDue: r.periods_due,
          periodsPaid: r.periods_paid,
        })),
        now,
      ];
      const indicated = indicatedLevel(history);
      const decision = nextAlertLevel(
        prior.levelBefore,
        [...prior.months.map((r) => r.indicated_level), indicated],
        prior.monthsInForce,
      );
      const ratios = poolRatios(now);
      const row = {
        book,
        month: `${month}-01`,
        loan_balance_fen: now.loanBalanceFen,
        deposit_balance_fen: now.depositBalanceFen,
        bank_balance_fen: now.bankBalanceFen,
        lent_fen: now.lentFen,
        pending_loans_fen: now.pendingLoansFen,
        net_flow_fen: now.netFlowFen,
        periods_due: now.periodsDue,
        periods_paid: now.periodsPaid,
        loan_ratio_pct: ratios.loanRatioPct,
        usage_ratio_pct: ratios.usageRatioPct,
        payment_rate_pct: ratios.paymentRatePct,
        capacity_fen: ratios.capacityFen,
        indicated_level: indicated,
        previous_level: prior.levelBefore,
        alert_level: decision.level,
        change: decision.change,
        computed_on: computedOn,
        computed_by: label,
      };
      const stored = await tx
        .selectFrom('pool_indicators')
        .select('alert_level')
        .where('book', '=', book)
        .where('month', '=', row.month)
        .executeTakeFirst();
      await tx
        .insertInto('pool_indicators')
        .values(row)
        .onConflict((oc) => oc.columns(['book', 'month']).doUpdateSet(row))
        .execute();
      const view: PoolIndicatorsOfMonth = {
        book,
        month,
        alertLevel: decision.level,
        previousLevel: prior.levelBefore,
        indicatedLevel: indicated,
        change: decision.change,
        loanRatioPct: ratios.loanRatioPct,
        usageRatioPct: ratios.usageRatioPct,
        paymentRatePct: ratios.paymentRatePct,
        capacity: fenToYuanString(ratios.capacityFen),
        netFlow: fenToYuanString(now.netFlowFen),
        loanBalance: fenToYuanString(now.loanBalanceFen),
        depositBalance: fenToYuanString(now.depositBalanceFen),
      };
      // A change of level is audited once: a rerun of the month that decides the same writes nothing new.
      if (decision.change !== 'held' && stored?.alert_level !== decision.level)
        await recordAudit(tx, {
          actor: label,
          action: 'pool.alert_level',
          subjectType: 'book',
          subjectId: book,
          businessDate: computedOn,
          summary: { ...view, why: { zh: decision.zh, en: decision.en } },
        });
      out.push(view);
    }
    return out;
  });
}

/** The alert level in force on `date` for a pool: the one set at the last month end before it. */
export async function alertLevelOn(db: DbOrTx, book: Book, date: IsoDate): Promise<AlertLevel> {
  const row = await db
    .selectFrom('pool_indicators')
    .select('alert_level')
    .where('book', '=', book)
    .where('month', '<', `${date.slice(0, 7)}-01`)
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.alert_level ?? 'normal';
}
