// Standing rent orders and payouts over HTTP (rules.md §5.1): an account's orders listed with what the
// close paid, stopping an order (owner or teller, audited, nothing paid after), the finance payout list
// with its filters and pages, and a bank return (退票) putting the money back on the account. Refusals are
// coded and write nothing; the wrong role gets 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { rowCounts } from '../support/snapshot.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { payRentOrders } from '../../src/services/withdrawals/pay-rent-orders.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';

let t: TestApp;
let teller: string;
let reviewer: string;
let finance: string;
let manager: string;
let viewerElsewhere: string;
let key = 0;
const nextKey = () => `api-ro-${++key}`;
const system = { type: 'system' as const, id: 'test' };

interface RentOrderItem {
  rentOrderId: string;
  status: string;
  monthlyAmount: string;
  nextDueDate: string | null;
  endedOn: string | null;
  endedReason: string | null;
  paidMonths: number;
  paidTotal: string;
  lastPaid: { dueDate: string; amount: string; withdrawalId: string } | null;
}

interface PayoutItem {
  payoutId: string;
  withdrawalId: string;
  kind: string;
  accountNumber: string;
  name: string;
  amount: string;
  bankCard: string;
  status: string;
  returnable: boolean;
  returnSerial: string | null;
  returnReason: string | null;
  returnedOn: string | null;
}

async function depositor(n: number) {
  const idNumber = personId('1992-04-04', 'male', 500 + n);
  const { person, account } = await openedDepositor(t.db, { idNumber, name: `按月${n}` }, 'flexible');
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(person.depositorId))
    .execute();
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
      actor: system,
      accountId: account.accountId,
      amount: '2000.00',
      valueDate,
      idempotencyKey: nextKey(),
    });
  }
  const token = await t.loginDepositor({
    id: BigInt(person.depositorId),
    idNumber,
    password: TEST_PASSWORD,
    phone: '',
  });
  return { accountId: account.accountId, accountNumber: account.accountNumber, token };
}

const lease = {
  landlordName: '钱房东',
  leaseAddress: '包头市青山区文化路 8 号',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-12-31',
  monthlyRent: '1500.00',
  contractNo: 'API-RO-1',
};

const post = (token: string | null, url: string, payload: Record<string, unknown>) =>
  t.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: token ? bearer(token) : {},
    payload,
  });
const get = (token: string | null, url: string) =>
  t.inject({ method: 'GET', url: `/api/v1${url}`, headers: token ? bearer(token) : {} });
const idle = () => (t.app.deps.bank as InProcessBank).idle();

async function balanceOf(accountId: string): Promise<string> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', BigInt(accountId))
    .executeTakeFirstOrThrow();
  return (Number(row.balance_fen) / 100).toFixed(2);
}

/** Sends the request and checks the coded refusal and that no table (nor the order's row) changed. */
async function refusedWithoutWrites(
  send: () => Promise<{ statusCode: number; json(): unknown }>,
  status: number,
  code: string,
) {
  const before = await rowCounts(t.db);
  const orders = await t.db.selectFrom('rent_orders').selectAll().orderBy('id').execute();
  const res = await send();
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ code });
  expect((res.json() as { message_zh: string }).message_zh).toBeTruthy();
  expect(await rowCounts(t.db)).toEqual(before);
  expect(await t.db.selectFrom('rent_orders').selectAll().orderBy('id').execute()).toEqual(orders);
  return res.json() as { code: string; field?: string };
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', system);
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'reviewer1', roles: ['reviewer'] });
  await t.createStaff({ username: 'finance1', roles: ['finance'] });
  await t.createStaff({ username: 'manager1', roles: ['manager'] });
  await t.createStaff({ username: 'viewer9', roles: ['district_viewer'], districtCode: '150207' });
  teller = await t.loginStaff('teller1');
  reviewer = await t.loginStaff('reviewer1');
  finance = await t.loginStaff('finance1');
  manager = await t.loginStaff('manager1');
  viewerElsewhere = await t.loginStaff('viewer9');
  (t.app.deps.bank as InProcessBank).setPayoutNotifier(async (rawBody, signature) => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/bank/payout-notifications',
      headers: { 'content-type': 'application/json', 'x-bank-signature': signature },
      payload: rawBody,
    });
    if (res.statusCode !== 200) throw new Error(`payout notification refused: ${res.body}`);
  });
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

