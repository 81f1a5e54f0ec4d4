// Loans over HTTP (rules.md §6): who may call each step, a depositor seeing only their own loan and quota
// explanation, the coded refusals, and the journey to disbursement through the routes.
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
let a: { depositorId: string; token: string };
let b: { depositorId: string; token: string };
let key = 0;

async function depositor(n: number) {
  const idNumber = personId('1991-02-02', 'male', 900 + n);
  const { person, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(person.depositorId))
    .execute();
  return { depositorId: person.depositorId, accountId: account.accountId, idNumber };
}

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2024-09-02', { type: 'system', id: 'test' });
  for (const [username, role] of [
    ['teller1', 'teller'],
    ['reviewer1', 'reviewer'],
    ['manager1', 'manager'],
    ['finance1', 'finance'],
  ] as const) {
    await t.createStaff({ username, roles: [role] });
    tokens[role] = await t.loginStaff(username);
  }
  const pa = await depositor(1);
  const pb = await depositor(2);
  const pay = (accountId: string) =>
    recordCounterDeposit({
      db: t.db,
      actor: tellerActor,
      accountId,
      amount: '5000.00',
      idempotencyKey: `api-d${++key}`,
    });
  await pay(pa.accountId);
  await pay(pb.accountId);
  for (const date of [
    '2024-10-02',
    '2024-11-04',
    '2024-12-02',
    '2025-01-02',
    '2025-02-03',
    '2025-03-03',
    '2025-04-02',
  ]) {
    await advanceBusinessDate(t.db, date, { type: 'system', id: 'test' });
    await pay(pa.accountId);
    await pay(pb.accountId);
  }
  await advanceBusinessDate(t.db, '2025-05-06', { type: 'system', id: 'test' });
  const login = (p: { depositorId: string; idNumber: string }) =>
    t.loginDepositor({ id: BigInt(p.depositorId), idNumber: p.idNumber, password: TEST_PASSWORD, phone: '' });
  a = { depositorId: pa.depositorId, token: await login(pa) };
  b = { depositorId: pb.depositorId, token: await login(pb) };
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

function body(depositorId: string, extra: Record<string, unknown> = {}) {
  return {
    depositorId,
    house: {
      address: `包头市青山区幸福路${depositorId}号`,
      areaSqm: '90.00',
      price: '800000.00',
      home: 'first',
      inCity: true,
    },
    income: { monthlyIncome: '20000.00', monthlyDebts: '1000.00', evidence: 'tax_record' },
    amount: '400000.00',
    termMonths: 300,
    method: 'equal-principal',
    ...extra,
  };
}
const seller = { name: '王某', bankName: '中国工商银行包头分行', bankAccount: '6222020000001111222' };

const post = (token: string, url: string, payload?: Record<string, unknown>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });
const get = (token: string, url: string) =>
  t.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });

