// Interest (rules.md §4.1) through a whole interest year against a real database: deposits as they come,
// the month-end accruals, the June 30 settlement into the members' accounts, and the roll into the next year.
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { openedDepositor, startCenter, teller, manager } from '../support/services.ts';
import { insertTestAccount } from '../support/fixtures.ts';
import { rowCounts } from '../support/snapshot.ts';
import type { DbOrTx } from '../../src/db/connection.ts';
import { addDays } from '../../src/domain/dates.ts';
import { interestForPeriod, type BalanceMovement } from '../../src/domain/interest.ts';
import { yuanToFen, type Fen } from '../../src/domain/money.ts';
import { SYSTEM_ACTOR } from '../../src/domain/roles.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { creditDeposit } from '../../src/services/deposits/credit-deposit.ts';
import { accrueMonthEndInterest } from '../../src/services/interest/accrue-month-end-interest.ts';
import { interestToDate } from '../../src/services/interest/interest-to-date.ts';
import {
  settleAnnualInterest,
  type SettlementStatement,
} from '../../src/services/interest/settle-annual-interest.ts';

const RATE_1_5 = [{ from: '2016-02-21', ratePct: new Decimal('1.5') }];
const YEAR_FROM = '2024-07-01';
const YEAR_TO = '2025-06-30';

let t: TestDatabase;
const movements = new Map<bigint, BalanceMovement[]>();
let a: bigint; // 10,000.00 held all year: the worked example
let b: bigint; // deposits during the year, the last one on June 30
let frozen: bigint;
let sealed: bigint;
let unit: bigint; // MANDATORY book

/** The pure calculator's interest for an account from July 1 through `to` (both included). */
function expectedInterest(accountId: bigint, to: string, from = YEAR_FROM, openingBalanceFen: Fen = 0n): Fen {
  if (to < from) return 0n;
  const inside = (movements.get(accountId) ?? []).filter((m) => m.date >= from && m.date <= to);
  return interestForPeriod({ from, to, openingBalanceFen, movements: inside, rates: RATE_1_5 }).interestFen;
}

async function moveTo(date: string): Promise<void> {
  await advanceBusinessDate(t.db, date, SYSTEM_ACTOR);
}

async function deposit(accountId: bigint, yuan: string, valueDate: string): Promise<void> {
  await moveTo(valueDate);
  const amountFen = yuanToFen(yuan);
  await t.db
    .transaction()
    .execute((tx) =>
      creditDeposit(tx, { accountId, amountFen, valueDate, channel: 'counter', actor: teller }),
    );
  movements.set(accountId, [...(movements.get(accountId) ?? []), { date: valueDate, amountFen }]);
}

async function unitDeposit(yuan: string, valueDate: string): Promise<void> {
  await moveTo(valueDate);
  const amountFen = yuanToFen(yuan);
  await t.db.transaction().execute((tx) =>
    postEntry(
      tx,
      {
        book: 'MANDATORY',
        businessDate: valueDate,
        valueDate,
        entryType: 'unit_deposit',
        postings: [
          { account: '101', side: 'D', amountFen },
          { account: '201', side: 'C', amountFen, memberAccountId: unit },
        ],
      },
      'system:test',
    ),
  );
  movements.set(unit, [...(movements.get(unit) ?? []), { date: valueDate, amountFen }]);
}

/** A month-end close: the accrual, and each account's interest to date checked against the calculator. */
async function monthEnd(date: string) {
  await moveTo(date);
  const result = await accrueMonthEndInterest({ db: t.db, date, actor: SYSTEM_ACTOR });
  for (const id of [a, b, frozen, sealed, unit]) {
    const got = await interestToDate(t.db, id, { upTo: addDays(date, 1) });
    expect(got.interestFen, `account ${id} through ${date}`).toBe(expectedInterest(id, date));
  }
  return result;
}

