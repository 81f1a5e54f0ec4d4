// One conversion as recorded: the accounts, what moved, the months carried and the subsidy forfeited.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function viewConversion(db: DbOrTx, conversionIdText: string | bigint) {
  const conversionId = BigInt(conversionIdText);
  const row = await db
    .selectFrom('conversions as c')
    .innerJoin('accounts as f', 'f.id', 'c.from_account_id')
    .innerJoin('accounts as t', 't.id', 'c.to_account_id')
    .select([
      'c.id',
      'c.direction',
      'c.depositor_id',
      'c.from_account_id',
      'f.account_number as from_account_number',
      'c.to_account_id',
      't.account_number as to_account_number',
      'c.principal_fen',
      'c.interest_fen',
      'c.amount_fen',
      'c.months_carried',
      'c.periods_cancelled',
      'c.subsidy_forfeited',
      'c.subsidy_forfeited_fen',
      'c.pair_id',
      'c.settlement_pair_id',
      'c.business_date',
      'c.created_by',
    ])
    .where('c.id', '=', conversionId)
    .executeTakeFirst();
  if (!row) throw new AppError('CONVERSION_NOT_FOUND', { field: 'id' });
  return {
    conversionId: String(row.id),
    direction: row.direction,
    depositorId: String(row.depositor_id),
    fromAccountId: String(row.from_account_id),
    fromAccountNumber: row.from_account_number,
    toAccountId: String(row.to_account_id),
    toAccountNumber: row.to_account_number,
    principal: fenToYuanString(row.principal_fen),
    interest: fenToYuanString(row.interest_fen),
    amount: fenToYuanString(row.amount_fen),
    monthsCarried: row.months_carried,
    periodsCancelled: row.periods_cancelled,
    subsidyForfeited: row.subsidy_forfeited,
    subsidyForfeitedAmount: fenToYuanString(row.subsidy_forfeited_fen),
    pairId: row.pair_id,
    settlementPairId: row.settlement_pair_id,
    businessDate: row.business_date,
    createdBy: row.created_by,
  };
}
