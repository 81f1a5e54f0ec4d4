// The bank's result file (回盘) of a loan debit batch (批量代扣), verified and recorded set-based: one
// UPDATE of loan_debit_requests for the whole file, under the same guards as a single debit_result
// notification (handle-loan-debit-result.ts) — a failure only moves a pending or sent request, a success
// any request not yet succeeded whose amount matches, and money a statement import already put in
// suspense is released back to the bank first (or marked IN_SUSPENSE when staff already resolved it).
// The same file applied twice changes nothing; a request with no line stays sent, unpaid (the overdue
// stage takes it). Inside the close, the loan step applies the recorded
// successes by the waterfall (apply-recorded-debit-results.ts); a file applied after the close did it here.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { parseDebitResultFile, type SignedBankFile } from '../../integrations/bank/debit-batch-files.ts';
import { bankSecretFromEnv, verifyBankSignature } from '../../integrations/bank/signing.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { releaseSuspenseToBank } from '../reconciliation/incoming-from-suspense.ts';
import { RECONCILIATION_LOCK } from '../reconciliation/serial-lock.ts';
import { applyRecordedDebitResults } from './apply-recorded-debit-results.ts';
import { LOAN_REPAYMENT_LOCK, LOAN_REPAYMENT_STEP } from './repayment-store.ts';

export interface AppliedLoanDebitResultFile extends Record<string, unknown> {
  batchNo: string;
  lines: number;
  /** Requests this file moved to succeeded / failed (0 and 0 when the file was applied before). */
  succeeded: number;
  failed: number;
  /** Lines that moved nothing: already answered, not of this batch, or of another amount. */
  unchanged: number;
  replayed: boolean;
  /** Repayments applied here (only when the close that sent the batch has finished its loan step). */
  repayments: number;
}

