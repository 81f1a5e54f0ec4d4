// Where a disbursed loan stands on a date (paid, due, future installments and the principal still owed) and
// the one way its future schedule changes: the future rows are copied to loan_installment_history under a
// new loan_schedule_versions row, deleted, and the new rows written, set-based for any number of loans
// (prepayment, settlement and repricing share it; rules.md §6.3, §6.5).
import { sql, type Selectable } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import type { Fen } from '../../domain/money.ts';
import type { Installment } from '../../domain/loans/schedule.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { LoanInstallmentsTable } from '../../db/schema.ts';
import type { LoanRow } from './loan-store.ts';

export type InstallmentRow = Pick<
  Selectable<LoanInstallmentsTable>,
  'period' | 'due_date' | 'principal_fen' | 'interest_fen' | 'payment_fen' | 'balance_fen' | 'status'
>;

export interface LoanPosition {
  paidInstallments: number;
  /** Unpaid installments due on or before the date (overdue, or due today and not yet collected). */
  dueUnpaid: InstallmentRow[];
  /** Scheduled installments due after the date: the schedule a change replaces. */
  future: InstallmentRow[];
  /** The principal still owed: the future installments' principal (nothing is due unpaid when it is used). */
  remainingPrincipalFen: Fen;
  /** The start of the running period: the latest due date on or before the date, or the disbursement. */
  periodStart: IsoDate;
}

export async function loanPosition(tx: DbOrTx, loan: LoanRow, onDate: IsoDate): Promise<LoanPosition> {
  const rows: InstallmentRow[] = await tx
    .selectFrom('loan_installments')
    .select(['period', 'due_date', 'principal_fen', 'interest_fen', 'payment_fen', 'balance_fen', 'status'])
    .where('loan_id', '=', loan.id)
    .orderBy('period')
    .execute();
  let periodStart = loan.disbursed_on ?? onDate;
  let paidInstallments = 0;
  const dueUnpaid: InstallmentRow[] = [];
  const future: InstallmentRow[] = [];
  let remainingPrincipalFen = 0n;
  for (const row of rows) {
    if (row.status === 'paid') paidInstallments += 1;
    if (row.due_date <= onDate) {
      if (row.due_date > periodStart) periodStart = row.due_date;
      if (row.status !== 'paid') dueUnpaid.push(row);
    } else if (row.status === 'scheduled') {
      future.push(row);
      remainingPrincipalFen += row.principal_fen;
    }
  }
  return { paidInstallments, dueUnpaid, future, remainingPrincipalFen, periodStart };
}

export interface ScheduleChange {
  loanId: bigint;
  reason: 'prepayment' | 'settlement' | 'repricing';
  /** Scheduled rows due after this date are replaced. */
  effectiveOn: IsoDate;
  oldRatePct: string;
  newRatePct: string;
  /** The new rows (each with its due date); none for a settlement. */
  installments: Installment[];
}

/**
 * Replaces the future rows of each loan (the caller holds the loans' row locks) and returns each loan's new
 * version id. Three statements whatever the number of loans.
 */
export async function replaceFutureSchedules(
  tx: DbOrTx,
  changes: ScheduleChange[],
  actorLabel: string,
): Promise<Map<bigint, bigint>> {
  if (changes.length === 0) return new Map();
  const loanIds = changes.map((c) => c.loanId);
  const dates = changes.map((c) => c.effectiveOn);
  const versions = await sql<{ id: bigint; loan_id: bigint }>`
    WITH c AS (
      SELECT * FROM unnest(${loanIds}::bigint[], ${changes.map((c) => c.reason)}::text[], ${dates}::date[],
        ${changes.map((c) => c.oldRatePct)}::numeric[], ${changes.map((c) => c.newRatePct)}::numeric[],
        ${changes.map((c) => c.installments.length)}::int[],
        ${changes.map((c) => c.installments.reduce((s, r) => s + r.principalFen, 0n))}::bigint[])
        AS c (loan_id, reason, effective_on, old_rate, new_rate, new_rows, new_principal)
    ), replaced AS (
      SELECT c.loan_id, count(i.period)::int AS n, COALESCE(sum(i.principal_fen), 0)::bigint AS principal
      FROM c LEFT JOIN loan_installments i
        ON i.loan_id = c.loan_id AND i.status = 'scheduled' AND i.due_date > c.effective_on
      GROUP BY c.loan_id
    ), v AS (
      INSERT INTO loan_schedule_versions (loan_id, version, reason, effective_on, old_rate_pct, new_rate_pct,
        replaced_rows, replaced_principal_fen, new_rows, new_principal_fen, created_by)
      SELECT c.loan_id,
        COALESCE((SELECT max(sv.version) FROM loan_schedule_versions sv WHERE sv.loan_id = c.loan_id), 0) + 1,
        c.reason, c.effective_on, c.old_rate, c.new_rate, r.n, r.principal, c.new_rows, c.new_principal,
        ${actorLabel}
      FROM c JOIN replaced r ON r.loan_id = c.loan_id
      RETURNING id, loan_id, effective_on
    ), h AS (
      INSERT INTO loan_installment_history (version_id, loan_id, period, due_date, principal_fen, interest_fen,
        payment_fen, balance_fen, status)
      SELECT v.id, i.loan_id, i.period, i.due_date, i.principal_fen, i.interest_fen, i.payment_fen,
        i.balance_fen, i.status
      FROM v JOIN loan_installments i
        ON i.loan_id = v.loan_id AND i.status = 'scheduled' AND i.due_date > v.effective_on
      RETURNING 1
    )
    SELECT id, loan_id FROM v WHERE (SELECT count(*) FROM h) >= 0`.execute(tx);
  await sql`
    DELETE FROM loan_installments i
    USING unnest(${loanIds}::bigint[], ${dates}::date[]) AS c (loan_id, effective_on)
    WHERE i.loan_id = c.loan_id AND i.status = 'scheduled' AND i.due_date > c.effective_on`.execute(tx);
  const rows = changes.flatMap((c) => c.installments.map((r) => ({ loanId: c.loanId, r })));
  if (rows.length > 0) {
    await sql`
      INSERT INTO loan_installments (loan_id, period, due_date, principal_fen, interest_fen, payment_fen, balance_fen)
      SELECT * FROM unnest(${rows.map((x) => x.loanId)}::bigint[], ${rows.map((x) => x.r.period)}::int[],
        ${rows.map((x) => x.r.dueDate!)}::date[], ${rows.map((x) => x.r.principalFen)}::bigint[],
        ${rows.map((x) => x.r.interestFen)}::bigint[], ${rows.map((x) => x.r.paymentFen)}::bigint[],
        ${rows.map((x) => x.r.balanceFen)}::bigint[])`.execute(tx);
  }
  return new Map(versions.rows.map((v) => [BigInt(v.loan_id), BigInt(v.id)]));
}

/** The version number of a version id (for replies). */
export async function scheduleVersionNumber(tx: DbOrTx, versionId: bigint): Promise<number> {
  const row = await tx
    .selectFrom('loan_schedule_versions')
    .select('version')
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  return row.version;
}
