// Withdrawals over HTTP (rules.md §5): the depositor for their own account only, tellers and reviewers
// (maker-checker), the bank's payout results through their signed endpoint, closure with its certificate
// (PDF and public check), returned payments and the referral export (CSV, Excel).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';

let t: TestApp;
let teller: string;
let reviewer: string;
let manager: string;
let finance: string;
let key = 0;
const nextKey = () => `api-wd-${++key}`;

async function depositor(n: number, covered = 6) {
  const idNumber = personId('1991-03-03', 'female', 700 + n);
  const { person, account } = await openedDepositor(t.db, { idNumber, name: `提取${n}` }, 'flexible');
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(person.depositorId))
    .execute();
  const months = ['2024-09-10', '2024-10-10', '2024-11-10', '2024-12-10', '2025-01-10', '2025-02-10'];
  for (const valueDate of months.slice(6 - covered)) {
    await recordCounterDeposit({
      db: t.db,
      actor: { type: 'system', id: 'test' },
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
  return { accountId: account.accountId, token };
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'reviewer1', roles: ['reviewer'] });
  await t.createStaff({ username: 'manager1', roles: ['manager'] });
  await t.createStaff({ username: 'finance1', roles: ['finance'] });
  teller = await t.loginStaff('teller1');
  reviewer = await t.loginStaff('reviewer1');
  manager = await t.loginStaff('manager1');
  finance = await t.loginStaff('finance1');
  // The bank reports payout results to the signed endpoint, as it would over the network.
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

const post = (token: string, url: string, payload: Record<string, unknown>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(token), payload });
const idle = () => (t.app.deps.bank as InProcessBank).idle();

const lease = {
  landlordName: '赵房东',
  leaseAddress: '包头市东河区和平路 3 号',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-06-30',
  monthlyRent: '1000.00',
  contractNo: 'API-HT-1',
};

