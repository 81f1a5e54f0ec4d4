// The transfer platform inbox (转移接续业务): transfers in and out with their stage and platform status,
// newest first, each with our account number and its holder's name. Staff see all (a district viewer
// their district's); a depositor sees only their own.
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import { toView, type TransferStage, type TransferView } from './transfer-store.ts';

export interface ListTransfersInput {
  db: DbOrTx;
  actor: Actor;
  direction?: 'in' | 'out';
  stage?: TransferStage;
  limit?: number;
}

/** A listed transfer also names our account and its holder (null when a refused letter matched none). */
export interface ListedTransfer extends TransferView {
  accountNumber: string | null;
  depositorName: string | null;
}

export async function listTransfers(input: ListTransfersInput): Promise<ListedTransfer[]> {
  const { actor } = input;
  let q = input.db
    .selectFrom('transfers as t')
    .leftJoin('accounts as a', 'a.id', 't.account_id')
    .leftJoin('depositors as d', 'd.id', 't.depositor_id')
    .selectAll('t')
    .select(['a.account_number', 'd.name as depositor_name'])
    .select((eb) =>
      eb
        .selectFrom('transfer_messages as m')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('m.transfer_id', '=', 't.id')
        .where('m.state', '=', 'pending')
        .as('pending'),
    )
    .orderBy('t.id', 'desc')
    .limit(Math.min(Math.max(input.limit ?? 100, 1), 500));
  if (actor.type === 'depositor') q = q.where('t.depositor_id', '=', actor.depositorId);
  else if (actor.type === 'staff') {
    const district = districtScopeOf(actor);
    if (district !== null) q = q.where('a.district_code', '=', district);
  } else throw new AppError('FORBIDDEN');
  if (input.direction) q = q.where('t.direction', '=', input.direction);
  if (input.stage) q = q.where('t.stage', '=', input.stage);
  return (await q.execute()).map((r) => ({
    ...toView(r),
    accountNumber: r.account_number,
    depositorName: r.depositor_name,
  }));
}