async function memberTotal(db: DbOrTx, pool: string): Promise<bigint> {
  const r = await sql<{
    s: bigint;
  }>`SELECT COALESCE(SUM(balance_fen), 0)::bigint AS s FROM accounts WHERE pool = ${pool}`.execute(db);
  return r.rows[0]!.s;
}

/** Everything the settlement could touch, to prove a failed run changed nothing. */
async function booksSnapshot(db: DbOrTx) {
  const accounts = await sql`SELECT * FROM accounts ORDER BY id`.execute(db);
  const ledger = await sql`SELECT * FROM ledger_balances ORDER BY book, code`.execute(db);
  return { counts: await rowCounts(db), accounts: accounts.rows, ledger: ledger.rows };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, YEAR_FROM);
  a = BigInt((await openedDepositor(t.db, {}, 'flexible')).account.accountId);
  b = BigInt((await openedDepositor(t.db, {}, 'flexible')).account.accountId);
  frozen = BigInt((await openedDepositor(t.db, {}, 'flexible')).account.accountId);
  sealed = BigInt((await openedDepositor(t.db, {}, 'flexible')).account.accountId);
  unit = await insertTestAccount(t.db, { pool: 'MANDATORY', businessDate: YEAR_FROM });
});
afterAll(async () => {
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
  await t.close();
});

