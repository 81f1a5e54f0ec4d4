// The reconciliation report for one value date (对账报告): bank lines matched to what the books record
// (deposits, loan debits, transfer funds, payouts and their returns, loan disbursements), bank money in that
// nothing booked (suspense), money out the books do not show, booked movements without a bank line,
// notifications not credited, and the suspense account (21902) from opening to closing balance, to the fen.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { LEDGER } from '../../ledger/chart.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { BankMovementSource } from '../../db/schema.ts';
import {
  amountMismatchesOf,
  statementLinesWithMovements,
  type AmountMismatch,
} from './import-bank-statement.ts';

export interface ReconciliationReport {
  date: IsoDate;
  /** Statements covering lines of this value date; without one, "deposits without bank line" is premature. */
  statementImported: boolean;
  /** Lines (in and out) matched to a booked movement of the same amount. */
  matched: { count: number; amount: string };
  amountMismatches: AmountMismatch[];
  /** Incoming lines that nothing booked (put in suspense at import), with what became of each. */
  bankLinesWithoutDeposit: {
    count: number;
    amount: string;
    items: Array<{
      serial: string;
      amount: string;
      suspenseItemId: string | null;
      suspenseStatus: string | null;
      depositId: string | null;
    }>;
  };
  depositsWithoutBankLine: {
    count: number;
    amount: string;
    items: Array<{ depositId: string; serial: string; amount: string; channel: string; accountId: string }>;
  };
  /** Loan debits, transfer funds, payouts, payout returns and loan disbursements without a bank line. */
  movementsWithoutBankLine: {
    count: number;
    amount: string;
    items: Array<{
      direction: 'in' | 'out';
      sourceType: BankMovementSource;
      sourceId: string;
      serial: string;
      amount: string;
    }>;
  };
  /** Money the bank announced for this date that was not credited (unmatched or refused notifications). */
  notificationsNotCredited: Array<{ serial: string; amount: string; outcome: string; detail: string | null }>;
  outgoing: { count: number; amount: string };
  /** Outgoing lines the books still do not show (listed for staff; nothing is posted). */
  outgoingUnbooked: { count: number; amount: string; items: Array<{ serial: string; amount: string }> };
  /**
   * 21902 待查明款项 on the date, by business date of the entries: opening + added − assigned − refunded ± other =
   * closing. Assigned: taken out by a booking (a deposit, a payout return, transfer-in funds, or released to
   * the bank for a loan debit); refunded: sent back to the payer.
   */
  suspense: {
    opening: string;
    added: string;
    assigned: string;
    refunded: string;
    other: string;
    closing: string;
    openItems: number;
  };
}

