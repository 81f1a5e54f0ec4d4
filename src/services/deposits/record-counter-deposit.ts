// A deposit taken at the counter (柜面缴存): staff record money the depositor paid in; for a periodic plan
// it pays the oldest due period. Idempotent by the client key, so a retried request credits once.
import { AppError } from '../../domain/errors.ts';
import { isIsoDate, compareDates } from '../../domain/dates.ts';
import { positiveYuanToFen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { onceByKey } from '../idempotency.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { creditDeposit, type CreditedDeposit } from './credit-deposit.ts';
import type { Db } from '../../db/connection.ts';

export interface RecordCounterDepositInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  amount: string;
  idempotencyKey: string;
  /** Defaults to the business date; never later than it. */
  valueDate?: string;
  periodId?: string | null;
}

export async function recordCounterDeposit(
  input: RecordCounterDepositInput,
): Promise<CreditedDeposit & { replayed: boolean }> {
  const { db, actor } = input;
  const amountFen = positiveYuanToFen(input.amount, 'amount');
  if (!input.idempotencyKey.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  if (input.valueDate !== undefined && !isIsoDate(input.valueDate))
    throw new AppError('INVALID_DATE', { field: 'valueDate' });
  return db.transaction().execute(async (tx) => {
    const today = await getBusinessDate(tx);
    const valueDate = input.valueDate ?? today;
    if (compareDates(valueDate, today) > 0)
      throw new AppError('INVALID_DATE', { field: 'valueDate', details: { businessDate: today } });
    const payload = {
      accountId: String(input.accountId),
      amount: input.amount,
      valueDate: input.valueDate ?? null,
      periodId: input.periodId ?? null,
    };
    const { result, replayed } = await onceByKey(
      tx,
      'counter-deposit',
      input.idempotencyKey,
      payload,
      async () => ({
        ...(await creditDeposit(tx, {
          accountId: BigInt(input.accountId),
          amountFen,
          valueDate,
          channel: 'counter',
          actor,
          periodId: input.periodId ? BigInt(input.periodId) : null,
        })),
      }),
    );
    return { ...result, replayed };
  });
}
