// The money and history half of a conversion (rules.md §5.3), shared by both directions and run in
// the caller's transaction after its checks: the source account's interest to date is credited to it,
// its whole balance moves to the target account as two pairs of entries (docs/decisions/0005), its
// covered months carry over, and it ends (state 03, merged into the target).
import { sql } from 'kysely';
import {
  conversionInterestDraft,
  conversionPairs,
  type ConversionDirection,
} from '../../domain/conversion.ts';
import { type Fen } from '../../domain/money.ts';
import { postEntry, postPair } from '../../ledger/post.ts';
import { interestToDate } from '../interest/interest-to-date.ts';
import { dayBefore, interestYearOf } from '../interest/interest-accumulator.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface MoveBetweenPoolsInput {
  direction: ConversionDirection;
  conversionId: bigint;
  fromAccountId: bigint;
  fromAccountNumber: string;
  toAccountId: bigint;
  toAccountNumber: string;
  businessDate: string;
  actorLabel: string;
}

export interface MovedBetweenPools {
  principalFen: Fen;
  interestFen: Fen;
  amountFen: Fen;
  monthsCarried: number;
  coveredMonthsCarried: number;
  interestEntryId: bigint | null;
  pairId: string | null;
  settlementPairId: string | null;
}

/** The caller has locked both accounts (in id order) and checked that the conversion is allowed. */
export async function moveBetweenPools(tx: DbOrTx, input: MoveBetweenPoolsInput): Promise<MovedBetweenPools> {
  const { direction, conversionId, fromAccountId, toAccountId, businessDate, actorLabel } = input;
  const sourceBook = direction === 'to_unit' ? 'FLEX' : 'MANDATORY';
  const ref = String(conversionId);
  const memo = `${input.fromAccountNumber} → ${input.toAccountNumber}`;

  // rules.md §4.1, §5.2: interest up to (not including) the day the account ends, paid into it first.
  const { interestFen } = await interestToDate(tx, fromAccountId, { upTo: businessDate });
  const before = await tx
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', fromAccountId)
    .executeTakeFirstOrThrow();
  let interestEntryId: bigint | null = null;
  if (interestFen > 0n) {
    const entry = await postEntry(
      tx,
      conversionInterestDraft({
        book: sourceBook,
        accountId: fromAccountId,
        interestFen,
        businessDate,
        conversionRef: ref,
        memo,
      }),
      actorLabel,
    );
    interestEntryId = entry.entryId;
    await tx
      .insertInto('account_interest')
      .values({
        account_id: fromAccountId,
        hpf_year: interestYearOf(dayBefore(businessDate)).hpfYear,
        settled_on: businessDate,
        interest_fen: interestFen,
        kind: 'conversion',
      })
      .execute();
  }

  const amountFen = before.balance_fen + interestFen;
  let pairId: string | null = null;
  let settlementPairId: string | null = null;
  if (amountFen > 0n) {
    const pairs = conversionPairs({
      direction,
      amountFen,
      fromAccountId,
      toAccountId,
      businessDate,
      conversionRef: ref,
      memo,
    });
    pairId = (await postPair(tx, pairs.liability.flex, pairs.liability.mandatory, actorLabel)).pairId;
    settlementPairId = (await postPair(tx, pairs.settlement.flex, pairs.settlement.mandatory, actorLabel))
      .pairId;
  }

  // rules.md §3.3, §5.3: deposit months continue to count; a month covered on either side stays covered.
  const history = await sql<{ months: number; covered: number }>`
    SELECT count(*)::int AS months, (count(*) FILTER (WHERE covered))::int AS covered
    FROM account_months WHERE account_id = ${fromAccountId}`.execute(tx);
  await sql`
    INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered, source)
    SELECT ${toAccountId}, m.month, m.allocated_fen, m.lower_limit_fen, m.covered, 'conversion'
    FROM account_months m WHERE m.account_id = ${fromAccountId}
    ON CONFLICT (account_id, month) DO UPDATE SET
      allocated_fen = account_months.allocated_fen + EXCLUDED.allocated_fen,
      covered = account_months.covered OR EXCLUDED.covered`.execute(tx);

  await tx
    .updateTable('accounts')
    .set({ state: '03', closed_on: businessDate })
    .where('id', '=', fromAccountId)
    .execute();

  return {
    principalFen: before.balance_fen,
    interestFen,
    amountFen,
    monthsCarried: history.rows[0]!.months,
    coveredMonthsCarried: history.rows[0]!.covered,
    interestEntryId,
    pairId,
    settlementPairId,
  };
}
