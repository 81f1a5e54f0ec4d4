// The pools' liquidity at each month end (rules.md §8) from the books, and the alert level with
// hysteresis: the flexible pool lends more than 85 % of its deposits while money flows out for three
// months (level 1), then a large loan takes it past 95 % (level 3, at once), then repayments bring it back
// below 85 % and the level steps down one band after three months. The level in force on a date is the one
// set at the last month end before it, and the loan quota's liquidity coefficient reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { LEDGER } from '../../src/ledger/chart.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { computePoolIndicators } from '../../src/services/liquidity/compute-pool-indicators.ts';
import { poolAlertLevel } from '../../src/services/loans/pool-alert-level.ts';
import { rowCounts } from '../support/snapshot.ts';
import { openedDepositor, startCenter, staff } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const risk = staff('risk1', ['risk']);
let t: TestDatabase;
let member: bigint;

/** One balanced entry on the flexible pool's books, dated in `month`. */
async function book(db: Db, month: string, kind: 'deposit' | 'withdraw' | 'lend' | 'repay', yuan: number) {
  const amountFen = BigInt(yuan) * 100n;
  const legs = {
    deposit: [
      { account: LEDGER.bank, side: 'D' as const, amountFen },
      { account: LEDGER.members, side: 'C' as const, amountFen, memberAccountId: member },
    ],
    withdraw: [
      { account: LEDGER.members, side: 'D' as const, amountFen, memberAccountId: member },
      { account: LEDGER.bank, side: 'C' as const, amountFen },
    ],
    lend: [
      { account: LEDGER.loans, side: 'D' as const, amountFen },
      { account: LEDGER.bank, side: 'C' as const, amountFen },
    ],
    repay: [
      { account: LEDGER.bank, side: 'D' as const, amountFen },
      { account: LEDGER.loans, side: 'C' as const, amountFen },
    ],
  }[kind];
  await db
    .transaction()
    .execute((tx) =>
      postEntry(
        tx,
        { book: 'FLEX', businessDate: `${month}-15`, entryType: `test_${kind}`, memo: kind, postings: legs },
        'test',
      ),
    );
}

const close = (month: string) => computePoolIndicators({ db: t.db, month, actor: risk });
const flex = async (month: string) => (await close(month)).find((p) => p.book === 'FLEX')!;

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2025-01-02');
  const { account } = await openedDepositor(t.db, {}, 'flexible');
  member = BigInt(account.accountId);
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t?.close();
});

describe('month-end liquidity and the alert level', () => {
  it('figures of a month: 86 % lent, money in, no alert', async () => {
    await book(t.db, '2025-01', 'deposit', 1_000_000);
    await book(t.db, '2025-01', 'lend', 860_000);
    expect(await flex('2025-01')).toMatchObject({
      loanRatioPct: '86.00',
      usageRatioPct: '86.00',
      netFlow: '140000.00',
      // 140,000 in the bank − 5 % of 1,000,000 deposited
      capacity: '90000.00',
      indicatedLevel: 'normal',
      alertLevel: 'normal',
      change: 'held',
    });
  });

  it('level 1 only after three months of money flowing out above 85 %', async () => {
    await book(t.db, '2025-02', 'withdraw', 10_000);
    expect(await flex('2025-02')).toMatchObject({ loanRatioPct: '86.87', alertLevel: 'normal' });
    await book(t.db, '2025-03', 'withdraw', 10_000);
    expect(await flex('2025-03')).toMatchObject({ alertLevel: 'normal' });
    await book(t.db, '2025-04', 'withdraw', 10_000);
    expect(await flex('2025-04')).toMatchObject({
      loanRatioPct: '88.66',
      indicatedLevel: 'level1',
      previousLevel: 'normal',
      alertLevel: 'level1',
      change: 'raised',
    });
  });

  it('past 95 % the level rises at once to 3; the quota reads it from the next day on', async () => {
    await book(t.db, '2025-05', 'deposit', 30_000);
    await book(t.db, '2025-05', 'lend', 90_000);
    expect(await flex('2025-05')).toMatchObject({
      loanRatioPct: '95.00',
      alertLevel: 'level3',
      change: 'raised',
    });
    expect(await poolAlertLevel(t.db, '2025-05-31')).toBe('level1');
    expect(await poolAlertLevel(t.db, '2025-06-01')).toBe('level3');
  });

  it('below 85 % again, the level holds for three months, then steps down one band', async () => {
    for (const month of ['2025-06', '2025-07']) {
      await book(t.db, month, 'repay', 60_000);
      expect(await flex(month)).toMatchObject({
        indicatedLevel: 'normal',
        alertLevel: 'level3',
        change: 'held',
      });
    }
    await book(t.db, '2025-08', 'repay', 60_000);
    expect(await flex('2025-08')).toMatchObject({
      loanRatioPct: '77.00',
      alertLevel: 'level2',
      previousLevel: 'level3',
      change: 'stepped_down',
    });
    expect(await poolAlertLevel(t.db, '2025-09-05')).toBe('level2');
    const changes = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'pool.alert_level')
      .where('subject_id', '=', 'FLEX')
      .orderBy('id')
      .execute();
    expect(changes.map((c) => (c.summary as { alertLevel: string }).alertLevel)).toEqual([
      'level1',
      'level3',
      'level2',
    ]);
    expect(changes[2]!.summary).toMatchObject({
      why: { zh: '连续 3 个月低于三级预警，降一级至二级预警' },
      loanRatioPct: '77.00',
    });
  });

  it('computing a month again rewrites the same row and records nothing new', async () => {
    const before = await rowCounts(t.db);
    const again = await flex('2025-08');
    expect(again).toMatchObject({ alertLevel: 'level2', change: 'stepped_down' });
    // A month long past: its balances are the books' at its end, whatever was posted since.
    expect(await flex('2025-01')).toMatchObject({
      loanRatioPct: '86.00',
      netFlow: '140000.00',
      alertLevel: 'normal',
    });
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('the other pool has its own figures: nothing deposited, no ratio, normal', async () => {
    const mandatory = (await close('2025-08')).find((p) => p.book === 'MANDATORY')!;
    expect(mandatory).toMatchObject({ loanRatioPct: null, alertLevel: 'normal' });
  });
});
