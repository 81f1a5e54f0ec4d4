// The bank's word on a payout (代付结果 / 退票), signed like every bank notification: `payout_result`
// success → confirmed (Dr 21903 / Cr 101), failed → money back on the member (Dr 21903 / Cr 201);
// `payout_return` → returned after payment (Dr 101 / Cr 201). A loan over-payment refund's payout puts
// its money back on 21909 instead of a member (settle-payout.ts). Acts once per payout state: a repeat or
// a late duplicate is answered 'already' and moves nothing. Loan disbursements ("LD…") share the bank's
// payout channel: their results go on to the loan handler.
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { parseBankNotification } from '../../integrations/bank/gateway.ts';
import { bankSecretFromEnv, verifyBankSignature } from '../../integrations/bank/signing.ts';
import {
  handleLoanDisbursementNotification,
  LOAN_DISBURSEMENT_PREFIX,
} from '../loans/handle-loan-disbursement-notification.ts';
import { confirmPayoutInTx, lockPayout, putPayoutBackInTx, type SettleOutcome } from './settle-payout.ts';

export const BANK_PAYOUT_ACTOR_LABEL = 'system:bank';

export async function handlePayoutNotification(
  db: Db,
  input: { rawBody: string; signature: string | null | undefined; secret?: string },
): Promise<{ requestNo: string; outcome: SettleOutcome }> {
  if (!verifyBankSignature(input.rawBody, input.signature ?? '', input.secret ?? bankSecretFromEnv())) {
    throw new AppError('BANK_SIGNATURE_INVALID', { field: 'x-bank-signature' });
  }
  const n = parseBankNotification(input.rawBody);
  if ((n.kind !== 'payout_result' && n.kind !== 'payout_return') || !n.requestNo) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'kind' });
  }
  const requestNo = n.requestNo;
  if (requestNo.startsWith(LOAN_DISBURSEMENT_PREFIX)) return handleLoanDisbursementNotification(db, input);
  const outcome = await db.transaction().execute(async (tx) => {
    const payout = await lockPayout(tx, { requestNo });
    if (n.amountFen !== payout.amountFen) {
      throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'amount', details: { requestNo } });
    }
    if (n.kind === 'payout_result') {
      return n.status === 'success'
        ? confirmPayoutInTx(tx, payout, { bankSerial: n.serial, actorLabel: BANK_PAYOUT_ACTOR_LABEL })
        : putPayoutBackInTx(tx, payout, {
            kind: 'rejected',
            reason: n.failureCode ?? 'FAILED',
            serial: n.serial,
            actorLabel: BANK_PAYOUT_ACTOR_LABEL,
          });
    }
    return putPayoutBackInTx(tx, payout, {
      kind: 'returned',
      reason: n.failureCode ?? 'RETURNED',
      serial: n.serial,
      actorLabel: BANK_PAYOUT_ACTOR_LABEL,
    });
  });
  return { requestNo, outcome };
}
