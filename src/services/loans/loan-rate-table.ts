// The loan rate table (rules.md §6.3) as stored: the four dated parameters loan.rate.* grouped by their
// start date into the rows src/domain/loans/rates.ts reads. A changed rate is an approved parameter change.
import { Decimal } from 'decimal.js';
import type { LoanRateRow, RateColumn } from '../../domain/loans/rates.ts';
import type { DbOrTx } from '../../db/connection.ts';

const KEYS: Record<string, RateColumn> = {
  'loan.rate.first_home_le5_pct': 'firstHomeUpTo5Years',
  'loan.rate.first_home_gt5_pct': 'firstHomeOver5Years',
  'loan.rate.second_home_le5_pct': 'secondHomeUpTo5Years',
  'loan.rate.second_home_gt5_pct': 'secondHomeOver5Years',
};

/** Rows in date order; a column not changed on a date keeps its earlier value. */
export async function loanRateTable(db: DbOrTx): Promise<LoanRateRow[]> {
  const rows = await db
    .selectFrom('parameters')
    .select(['key', 'value', 'effective_from'])
    .where('key', 'in', Object.keys(KEYS))
    .where('status', '=', 'approved')
    .orderBy('effective_from')
    .execute();
  const table: LoanRateRow[] = [];
  for (const r of rows) {
    let row = table.at(-1);
    if (row === undefined || row.from !== r.effective_from) {
      const zero = new Decimal(0);
      row = row
        ? { ...row, from: r.effective_from }
        : {
            from: r.effective_from,
            firstHomeUpTo5Years: zero,
            firstHomeOver5Years: zero,
            secondHomeUpTo5Years: zero,
            secondHomeOver5Years: zero,
          };
      table.push(row);
    }
    row[KEYS[r.key]!] = new Decimal(r.value);
  }
  return table;
}
