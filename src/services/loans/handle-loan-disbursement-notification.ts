// The bank's payout result for a loan disbursement (request numbers "LD…"): signed like every bank
// message; success confirms it (Dr 21903 / Cr 101, confirm-loan-disbursement.ts), a failure after the bank
// had accepted puts the money back (Dr 21903 / Cr 121) and returns the loan to 'mortgaged'. The payout
// handler of withdrawals owns "PO…" numbers; whoever routes bank payout messages sends "LD…" ones here.
import { AppError } from '../../domain/errors.ts';
import { parseBankNotification } from '../../integrations/bank/gateway.ts';
import { bankSecretFromEnv, verifyBankSignature } from '../../integrations/bank/signing.ts';
import { confirmLoanDisbursement } from './confirm-loan-disbursement.ts';
import { LOAN_DISBURSEMENT_ACTOR, returnLoanDisbursement } from './send-loan-disbursement.ts';
import type { Db } from '../../db/connection.ts';

export const LOAN_DISBURSEMENT_PREFIX = 'LD';

export async function handleLoanDisbursementNotification(
  db: Db,
  input: { rawBody: string; signature: string | null | undefined; secret?: string },
): Promise<{ requestNo: string; outcome: 'confirmed' | 'already' | 'rejected' }> {
  if (!verifyBankSignature(input.rawBody, input.signature ?? '', input.secret ?? bankSecretFromEnv())) {
    throw new AppError('BANK_SIGNATURE_INVALID', { field: 'x-bank-signature' });
  }
  const n = parseBankNotification(input.rawBody);
  if (n.kind !== 'payout_result' || !n.requestNo?.startsWith(LOAN_DISBURSEMENT_PREFIX)) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'kind' });
  }
  const row = await db
    .selectFrom('loan_disbursements')
    .select(['id', 'amount_fen'])
    .where('request_no', '=', n.requestNo)
    .executeTakeFirst();
  if (!row) throw new AppError('LOAN_DISBURSEMENT_NOT_FOUND', { field: 'requestNo' });
  if (row.amount_fen !== n.amountFen) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', {
      field: 'amount',
      details: { requestNo: n.requestNo },
    });
  }
  if (n.status === 'success') {
    const r = await confirmLoanDisbursement({
      db,
      actor: { type: 'system', id: LOAN_DISBURSEMENT_ACTOR.slice('system:'.length) },
      requestNo: n.requestNo,
      bankSerial: n.serial,
    });
    return { requestNo: r.requestNo, outcome: r.outcome };
  }
  await returnLoanDisbursement(db, row.id, n.failureCode ?? 'FAILED');
  return { requestNo: n.requestNo, outcome: 'rejected' };
}
