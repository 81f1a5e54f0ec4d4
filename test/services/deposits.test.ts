// Counter deposits (rules.md §3): limits, allocation to months, covered months, idempotency, concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, openedDepositor, startCenter, teller } from '../support/services.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { consecutiveCoveredMonths } from '../../src/services/deposits/credit-deposit.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, '2025-03-03');
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

let key = 0;
const deposit = (
  accountId: string,
  amount: string,
  extra: Partial<Parameters<typeof recordCounterDeposit>[0]> = {},
) =>
  recordCounterDeposit({ db: t.db, actor: teller, accountId, amount, idempotencyKey: `k${++key}`, ...extra });

async function balanceOf(accountId: string): Promise<bigint> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', BigInt(accountId))
    .executeTakeFirstOrThrow();
  return row.balance_fen;
}

describe('a flexible deposit at the counter', () => {
  it('credits the account, covers the month of payment and posts Dr 101 / Cr 201', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    const credited = await deposit(account.accountId, '300.00');
    expect(credited.months).toEqual(['2025-03']);
    expect(await balanceOf(account.accountId)).toBe(30000n);
    const month = await t.db
      .selectFrom('account_months')
      .selectAll()
      .where('account_id', '=', BigInt(account.accountId))
      .executeTakeFirstOrThrow();
    expect(month).toMatchObject({ month: '2025-03-01', allocated_fen: 30000n, covered: true });
    const postings = await t.db
      .selectFrom('postings')
      .select(['account_code', 'side', 'amount_fen'])
      .where('entry_id', '=', BigInt(credited.journalEntryId))
      .orderBy('id')
      .execute();
    expect(postings).toEqual([
      { account_code: '101', side: 'D', amount_fen: 30000n },
      { account_code: '201', side: 'C', amount_fen: 30000n },
    ]);
  });

  it('counts consecutive covered months back from the latest completed month (rules.md §3.3)', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    await deposit(account.accountId, '198.00');
    await advanceBusinessDate(t.db, '2025-04-10', { type: 'system', id: 'test' });
    await deposit(account.accountId, '250.00');
    await advanceBusinessDate(t.db, '2025-05-02', { type: 'system', id: 'test' });
    expect(await consecutiveCoveredMonths(t.db, BigInt(account.accountId), '2025-04')).toBe(2);
    expect(await consecutiveCoveredMonths(t.db, BigInt(account.accountId), '2025-05')).toBe(0);
  });

  it('refuses bad amounts and closed doors, writing nothing', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(account.accountId, '197.99'),
      'DEPOSIT_BELOW_MINIMUM',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(account.accountId, '100.005'),
      'INVALID_AMOUNT',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(account.accountId, '0.00'),
      'AMOUNT_NOT_POSITIVE',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(account.accountId, '-5.00'),
      'AMOUNT_NOT_POSITIVE',
      expect,
    );
    // 12 × 6,574.00 = 78,888.00 a year at most (rules.md §3.2 flexible).
    await deposit(account.accountId, '78000.00');
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(account.accountId, '888.01'),
      'DEPOSIT_ABOVE_ANNUAL_ROOM',
      expect,
    );
    await deposit(account.accountId, '888.00');
    const frozen = await openedDepositor(t.db, {}, 'flexible');
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: frozen.account.accountId,
      action: 'freeze',
      reason: '司法冻结',
      documentNo: '(2025)蒙02执1号',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => deposit(frozen.account.accountId, '500.00'),
      'DEPOSIT_ACCOUNT_NOT_OPEN',
      expect,
    );
  });

  it('credits a retried request once and refuses the key with another amount', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    const first = await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: account.accountId,
      amount: '400.00',
      idempotencyKey: 'same',
    });
    const again = await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: account.accountId,
      amount: '400.00',
      idempotencyKey: 'same',
    });
    expect(again.depositId).toBe(first.depositId);
    expect(again.replayed).toBe(true);
    expect(await balanceOf(account.accountId)).toBe(40000n);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        recordCounterDeposit({
          db: t.db,
          actor: teller,
          accountId: account.accountId,
          amount: '500.00',
          idempotencyKey: 'same',
        }),
      'IDEMPOTENCY_KEY_REUSED',
      expect,
    );
  });

  it('ends many concurrent deposits to one account with the exact sum', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    const amounts = Array.from({ length: 24 }, (_, i) => `${200 + i}.${String(i).padStart(2, '0')}`);
    const results = await Promise.allSettled(amounts.map((a) => deposit(account.accountId, a)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const expected = amounts.reduce((s, a) => s + BigInt(a.replace('.', '')), 0n);
    expect(await balanceOf(account.accountId)).toBe(expected);
    const books = await verifyBooks(t.db);
    expect(books.ok).toBe(true);
  });
});
