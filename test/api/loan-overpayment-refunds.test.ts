// Refunding a loan over-payment over HTTP: finance and managers may, a teller or the borrower may not
// (and nothing is written); the body is checked; a refusal carries its code with zh/en messages; the
// refund goes to the bank at once and the repayment view and the payout list show it; the OpenAPI
// document describes the route with its access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { rowCounts } from '../support/snapshot.ts';
import {
  borrowersWithLoans,
  overpayInstallmentsDue,
  type LoanBorrower,
  type Overpaid,
} from '../support/loan-overpayment.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
let borrower: LoanBorrower;
let borrowerToken: string;
let overpaid: Overpaid;

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2024-09-02', { type: 'system', id: 'test' });
  for (const [username, role] of [
    ['teller1', 'teller'],
    ['finance1', 'finance'],
    ['manager1', 'manager'],
  ] as const) {
    await t.createStaff({ username, roles: [role] });
    tokens[role] = await t.loginStaff(username);
  }
  // The debits that over-pay go through a bank of their own; the refund through the app's bank.
  const debitBank = new InProcessBank({ serialPrefix: 'APIOV', timeoutMs: 50 });
  borrower = (
    await borrowersWithLoans(t.db, {
      bank: debitBank,
      bureau: new InProcessCreditBureau({ timeoutMs: 20 }),
      names: ['孙多付'],
      seed: 730,
    })
  )[0]!;
  overpaid = (await overpayInstallmentsDue(t.db, debitBank, '2025-06-12'))[0]!;
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(borrower.depositorId))
    .execute();
  borrowerToken = await t.loginDepositor({
    id: BigInt(borrower.depositorId),
    idNumber: borrower.idNumber,
    password: TEST_PASSWORD,
    phone: '',
  });
}, 180_000);

afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

const refund = (token: string | null, payload: Record<string, unknown>, loanId = borrower.loanId) =>
  t.inject({
    method: 'POST',
    url: `/api/v1/loans/${loanId}/overpayment-refunds`,
    ...(token ? { headers: bearer(token) } : {}),
    payload,
  });
const get = (token: string, url: string) =>
  t.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });

describe('POST /loans/:id/overpayment-refunds', () => {
  it('is refused to a teller, the borrower and anyone not logged in, writing nothing', async () => {
    const before = await rowCounts(t.db);
    const byTeller = await refund(tokens.teller!, { idempotencyKey: 'api-refund-teller' });
    expect(byTeller.statusCode).toBe(403);
    expect(byTeller.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await refund(borrowerToken, { idempotencyKey: 'api-refund-self' })).statusCode).toBe(403);
    expect((await refund(null, { idempotencyKey: 'api-refund-anon' })).statusCode).toBe(401);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('checks the body and refuses more than is held with a coded error, writing nothing', async () => {
    const before = await rowCounts(t.db);
    expect((await refund(tokens.finance!, {})).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const badAmount = await refund(tokens.finance!, { amount: '1.234', idempotencyKey: 'api-refund-bad' });
    expect(badAmount.statusCode).toBe(400);
    expect(badAmount.json()).toMatchObject({ field: 'amount' });
    const tooMuch = await refund(tokens.finance!, {
      amount: fenToYuanString(overpaid.unappliedFen + 1n),
      idempotencyKey: 'api-refund-too-much',
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({
      code: 'LOAN_OVERPAYMENT_REFUND_ABOVE_HELD',
      message_zh: '退款金额超过可退还的多收款项',
      field: 'amount',
      details: { held: fenToYuanString(overpaid.unappliedFen) },
    });
    expect(
      (await refund(tokens.finance!, { idempotencyKey: 'api-refund-404' }, '999999')).json(),
    ).toMatchObject({
      code: 'LOAN_NOT_FOUND',
    });
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('lets finance refund what is held: paid out through the bank, once, and shown on the loan', async () => {
    const made = await refund(tokens.finance!, { idempotencyKey: 'api-refund-0001' });
    expect(made.statusCode).toBe(201);
    const result = made.json();
    expect(result).toMatchObject({
      loanId: borrower.loanId,
      amount: fenToYuanString(overpaid.unappliedFen),
      status: 'posted',
      lines: [{ repaymentId: overpaid.repaymentId, amount: fenToYuanString(overpaid.unappliedFen) }],
      bankCard: `${borrower.card.slice(0, 4)} **** **** ${borrower.card.slice(-4)}`,
      replayed: false,
    });
    expect(['accepted', 'confirmed']).toContain(result.payoutStatus);
    const payoutStatus = async () =>
      (
        await t.db
          .selectFrom('payouts')
          .select('status')
          .where('id', '=', BigInt(result.payoutId))
          .executeTakeFirstOrThrow()
      ).status;
    await expect.poll(payoutStatus, { timeout: 10_000 }).toBe('confirmed');
    expect(await ledgerBalance(t.db, 'FLEX', '21909')).toBe(0n);

    // The same key again: the first refund, 200, nothing more.
    const before = await rowCounts(t.db);
    const again = await refund(tokens.finance!, { idempotencyKey: 'api-refund-0001' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      refundId: result.refundId,
      replayed: true,
      payoutStatus: 'confirmed',
    });
    expect(await rowCounts(t.db)).toEqual(before);

    // A manager may refund too, but nothing is left.
    const nothing = await refund(tokens.manager!, { idempotencyKey: 'api-refund-0002' });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json()).toMatchObject({ code: 'LOAN_OVERPAYMENT_NOTHING_HELD' });

    // The borrower and staff see it on the loan.
    const repayments = (await get(borrowerToken, `/loans/${borrower.loanId}/repayments`)).json();
    expect(
      repayments.repayments.find((r: { repaymentId: string }) => r.repaymentId === overpaid.repaymentId),
    ).toMatchObject({
      unapplied: fenToYuanString(overpaid.unappliedFen),
      refunded: fenToYuanString(overpaid.unappliedFen),
      refundStatus: 'refunded',
    });
    const loan = (await get(tokens.teller!, `/loans/${borrower.loanId}`)).json();
    expect(loan.repayment.overpayment).toMatchObject({
      refundable: '0.00',
      refunds: [{ refundId: result.refundId, status: 'paid', payoutStatus: 'confirmed' }],
    });
    const listed = (await get(tokens.finance!, '/payouts?kind=loan_refund')).json();
    expect(listed).toMatchObject({
      total: 1,
      items: [
        {
          payoutId: result.payoutId,
          purpose: 'loan_refund',
          kind: 'loan_refund',
          withdrawalId: null,
          channel: null,
          loanId: borrower.loanId,
          loanRefundId: result.refundId,
          name: '孙多付',
          status: 'confirmed',
        },
      ],
    });
  });

  it('is in the OpenAPI document with its access and error responses', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    const route = res.json().paths['/api/v1/loans/{id}/overpayment-refunds'].post;
    expect(route.description).toContain('Access: staff roles finance, manager');
    expect(route.description).toContain('Dr 21909 / Cr 21903');
    expect(Object.keys(route.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '404', '409', '422']),
    );
    expect(Object.keys(route.requestBody.content['application/json'].schema.properties)).toEqual([
      'repaymentId',
      'amount',
      'idempotencyKey',
    ]);
  });
});
