// Where a periodic plan stands: its next period and that period's due date (rules.md §3.2), stored on the
// agreement so the daily close finds due plans by index. Set when the account opens and when the plan is
// amended (the new terms start with the next period not yet created).
import { sql } from 'kysely';
import { dueDate, firstPeriodStart, nextPeriodStart } from '../../domain/deposits.ts';
import { compareDates, monthOf, type IsoDate } from '../../domain/dates.ts';
import type { DepositMode } from '../../domain/agreement.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function updatePlanPosition(tx: DbOrTx, agreementId: bigint, fromDate: IsoDate): Promise<void> {
  const agreement = await tx
    .selectFrom('agreements')
    .select(['id', 'deposit_mode', 'debit_day', 'account_id'])
    .where('id', '=', agreementId)
    .executeTakeFirstOrThrow();
  if (
    agreement.deposit_mode === 'flexible' ||
    agreement.debit_day === null ||
    agreement.account_id === null
  ) {
    await tx
      .updateTable('agreements')
      .set({ next_period_start: null, next_due_date: null })
      .where('id', '=', agreementId)
      .execute();
    return;
  }
  const mode = agreement.deposit_mode as DepositMode;
  let start = firstPeriodStart(mode, fromDate, agreement.debit_day);
  // Never overlap a period already created under the earlier terms.
  const last = await tx
    .selectFrom('deposit_periods')
    .select(sql<string>`max(period_start + (months || ' months')::interval)::date::text`.as('after'))
    .where('account_id', '=', agreement.account_id)
    .where('status', '!=', 'cancelled')
    .executeTakeFirst();
  if (last?.after && compareDates(`${start}-01`, last.after) < 0) {
    start = monthOf(last.after);
    while (compareDates(dueDate(start, agreement.debit_day), fromDate) < 0)
      start = nextPeriodStart(mode, start);
  }
  await tx
    .updateTable('agreements')
    .set({ next_period_start: `${start}-01`, next_due_date: dueDate(start, agreement.debit_day) })
    .where('id', '=', agreementId)
    .execute();
}