describe('an interest year, July 1 2024 – June 30 2025 (rules.md §4.1)', () => {
  it('counts money from the day it arrives: the worked example earns 152.08 for the year', async () => {
    await deposit(a, '10000.00', YEAR_FROM);
    await unitDeposit('2000.00', YEAR_FROM);
    // Interest up to, not including, July 1 of the next year = the whole year: 10,000 × 365 × 1.5% / 360.
    const whole = await interestToDate(t.db, a, { upTo: '2025-07-01' });
    expect(whole.interestFen).toBe(15_208n);
    expect(whole.balanceDaysFen).toBe(1_000_000n * 365n);
    expect(whole.rate.toString()).toBe('1.5');
    expect(expectedInterest(a, YEAR_TO)).toBe(15_208n);
    // Up to (not including) July 1 itself: no day has been counted yet.
    expect((await interestToDate(t.db, a, { upTo: YEAR_FROM })).interestFen).toBe(0n);
    // One day: 10,000 × 1 × 1.5% / 360 = 0.4166… → 0.42.
    expect((await interestToDate(t.db, a, { upTo: '2024-07-02' })).interestFen).toBe(42n);
  });

  it('accrues each month end the year-to-date interest less what was accrued: Dr 41101 / Cr 211', async () => {
    const july = await monthEnd('2024-07-31');
    const flexJuly = july.books.find((x) => x.book === 'FLEX')!;
    const expectedJuly = expectedInterest(a, '2024-07-31');
    expect(yuanToFen(flexJuly.amount)).toBe(expectedJuly);
    expect(await ledgerBalance(t.db, 'FLEX', '211')).toBe(expectedJuly);
    expect(await ledgerBalance(t.db, 'MANDATORY', '211')).toBe(expectedInterest(unit, '2024-07-31'));

    await deposit(b, '5000.00', '2024-08-20');
    await monthEnd('2024-08-31');
    await deposit(frozen, '3000.00', '2024-09-15');
    await monthEnd('2024-09-30');
    await moveTo('2024-10-08');
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: frozen,
      action: 'freeze',
      reason: '法院协助冻结',
      documentNo: '(2024)内0203执123号',
    });
    for (const date of ['2024-10-31', '2024-11-30', '2024-12-31', '2025-01-31']) await monthEnd(date);
    await deposit(b, '3000.00', '2025-02-10');
    await monthEnd('2025-02-28');
    await deposit(sealed, '1234.56', '2025-03-05');
    await moveTo('2025-04-01');
    await changeAccountState({ db: t.db, actor: manager, accountId: sealed, action: 'seal' });
    // The March 31 accrual is missed on purpose: April's catches it up.
    for (const date of ['2025-04-30', '2025-05-31']) await monthEnd(date);

    // 211 holds the year-to-date interest of every account, each rounded as the settlement will.
    const through = '2025-05-31';
    const flexExpected = [a, b, frozen, sealed].reduce((s, id) => s + expectedInterest(id, through), 0n);
    expect(await ledgerBalance(t.db, 'FLEX', '211')).toBe(flexExpected);
    expect(await ledgerBalance(t.db, 'FLEX', '41101')).toBe(flexExpected);
    // A rerun of a month end posts nothing.
    const before = await rowCounts(t.db);
    const again = await accrueMonthEndInterest({ db: t.db, date: '2025-05-31', actor: SYSTEM_ACTOR });
    expect(again.books.every((x) => x.skipped === 'already_accrued')).toBe(true);
    expect(await rowCounts(t.db)).toEqual(before);
    // Not a month end: nothing to do.
    expect(
      (await accrueMonthEndInterest({ db: t.db, date: '2025-05-30', actor: SYSTEM_ACTOR })).skipped,
    ).toBe('not_month_end');
  });

  it('March 31 was skipped above: the April accrual caught it up (accruals are cumulative)', async () => {
    const rows = await t.db
      .selectFrom('interest_accruals')
      .select(['month', 'cumulative_fen'])
      .where('book', '=', 'FLEX')
      .orderBy('month')
      .execute();
    expect(rows.map((r) => r.month)).not.toContain('2025-03-01');
    const april = rows.find((r) => r.month === '2025-04-01')!;
    const expected = [a, b, frozen, sealed].reduce((s, id) => s + expectedInterest(id, '2025-04-30'), 0n);
    expect(april.cumulative_fen).toBe(expected);
  });

  it('refuses a cut-off before a movement the accumulator already counts', async () => {
    await expect(interestToDate(t.db, b, { upTo: '2024-08-19' })).rejects.toMatchObject({
      code: 'INTEREST_UP_TO_INVALID',
    });
    // A movement on the cut-off day itself is not counted and cancels out.
    const onDay = await interestToDate(t.db, b, { upTo: '2025-02-10' });
    expect(onDay.interestFen).toBe(expectedInterest(b, '2025-02-09'));
  });

  it('a failure inside the settlement leaves the books exactly as they were', async () => {
    await deposit(b, '500.00', YEAR_TO); // arrives on June 30: counts one day
    await monthEnd(YEAR_TO);
    for (const failAt of ['computed', 'postings', 'account_interest', 'accounts'] as SettlementStatement[]) {
      const before = await booksSnapshot(t.db);
      await expect(
        settleAnnualInterest({
          db: t.db,
          date: YEAR_TO,
          actor: SYSTEM_ACTOR,
          hooks: {
            afterStatement: async (statement, tx) => {
              if (statement !== failAt) return;
              // A failing statement, as a crash or a constraint would raise it.
              await sql`SELECT 1 / 0`.execute(tx);
            },
          },
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await booksSnapshot(t.db)).toEqual(before);
    }
  });

  it('settles on June 30: interest into 201, 211 to zero, books balanced, accounts rolled', async () => {
    const flexBefore = await memberTotal(t.db, 'FLEX');
    const unitBefore = await memberTotal(t.db, 'MANDATORY');
    const accrued211 = await ledgerBalance(t.db, 'FLEX', '211');
    const balancesBefore = new Map<bigint, bigint>();
    for (const id of [a, b, frozen, sealed, unit]) {
      const row = await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      balancesBefore.set(id, row.balance_fen);
    }

    const result = await settleAnnualInterest({ db: t.db, date: YEAR_TO, actor: SYSTEM_ACTOR });
    const flex = result.books.find((x) => x.book === 'FLEX')!;
    const expected = new Map([a, b, frozen, sealed, unit].map((id) => [id, expectedInterest(id, YEAR_TO)]));
    expect(expected.get(a)).toBe(15_208n);
    const flexTotal = [a, b, frozen, sealed].reduce((s, id) => s + expected.get(id)!, 0n);
    expect(yuanToFen(flex.total)).toBe(flexTotal);
    expect(flex.accounts).toBe(4);
    // The June 30 accrual had already booked the whole year: the 41101 leg is zero.
    expect(yuanToFen(flex.accrued)).toBe(accrued211);

    const interest = await t.db
      .selectFrom('account_interest')
      .selectAll()
      .where('hpf_year', '=', 2024)
      .execute();
    for (const id of [a, b, frozen, sealed, unit]) {
      const row = interest.find((r) => r.account_id === id)!;
      expect(row.interest_fen, String(id)).toBe(expected.get(id));
      expect(row.kind).toBe('annual');
      expect(row.settled_on).toBe(YEAR_TO);
    }

    expect((await verifyBooks(t.db)).ok).toBe(true);
    expect(await memberTotal(t.db, 'FLEX')).toBe(flexBefore + flexTotal);
    expect(await memberTotal(t.db, 'MANDATORY')).toBe(unitBefore + expected.get(unit)!);
    for (const book of ['FLEX', 'MANDATORY'] as const) {
      expect(await ledgerBalance(t.db, book, '211')).toBe(0n);
    }
    expect(await ledgerBalance(t.db, 'FLEX', '41101')).toBe(flexTotal);

    // Rolled: everything is carried over and earns from July 1 for the 365 days to June 30, 2026.
    for (const id of [a, b, frozen, sealed, unit]) {
      const row = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const balance = balancesBefore.get(id)! + expected.get(id)!;
      expect(row.balance_fen).toBe(balance);
      expect(row.carried_over_fen).toBe(balance);
      expect(row.current_year_fen).toBe(0n);
      expect(row.balance_days_fen).toBe(balance * 365n);
      expect(new Decimal(row.interest_carry).isZero()).toBe(true);
      expect(row.interest_year_end).toBe('2026-06-30');
    }
    // The frozen and the sealed account earned too.
    expect(expected.get(frozen)! > 0n && expected.get(sealed)! > 0n).toBe(true);
  });

  it('a rerun of the settlement or of the June accrual posts nothing', async () => {
    const before = await rowCounts(t.db);
    const again = await settleAnnualInterest({ db: t.db, date: YEAR_TO, actor: SYSTEM_ACTOR });
    expect(again.books.every((x) => x.skipped === 'already_settled')).toBe(true);
    const accrual = await accrueMonthEndInterest({ db: t.db, date: YEAR_TO, actor: SYSTEM_ACTOR });
    expect(accrual.books.every((x) => x.skipped === 'already_accrued')).toBe(true);
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await settleAnnualInterest({ db: t.db, date: '2025-06-29', actor: SYSTEM_ACTOR })).skipped).toBe(
      'not_june_30',
    );
  });

  it('the interest credited on June 30 earns interest from July 1 (annual compounding)', async () => {
    const opening = (
      await t.db.selectFrom('accounts').select('balance_fen').where('id', '=', a).executeTakeFirstOrThrow()
    ).balance_fen;
    expect(opening).toBe(1_015_208n);
    expect((await interestToDate(t.db, a, { upTo: '2025-07-01' })).interestFen).toBe(0n);
    await deposit(a, '1000.00', '2025-07-10');
    const got = await interestToDate(t.db, a, { upTo: '2025-10-01' });
    expect(got.interestFen).toBe(expectedInterest(a, '2025-09-30', '2025-07-01', opening));
    // A cut-off in a year the accumulator has already left is refused.
    await expect(interestToDate(t.db, a, { upTo: '2025-06-01' })).rejects.toMatchObject({
      code: 'INTEREST_UP_TO_INVALID',
    });
  });
});
