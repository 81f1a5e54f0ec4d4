// A deposit-rate change inside an interest year (rules.md §4.1: the rate is a dated parameter): the days
// before the change earn the old rate, the days from it the new one, one rounding for the year.
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { insertTestAccount } from '../support/fixtures.ts';
import { rowCounts } from '../support/snapshot.ts';
import { interestForPeriod, type BalanceMovement, type RateFrom } from '../../src/domain/interest.ts';
import type { Fen } from '../../src/domain/money.ts';
import { SYSTEM_ACTOR } from '../../src/domain/roles.ts';
import { LEDGER, ledgerBalance } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { accrueMonthEndInterest } from '../../src/services/interest/accrue-month-end-interest.ts';
import { applyRateChange } from '../../src/services/interest/apply-rate-change.ts';
import { interestToDate } from '../../src/services/interest/interest-to-date.ts';
import { settleAnnualInterest } from '../../src/services/interest/settle-annual-interest.ts';

const RATES: RateFrom[] = [
  { from: '2016-02-21', ratePct: new Decimal('1.5') },
  { from: '2025-01-01', ratePct: new Decimal('2.0') },
  { from: '2025-07-01', ratePct: new Decimal('1.75') },
];

let t: TestDatabase;
let a: bigint;
let b: bigint;
const movements = new Map<bigint, BalanceMovement[]>();

async function approveRate(value: string, from: string): Promise<void> {
  await sql`
    INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at)
    VALUES ('interest.annual_rate_pct', ${value}, ${from}::date, 'approved', 'test', 'test', 'test', now())`.execute(
    t.db,
  );
}

async function deposit(accountId: bigint, amountFen: Fen, date: string): Promise<void> {
  await advanceBusinessDate(t.db, date, SYSTEM_ACTOR);
  await t.db.transaction().execute((tx) =>
    postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: date,
        valueDate: date,
        entryType: 'deposit',
        postings: [
          { account: LEDGER.bank, side: 'D', amountFen },
          { account: LEDGER.members, side: 'C', amountFen, memberAccountId: accountId },
        ],
      },
      'system:test',
    ),
  );
  movements.set(accountId, [...(movements.get(accountId) ?? []), { date, amountFen }]);
}

function expected(accountId: bigint, to: string, from = '2024-07-01', openingBalanceFen: Fen = 0n): Fen {
  const inside = (movements.get(accountId) ?? []).filter((m) => m.date >= from && m.date <= to);
  return interestForPeriod({ from, to, openingBalanceFen, movements: inside, rates: RATES }).interestFen;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await initializeBusinessDate(t.db, '2024-07-01', SYSTEM_ACTOR);
  a = await insertTestAccount(t.db, { businessDate: '2024-07-01' });
  b = await insertTestAccount(t.db, { businessDate: '2024-07-01' });
  // Announced in advance: 2.0 % from January 1, 2025, and 1.75 % from July 1, 2025 (a new year's rate).
  await approveRate('2.0', '2025-01-01');
  await approveRate('1.75', '2025-07-01');
});
afterAll(async () => {
  await t.close();
});

