// One account's interest for the current interest year up to (not including) a day, read from its
// accumulators (rules.md §4.1, §5.2: closure and transfer out settle up to, not including, the closing day).
import type { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { INTEREST_DAY_BASIS } from '../../domain/interest.ts';
import { roundHalfUpToFen, type Fen } from '../../domain/money.ts';
import {
  dayBefore,
  daysThrough,
  Exact,
  interestYearOf,
  pendingRateChanges,
  rateOn,
} from './interest-accumulator.ts';

export interface InterestToDate {
  /** Interest of the interest year from July 1 through the day before `upTo`, rounded half-up once. */
  interestFen: Fen;
  /**
   * Balance-days (fen·days) of the current rate segment through the day before `upTo`: the whole
   * year-to-date when the rate has not changed this year.
   */
  balanceDaysFen: Fen;
  /** The annual rate in percent of the current rate segment. */
  rate: Decimal;
}

/**
 * Interest to date: (carry + (balance-days − balance × days(upTo … June 30)) × rate) / 100 / 360, where the
 * accumulators assume the balance stays put through June 30. A rate change already in force but not yet
 * cut by the close (apply-rate-change.ts) is cut here on the fly, the same way, without writing.
 * Valid for a cut-off on or after the account's last movement (movements dated `upTo` cancel out);
 * an earlier one is refused (INTEREST_UP_TO_INVALID).
 */
export async function interestToDate(
  db: DbOrTx,
  accountId: bigint,
  options: { upTo: IsoDate },
): Promise<InterestToDate> {
  const { upTo } = options;
  if (!isIsoDate(upTo)) throw new AppError('INVALID_DATE', { field: 'upTo', details: { value: upTo } });
  const account = await db
    .selectFrom('accounts')
    .select(['balance_fen', 'balance_days_fen', 'interest_carry', 'interest_year_end'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });

  // The year of the last day counted: upTo = July 1 asks for the whole year that ended on June 30.
  const lastDay = dayBefore(upTo);
  const year = interestYearOf(lastDay);
  if (account.interest_year_end !== null && account.interest_year_end > year.to) {
    // That year is behind the accumulator: settled on its June 30, so nothing more is owed for it.
    if (lastDay === year.to) return { interestFen: 0n, balanceDaysFen: 0n, rate: await rateOn(db, upTo) };
    throw new AppError('INTEREST_UP_TO_INVALID', {
      field: 'upTo',
      details: { upTo, accumulatorYearEnd: account.interest_year_end },
    });
  }
  // The accumulators assume no movement after the cut-off: one dated later cannot be taken back out.
  const later = await sql<{ value_date: string }>`
    SELECT max(e.value_date)::text AS value_date FROM postings p JOIN journal_entries e ON e.id = p.entry_id
    WHERE p.member_account_id = ${accountId} AND e.value_date > ${upTo}::date`.execute(db);
  const lastMovement = later.rows[0]?.value_date ?? null;
  if (lastMovement !== null) {
    throw new AppError('INTEREST_UP_TO_INVALID', { field: 'upTo', details: { upTo, lastMovement } });
  }
  const balance = account.balance_fen;
  const current = account.interest_year_end === year.to;
  let balanceDays = current ? account.balance_days_fen : balance * BigInt(year.days);
  let carry = new Exact(current ? account.interest_carry : 0);

  const { segment, changes } = await pendingRateChanges(db, year, lastDay);
  let rate = segment.ratePct;
  for (const change of changes) {
    const rest = balance * BigInt(daysThrough(change.startsOn, year.to));
    carry = carry.plus(new Exact((balanceDays - rest).toString()).times(change.oldRatePct.toString()));
    balanceDays = rest;
    rate = change.ratePct;
  }

  const segmentDays = balanceDays - balance * BigInt(daysThrough(upTo, year.to));
  const exact = carry
    .plus(new Exact(segmentDays.toString()).times(rate.toString()))
    .div(INTEREST_DAY_BASIS * 100);
  return { interestFen: roundHalfUpToFen(exact), balanceDaysFen: segmentDays, rate };
}