export async function reconciliationReport(db: DbOrTx, date: IsoDate): Promise<ReconciliationReport> {
  if (!isIsoDate(date)) throw new AppError('INVALID_DATE', { field: 'date', details: { value: date } });
  const lines = await statementLinesWithMovements(db)
    .leftJoin('suspense_items as s', 's.statement_line_id', 'l.id')
    .select(['s.id as item_id', 's.status as item_status'])
    .where('l.value_date', '=', date)
    .orderBy('l.id')
    .execute();
  const sum = (rows: Array<{ amount_fen: bigint }>) =>
    fenToYuanString(rows.reduce((s, r) => s + r.amount_fen, 0n));
  const incoming = lines.filter((l) => l.direction === 'in');
  const matched = lines.filter((l) => l.match_status === 'matched');
  const withoutDeposit = incoming.filter((l) => l.item_id !== null);
  const outgoing = lines.filter((l) => l.direction === 'out');
  // Lines imported before their payout was confirmed are booked now: only the rest are still unbooked.
  const unmatchedOut = outgoing.filter((l) => l.source_type === null).map((l) => l.bank_serial);
  const bookedSince = new Set(
    unmatchedOut.length === 0
      ? []
      : (
          await db
            .selectFrom('bank_movements')
            .select('bank_serial')
            .where('direction', '=', 'out')
            .where('bank_serial', 'in', unmatchedOut)
            .execute()
        ).map((m) => m.bank_serial),
  );
  const outgoingUnbooked = outgoing.filter((l) => l.source_type === null && !bookedSince.has(l.bank_serial));

  // Movements of the date the bank has not shown (deposits with their channel and account).
  const orphans = await db
    .selectFrom('bank_movements as m')
    .leftJoin('deposits as d', (j) => j.onRef('d.id', '=', 'm.source_id').on('m.source_type', '=', 'deposit'))
    .select([
      'm.direction',
      'm.source_type',
      'm.source_id',
      'm.bank_serial',
      'm.amount_fen',
      'd.channel',
      'd.account_id',
    ])
    .where('m.value_date', '=', date)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('bank_statement_lines as l')
            .select(sql`1`.as('one'))
            .whereRef('l.bank_serial', '=', 'm.bank_serial')
            .whereRef('l.direction', '=', 'm.direction'),
        ),
      ),
    )
    .orderBy('m.source_type')
    .orderBy('m.source_id')
    .execute();
  const orphanDeposits = orphans.filter((m) => m.source_type === 'deposit');
  const orphanMovements = orphans.filter((m) => m.source_type !== 'deposit');

  const notCredited = await sql<{
    bank_serial: string;
    payload: { amount?: string };
    outcome: string;
    detail: string | null;
  }>`
    SELECT n.bank_serial, n.payload, n.outcome, n.detail FROM bank_notifications n
    WHERE n.signature_valid AND n.duplicate_of IS NULL AND n.outcome IN ('unmatched', 'refused')
      AND n.payload->>'valueDate' = ${date} AND n.payload->>'status' = 'success'
    ORDER BY n.id`.execute(db);

  const movement = await sql<{
    opening: string;
    added: string;
    assigned: string;
    refunded: string;
    other: string;
    closing: string;
  }>`
    SELECT
      coalesce(sum(CASE WHEN e.business_date < ${date}::date THEN CASE p.side WHEN 'C' THEN p.amount_fen ELSE -p.amount_fen END END), 0)::text AS opening,
      coalesce(sum(CASE WHEN e.business_date = ${date}::date AND p.side = 'C' AND e.entry_type = 'suspense_receipt' THEN p.amount_fen END), 0)::text AS added,
      coalesce(sum(CASE WHEN e.business_date = ${date}::date AND p.side = 'D' AND e.entry_type <> 'suspense_refund' THEN p.amount_fen END), 0)::text AS assigned,
      coalesce(sum(CASE WHEN e.business_date = ${date}::date AND p.side = 'D' AND e.entry_type = 'suspense_refund' THEN p.amount_fen END), 0)::text AS refunded,
      coalesce(sum(CASE WHEN e.business_date = ${date}::date AND NOT (
          (p.side = 'C' AND e.entry_type = 'suspense_receipt') OR p.side = 'D')
        THEN CASE p.side WHEN 'C' THEN p.amount_fen ELSE -p.amount_fen END END), 0)::text AS other,
      coalesce(sum(CASE WHEN e.business_date <= ${date}::date THEN CASE p.side WHEN 'C' THEN p.amount_fen ELSE -p.amount_fen END END), 0)::text AS closing
    FROM postings p JOIN journal_entries e ON e.id = p.entry_id
    WHERE p.book = 'FLEX' AND p.account_code = ${LEDGER.suspense}`.execute(db);
  const m = movement.rows[0]!;
  const openItems = await db
    .selectFrom('suspense_items')
    .select(sql<string>`count(*)::text`.as('n'))
    .where('status', '=', 'open')
    .where('value_date', '<=', date)
    .executeTakeFirstOrThrow();
  const yuan = (text: string) => fenToYuanString(BigInt(text));

  return {
    date,
    statementImported: lines.length > 0 || (await hasStatement(db, date)),
    matched: { count: matched.length, amount: sum(matched) },
    amountMismatches: amountMismatchesOf(lines),
    bankLinesWithoutDeposit: {
      count: withoutDeposit.length,
      amount: sum(withoutDeposit),
      items: withoutDeposit.map((l) => ({
        serial: l.bank_serial,
        amount: fenToYuanString(l.amount_fen),
        suspenseItemId: l.item_id === null ? null : String(l.item_id),
        suspenseStatus: l.item_status,
        depositId: l.deposit_id === null ? null : String(l.deposit_id),
      })),
    },
    depositsWithoutBankLine: {
      count: orphanDeposits.length,
      amount: sum(orphanDeposits),
      items: orphanDeposits.map((d) => ({
        depositId: String(d.source_id),
        serial: d.bank_serial,
        amount: fenToYuanString(d.amount_fen),
        channel: d.channel!,
        accountId: String(d.account_id),
      })),
    },
    movementsWithoutBankLine: {
      count: orphanMovements.length,
      amount: sum(orphanMovements),
      items: orphanMovements.map((m) => ({
        direction: m.direction,
        sourceType: m.source_type,
        sourceId: String(m.source_id),
        serial: m.bank_serial,
        amount: fenToYuanString(m.amount_fen),
      })),
    },
    notificationsNotCredited: notCredited.rows.map((n) => ({
      serial: n.bank_serial,
      amount: n.payload.amount ?? '',
      outcome: n.outcome,
      detail: n.detail,
    })),
    outgoing: { count: outgoing.length, amount: sum(outgoing) },
    outgoingUnbooked: {
      count: outgoingUnbooked.length,
      amount: sum(outgoingUnbooked),
      items: outgoingUnbooked.map((l) => ({ serial: l.bank_serial, amount: fenToYuanString(l.amount_fen) })),
    },
    suspense: {
      opening: yuan(m.opening),
      added: yuan(m.added),
      assigned: yuan(m.assigned),
      refunded: yuan(m.refunded),
      other: yuan(m.other),
      closing: yuan(m.closing),
      openItems: Number(openItems.n),
    },
  };
}

async function hasStatement(db: DbOrTx, date: IsoDate): Promise<boolean> {
  const row = await db
    .selectFrom('bank_statements')
    .select('id')
    .where('statement_date', '=', date)
    .executeTakeFirst();
  return row !== undefined;
}
