// The bank confirmed a loan disbursement left its account (the payout result or the statement line):
// Dr 21903 payouts in transit / Cr 101 bank, once, under the row's lock; a repeat changes nothing.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertStaffRole } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export async function confirmLoanDisbursement(input: {
  db: Db;
  actor: Actor;
  requestNo: string;
  bankSerial: string;
}): Promise<{ requestNo: string; outcome: 'confirmed' | 'already'; journalEntryId: string | null }> {
  const { db, actor } = input;
  if (actor.type !== 'system') assertStaffRole(actor, ['finance', 'manager']);
  if (typeof input.bankSerial !== 'string' || !/^[\w-]{1,64}$/.test(input.bankSerial)) {
    throw new AppError('VALIDATION_FAILED', { field: 'bankSerial' });
  }
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('loan_disbursements')
      .select(['id', 'loan_id', 'request_no', 'status', 'amount_fen', 'book'])
      .where('request_no', '=', input.requestNo)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('LOAN_DISBURSEMENT_NOT_FOUND', { field: 'requestNo' });
    if (row.status === 'confirmed')
      return { requestNo: row.request_no, outcome: 'already' as const, journalEntryId: null };
    if (row.status !== 'accepted' && row.status !== 'sent') {
      throw new AppError('LOAN_STEP_OUT_OF_ORDER', { field: 'requestNo', details: { status: row.status } });
    }
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const entry = await postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: date,
        valueDate: date,
        entryType: 'loan_disbursement_confirm',
        memo: `放款付款确认 ${row.request_no}`,
        sourceType: 'loan_disbursement',
        sourceId: String(row.id),
        postings: [
          { account: LEDGER.payoutsInTransit, side: 'D', amountFen: row.amount_fen },
          { account: LEDGER.bank, side: 'C', amountFen: row.amount_fen },
        ],
      },
      label,
    );
    await tx
      .updateTable('loan_disbursements')
      .set({
        status: 'confirmed',
        bank_serial: input.bankSerial,
        confirmed_on: date,
        confirm_entry_id: entry.entryId,
      })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.disbursement_confirmed',
      subjectType: 'loan',
      subjectId: row.loan_id,
      businessDate: date,
      summary: {
        requestNo: row.request_no,
        bankSerial: input.bankSerial,
        amount: fenToYuanString(row.amount_fen),
      },
    });
    return {
      requestNo: row.request_no,
      outcome: 'confirmed' as const,
      journalEntryId: String(entry.entryId),
    };
  });
}
