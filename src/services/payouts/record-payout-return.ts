// A returned payment (退票) found on the bank statement and entered by finance staff: the money goes back
// on the member (Dr 101 / Cr 201, or Dr 21903 / Cr 201 if the payout was never confirmed) and the
// withdrawal is marked returned; a loan over-payment refund's money goes back on 21909 (Cr 21909) and the
// over-payment is refundable again (settle-payout.ts). The statement line's serial makes it idempotent.
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { lockPayout, putPayoutBackInTx, type SettleOutcome } from './settle-payout.ts';

export async function recordPayoutReturn(input: {
  db: Db;
  actor: Actor;
  payoutId: string | bigint;
  bankSerial: string;
  reason: string;
}): Promise<{ payoutId: string; outcome: SettleOutcome }> {
  if (!input.bankSerial.trim()) throw new AppError('VALIDATION_FAILED', { field: 'bankSerial' });
  if (!input.reason.trim()) throw new AppError('WITHDRAWAL_REASON_REQUIRED', { field: 'reason' });
  const outcome = await input.db.transaction().execute(async (tx) => {
    const payout = await lockPayout(tx, { id: BigInt(input.payoutId) });
    if (payout.status === 'returned' && payout.returnSerial !== input.bankSerial) {
      throw new AppError('PAYOUT_NOT_RETURNABLE', {
        field: 'bankSerial',
        details: { status: payout.status },
      });
    }
    if (payout.status === 'rejected') {
      throw new AppError('PAYOUT_NOT_RETURNABLE', { details: { status: payout.status } });
    }
    return putPayoutBackInTx(tx, payout, {
      kind: 'returned',
      reason: input.reason,
      serial: input.bankSerial,
      actorLabel: actorLabel(input.actor),
    });
  });
  return { payoutId: String(input.payoutId), outcome };
}
