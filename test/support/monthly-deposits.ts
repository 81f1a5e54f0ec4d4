// Eight months of counter deposits, September 2024 to April 2025, as the loan and referral tests need them:
// enough consecutive covered months to borrow (rules.md §6.1: at least 6) or be referred.
import type { Db } from '../../src/db/connection.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { teller } from './services.ts';

/** The business dates of the monthly deposits; the center must have started on the first. */
export const DEPOSIT_DATES: readonly IsoDate[] = [
  '2024-09-02',
  '2024-10-02',
  '2024-11-04',
  '2024-12-02',
  '2025-01-02',
  '2025-02-03',
  '2025-03-03',
  '2025-04-02',
];

const system = { type: 'system', id: 'test' } as const;

/**
 * A counter deposit for each account on each date of DEPOSIT_DATES, advancing the business date to each
 * (the first is the start date). Keys start with `keyPrefix`, which must be unique in the database.
 */
export async function depositEachMonth(
  db: Db,
  accounts: ReadonlyArray<{ accountId: string }>,
  keyPrefix: string,
  amount = '5000.00',
): Promise<void> {
  for (const [m, date] of DEPOSIT_DATES.entries()) {
    if (m > 0) await advanceBusinessDate(db, date, system);
    for (const [i, a] of accounts.entries()) {
      await recordCounterDeposit({
        db,
        actor: teller,
        accountId: a.accountId,
        amount,
        idempotencyKey: `${keyPrefix}-${m}-${i}`,
      });
    }
  }
}