describe('a rate change on January 1, 2025 (rules.md §4.1)', () => {
  it('before the close cuts the accumulators, interest to date already splits the year at the change', async () => {
    await deposit(a, 1_000_000n, '2024-07-01');
    await deposit(b, 300_000n, '2024-11-11');
    await deposit(b, 200_000n, '2025-01-01'); // on the day of the change
    const got = await interestToDate(t.db, a, { upTo: '2025-01-02' });
    expect(got.interestFen).toBe(expected(a, '2025-01-01'));
    expect(got.rate.toString()).toBe('2');
    // 10,000 × 184 days × 1.5 % / 360 + 10,000 × 1 day × 2 % / 360 = 76.67 + 0.56 → 77.22
    expect(got.interestFen).toBe(7_722n);
  });

  it('the close of the change day cuts every account once: carry the old segment, restart the days', async () => {
    const first = await applyRateChange({ db: t.db, date: '2025-01-01', actor: SYSTEM_ACTOR });
    expect(first.applied).toEqual([{ startsOn: '2025-01-01', oldRate: '1.5', rate: '2', accounts: 2 }]);
    const row = await t.db.selectFrom('accounts').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
    // Days from Jan 1 to Jun 30 = 181; the old segment (184 days at 1.5 %) is in the carry.
    expect(row.balance_days_fen).toBe(1_000_000n * 181n);
    expect(new Decimal(row.interest_carry).equals(new Decimal(1_000_000 * 184).times('1.5'))).toBe(true);

    const before = await rowCounts(t.db);
    expect((await applyRateChange({ db: t.db, date: '2025-01-02', actor: SYSTEM_ACTOR })).applied).toEqual(
      [],
    );
    expect(await rowCounts(t.db)).toEqual(before);
    for (const id of [a, b]) {
      expect((await interestToDate(t.db, id, { upTo: '2025-01-02' })).interestFen).toBe(
        expected(id, '2025-01-01'),
      );
    }
  });

  it('accrues and settles with both rates; 211 ends at zero and the books balance', async () => {
    const monthEnd = async (date: string) => {
      await advanceBusinessDate(t.db, date, SYSTEM_ACTOR);
      await accrueMonthEndInterest({ db: t.db, date, actor: SYSTEM_ACTOR });
      expect(await ledgerBalance(t.db, 'FLEX', '211')).toBe(expected(a, date) + expected(b, date));
    };
    await monthEnd('2025-01-31');
    await deposit(b, 100_000n, '2025-03-03');
    await monthEnd('2025-03-31');
    await monthEnd('2025-05-31');
    await advanceBusinessDate(t.db, '2025-06-30', SYSTEM_ACTOR);
    // No June accrual: the settlement books the rest of the year straight to 41101.
    const result = await settleAnnualInterest({ db: t.db, date: '2025-06-30', actor: SYSTEM_ACTOR });
    const flex = result.books.find((x) => x.book === 'FLEX')!;
    const interestA = expected(a, '2025-06-30');
    const interestB = expected(b, '2025-06-30');
    const rows = await t.db.selectFrom('account_interest').select(['account_id', 'interest_fen']).execute();
    expect(rows.find((r) => r.account_id === a)!.interest_fen).toBe(interestA);
    expect(rows.find((r) => r.account_id === b)!.interest_fen).toBe(interestB);
    expect(flex.total).toBe((Number(interestA + interestB) / 100).toFixed(2));
    expect(await ledgerBalance(t.db, 'FLEX', '211')).toBe(0n);
    expect(await ledgerBalance(t.db, 'FLEX', '41101')).toBe(interestA + interestB);
    // The June accrual after the settlement finds the year settled and books nothing.
    const june = await accrueMonthEndInterest({ db: t.db, date: '2025-06-30', actor: SYSTEM_ACTOR });
    expect(june.books.every((x) => x.skipped === 'year_settled' && x.journalEntryId === null)).toBe(true);
    expect(await ledgerBalance(t.db, 'FLEX', '211')).toBe(0n);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('a rate starting on July 1 is simply the new year’s rate: no cut, the new year earns it', async () => {
    await advanceBusinessDate(t.db, '2025-07-01', SYSTEM_ACTOR);
    expect((await applyRateChange({ db: t.db, date: '2025-07-01', actor: SYSTEM_ACTOR })).applied).toEqual(
      [],
    );
    const opening = (
      await t.db.selectFrom('accounts').select('balance_fen').where('id', '=', a).executeTakeFirstOrThrow()
    ).balance_fen;
    const got = await interestToDate(t.db, a, { upTo: '2025-10-01' });
    expect(got.rate.toString()).toBe('1.75');
    expect(got.interestFen).toBe(expected(a, '2025-09-30', '2025-07-01', opening));
  });
});
