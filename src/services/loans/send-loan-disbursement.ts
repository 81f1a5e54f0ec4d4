// Sends a loan disbursement to the bank (the outbox's sender; guide habit 5): the row moves pending →
// sent under its lock and commits before the bank is called, with the row's own request number; a row
// left 'sent' (crash, timeout) is sent again with the SAME number, which the bank answers as the same
// request, so the seller is never paid twice. A refusal by the bank puts the money back (Dr 21903 /
// Cr 121), drops the schedule and returns the loan to 'mortgaged' so it can be disbursed again.
import { isAppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';
import type { LoanDisbursementStatus } from '../../db/schema.ts';

export const LOAN_DISBURSEMENT_ACTOR = 'system:loan-disbursement';

export interface DisbursementState extends Record<string, unknown> {
  disbursementId: string;
  requestNo: string;
  status: LoanDisbursementStatus;
  amount: string;
  attempts: number;
  lastError: string | null;
}

async function state(db: Db, id: bigint): Promise<DisbursementState> {
  const r = await db
    .selectFrom('loan_disbursements')
    .select(['id', 'request_no', 'status', 'amount_fen', 'attempts', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    disbursementId: String(r.id),
    requestNo: r.request_no,
    status: r.status,
    amount: fenToYuanString(r.amount_fen),
    attempts: r.attempts,
    lastError: r.last_error,
  };
}

export async function sendLoanDisbursement(input: {
  db: Db;
  bank: BankGateway;
  disbursementId: bigint;
}): Promise<DisbursementState> {
  const { db, bank } = input;
  const claimed = await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('loan_disbursements as ld')
      .innerJoin('loans as l', 'l.id', 'ld.loan_id')
      .select([
        'ld.id',
        'ld.request_no',
        'ld.status',
        'ld.amount_fen',
        'ld.bank_account',
        'ld.value_date',
        'l.loan_number',
      ])
      .where('ld.id', '=', input.disbursementId)
      .forUpdate('ld')
      .executeTakeFirst();
    if (!row || (row.status !== 'pending' && row.status !== 'sent')) return null;
    await tx
      .updateTable('loan_disbursements')
      .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    return row;
  });
  if (!claimed) return state(db, input.disbursementId);
  let answer;
  try {
    answer = await bank.requestPayout({
      requestNo: claimed.request_no,
      accountNumber: claimed.loan_number,
      bankCard: claimed.bank_account,
      amountFen: claimed.amount_fen,
      valueDate: claimed.value_date,
    });
  } catch (error) {
    // No answer: stays 'sent' and goes again with the same number.
    const message = isAppError(error) ? error.code : String(error);
    await db
      .updateTable('loan_disbursements')
      .set({ last_error: message })
      .where('id', '=', claimed.id)
      .execute();
    return state(db, claimed.id);
  }
  if (answer.status === 'accepted') {
    await db
      .updateTable('loan_disbursements')
      .set({ status: 'accepted', last_error: null })
      .where('id', '=', claimed.id)
      .where('status', '=', 'sent')
      .execute();
  } else {
    await returnLoanDisbursement(db, claimed.id, answer.code);
  }
  return state(db, claimed.id);
}

/**
 * The bank refused the disbursement (at once, or in its payout result): Dr 21903 / Cr 121, the schedule
 * dropped and the loan back to 'mortgaged', once, under the row's lock. A confirmed one is left alone.
 */
export async function returnLoanDisbursement(db: Db, disbursementId: bigint, code: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('loan_disbursements')
      .select(['id', 'loan_id', 'status', 'amount_fen', 'request_no'])
      .where('id', '=', disbursementId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status !== 'sent' && row.status !== 'accepted') return;
    const date = await getBusinessDate(tx);
    await postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: date,
        valueDate: date,
        entryType: 'loan_disbursement_rejected',
        memo: `放款被银行拒绝 ${row.request_no}`,
        sourceType: 'loan_disbursement',
        sourceId: String(row.id),
        postings: [
          { account: LEDGER.payoutsInTransit, side: 'D', amountFen: row.amount_fen },
          { account: LEDGER.loans, side: 'C', amountFen: row.amount_fen },
        ],
      },
      LOAN_DISBURSEMENT_ACTOR,
    );
    await tx
      .updateTable('loan_disbursements')
      .set({ status: 'rejected', last_error: code })
      .where('id', '=', row.id)
      .execute();
    await tx.deleteFrom('loan_installments').where('loan_id', '=', row.loan_id).execute();
    await tx
      .updateTable('loans')
      .set({ status: 'mortgaged', disbursed_on: null })
      .where('id', '=', row.loan_id)
      .execute();
    await recordAudit(tx, {
      actor: LOAN_DISBURSEMENT_ACTOR,
      action: 'loan.disbursement_rejected',
      subjectType: 'loan',
      subjectId: row.loan_id,
      businessDate: date,
      summary: { from: 'disbursed', to: 'mortgaged', requestNo: row.request_no, bankCode: code },
    });
  });
}