let holder: Awaited<ReturnType<typeof depositor>>;
let stranger: Awaited<ReturnType<typeof depositor>>;
let orderId: string;
let rentPayoutId: string;

describe('standing rent orders', () => {
  it('lists the orders of an account for staff and its owner only', async () => {
    holder = await depositor(1);
    stranger = await depositor(2);
    const empty = await get(teller, `/accounts/${holder.accountId}/rent-orders`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ accountId: holder.accountId, items: [] });

    const made = await post(teller, `/accounts/${holder.accountId}/rent-orders`, {
      monthlyAmount: '1000.00',
      payDay: 10,
      idempotencyKey: nextKey(),
      declaredNoHousing: true,
      lease,
    });
    expect(made.statusCode).toBe(201);
    orderId = made.json().rentOrderId as string;

    const list = await get(teller, `/accounts/${holder.accountId}/rent-orders`);
    expect(list.statusCode).toBe(200);
    const [item] = list.json().items as RentOrderItem[];
    expect(item).toMatchObject({
      rentOrderId: orderId,
      status: 'active',
      monthlyAmount: '1000.00',
      payDay: 10,
      nextDueDate: '2025-03-10',
      leaseEnd: '2025-12-31',
      contractNo: 'API-RO-1',
      createdBy: 'staff:teller1',
      paidMonths: 0,
      paidTotal: '0.00',
      lastPaid: null,
      lastUnpaid: null,
      endedOn: null,
    });
    expect((await get(holder.token, `/accounts/${holder.accountId}/rent-orders`)).statusCode).toBe(200);
    expect((await get(stranger.token, `/accounts/${holder.accountId}/rent-orders`)).json().code).toBe(
      'FORBIDDEN',
    );
    expect((await get(viewerElsewhere, `/accounts/${holder.accountId}/rent-orders`)).statusCode).toBe(403);
    expect((await get(null, `/accounts/${holder.accountId}/rent-orders`)).statusCode).toBe(401);
    expect((await get(teller, '/accounts/999999/rent-orders')).json().code).toBe('ACCOUNT_NOT_FOUND');
    expect((await get(teller, '/accounts/abc/rent-orders')).statusCode).toBe(400);
  });

  it('shows the month the close paid and the next due date', async () => {
    await advanceBusinessDate(t.db, '2025-03-10', system);
    const paid = await payRentOrders({ db: t.db, date: '2025-03-10', actor: system });
    expect(paid).toMatchObject({ paid: 1, amount: '1000.00' });
    const [item] = (await get(teller, `/accounts/${holder.accountId}/rent-orders`)).json()
      .items as RentOrderItem[];
    expect(item).toMatchObject({
      status: 'active',
      nextDueDate: '2025-04-10',
      paidMonths: 1,
      paidTotal: '1000.00',
      lastPaid: { dueDate: '2025-03-10', amount: '1000.00' },
    });
    const payout = await t.db
      .selectFrom('payouts')
      .select(['id', 'status'])
      .where('withdrawal_id', '=', BigInt(item!.lastPaid!.withdrawalId))
      .executeTakeFirstOrThrow();
    // The close's payout-dispatch step has not run: the payout waits to be sent.
    expect(payout.status).toBe('pending');
    rentPayoutId = String(payout.id);
  });

  it('refuses a bad stop request, the wrong caller and an unknown order with coded errors, writing nothing', async () => {
    const url = `/rent-orders/${orderId}/cancel`;
    expect(
      await refusedWithoutWrites(() => post(teller, url, { reason: '' }), 400, 'VALIDATION_FAILED'),
    ).toMatchObject({ field: 'reason' });
    expect(
      await refusedWithoutWrites(() => post(teller, url, { reason: '   ' }), 400, 'VALIDATION_FAILED'),
    ).toMatchObject({ field: 'reason' });
    await refusedWithoutWrites(() => post(teller, url, {}), 400, 'VALIDATION_FAILED');
    expect(
      await refusedWithoutWrites(
        () => post(teller, url, { reason: 'x'.repeat(201) }),
        400,
        'VALIDATION_FAILED',
      ),
    ).toMatchObject({ field: 'reason' });
    await refusedWithoutWrites(() => post(reviewer, url, { reason: '不租了' }), 403, 'FORBIDDEN');
    await refusedWithoutWrites(() => post(finance, url, { reason: '不租了' }), 403, 'FORBIDDEN');
    await refusedWithoutWrites(() => post(stranger.token, url, { reason: '不租了' }), 403, 'FORBIDDEN');
    await refusedWithoutWrites(() => post(null, url, { reason: '不租了' }), 401, 'UNAUTHENTICATED');
    await refusedWithoutWrites(
      () => post(teller, '/rent-orders/999999/cancel', { reason: '不租了' }),
      404,
      'RENT_ORDER_NOT_FOUND',
    );
  });

  it('lets the owner stop the order: audited, refused a second time, nothing paid after', async () => {
    const stopped = await post(holder.token, `/rent-orders/${orderId}/cancel`, { reason: '已退租' });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toEqual({
      rentOrderId: orderId,
      accountId: holder.accountId,
      status: 'ended',
      endedOn: '2025-03-10',
      endedReason: 'cancelled',
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'rent_order.cancel')
      .where('subject_id', '=', orderId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^depositor:/);
    expect(audit[0]!.summary).toMatchObject({ reason: '已退租', unpaidDueDate: '2025-04-10' });

    await refusedWithoutWrites(
      () => post(teller, `/rent-orders/${orderId}/cancel`, { reason: '再次' }),
      409,
      'RENT_ORDER_NOT_ACTIVE',
    );
    const [item] = (await get(teller, `/accounts/${holder.accountId}/rent-orders`)).json()
      .items as RentOrderItem[];
    expect(item).toMatchObject({
      status: 'ended',
      nextDueDate: null,
      endedReason: 'cancelled',
      paidMonths: 1,
    });

    // A stopped order leaves room for a new one; a teller stops that one.
    const again = await post(teller, `/accounts/${holder.accountId}/rent-orders`, {
      monthlyAmount: '800.00',
      payDay: 20,
      idempotencyKey: nextKey(),
      declaredNoHousing: true,
      lease: { ...lease, contractNo: 'API-RO-2' },
    });
    expect(again.statusCode).toBe(201);
    const byTeller = await post(teller, `/rent-orders/${again.json().rentOrderId}/cancel`, {
      reason: '缴存人来柜台申请停止',
    });
    expect(byTeller.statusCode).toBe(200);
    const items = (await get(teller, `/accounts/${holder.accountId}/rent-orders`)).json()
      .items as RentOrderItem[];
    expect(items.map((i) => i.status)).toEqual(['ended', 'ended']);
  });
});

