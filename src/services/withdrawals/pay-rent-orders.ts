// Close step: pays every standing rent order due on the closed date (rules.md §5.1 按月提取), set-based:
// one statement set for all due orders. Each order is paid min(monthly amount, room under the person's
// calendar-year cap (public rental: the contract rent of a year), balance) and gets its own withdrawal row,
// journal entry (Dr 201 / Cr 21903) and payout row; an order that cannot be paid gets a run row saying why.
// Idempotent: a (order, due date) already run is skipped, so a rerun after a crash pays nothing twice.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { parts, type IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { balanceDaysWeight } from '../../domain/journal.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import type { Db } from '../../db/connection.ts';

const RENT_ORDERS_LOCK = 4242051;

export interface PayRentOrdersResult extends Record<string, unknown> {
  date: IsoDate;
  due: number;
  paid: number;
  amount: string;
  skipped: Record<string, number>;
}

export async function payRentOrders(ctx: {
  db: Db;
  date: IsoDate;
  actor: Actor;
  /** Called after each stage with the seconds since the start (the benchmark's breakdown). */
  onStage?: (stage: string, seconds: number) => void;
}): Promise<PayRentOrdersResult> {
  const { date } = ctx;
  const started = performance.now();
  const after = (stage: string) => ctx.onStage?.(stage, (performance.now() - started) / 1000);
  const label = actorLabel(ctx.actor);
  // Most days nothing is due: one indexed look-up, no transaction.
  const anyDue = await sql<{ due: boolean }>`
    SELECT EXISTS (SELECT 1 FROM rent_orders WHERE status = 'active' AND next_due_date <= ${date}::date) AS due`.execute(
    ctx.db,
  );
  if (!anyDue.rows[0]!.due) return { date, due: 0, paid: 0, amount: '0.00', skipped: {} };
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${RENT_ORDERS_LOCK})`.execute(tx);
    await assertLedgerOpen(tx);
    const capFen = await getFenParameter(tx, 'rent.annual_cap_fen', date);
    const year = parts(date).year;
    const weight = balanceDaysWeight(date, date);

    // 1. Lock the member accounts of the due orders (by id, the order every posting uses).
    await sql`
      SELECT count(*) FROM (
        SELECT a.id FROM accounts a
        WHERE a.id IN (SELECT o.account_id FROM rent_orders o WHERE o.status = 'active' AND o.next_due_date <= ${date}::date)
        ORDER BY a.id FOR NO KEY UPDATE
      ) locked`.execute(tx);
    after('lock accounts');

    // 2. What each due order pays, or why not.
    await sql`CREATE TEMP TABLE IF NOT EXISTS rent_due (
        order_id bigint PRIMARY KEY, account_id bigint NOT NULL, depositor_id bigint NOT NULL,
        account_number text NOT NULL, book text NOT NULL, due_date date NOT NULL, amount_fen bigint NOT NULL,
        outcome text NOT NULL, bank_name text, bank_card text, withdrawal_id bigint, entry_id bigint
      ) ON COMMIT DROP`.execute(tx);
    await sql`TRUNCATE rent_due`.execute(tx);
    await sql`
      INSERT INTO rent_due (order_id, account_id, depositor_id, account_number, book, due_date, amount_fen, outcome,
        bank_name, bank_card, withdrawal_id)
      SELECT s.id, s.account_id, s.depositor_id, s.account_number, s.pool, s.next_due_date,
        CASE WHEN s.outcome = 'paid' THEN s.amount ELSE 0 END, s.outcome, s.bank_name, s.bank_card,
        CASE WHEN s.outcome = 'paid' THEN nextval('withdrawals_id_seq') END
      FROM (
        SELECT c.*,
          CASE WHEN c.next_due_date > c.lease_end THEN 'lease_ended'
               WHEN c.state NOT IN ('01', '02') OR c.bank_card IS NULL THEN 'account_not_open'
               WHEN c.room <= 0 THEN 'cap_reached'
               WHEN c.balance_fen <= 0 THEN 'no_balance'
               ELSE 'paid' END AS outcome,
          LEAST(c.monthly_amount_fen, c.room, c.balance_fen) AS amount
        FROM (
          SELECT o.id, o.account_id, o.depositor_id, o.next_due_date, o.lease_end, o.monthly_amount_fen,
            a.account_number, a.pool, a.state, a.balance_fen, g.bank_name, g.bank_card,
            (CASE WHEN o.public_rental THEN o.monthly_rent_fen * 12 ELSE ${capFen}::bigint END)
              - COALESCE(u.used, 0) AS room
          FROM rent_orders o
          JOIN accounts a ON a.id = o.account_id
          LEFT JOIN agreements g ON g.account_id = o.account_id AND g.status = 'signed'
          LEFT JOIN (
            SELECT w.depositor_id, SUM(w.amount_fen) AS used FROM withdrawals w
            WHERE w.kind = 'rent' AND w.calendar_year = ${year} AND w.status IN ('pending_review', 'posted', 'paid')
              AND w.depositor_id IN (SELECT depositor_id FROM rent_orders WHERE status = 'active' AND next_due_date <= ${date}::date)
            GROUP BY w.depositor_id
          ) u ON u.depositor_id = o.depositor_id
          WHERE o.status = 'active' AND o.next_due_date <= ${date}::date
            AND NOT EXISTS (SELECT 1 FROM rent_order_runs r WHERE r.rent_order_id = o.id AND r.due_date = o.next_due_date)
        ) c
      ) s`.execute(tx);
    await sql`ANALYZE rent_due`.execute(tx);
    after('due orders');

    // 3. One journal entry per paid order (Dr 201 member / Cr 21903), its withdrawal row and its payout.
    await sql`
      WITH e AS (
        INSERT INTO journal_entries (book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
        SELECT r.book, ${date}::date, ${date}::date, 'withdrawal', '按月租房提取 ' || r.account_number, 'withdrawal',
          r.withdrawal_id::text, ${label}
        FROM rent_due r WHERE r.outcome = 'paid' ORDER BY r.withdrawal_id
        RETURNING id, source_id)
      UPDATE rent_due r SET entry_id = e.id FROM e WHERE e.source_id = r.withdrawal_id::text`.execute(tx);
    after('journal entries');
    await sql`
      INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
      SELECT r.entry_id, r.book, x.code, x.side, r.amount_fen, CASE WHEN x.code = ${LEDGER.members} THEN r.account_id END
      FROM rent_due r CROSS JOIN (VALUES (${LEDGER.members}, 'D', 1), (${LEDGER.payoutsInTransit}, 'C', 2)) AS x (code, side, ord)
      WHERE r.outcome = 'paid'
      ORDER BY r.entry_id, x.ord`.execute(tx);
    after('postings');
    await sql`
      INSERT INTO withdrawals (id, account_id, depositor_id, kind, business_type, reason_code, channel, status, amount_fen,
        calendar_year, public_rental, landlord_name, lease_address, lease_start, lease_end, monthly_rent_fen, contract_no,
        rent_order_id, due_date, maker, business_date, journal_entry_id)
      SELECT r.withdrawal_id, r.account_id, r.depositor_id, 'rent', '11', '07', 'standing_order', 'posted', r.amount_fen,
        ${year}, o.public_rental, o.landlord_name, o.lease_address, o.lease_start, o.lease_end, o.monthly_rent_fen,
        o.contract_no, o.id, r.due_date, ${label}, ${date}::date, r.entry_id
      FROM rent_due r JOIN rent_orders o ON o.id = r.order_id
      WHERE r.outcome = 'paid'`.execute(tx);
    after('withdrawals');
    // Member balances as postEntry moves them (src/ledger/post.ts memberUpdate): the debit leaves the
    // current-year part first, and the interest accumulator stops counting the money from today.
    await sql`
      UPDATE accounts a
      SET balance_fen = a.balance_fen - r.amount_fen,
        balance_days_fen = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.balance_days_fen
          ELSE a.balance_fen * ${weight.daysInYear}::bigint END - r.amount_fen * ${weight.days}::bigint,
        interest_carry = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.interest_carry ELSE 0 END,
        interest_year_end = ${weight.yearEnd}::date,
        current_year_fen = a.current_year_fen - LEAST(GREATEST(a.current_year_fen, 0), r.amount_fen),
        carried_over_fen = a.carried_over_fen - r.amount_fen + LEAST(GREATEST(a.current_year_fen, 0), r.amount_fen)
      FROM rent_due r
      WHERE a.id = r.account_id AND r.outcome = 'paid'`.execute(tx);
    after('accounts');
    // Ledger balances on the normal side (201 and 21903 are credit-normal): the base rows, as the June 30
    // settlement does for its set-based entry (migration 0012).
    await sql`
      UPDATE ledger_accounts la SET balance_fen = la.balance_fen + t.delta
      FROM (
        SELECT r.book, x.code, SUM(r.amount_fen * x.sign)::bigint AS delta
        FROM rent_due r CROSS JOIN (VALUES (${LEDGER.members}, -1), (${LEDGER.payoutsInTransit}, 1)) AS x (code, sign)
        WHERE r.outcome = 'paid'
        GROUP BY r.book, x.code
      ) t
      WHERE la.book = t.book AND la.code = t.code`.execute(tx);
    after('ledger');
    await sql`
      INSERT INTO payouts (withdrawal_id, account_id, book, amount_fen, bank_name, bank_card, value_date, status)
      SELECT r.withdrawal_id, r.account_id, r.book, r.amount_fen, r.bank_name, r.bank_card, ${date}::date, 'pending'
      FROM rent_due r WHERE r.outcome = 'paid' ORDER BY r.withdrawal_id`.execute(tx);
    after('payouts');

    // 4. The run of each order for its due date, and the next due date (a lease that ended ends the order).
    await sql`
      INSERT INTO rent_order_runs (rent_order_id, due_date, business_date, outcome, withdrawal_id, amount_fen)
      SELECT r.order_id, r.due_date, ${date}::date, r.outcome, r.withdrawal_id, r.amount_fen FROM rent_due r`.execute(
      tx,
    );
    await sql`
      UPDATE rent_orders o
      SET next_due_date = (r.due_date + interval '1 month')::date,
        status = CASE WHEN r.outcome = 'lease_ended' THEN 'ended' ELSE o.status END,
        ended_on = CASE WHEN r.outcome = 'lease_ended' THEN ${date}::date ELSE o.ended_on END,
        ended_reason = CASE WHEN r.outcome = 'lease_ended' THEN 'lease_ended' ELSE o.ended_reason END
      FROM rent_due r WHERE o.id = r.order_id`.execute(tx);
    after('runs and next due dates');

    const totals = await sql<{ outcome: string; n: number; amount: bigint }>`
      SELECT outcome, count(*)::int AS n, COALESCE(SUM(amount_fen), 0)::bigint AS amount FROM rent_due GROUP BY outcome`.execute(
      tx,
    );
    const skipped: Record<string, number> = {};
    let due = 0;
    let paid = 0;
    let amount = 0n;
    for (const row of totals.rows) {
      due += row.n;
      if (row.outcome === 'paid') {
        paid = row.n;
        amount = row.amount;
      } else skipped[row.outcome] = row.n;
    }
    const result: PayRentOrdersResult = { date, due, paid, amount: fenToYuanString(amount), skipped };
    if (due > 0) {
      await recordAudit(tx, {
        actor: label,
        action: 'rent_orders.pay',
        subjectType: 'business_date',
        subjectId: date,
        businessDate: date,
        summary: result,
      });
    }
    return result;
  });
}

async function assertLedgerOpen(tx: DbOrTx): Promise<void> {
  const rows = await tx
    .selectFrom('ledger_accounts')
    .select(['book', 'code', 'is_open'])
    .where('code', 'in', [LEDGER.members, LEDGER.payoutsInTransit])
    .execute();
  for (const row of rows) {
    if (!row.is_open)
      throw new AppError('LEDGER_ACCOUNT_CLOSED', { details: { book: row.book, account: row.code } });
  }
}