describe('loans over HTTP', () => {
  it('lets a depositor preview their own quota, not another depositor’s', async () => {
    const own = await post(a.token, '/loans/quota-preview', body(a.depositorId));
    expect(own.statusCode).toBe(200);
    expect(own.json().quota.binding).toBeDefined();
    expect(own.json().quota.candidates).toHaveLength(4);
    const other = await post(a.token, '/loans/quota-preview', body(b.depositorId));
    expect(other.statusCode).toBe(403);
  });

  it('refuses an ineligible application with every reason (422)', async () => {
    const res = await post(tokens.teller!, '/loans', {
      ...body(a.depositorId, {
        house: { address: '外地某处', areaSqm: '90.00', price: '800000.00', home: 'first', inCity: false },
      }),
      seller,
      idempotencyKey: 'api-loan-ineligible',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'LOAN_NOT_ELIGIBLE' });
    expect(res.json().details.failures.map((f: { code: string }) => f.code)).toEqual([
      'LOAN_HOUSE_NOT_IN_CITY',
    ]);
  });

  it('takes a portal application through every step; depositor B cannot see A’s loan', async () => {
    const applied = await post(a.token, '/loans', {
      ...body(a.depositorId),
      seller,
      idempotencyKey: 'api-loan-a-0001',
    });
    expect(applied.statusCode).toBe(201);
    const loan = applied.json();
    expect(loan).toMatchObject({ status: 'applied', channel: 'portal', amount: '400000.00' });
    const replay = await post(a.token, '/loans', {
      ...body(a.depositorId),
      seller,
      idempotencyKey: 'api-loan-a-0001',
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().loanId).toBe(loan.loanId);

    // A sees the status and the quota explanation; B does not see it at all.
    const mine = await get(a.token, `/loans/${loan.loanId}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().quotaExplanation.candidates.map((c: { code: string }) => c.code)).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
    expect((await get(b.token, `/loans/${loan.loanId}`)).statusCode).toBe(404);
    expect((await get(b.token, '/loans')).json().loans).toEqual([]);
    expect((await get(b.token, `/loans?depositorId=${a.depositorId}`)).statusCode).toBe(403);
    expect((await get(a.token, '/loans')).json().loans).toHaveLength(1);

    // Each step only for its role.
    expect((await post(a.token, `/loans/${loan.loanId}/review`)).statusCode).toBe(403);
    expect((await post(tokens.reviewer!, `/loans/${loan.loanId}/approve`)).json().code).toBe(
      'LOAN_STEP_OUT_OF_ORDER',
    );
    expect((await post(tokens.teller!, `/loans/${loan.loanId}/review`)).json().status).toBe('reviewed');
    expect((await post(tokens.teller!, `/loans/${loan.loanId}/approve`)).statusCode).toBe(403);
    expect((await post(tokens.reviewer!, `/loans/${loan.loanId}/approve`)).json().status).toBe('approved');
    const early = await post(tokens.finance!, `/loans/${loan.loanId}/disburse`);
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('LOAN_NOT_APPROVED');
    expect((await post(tokens.teller!, `/loans/${loan.loanId}/contract`)).json().status).toBe('contracted');

    const pdf = await get(a.token, `/loans/${loan.loanId}/contract.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await get(b.token, `/loans/${loan.loanId}/contract.pdf`)).statusCode).toBe(404);

    const mortgaged = await post(tokens.teller!, `/loans/${loan.loanId}/mortgage`, {
      certificateNo: 'MG-API-0001',
      address: `包头市青山区幸福路${a.depositorId}号`,
      areaSqm: '90.00',
      price: '800000.00',
    });
    expect(mortgaged.json().status).toBe('mortgaged');
    expect((await post(tokens.teller!, `/loans/${loan.loanId}/disburse`)).statusCode).toBe(403);
    const disbursed = await post(tokens.finance!, `/loans/${loan.loanId}/disburse`);
    expect(disbursed.statusCode).toBe(200);
    expect(disbursed.json()).toMatchObject({ status: 'disbursed', installments: 300 });
    expect((await post(tokens.finance!, `/loans/${loan.loanId}/disburse`)).json().code).toBe(
      'LOAN_ALREADY_DISBURSED',
    );
    // The bank's payout result confirms the disbursement; finance's manual confirmation (for a result
    // that never came) then finds it done.
    await (t.app.deps.bank as InProcessBank).idle();
    const requestNo = disbursed.json().disbursement.requestNo;
    const confirmed = await post(tokens.finance!, `/loan-disbursements/${requestNo}/confirm`, {
      bankSerial: 'API0001',
    });
    expect(confirmed.json().outcome).toBe('already');

    const view = (await get(a.token, `/loans/${loan.loanId}`)).json();
    expect(view.schedule).toHaveLength(300);
    expect(view.disbursement.status).toBe('confirmed');
    expect(await ledgerBalance(t.db, 'FLEX', '121')).toBe(40000000n);
  });

  it('lists loans with the borrower’s name and masked ID number', async () => {
    const staffList = (await get(tokens.reviewer!, '/loans')).json().loans as Array<{
      depositorId: string;
      borrower: { name: string; idNumberMasked: string };
    }>;
    expect(staffList.length).toBeGreaterThan(0);
    const borrowerOfA = staffList.find((l) => l.depositorId === a.depositorId)!;
    const person = await t.db
      .selectFrom('depositors')
      .select(['name', 'id_number_masked'])
      .where('id', '=', BigInt(a.depositorId))
      .executeTakeFirstOrThrow();
    expect(borrowerOfA.borrower).toEqual({ name: person.name, idNumberMasked: person.id_number_masked });
    expect(borrowerOfA.borrower.idNumberMasked).toContain('*');
    expect((await get(a.token, '/loans')).json().loans[0].borrower.name).toBe(person.name);
    const bad = await get(tokens.reviewer!, '/loans?depositorId=x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'depositorId' });
  });

  it('the OpenAPI document lists the loan routes with their access', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { description?: string }>>;
    expect(paths['/api/v1/loans']!.post!.description).toContain(
      'Access: depositors; staff roles teller, manager',
    );
    expect(paths['/api/v1/loans/{id}/approve']!.post!.description).toContain('staff roles reviewer, manager');
    expect(Object.keys(paths)).toContain('/api/v1/loan-disbursements/{requestNo}/confirm');
  });
});