export async function applyLoanDebitResultFile(input: {
  db: Db;
  file: SignedBankFile;
  actorLabel: string;
  /** Default: ANJU_BANK_SECRET (as for notifications). */
  secret?: string;
}): Promise<AppliedLoanDebitResultFile> {
  const { db, file } = input;
  if (!verifyBankSignature(file.content, file.signature, input.secret ?? bankSecretFromEnv())) {
    throw new AppError('BANK_SIGNATURE_INVALID', { field: 'signature' });
  }
  const parsed = parseDebitResultFile(file.content);
  const sha256 = createHash('sha256').update(file.content, 'utf8').digest('hex');
  const lines = parsed.lines;
  return db.transaction().execute(async (tx) => {
    // Shared against a statement import (serial-lock.ts): each serial is recorded here, or put in suspense
    // there first and released back to the bank here.
    await sql`SELECT pg_advisory_xact_lock_shared(${RECONCILIATION_LOCK}::bigint)`.execute(tx);
    const batch = (
      await sql<{ requested_on: string; status: string; result_sha256: string | null }>`
        SELECT requested_on::text AS requested_on, status, result_sha256 FROM loan_debit_batches
        WHERE batch_no = ${parsed.batchNo} FOR UPDATE`.execute(tx)
    ).rows[0];
    if (!batch || batch.requested_on !== parsed.valueDate) {
      throw new AppError('BANK_NOTIFICATION_MALFORMED', {
        field: 'batchNo',
        details: { batchNo: parsed.batchNo },
      });
    }
    // Successes whose money a statement import already put in suspense: released back to the bank first,
    // so that the waterfall's Dr 101 counts it once (incoming-from-suspense.ts). Items staff resolved stay
    // theirs, and those requests are marked IN_SUSPENSE below.
    const inSuspense = await sql<{ id: bigint; serial: string; amount_fen: bigint }>`
      SELECT r.id, f.serial, f.amount_fen
      FROM unnest(${lines.map((l) => l.requestNo)}::text[], ${lines.map((l) => l.status)}::text[],
          ${lines.map((l) => l.serial)}::text[], ${lines.map((l) => l.amountFen)}::bigint[])
          AS f (request_no, status, serial, amount_fen)
        JOIN loan_debit_requests r ON r.request_no = f.request_no AND r.batch_no = ${parsed.batchNo}
      WHERE f.status = 'success' AND r.status <> 'succeeded' AND r.amount_fen = f.amount_fen
        AND EXISTS (SELECT 1 FROM bank_statement_lines sl WHERE sl.bank_serial = f.serial AND sl.direction = 'in')
      ORDER BY r.id`.execute(tx);
    const released = await releaseSuspenseToBank(
      tx,
      inSuspense.rows.map((r) => ({
        serial: r.serial,
        amountFen: r.amount_fen,
        sourceType: 'loan_debit' as const,
        sourceId: r.id,
      })),
      { actorLabel: input.actorLabel, businessDate: await getBusinessDate(tx) },
    );
    const moved = await sql<{ succeeded: number; failed: number }>`
      WITH f AS (
        SELECT * FROM unnest(${lines.map((l) => l.requestNo)}::text[], ${lines.map((l) => l.status)}::text[],
          ${lines.map((l) => l.failureCode ?? null)}::text[], ${lines.map((l) => l.serial)}::text[],
          ${lines.map((l) => l.amountFen)}::bigint[]) AS f (request_no, status, code, serial, amount_fen)
      ), upd AS (
        UPDATE loan_debit_requests r SET
          status = CASE WHEN f.status = 'success' THEN 'succeeded' ELSE 'failed' END,
          failure_code = CASE
            WHEN f.status = 'failed' THEN COALESCE(f.code, 'DEBIT_FAILED')
            WHEN EXISTS (SELECT 1 FROM bank_statement_lines sl WHERE sl.bank_serial = f.serial AND sl.direction = 'in')
              AND NOT f.serial = ANY(${[...released]}::text[])
              THEN 'IN_SUSPENSE'
            END,
          bank_serial = f.serial, answered_at = now()
        FROM f
        WHERE r.request_no = f.request_no AND r.batch_no = ${parsed.batchNo}
          AND ((f.status = 'success' AND r.status <> 'succeeded' AND r.amount_fen = f.amount_fen)
            OR (f.status = 'failed' AND r.status IN ('pending', 'sent')))
        RETURNING r.status)
      SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
        count(*) FILTER (WHERE status = 'failed')::int AS failed
      FROM upd`.execute(tx);
    const { succeeded, failed } = moved.rows[0]!;
    const replayed = batch.status === 'answered' && batch.result_sha256 === sha256;
    await sql`
      UPDATE loan_debit_batches SET status = 'answered', result_sha256 = ${sha256}, result_lines = ${lines.length},
        answered_at = now()
      WHERE batch_no = ${parsed.batchNo} AND result_sha256 IS DISTINCT FROM ${sha256}`.execute(tx);
    // While the close that sent the batch is in its loan step, the step applies the results; later, here.
    let repayments = 0;
    const step = await sql<{ status: string }>`
      SELECT status FROM close_steps WHERE business_date = ${parsed.valueDate}::date AND step = ${LOAN_REPAYMENT_STEP}`.execute(
      tx,
    );
    if (succeeded > 0 && (step.rows[0] === undefined || step.rows[0].status === 'done')) {
      await sql`SELECT pg_advisory_xact_lock(${LOAN_REPAYMENT_LOCK})`.execute(tx);
      const date = await getBusinessDate(tx);
      repayments = (await applyRecordedDebitResults(tx, { date, actorLabel: input.actorLabel })).repayments;
    }
    const result: AppliedLoanDebitResultFile = {
      batchNo: parsed.batchNo,
      lines: lines.length,
      succeeded,
      failed,
      unchanged: lines.length - succeeded - failed,
      replayed,
      repayments,
    };
    await recordAudit(tx, {
      actor: input.actorLabel,
      action: 'loan.debit_batch.result',
      subjectType: 'loan_debit_batch',
      subjectId: parsed.batchNo,
      businessDate: await getBusinessDate(tx),
      summary: {
        ...result,
        amountSucceeded: fenToYuanString(
          lines.filter((l) => l.status === 'success').reduce((s, l) => s + l.amountFen, 0n),
        ),
      },
    });
    return result;
  });
}
