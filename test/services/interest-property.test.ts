// Property: the interest accumulators kept by every posting (migration 0006, src/ledger/post.ts) give the
// same interest to the fen as the pure balance-days calculator (src/domain/interest.ts, rules.md §4.1),
// for random histories of deposits and withdrawals and any cut-off on or after the last movement.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { insertTestAccount } from '../support/fixtures.ts';
import { startCenter } from '../support/services.ts';
import { addDays } from '../../src/domain/dates.ts';
import { balanceDays, interestForPeriod, type BalanceMovement } from '../../src/domain/interest.ts';
import { LEDGER } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { interestToDate } from '../../src/services/interest/interest-to-date.ts';

const YEAR_FROM = '2024-07-01';
/** The business date: the last day of the interest year, so every value date of the year can be posted. */
const BUSINESS_DATE = '2025-06-30';
const RATES = [{ from: '2016-02-21', ratePct: new Decimal('1.5') }];

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, BUSINESS_DATE);
});
afterAll(async () => {
  await t.close();
});

/** A movement: a day of the year (0 = July 1) and an amount; negative ones withdraw what is there. */
const movementArb = fc.record({
  day: fc.integer({ min: 0, max: 364 }),
  amountFen: fc.bigInt({ min: -2_000_000n, max: 5_000_000n }).filter((x) => x !== 0n),
});

async function post(accountId: bigint, m: BalanceMovement): Promise<void> {
  const amountFen = m.amountFen < 0n ? -m.amountFen : m.amountFen;
  const member = { account: LEDGER.members, amountFen, memberAccountId: accountId } as const;
  const bank = { account: LEDGER.bank, amountFen } as const;
  await t.db.transaction().execute((tx) =>
    postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: BUSINESS_DATE,
        valueDate: m.date,
        entryType: m.amountFen > 0n ? 'deposit' : 'withdrawal',
        postings:
          m.amountFen > 0n
            ? [
                { ...bank, side: 'D' },
                { ...member, side: 'C' },
              ]
            : [
                { ...member, side: 'D' },
                { ...bank, side: 'C' },
              ],
      },
      'system:test',
    ),
  );
}

describe('interest to date from the accumulators = the balance-days calculator (rules.md §4.1)', () => {
  it('agrees to the fen for random deposit and withdrawal histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(movementArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 365 }),
        async (raw, cutOffSlack) => {
          const accountId = await insertTestAccount(t.db, { businessDate: YEAR_FROM });
          // In value-date order, a withdrawal takes at most the balance (never below zero).
          const movements: BalanceMovement[] = [];
          let balance = 0n;
          for (const m of [...raw].sort((x, y) => x.day - y.day)) {
            const amountFen =
              m.amountFen < 0n ? -(-m.amountFen > balance ? balance : -m.amountFen) : m.amountFen;
            if (amountFen === 0n) continue;
            balance += amountFen;
            const movement = { date: addDays(YEAR_FROM, m.day), amountFen };
            movements.push(movement);
            await post(accountId, movement);
          }
          const lastDay = movements.length > 0 ? Math.max(...raw.map((m) => m.day)) : 0;
          // Any cut-off from the last movement's day through July 1 of the next year.
          const upTo = addDays(YEAR_FROM, Math.min(lastDay + (cutOffSlack % (366 - lastDay)), 365));
          const got = await interestToDate(t.db, accountId, { upTo });
          const to = addDays(upTo, -1);
          if (to < YEAR_FROM) {
            expect(got.interestFen).toBe(0n);
            return;
          }
          const counted = movements.filter((m) => m.date <= to);
          const expected = interestForPeriod({
            from: YEAR_FROM,
            to,
            openingBalanceFen: 0n,
            movements: counted,
            rates: RATES,
          });
          expect(got.interestFen).toBe(expected.interestFen);
          expect(got.balanceDaysFen).toBe(
            balanceDays({ from: YEAR_FROM, to, openingBalanceFen: 0n, movements: counted }),
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});
