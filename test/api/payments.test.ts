// Paying through the portal over HTTP (app.inject): the payment order, the simulated bank page, the signed
// notification endpoint, and the reconciliation routes for finance (rules.md §3.2, §7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp, type TestDepositor } from './test-app.ts';
import { openedDepositor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { bankSecretFromEnv, signBankMessage } from '../../src/integrations/bank/signing.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

const TODAY = '2025-03-03';
let t: TestApp;
let teller: string;
let finance: string;
let depositorToken: string;
let accountId: string;
let otherAccountId: string;
let me: TestDepositor;

async function portalDepositor(n: number): Promise<{ depositor: TestDepositor; accountId: string }> {
  const idNumber = personId('1991-04-04', 'female', 700 + n);
  const { person, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(person.depositorId))
    .execute();
  return {
    depositor: { id: BigInt(person.depositorId), idNumber, password: TEST_PASSWORD, phone: '13800138000' },
    accountId: account.accountId,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, TODAY, { type: 'system', id: 'test' });
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'finance1', roles: ['finance'] });
  teller = await t.loginStaff('teller1');
  finance = await t.loginStaff('finance1');
  const mine = await portalDepositor(1);
  me = mine.depositor;
  accountId = mine.accountId;
  depositorToken = await t.loginDepositor(me);
  otherAccountId = (await portalDepositor(2)).accountId;
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

let keys = 0;
const createOrder = (token: string, payload: Record<string, unknown>) =>
  t.inject({
    method: 'POST',
    url: '/api/v1/payment-orders',
    headers: bearer(token),
    payload: { idempotencyKey: `api-order-${++keys}`, ...payload },
  });

function signedNotification(body: Record<string, unknown>) {
  const payload = JSON.stringify(body);
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      'x-bank-signature': signBankMessage(payload, bankSecretFromEnv()),
    },
  };
}

