// Standing monthly rent orders (rules.md §5.1 按月提取): paid by the business-day close, set-based, each
// order its own withdrawal, entry and payout, within the calendar-year cap and the balance; orders that
// cannot be paid are recorded with the reason. The books balance after the close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { manager, openedDepositor, startCenter, teller } from '../support/services.ts';
import { wiredBank } from '../support/bank.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { createRentOrder } from '../../src/services/withdrawals/create-rent-order.ts';
import { requestRentWithdrawal } from '../../src/services/withdrawals/request-rent-withdrawal.ts';
import { payRentOrders } from '../../src/services/withdrawals/pay-rent-orders.ts';
import { handlePayoutNotification } from '../../src/services/payouts/handle-payout-notification.ts';
import { closeDays } from '../../src/jobs/close-day.ts';
import { InProcessHousingRegistry } from '../../src/integrations/housing/registry.ts';

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
const nextKey = () => `ro-key-${++key}`;
const registry = new InProcessHousingRegistry();
const system = { type: 'system' as const, id: 'test' };

async function eligibleAccount(amount = '3000.00'): Promise<string> {
  const { account } = await openedDepositor(t.db, {}, 'flexible');
  for (const valueDate of [
    '2024-09-10',
    '2024-10-10',
    '2024-11-10',
    '2024-12-10',
    '2025-01-10',
    '2025-02-10',
  ]) {
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: account.accountId,
      amount,
      valueDate,
      idempotencyKey: nextKey(),
    });
  }
  return account.accountId;
}

const lease = {
  landlordName: '李房东',
  leaseAddress: '包头市昆都仑区钢铁大街 1 号',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-12-31',
  monthlyRent: '1500.00',
  contractNo: 'ZL-2025-77',
};

const order = (accountId: string, monthlyAmount: string, payDay = 5) =>
  createRentOrder({
    db: t.db,
    actor: teller,
    accountId,
    monthlyAmount,
    payDay,
    declaredNoHousing: true,
    lease,
    idempotencyKey: nextKey(),
    housingRegistry: registry,
  });

describe('standing monthly rent orders', () => {
  it('are refused for ineligible accounts, writing nothing', async () => {
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    await expectRefusedWithoutWrites(
      t.db,
      () => order(account.accountId, '1000.00'),
      'WITHDRAWAL_TOO_FEW_MONTHS',
      expect,
    );
  });

  it('pays each due order in the close within the cap and the balance, each with its own withdrawal and payout', async () => {
    const normal = await eligibleAccount();
    const nearCap = await eligibleAccount();
    const frozen = await eligibleAccount();
    const poor = await eligibleAccount('200.00');
    // nearCap already used 13,500.00 of the 14,000.00 cap this year.
    await requestRentWithdrawal({
      db: t.db,
      actor: teller,
      accountId: nearCap,
      amount: '13500.00',
      idempotencyKey: nextKey(),
      rent: { declaredNoHousing: true, lease },
      housingRegistry: registry,
    });
    const orders = [
      await order(normal, '1500.00'),
      await order(nearCap, '1500.00'),
      await order(frozen, '1500.00'),
      await order(poor, '1500.00'),
    ];
    expect(orders[0]).toMatchObject({ nextDueDate: '2025-03-05', replayed: false });
    await expect(order(normal, '1000.00')).rejects.toMatchObject({ code: 'RENT_ORDER_EXISTS' });
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: frozen,
      action: 'freeze',
      reason: '冻结',
      documentNo: 'D-1',
    });

    const bank = wiredBank(t.db);
    bank.setPayoutNotifier((rawBody, signature) => handlePayoutNotification(t.db, { rawBody, signature }));
    const closed = await closeDays({ db: t.db, bank, actor: system, to: '2025-03-06' });
    const step = closed.find((d) => d.date === '2025-03-05')!.steps.find((s) => s.step === 'rent-orders')!;
    expect(step.summary).toMatchObject({
      due: 4,
      paid: 3,
      amount: '3200.00',
      skipped: { account_not_open: 1 },
    });
    const paid = await t.db
      .selectFrom('withdrawals as w')
      .innerJoin('payouts as p', 'p.withdrawal_id', 'w.id')
      .select([
        'w.account_id',
        'w.amount_fen',
        'w.status',
        'w.channel',
        'w.due_date',
        'p.status as payout_status',
      ])
      .where('w.channel', '=', 'standing_order')
      .orderBy('w.account_id')
      .execute();
    expect(
      paid.map((p) => [String(p.account_id), p.amount_fen, p.status, p.payout_status, p.due_date]),
    ).toEqual([
      [normal, 150000n, 'paid', 'confirmed', '2025-03-05'],
      [nearCap, 50000n, 'paid', 'confirmed', '2025-03-05'],
      [poor, 120000n, 'paid', 'confirmed', '2025-03-05'],
    ]);
    const balances = await t.db
      .selectFrom('accounts')
      .select(['id', 'balance_fen'])
      .where('id', 'in', [BigInt(normal), BigInt(poor)])
      .orderBy('id')
      .execute();
    expect(balances.map((b) => b.balance_fen)).toEqual([1800000n - 150000n, 0n]);
    // A rerun of the step on the same date pays nothing twice.
    expect(await payRentOrders({ db: t.db, date: '2025-03-05', actor: system })).toMatchObject({
      due: 0,
      paid: 0,
    });
    const next = await t.db
      .selectFrom('rent_orders')
      .select(['account_id', 'next_due_date'])
      .where('account_id', '=', BigInt(normal))
      .executeTakeFirstOrThrow();
    expect(next.next_due_date).toBe('2025-04-05');
    expect((await verifyBooks(t.db)).ok).toBe(true);

    // A month later: nearCap has reached the cap, poor has no balance left.
    const april = await closeDays({ db: t.db, bank, actor: system, to: '2025-04-06' });
    const aprilStep = april
      .find((d) => d.date === '2025-04-05')!
      .steps.find((s) => s.step === 'rent-orders')!;
    expect(aprilStep.summary).toMatchObject({
      due: 4,
      paid: 1,
      skipped: { cap_reached: 1, no_balance: 1, account_not_open: 1 },
    });
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });
});