describe('the payout list and bank returns', () => {
  it('lists payouts for finance and managers with filters and pages', async () => {
    const free = await post(stranger.token, `/accounts/${stranger.accountId}/withdrawals/free`, {
      amount: '700.00',
      idempotencyKey: nextKey(),
    });
    expect(free.statusCode).toBe(201);
    await idle();

    const all = await get(finance, '/payouts');
    expect(all.statusCode).toBe(200);
    const body = all.json() as { items: PayoutItem[]; total: number; hasMore: boolean };
    expect(body.total).toBe(2);
    expect(body.hasMore).toBe(false);
    expect(body.items[0]).toMatchObject({
      withdrawalId: free.json().withdrawalId,
      kind: 'free',
      accountNumber: stranger.accountNumber,
      name: '按月2',
      amount: '700.00',
      status: 'confirmed',
      returnable: true,
      returnSerial: null,
    });
    expect(body.items[0]!.bankCard).toContain('****');
    expect(body.items[1]).toMatchObject({
      payoutId: rentPayoutId,
      kind: 'rent',
      status: 'pending',
      returnable: false,
    });

    const page = (await get(manager, '/payouts?limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 2, hasMore: false });
    expect(page.items.map((i: PayoutItem) => i.payoutId)).toEqual([rentPayoutId]);
    expect((await get(finance, '/payouts?limit=1')).json()).toMatchObject({ total: 2, hasMore: true });
    expect((await get(finance, '/payouts?offset=10')).json()).toMatchObject({ items: [], total: 2 });
    expect((await get(finance, '/payouts?status=pending')).json().items).toHaveLength(1);
    expect((await get(finance, '/payouts?kind=free')).json().items).toHaveLength(1);
    expect(
      (await get(finance, `/payouts?accountNumber=${holder.accountNumber}`)).json().items[0].payoutId,
    ).toBe(rentPayoutId);
    expect((await get(finance, '/payouts?from=2025-03-10&to=2025-03-10')).json().total).toBe(2);
    expect((await get(finance, '/payouts?to=2025-03-09')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('refuses bad filters with a coded error and other callers with 403', async () => {
    const bad = await get(finance, '/payouts?status=paid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
    expect((await get(finance, '/payouts?from=2025-13')).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'from',
    });
    expect((await get(finance, '/payouts?limit=0')).statusCode).toBe(400);
    expect((await get(finance, '/payouts?kind=loan')).json()).toMatchObject({ field: 'kind' });
    expect((await get(finance, '/payouts?from=2025-05-01&to=2025-04-01')).json()).toMatchObject({
      code: 'INVALID_DATE',
      field: 'to',
    });
    for (const token of [teller, reviewer, viewerElsewhere, holder.token]) {
      const res = await get(token, '/payouts');
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    expect((await get(null, '/payouts')).statusCode).toBe(401);
  });

  it('records a return only on a payout the bank has, writing nothing when refused', async () => {
    await refusedWithoutWrites(
      () => post(finance, `/payouts/${rentPayoutId}/return`, { bankSerial: 'RT-RO-1', reason: '户名不符' }),
      409,
      'PAYOUT_NOT_RETURNABLE',
    );
    const confirmed = (await get(finance, '/payouts?status=confirmed')).json().items[0] as PayoutItem;
    await refusedWithoutWrites(
      () => post(finance, `/payouts/${confirmed.payoutId}/return`, { bankSerial: '  ', reason: '户名不符' }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutWrites(
      () => post(finance, `/payouts/${confirmed.payoutId}/return`, { bankSerial: 'RT-RO-2', reason: ' ' }),
      400,
      'WITHDRAWAL_REASON_REQUIRED',
    );
    await refusedWithoutWrites(
      () =>
        post(teller, `/payouts/${confirmed.payoutId}/return`, { bankSerial: 'RT-RO-2', reason: '卡已注销' }),
      403,
      'FORBIDDEN',
    );
    await refusedWithoutWrites(
      () => post(finance, '/payouts/999999/return', { bankSerial: 'RT-RO-2', reason: '卡已注销' }),
      404,
      'PAYOUT_NOT_FOUND',
    );

    const before = await balanceOf(stranger.accountId);
    const returned = await post(finance, `/payouts/${confirmed.payoutId}/return`, {
      bankSerial: 'RT-RO-2',
      reason: '卡已注销',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toEqual({ payoutId: confirmed.payoutId, outcome: 'returned' });
    expect(await balanceOf(stranger.accountId)).toBe((Number(before) + 700).toFixed(2));
    const listed = (await get(finance, '/payouts?status=returned')).json().items as PayoutItem[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      payoutId: confirmed.payoutId,
      status: 'returned',
      returnable: false,
      returnSerial: 'RT-RO-2',
      returnReason: '卡已注销',
      returnedOn: '2025-03-10',
    });
  });
});

describe('the close after the orders were stopped', () => {
  it('pays nothing for a stopped order', async () => {
    await advanceBusinessDate(t.db, '2025-04-10', system);
    expect(await payRentOrders({ db: t.db, date: '2025-04-10', actor: system })).toMatchObject({
      due: 0,
      paid: 0,
    });
    const [latest] = (await get(teller, `/accounts/${holder.accountId}/rent-orders`)).json()
      .items as RentOrderItem[];
    expect(latest).toMatchObject({ status: 'ended', paidMonths: 0, endedOn: '2025-03-10' });
  });
});