describe('self-service and counter withdrawals', () => {
  it('lets a depositor withdraw from their own account only, once per key, and the bank confirms it', async () => {
    const mine = await depositor(1);
    const other = await depositor(2);
    const idempotencyKey = nextKey();
    const first = await post(mine.token, `/accounts/${mine.accountId}/withdrawals/free`, {
      amount: '1000.00',
      idempotencyKey,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'posted', amount: '1000.00' });
    const again = await post(mine.token, `/accounts/${mine.accountId}/withdrawals/free`, {
      amount: '1000.00',
      idempotencyKey,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().withdrawalId).toBe(first.json().withdrawalId);
    await idle();
    const payout = await t.db
      .selectFrom('payouts')
      .select('status')
      .where('id', '=', BigInt(first.json().payoutId))
      .executeTakeFirstOrThrow();
    expect(payout.status).toBe('confirmed');
    const foreign = await post(mine.token, `/accounts/${other.accountId}/withdrawals/free`, {
      amount: '1.00',
      idempotencyKey: nextKey(),
    });
    expect(foreign.statusCode).toBe(403);
    const noAuth = await t.inject({
      method: 'POST',
      url: `/api/v1/accounts/${mine.accountId}/withdrawals/free`,
      payload: { amount: '1.00', idempotencyKey: nextKey() },
    });
    expect(noAuth.statusCode).toBe(401);
  });

  it('refuses an ineligible request with a coded error naming every failed rule', async () => {
    const short = await depositor(3, 4);
    const res = await post(teller, `/accounts/${short.accountId}/withdrawals/rent`, {
      amount: '20000.00',
      idempotencyKey: nextKey(),
      declaredNoHousing: true,
      lease,
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('WITHDRAWAL_TOO_FEW_MONTHS');
    expect(body.message_zh).toBeTruthy();
    expect(body.details.failures.map((f: { code: string }) => f.code)).toEqual([
      'WITHDRAWAL_TOO_FEW_MONTHS',
      'WITHDRAWAL_OVER_ANNUAL_CAP',
      'WITHDRAWAL_OVER_RENT_PAID',
      'WITHDRAWAL_INSUFFICIENT_BALANCE',
    ]);
  });

  it('sends staff withdrawals above the threshold to a second staff member', async () => {
    await sql`INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at)
      VALUES ('withdrawal.review_threshold_fen', '300000', '2025-01-01', 'approved', 'test', 'system', 'system', now())`.execute(
      t.db,
    );
    const d = await depositor(4);
    const res = await post(teller, `/accounts/${d.accountId}/withdrawals/rent`, {
      amount: '5000.00',
      idempotencyKey: nextKey(),
      declaredNoHousing: true,
      lease,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending_review', payoutId: null });
    const id = res.json().withdrawalId as string;
    const queue = await t.inject({
      method: 'GET',
      url: '/api/v1/withdrawals/review-queue',
      headers: bearer(reviewer),
    });
    expect(queue.json().items.map((i: { withdrawalId: string }) => i.withdrawalId)).toContain(id);
    const byTeller = await post(teller, `/withdrawals/${id}/decision`, { decision: 'approve', reason: 'ok' });
    expect(byTeller.statusCode).toBe(403);
    const approved = await post(reviewer, `/withdrawals/${id}/decision`, {
      decision: 'approve',
      reason: '租赁合同已核',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'posted', checker: 'staff:reviewer1' });
    await idle();
    await sql`DELETE FROM parameters WHERE key = 'withdrawal.review_threshold_fen' AND effective_from = '2025-01-01'`.execute(
      t.db,
    );
  });
});

describe('closure, certificate and returned payment', () => {
  it('closes by self-service, prints the certificate, verifies its code publicly; finance records a return', async () => {
    const d = await depositor(5);
    const res = await post(d.token, `/accounts/${d.accountId}/closure`, { idempotencyKey: nextKey() });
    expect(res.statusCode).toBe(201);
    const closed = res.json();
    expect(closed.principal).toBe('12000.00');
    await idle();
    const pdf = await t.inject({
      method: 'GET',
      url: `/api/v1/withdrawals/${closed.withdrawalId}/closure-certificate.pdf`,
      headers: bearer(d.token),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const check = await t.inject({
      method: 'GET',
      url: `/api/v1/closure-certificates/verify/${closed.verificationCode}`,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ valid: true, total: closed.total, closedOn: '2025-03-03' });
    const wrong = await t.inject({
      method: 'GET',
      url: '/api/v1/closure-certificates/verify/0000-0000-0000-0000',
    });
    expect(wrong.statusCode).toBe(404);

    const byTeller = await post(teller, `/payouts/${closed.payoutId}/return`, {
      bankSerial: 'RT1',
      reason: '卡已注销',
    });
    expect(byTeller.statusCode).toBe(403);
    const returned = await post(finance, `/payouts/${closed.payoutId}/return`, {
      bankSerial: 'RT1',
      reason: '卡已注销',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json().outcome).toBe('returned');
  });
});

describe('housing-security referral', () => {
  it('lists eligible depositors who asked, as CSV and Excel', async () => {
    const d = await depositor(6);
    const asked = await post(d.token, `/accounts/${d.accountId}/housing-referral`, {
      queues: ['public_rental', 'affordable_rental'],
      householdSize: 3,
      declaredNoHousing: true,
    });
    expect(asked.statusCode).toBe(201);
    const short = await depositor(7, 3);
    const refused = await post(short.token, `/accounts/${short.accountId}/housing-referral`, {
      queues: ['public_rental'],
      householdSize: 1,
      declaredNoHousing: true,
    });
    expect(refused.statusCode).toBe(422);
    const csv = await t.inject({
      method: 'GET',
      url: '/api/v1/housing-referrals?format=csv',
      headers: bearer(manager),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('姓名');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('提取6');
    expect(lines[1]).toContain('公租房、保障性租赁住房');
    const xlsx = await t.inject({
      method: 'GET',
      url: '/api/v1/housing-referrals?format=xlsx',
      headers: bearer(manager),
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const byDepositor = await t.inject({
      method: 'GET',
      url: '/api/v1/housing-referrals',
      headers: bearer(d.token),
    });
    expect(byDepositor.statusCode).toBe(403);
  });
});