describe('a depositor pays on the portal', () => {
  it('creates the order, pays on the bank page, and sees it credited', async () => {
    const created = await createOrder(depositorToken, { accountId, amount: '520.00' });
    expect(created.statusCode).toBe(201);
    const order = created.json() as {
      orderId: string;
      orderNo: string;
      payUrl: string;
      status: string;
      amount: string;
    };
    expect(order).toMatchObject({ status: 'open', amount: '520.00' });
    expect(t.app.deps.bank).toBeInstanceOf(InProcessBank);

    const page = await t.inject({ method: 'GET', url: order.payUrl });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('520.00');
    expect(page.body).toContain('<form method="post">');

    const paid = await t.inject({
      method: 'POST',
      url: order.payUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toContain('已入账');

    const after = await t.inject({
      method: 'GET',
      url: `/api/v1/payment-orders/${order.orderId}`,
      headers: bearer(depositorToken),
    });
    expect(after.json()).toMatchObject({ status: 'paid', depositId: expect.any(String) });
    const account = await t.db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow();
    expect(account.balance_fen).toBe(52000n);
  });

  it('refuses orders the deposit rules would refuse, and other people’s accounts', async () => {
    const low = await createOrder(depositorToken, { accountId, amount: '100.00' });
    expect(low.statusCode).toBe(422);
    expect(low.json()).toMatchObject({ code: 'DEPOSIT_BELOW_MINIMUM' });
    const high = await createOrder(depositorToken, { accountId, amount: '80000.00' });
    expect(high.json()).toMatchObject({ code: 'DEPOSIT_ABOVE_ANNUAL_ROOM' });
    const notMine = await createOrder(depositorToken, { accountId: otherAccountId, amount: '300.00' });
    expect(notMine.statusCode).toBe(403);
    const count = await t.db
      .selectFrom('payment_orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    // Staff may open an order for a depositor (at the counter, paid on the bank's terminal).
    expect((await createOrder(teller, { accountId: otherAccountId, amount: '300.00' })).statusCode).toBe(201);
  });

  it('shows an open order past its validity as expired', async () => {
    const created = (await createOrder(depositorToken, { accountId, amount: '300.00' })).json() as {
      orderId: string;
    };
    t.clock.advance(31 * 60_000);
    // The session timed out too: log in again.
    depositorToken = await t.loginDepositor(me);
    teller = await t.loginStaff('teller1');
    finance = await t.loginStaff('finance1');
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/payment-orders/${created.orderId}`,
      headers: bearer(depositorToken),
    });
    expect(view.json()).toMatchObject({ status: 'expired' });
    const other = await t.inject({
      method: 'GET',
      url: `/api/v1/payment-orders/${created.orderId}`,
      headers: bearer(await t.loginDepositor((await portalDepositor(3)).depositor)),
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('the notification endpoint', () => {
  it('is public, authenticated by the signature over the raw body', async () => {
    const order = (await createOrder(depositorToken, { accountId, amount: '250.00' })).json() as {
      orderNo: string;
      orderId: string;
    };
    const body = {
      serial: 'API-SERIAL-1',
      kind: 'credit',
      orderNo: order.orderNo,
      amount: '250.00',
      valueDate: TODAY,
      status: 'success',
    };
    const forged = await t.inject({
      method: 'POST',
      url: '/api/v1/bank/notifications',
      headers: {
        'content-type': 'application/json',
        'x-bank-signature': signBankMessage(JSON.stringify(body), 'guess'),
      },
      payload: JSON.stringify(body),
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ code: 'BANK_SIGNATURE_INVALID' });

    // Whitespace matters: the signature covers the exact bytes.
    const exact = signedNotification(body);
    const reformatted = await t.inject({
      method: 'POST',
      url: '/api/v1/bank/notifications',
      headers: exact.headers,
      payload: JSON.stringify(body, null, 2),
    });
    expect(reformatted.statusCode).toBe(401);

    const ok = await t.inject({ method: 'POST', url: '/api/v1/bank/notifications', ...exact });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ serial: 'API-SERIAL-1', outcome: 'credited', replayed: false });
    // A repeat (here with a charset in the content type) answers with the first outcome.
    const again = await t.inject({
      method: 'POST',
      url: '/api/v1/bank/notifications',
      payload: exact.payload,
      headers: { ...exact.headers, 'content-type': 'application/json; charset=utf-8' },
    });
    expect(again.json()).toMatchObject({
      outcome: 'credited',
      replayed: true,
      depositId: ok.json().depositId,
    });

    const malformed = await t.inject({
      method: 'POST',
      url: '/api/v1/bank/notifications',
      ...signedNotification({ serial: 'X', kind: 'credit' }),
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'BANK_NOTIFICATION_MALFORMED' });

    const openapi = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    const doc = openapi.json() as {
      paths: Record<string, { post?: { description?: string; security?: unknown } }>;
    };
    const endpoint = doc.paths['/api/v1/bank/notifications']!.post!;
    expect(endpoint.description).toContain('authenticated by its signature');
    expect(endpoint.description).toContain('Access: public');
    expect(endpoint.security).toBeUndefined();
  });
});

describe('reconciliation over HTTP', () => {
  it('imports the statement, lists suspense, resolves it, and reports the day (finance only)', async () => {
    const bank = t.app.deps.bank as InProcessBank;
    const stray = await bank.transferIn({
      amountFen: 66600n,
      valueDate: TODAY,
      counterparty: '某公司',
      memo: '代缴',
    });
    const content = Buffer.from(bank.statementCsv(TODAY)).toString('base64');
    const denied = await t.inject({
      method: 'POST',
      url: '/api/v1/reconciliation/statements',
      headers: bearer(teller),
      payload: { fileName: 's.csv', contentBase64: content },
    });
    expect(denied.statusCode).toBe(403);

    const imported = await t.inject({
      method: 'POST',
      url: '/api/v1/reconciliation/statements',
      headers: bearer(finance),
      payload: { fileName: 's.csv', contentBase64: content },
    });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({
      matched: { count: 1, amount: '520.00' },
      suspense: { count: 1, amount: '666.00' },
    });
    const replay = await t.inject({
      method: 'POST',
      url: '/api/v1/reconciliation/statements',
      headers: bearer(finance),
      payload: { fileName: 's.csv', contentBase64: content },
    });
    expect(replay.statusCode).toBe(200);

    const list = await t.inject({
      method: 'GET',
      url: '/api/v1/reconciliation/suspense',
      headers: bearer(finance),
    });
    const [item] = (list.json() as { items: Array<{ itemId: string; bankSerial: string; amount: string }> })
      .items;
    expect(item).toMatchObject({ bankSerial: stray.serial, amount: '666.00' });

    const resolved = await t.inject({
      method: 'POST',
      url: `/api/v1/reconciliation/suspense/${item!.itemId}/resolve`,
      headers: bearer(finance),
      payload: { action: 'assign', accountId: otherAccountId, note: '代缴单位来电确认' },
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ item: { status: 'assigned' }, deposit: { amount: '666.00' } });

    const report = await t.inject({
      method: 'GET',
      url: `/api/v1/reconciliation/report?date=${TODAY}`,
      headers: bearer(finance),
    });
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({
      matched: { count: 1, amount: '520.00' },
      bankLinesWithoutDeposit: { count: 1, amount: '666.00' },
      suspense: { opening: '0.00', added: '666.00', assigned: '666.00', closing: '0.00' },
    });
  });
});
