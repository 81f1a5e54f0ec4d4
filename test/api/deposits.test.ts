// Counter deposits, the deposit picture and the business-day close over HTTP (app.inject), and the public
// interest and subsidy calculators (rules.md §3, §4): who may call each, the coded refusals, nothing
// written on a refusal, a retried request answered with the first result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

let t: TestApp;
let teller: string;
let manager: string;
let mine: { accountId: string; token: string };
let otherAccountId: string;

async function depositor(n: number) {
  const idNumber = personId('1990-02-02', 'male', 800 + n);
  const { person, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(person.depositorId))
    .execute();
  return { accountId: account.accountId, depositorId: BigInt(person.depositorId), idNumber };
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'manager1', roles: ['manager'] });
  teller = await t.loginStaff('teller1');
  manager = await t.loginStaff('manager1');
  const a = await depositor(1);
  const token = await t.loginDepositor({
    id: a.depositorId,
    idNumber: a.idNumber,
    password: TEST_PASSWORD,
    phone: '',
  });
  mine = { accountId: a.accountId, token };
  otherAccountId = (await depositor(2)).accountId;
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

const deposit = (token: string, accountId: string, payload: Record<string, unknown>) =>
  t.inject({
    method: 'POST',
    url: `/api/v1/accounts/${accountId}/deposits`,
    headers: bearer(token),
    payload,
  });

describe('counter deposits', () => {
  it('credits once per idempotency key: the retry gets the first answer', async () => {
    const first = await deposit(teller, mine.accountId, {
      amount: '1200.00',
      idempotencyKey: 'counter-0001',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ amount: '1200.00', months: ['2025-03'], replayed: false });
    const again = await deposit(teller, mine.accountId, {
      amount: '1200.00',
      idempotencyKey: 'counter-0001',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ depositId: first.json().depositId, replayed: true });
    const count = await t.db
      .selectFrom('deposits')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('refuses more than two decimals and zero with the field at fault, writing nothing', async () => {
    for (const amount of ['10.001', '0.00', '-5.00']) {
      const r = await deposit(teller, mine.accountId, { amount, idempotencyKey: `bad-${amount}` });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ field: 'amount' });
      expect(r.json().message_zh).toBeTruthy();
      expect(r.json().message_en).toBeTruthy();
    }
    const count = await t.db
      .selectFrom('deposits')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('is for counter staff only', async () => {
    const r = await deposit(mine.token, mine.accountId, { amount: '100.00', idempotencyKey: 'self-000001' });
    expect(r.statusCode).toBe(403);
  });
});

describe('the deposit picture', () => {
  it('shows a depositor their own covered months and annual room, and refuses another account', async () => {
    const r = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${mine.accountId}/deposit-plan`,
      headers: bearer(mine.token),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ paidThisHpfYear: '1200.00', businessDate: '2025-03-03' });
    expect(r.json().months.map((m: { month: string }) => m.month)).toEqual(['2025-03']);
    const other = await t.inject({
      method: 'GET',
      url: `/api/v1/accounts/${otherAccountId}/deposit-plan`,
      headers: bearer(mine.token),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
  });
});

describe('the business-day close', () => {
  it('is run by a manager, not a teller, and its steps are recorded', async () => {
    const refused = await t.inject({
      method: 'POST',
      url: '/api/v1/close-day',
      headers: bearer(teller),
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    const r = await t.inject({
      method: 'POST',
      url: '/api/v1/close-day',
      headers: bearer(manager),
      payload: { to: '2025-03-05' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().businessDate).toBe('2025-03-05');
    expect(r.json().closed.map((d: { date: string }) => d.date)).toEqual(['2025-03-03', '2025-03-04']);
    const status = await t.inject({
      method: 'GET',
      url: '/api/v1/close-day/2025-03-03',
      headers: bearer(teller),
    });
    expect(status.statusCode).toBe(200);
    expect(JSON.stringify(status.json())).toContain('periodic-debits');
  });
});

describe('public calculators', () => {
  it('computes the interest example of the issue (both ends included, / 360, half-up)', async () => {
    const r = await t.inject({
      method: 'POST',
      url: '/api/v1/calc/interest',
      payload: {
        from: '2024-07-01',
        to: '2025-06-30',
        openingBalance: '10000.00',
        annualRate: '1.5',
        movements: [{ date: '2024-10-01', amount: '2000.00' }],
      },
    });
    expect(r.statusCode).toBe(200);
    // 10,000 × 365 days + 2,000 × 273 days (2024-10-01 … 2025-06-30) = 4,196,000 yuan·days; × 1.5 % / 360.
    expect(r.json()).toEqual({ balanceDays: '4196000.00', interest: '174.83' });
  });

  it('computes the subsidy example and names the field of a bad amount', async () => {
    const ok = await t.inject({
      method: 'POST',
      url: '/api/v1/calc/subsidy',
      payload: {
        closureDate: '2025-09-01',
        annualRate: '0.5',
        deposits: [{ date: '2024-08-01', amount: '1000.00' }],
      },
    });
    expect(ok.statusCode).toBe(200);
    // 1,000 × 0.5 % × 396 days / 360 = 5.50
    expect(ok.json()).toEqual({ subsidy: '5.50', eligible: true });
    const bad = await t.inject({
      method: 'POST',
      url: '/api/v1/calc/subsidy',
      payload: {
        closureDate: '2025-09-01',
        annualRate: '0.5',
        deposits: [{ date: '2024-08-01', amount: '1.005' }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'deposits[0].amount' });
  });
});
