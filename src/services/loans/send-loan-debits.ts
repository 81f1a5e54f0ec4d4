// Sends the day's loan repayment debits (代扣还款) to the bank as one batch (批量代扣), after the collection
// committed them: the pending requests are numbered into a batch set-based, the bank gets one request file
// (debit-batch-files.ts) and answers with one signed result file (回盘), recorded here set-based
// (apply-loan-debit-result-file.ts). A batch still open when the step reruns (killed, or the bank did not
// answer) is sent again with the same number and lines, which the bank treats as the same batch; a request
// the result file does not answer stays sent and unpaid. Single debits (requestDebit and the debit_result
// notification, handle-loan-debit-result.ts) keep working for requests outside any batch.
import { sql } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import { isAppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { BankAnswer, BankGateway } from '../../integrations/bank/gateway.ts';
import type { SignedBankFile } from '../../integrations/bank/debit-batch-files.ts';
import type { Db } from '../../db/connection.ts';
import { applyLoanDebitResultFile } from './apply-loan-debit-result-file.ts';
import { LOAN_DEBIT_ACTOR } from './handle-loan-debit-result.ts';

export interface SentDebits extends Record<string, unknown> {
  batches: string[];
  /** Requests handed to the bank. */
  sent: number;
  /** Answered in the result file: succeeded / failed. */
  accepted: number;
  rejected: number;
  /** No answer: the batch went unanswered, or the result file has no line for the request. */
  unanswered: number;
  amount: string;
}

/** The open batches of the date (a rerun's), then a new one holding every pending request not in a batch. */
async function batchesToSend(db: Db, date: IsoDate): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const open = await sql<{ batch_no: string }>`
      SELECT batch_no FROM loan_debit_batches WHERE requested_on = ${date}::date AND status IN ('prepared', 'sent')
      ORDER BY batch_no FOR UPDATE`.execute(tx);
    const pending = await sql<{ n: number; fen: string | null }>`
      SELECT count(*)::int AS n, SUM(amount_fen)::text AS fen FROM loan_debit_requests
      WHERE requested_on = ${date}::date AND status = 'pending' AND batch_no IS NULL`.execute(tx);
    const batches = open.rows.map((r) => r.batch_no);
    const { n, fen } = pending.rows[0]!;
    if (n === 0) return batches;
    // LB + date + sequence of the date's batches: unique, and the same for the same batch on a rerun.
    const created = await sql<{ batch_no: string }>`
      INSERT INTO loan_debit_batches (batch_no, requested_on, request_count, amount_fen, status)
      SELECT 'LB' || to_char(${date}::date, 'YYYYMMDD') || lpad((count(*) + 1)::text, 3, '0'), ${date}::date,
        ${n}, ${fen}::bigint, 'prepared'
      FROM loan_debit_batches WHERE requested_on = ${date}::date
      RETURNING batch_no`.execute(tx);
    const batchNo = created.rows[0]!.batch_no;
    await sql`
      UPDATE loan_debit_requests SET batch_no = ${batchNo}
      WHERE requested_on = ${date}::date AND status = 'pending' AND batch_no IS NULL`.execute(tx);
    return [...batches, batchNo];
  });
}

export async function sendLoanDebits(ctx: { db: Db; date: IsoDate; bank: BankGateway }): Promise<SentDebits> {
  const { db, date, bank } = ctx;
  const totals = { sent: 0, accepted: 0, rejected: 0, unanswered: 0, amountFen: 0n };
  const batches = await batchesToSend(db, date);
  for (const batchNo of batches) {
    const rows = (
      await sql<{ request_no: string; account_number: string; bank_card: string; amount_fen: bigint }>`
        SELECT request_no, account_number, bank_card, amount_fen FROM loan_debit_requests
        WHERE batch_no = ${batchNo} ORDER BY id`.execute(db)
    ).rows;
    totals.sent += rows.length;
    for (const r of rows) totals.amountFen += BigInt(r.amount_fen);
    let answer: BankAnswer;
    try {
      answer = await bank.submitDebitBatch({
        batchNo,
        valueDate: date,
        lines: rows.map((r) => ({
          requestNo: r.request_no,
          accountNumber: r.account_number,
          bankCard: r.bank_card,
          amountFen: BigInt(r.amount_fen),
        })),
      });
    } catch (error) {
      // No answer (timeout, bank down): the batch stays open and is sent again, same number, on a rerun.
      if (!isAppError(error)) throw error;
      totals.unanswered += rows.length;
      continue;
    }
    if (answer.status === 'rejected') {
      // The whole file refused: every request failed (the installments go overdue).
      await db.transaction().execute(async (tx) => {
        await sql`UPDATE loan_debit_batches SET status = 'rejected', failure_code = ${answer.code}, answered_at = now()
          WHERE batch_no = ${batchNo} AND status IN ('prepared', 'sent')`.execute(tx);
        await sql`UPDATE loan_debit_requests SET status = 'failed', failure_code = ${answer.code}, answered_at = now()
          WHERE batch_no = ${batchNo} AND status IN ('pending', 'sent')`.execute(tx);
      });
      totals.rejected += rows.length;
      continue;
    }
    await db.transaction().execute(async (tx) => {
      await sql`UPDATE loan_debit_batches SET status = 'sent', sent_at = now()
        WHERE batch_no = ${batchNo} AND status = 'prepared'`.execute(tx);
      await sql`UPDATE loan_debit_requests SET status = 'sent'
        WHERE batch_no = ${batchNo} AND status = 'pending'`.execute(tx);
    });
    let file: SignedBankFile | null = null;
    try {
      file = await bank.fetchDebitBatchResult(batchNo);
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
    if (file) await applyLoanDebitResultFile({ db, file, actorLabel: LOAN_DEBIT_ACTOR });
    // The batch's standing after its result (this run's, or an earlier copy's): answered lines and the rest.
    const standing = await sql<{ ok: number; failed: number }>`
      SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS ok,
        count(*) FILTER (WHERE status = 'failed')::int AS failed
      FROM loan_debit_requests WHERE batch_no = ${batchNo}`.execute(db);
    const { ok, failed } = standing.rows[0]!;
    totals.accepted += ok;
    totals.rejected += failed;
    totals.unanswered += rows.length - ok - failed;
  }
  return {
    batches,
    sent: totals.sent,
    accepted: totals.accepted,
    rejected: totals.rejected,
    unanswered: totals.unanswered,
    amount: fenToYuanString(totals.amountFen),
  };
}
