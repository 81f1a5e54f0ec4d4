// Whether a depositor has an HPF loan outstanding here (rules.md §5.1, §5.2, §5.4, §6.1): withdrawals,
// transfers out, conversions and new loans ask this one question. Outstanding = disbursed and not settled,
// as borrower or as spouse co-borrower.
import type { DbOrTx } from '../../db/connection.ts';

export async function hasOutstandingLoan(db: DbOrTx, depositorId: bigint): Promise<boolean> {
  const row = await db
    .selectFrom('loans')
    .select('id')
    .where('status', '=', 'disbursed')
    .where((eb) => eb.or([eb('depositor_id', '=', depositorId), eb('spouse_depositor_id', '=', depositorId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
