// The due-date collection of the business-day close (rules.md §6.5), set-based: for every loan with an
// installment due on the closed date, what it owes (arrears first, by the waterfall, then the installment
// due) is taken from the borrower's FLEX balance when monthly offset (冲还贷) is signed — at most the
// balance — and the rest is asked of the bank as one debit request (sent after commit by
// send-loan-debits.ts). One transaction; a loan_collections row per (loan, due date) makes a rerun after a
// crash collect nothing twice. Arrears alone (no installment due today) are not collected here: staff take
// them at the counter from the collection list.
import { sql } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import {
  applyRepayments,
  ensureWorkTables,
  LOAN_BOOK,
  LOAN_REPAYMENT_LOCK,
  owedItemsSql,
} from './repayment-store.ts';

export interface CollectionResult extends Record<string, unknown> {
  due: number;
  offsetLoans: number;
  offset: string;
  debitRequests: number;
  debit: string;
  noCard: number;
}

export async function collectDueInstallments(ctx: {
  db: Db;
  date: IsoDate;
  actor: Actor;
  onStage?: (stage: string) => void;
}): Promise<CollectionResult> {
  const { date } = ctx;
  const label = actorLabel(ctx.actor);
  const none: CollectionResult = {
    due: 0,
    offsetLoans: 0,
    offset: '0.00',
    debitRequests: 0,
    debit: '0.00',
    noCard: 0,
  };
  // Most days few loans are due: one indexed look-up, no transaction when none.
  const any = await sql<{ due: boolean }>`
    SELECT EXISTS (SELECT 1 FROM loan_installments WHERE status = 'scheduled' AND due_date = ${date}::date) AS due`.execute(
    ctx.db,
  );
  if (!any.rows[0]!.due) return none;
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOAN_REPAYMENT_LOCK})`.execute(tx);
    await ensureWorkTables(tx);
    await sql`CREATE TEMP TABLE IF NOT EXISTS loan_due (
        loan_id bigint PRIMARY KEY, account_id bigint NOT NULL, offset_signed boolean NOT NULL,
        owed_fen bigint NOT NULL DEFAULT 0, offset_fen bigint NOT NULL DEFAULT 0, debit_fen bigint NOT NULL DEFAULT 0,
        account_number text, bank_card text
      ) ON COMMIT DELETE ROWS`.execute(tx);
    await sql`DELETE FROM loan_due`.execute(tx);

    // 1. The loans due today and not yet collected, locked (by id) against repayments racing the close.
    await sql`
      INSERT INTO loan_due (loan_id, account_id, offset_signed)
      SELECT l.id, l.account_id, l.balance_offset
      FROM loans l
      WHERE l.id IN (SELECT i.loan_id FROM loan_installments i WHERE i.status = 'scheduled' AND i.due_date = ${date}::date)
        AND l.status = 'disbursed'
        AND NOT EXISTS (SELECT 1 FROM loan_collections c WHERE c.loan_id = l.id AND c.due_date = ${date}::date)
      ORDER BY l.id
      FOR UPDATE OF l`.execute(tx);
    await sql`ANALYZE loan_due`.execute(tx);
    ctx.onStage?.('due loans');
    // Member accounts of the offset loans, locked by id (the order every posting uses).
    await sql`
      SELECT count(*) FROM (
        SELECT a.id FROM accounts a WHERE a.id IN (SELECT account_id FROM loan_due WHERE offset_signed)
        ORDER BY a.id FOR NO KEY UPDATE) locked`.execute(tx);

    // 2. What each owes (under the lock: a counter repayment before us has already reduced it).
    await sql`
      UPDATE loan_due d SET owed_fen = o.owed
      FROM (SELECT loan_id, SUM(owed)::bigint AS owed
            FROM (${owedItemsSql(sql`(SELECT loan_id, ${date}::date AS cutoff FROM loan_due)`)}) x GROUP BY loan_id) o
      WHERE d.loan_id = o.loan_id`.execute(tx);
    // Offset: at most the FLEX balance of an open account (state 01); the rest by debit to the signed card.
    await sql`
      UPDATE loan_due d SET
        offset_fen = CASE WHEN d.offset_signed AND a.state = '01' AND a.pool = ${LOAN_BOOK}
                          THEN LEAST(d.owed_fen, GREATEST(a.balance_fen, 0)) ELSE 0 END,
        account_number = a.account_number,
        bank_card = g.bank_card
      FROM accounts a
        LEFT JOIN agreements g ON g.account_id = a.id AND g.status = 'signed'
      WHERE a.id = d.account_id`.execute(tx);
    await sql`UPDATE loan_due SET debit_fen = owed_fen - offset_fen`.execute(tx);
    ctx.onStage?.('owed');

    // 3. The offsets, applied by the waterfall (business type 05, Dr 201 member).
    await sql`
      INSERT INTO loan_pay (loan_id, amount_fen, channel, source_key, cutoff, member_account_id)
      SELECT loan_id, offset_fen, 'offset', 'offset:' || ${date}, ${date}::date, account_id
      FROM loan_due WHERE offset_fen > 0`.execute(tx);
    const applied = await applyRepayments(tx, { date, actorLabel: label });
    ctx.onStage?.('offsets');

    // 4. The debit requests (sent after commit) and the collection rows (the rerun guard).
    await sql`
      INSERT INTO loan_debit_requests (loan_id, account_number, bank_card, amount_fen, requested_on, status)
      SELECT loan_id, account_number, bank_card, debit_fen, ${date}::date, 'pending'
      FROM loan_due WHERE debit_fen > 0 AND bank_card IS NOT NULL
      ORDER BY loan_id`.execute(tx);
    await sql`
      INSERT INTO loan_collections (loan_id, due_date, owed_fen, offset_fen, debit_fen, outcome)
      SELECT loan_id, ${date}::date, owed_fen, offset_fen, CASE WHEN bank_card IS NULL THEN 0 ELSE debit_fen END,
        CASE WHEN debit_fen > 0 AND bank_card IS NULL THEN 'no_card'
             WHEN debit_fen > 0 AND offset_fen > 0 THEN 'offset+debit'
             WHEN debit_fen > 0 THEN 'debit' ELSE 'offset' END
      FROM loan_due`.execute(tx);
    ctx.onStage?.('debit requests');

    const t = await sql<{ due: number; debits: number; debit: bigint; no_card: number }>`
      SELECT count(*)::int AS due,
        count(*) FILTER (WHERE debit_fen > 0 AND bank_card IS NOT NULL)::int AS debits,
        COALESCE(SUM(debit_fen) FILTER (WHERE bank_card IS NOT NULL), 0)::bigint AS debit,
        count(*) FILTER (WHERE debit_fen > 0 AND bank_card IS NULL)::int AS no_card
      FROM loan_due`.execute(tx);
    const row = t.rows[0]!;
    const result: CollectionResult = {
      due: row.due,
      offsetLoans: applied.repayments,
      offset: fenToYuanString(applied.amountFen),
      debitRequests: row.debits,
      debit: fenToYuanString(row.debit),
      noCard: row.no_card,
    };
    if (row.due > 0) {
      await recordAudit(tx, {
        actor: label,
        action: 'loan.collect_due',
        subjectType: 'business_date',
        subjectId: date,
        businessDate: date,
        summary: result,
      });
    }
    return result;
  });
}
