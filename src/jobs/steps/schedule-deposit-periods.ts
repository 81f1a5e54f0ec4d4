// Close step: creates the periods of periodic plans (monthly / quarterly / annual) that fall due on the
// day being closed, in one read and one bulk insert; the plan then points at its following period.
import { sql } from 'kysely';
import {
  dueDate,
  lastRetryDate,
  monthsPerPeriod,
  nextPeriodStart,
  periodAmountFen,
} from '../../domain/deposits.ts';
import { monthOf } from '../../domain/dates.ts';
import type { DepositMode } from '../../domain/agreement.ts';
import type { CloseContext } from '../close-day.ts';

export async function scheduleDepositPeriods({ db, date }: CloseContext): Promise<Record<string, unknown>> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('agreements as g')
      .innerJoin('accounts as a', 'a.id', 'g.account_id')
      .select([
        'g.id',
        'g.account_id',
        'g.deposit_mode',
        'g.monthly_amount_fen',
        'g.debit_day',
        'g.next_period_start',
      ])
      .where('g.status', '=', 'signed')
      .where('g.next_due_date', '<=', date)
      .where('a.state', '=', '01')
      .forUpdate('g')
      .execute();
    const periods = due.map((g) => {
      const mode = g.deposit_mode as DepositMode;
      const start = monthOf(g.next_period_start!);
      const due = dueDate(start, g.debit_day!);
      const next = nextPeriodStart(mode, start);
      return {
        agreementId: g.id,
        accountId: g.account_id!,
        start: `${start}-01`,
        months: monthsPerPeriod(mode),
        amount: periodAmountFen(mode, g.monthly_amount_fen!),
        due,
        lastRetry: lastRetryDate(due),
        next: `${next}-01`,
        nextDue: dueDate(next, g.debit_day!),
      };
    });
    if (periods.length === 0) return { created: 0 };
    await sql`
      INSERT INTO deposit_periods (account_id, agreement_id, period_start, months, amount_fen, due_date, last_retry_date, status)
      SELECT * , 'due' FROM unnest(
        ${periods.map((p) => p.accountId)}::bigint[], ${periods.map((p) => p.agreementId)}::bigint[],
        ${periods.map((p) => p.start)}::date[], ${periods.map((p) => p.months)}::smallint[],
        ${periods.map((p) => p.amount)}::bigint[], ${periods.map((p) => p.due)}::date[],
        ${periods.map((p) => p.lastRetry)}::date[])
      ON CONFLICT (account_id, period_start) DO NOTHING`.execute(tx);
    await sql`
      UPDATE agreements g SET next_period_start = n.next, next_due_date = n.due
      FROM unnest(${periods.map((p) => p.agreementId)}::bigint[], ${periods.map((p) => p.next)}::date[],
        ${periods.map((p) => p.nextDue)}::date[]) AS n (id, next, due)
      WHERE g.id = n.id`.execute(tx);
    return { created: periods.length };
  });
}
