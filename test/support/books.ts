// A comparable picture of the books and the collection state, for "the same books" assertions.
import type { DbOrTx } from '../../src/db/connection.ts';

export async function booksSnapshot(db: DbOrTx) {
  const ledger = await db
    .selectFrom('ledger_balances')
    .select(['book', 'code', 'balance_fen'])
    .orderBy('book')
    .orderBy('code')
    .execute();
  const accounts = await db
    .selectFrom('accounts')
    .select([
      'account_number',
      'balance_fen',
      'balance_days_fen',
      'carried_over_fen',
      'current_year_fen',
      'state',
    ])
    .orderBy('account_number')
    .execute();
  const periods = await db
    .selectFrom('deposit_periods as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select(['a.account_number', 'p.period_start', 'p.status', 'p.amount_fen'])
    .orderBy('a.account_number')
    .orderBy('p.period_start')
    .execute();
  const deposits = await db
    .selectFrom('deposits as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .select(['a.account_number', 'd.amount_fen', 'd.value_date', 'd.channel'])
    .orderBy('a.account_number')
    .orderBy('d.value_date')
    .orderBy('d.amount_fen')
    .execute();
  const months = await db
    .selectFrom('account_months as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.account_number', 'm.month', 'm.allocated_fen', 'm.covered'])
    .orderBy('a.account_number')
    .orderBy('m.month')
    .execute();
  const entries = await db
    .selectFrom('journal_entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const calendar = await db.selectFrom('business_calendar').select('business_date').executeTakeFirstOrThrow();
  return {
    ledger,
    accounts,
    periods,
    deposits,
    months,
    journalEntries: entries.n,
    businessDate: calendar.business_date,
  };
}
