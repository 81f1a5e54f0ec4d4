// The bank protocol over real sockets: the simulated bank runs as its own HTTP service, Anju listens on a
// port; Anju calls the bank (signed requests, with a deadline) and the bank POSTs signed notifications back.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import type { BankGateway } from '../../src/integrations/bank/gateway.ts';
import { HttpBankGateway } from '../../src/integrations/bank/http-gateway.ts';
import {
  startBankSimulatorServer,
  type BankSimulatorServer,
} from '../../src/integrations/bank/http-simulator-server.ts';
import { signBankMessage, verifyBankSignature } from '../../src/integrations/bank/signing.ts';
import { parseDebitResultFile } from '../../src/integrations/bank/debit-batch-files.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { openedDepositor, startCenter, staff } from '../support/services.ts';

const TODAY = '2025-03-03';
const SECRET = 'http-bank-secret';
let t: TestDatabase;
let app: FastifyInstance;
let anju: string;
let sim: BankSimulatorServer;
let gateway: HttpBankGateway;
let token: string;
let accountId: string;

beforeAll(async () => {
  process.env.ANJU_BANK_SECRET = SECRET;
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, TODAY);
  // Anju needs the bank's address and the bank needs Anju's: Anju starts first with a gateway filled in after.
  const bank: BankGateway = {
    requestDebit: (r) => gateway.requestDebit(r),
    requestPayout: (r) => gateway.requestPayout(r),
    createPaymentPage: (o) => gateway.createPaymentPage(o),
    submitDebitBatch: (b) => gateway.submitDebitBatch(b),
    fetchDebitBatchResult: (n) => gateway.fetchDebitBatchResult(n),
  };
  app = await buildApp({ db: t.db, sms: new SimulatedSmsGateway(), bank, databaseKind: t.kind });
  anju = await app.listen({ port: 0, host: '127.0.0.1' });
  sim = await startBankSimulatorServer({
    port: 0,
    secret: SECRET,
    notifyUrl: `${anju}/api/v1/bank/notifications`,
    bankDate: () => TODAY,
    serialPrefix: 'H',
  });
  gateway = new HttpBankGateway({ baseUrl: sim.url, secret: SECRET, timeoutMs: 300 });

  await t.db
    .insertInto('staff_users')
    .values({
      username: 'teller9',
      display_name: 'Teller',
      password_hash: await hashPassword('secret2025'),
      roles: ['teller'],
      district_code: null,
      active: true,
    })
    .execute();
  const login = await fetch(`${anju}/api/v1/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'teller9', password: 'secret2025' }),
  });
  token = ((await login.json()) as { token: string }).token;
  accountId = (await openedDepositor(t.db, {}, 'flexible')).account.accountId;
});

afterAll(async () => {
  await sim?.close();
  await app?.close();
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
  delete process.env.ANJU_BANK_SECRET;
});

let keys = 0;
async function orderOverHttp(amount: string) {
  const res = await fetch(`${anju}/api/v1/payment-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ accountId, amount, idempotencyKey: `http-order-${++keys}` }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { orderId: string; orderNo: string; payUrl: string };
}

async function orderStatus(orderId: string): Promise<string> {
  const res = await fetch(`${anju}/api/v1/payment-orders/${orderId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { status: string }).status;
}

async function balance(): Promise<bigint> {
  return (
    await t.db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow()
  ).balance_fen;
}

describe('order → bank page → signed notification, over sockets', () => {
  it('pays a portal order on the bank’s own page and is notified over HTTP', async () => {
    const order = await orderOverHttp('450.00');
    expect(order.payUrl).toBe(`${sim.url}/pay/${order.orderNo}`);
    const page = await fetch(order.payUrl);
    expect(await page.text()).toContain('450.00');
    const paid = await fetch(order.payUrl, { method: 'POST' });
    const { serial } = (await paid.json()) as { serial: string };
    expect(await orderStatus(order.orderId)).toBe('paid');
    expect(await balance()).toBe(45000n);
    const sent = sim.control.sent.find((s) => s.notification.serial === serial)!;
    expect(sent).toMatchObject({ state: 'delivered', attempts: 1 });

    // A duplicate delivery over the wire credits nothing more.
    await sim.control.resend(serial);
    expect(await balance()).toBe(45000n);

    // The bank's statement, fetched from the bank, matches to the fen.
    const csv = await (await fetch(`${sim.url}/statements/${TODAY}`)).text();
    const imported = await importBankStatement({
      db: t.db,
      actor: staff('fin', ['finance']),
      fileName: 'h.csv',
      content: csv,
    });
    expect(imported).toMatchObject({ matched: { count: 1, amount: '450.00' }, suspense: { count: 0 } });
  });

  it('refuses a forged notification at the socket', async () => {
    const body = JSON.stringify({
      serial: 'FORGED-H',
      kind: 'credit',
      orderNo: 'X',
      amount: '1.00',
      valueDate: TODAY,
      status: 'success',
    });
    const res = await fetch(`${anju}/api/v1/bank/notifications`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-bank-signature': signBankMessage(body, 'not-the-secret'),
      },
      body,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('BANK_SIGNATURE_INVALID');
  });

  it('sends a signed debit request; the result comes back as a notification, even before the answer', async () => {
    const opened = await openedDepositor(t.db, {}, 'monthly');
    const monthly = BigInt(opened.account.accountId);
    const agreement = await t.db
      .selectFrom('agreements')
      .select(['id', 'bank_card'])
      .where('account_id', '=', monthly)
      .executeTakeFirstOrThrow();
    const period = await t.db
      .insertInto('deposit_periods')
      .values({
        account_id: monthly,
        agreement_id: agreement.id,
        period_start: '2025-03-01',
        months: 1,
        amount_fen: 50000n,
        due_date: TODAY,
        last_retry_date: '2025-03-31',
        status: 'due',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const requestNo = 'DR-HTTP-1';
    await t.db
      .insertInto('debit_requests')
      .values({
        request_no: requestNo,
        period_id: period.id,
        account_id: monthly,
        amount_fen: 50000n,
        requested_on: TODAY,
        status: 'pending',
      })
      .execute();
    sim.control.setRequestFault(requestNo, { kind: 'out_of_order' });
    const debit = {
      requestNo,
      accountNumber: opened.account.accountNumber,
      bankCard: agreement.bank_card,
      amountFen: 50000n,
      valueDate: TODAY,
    };
    expect(await app.deps.bank.requestDebit(debit)).toEqual({ status: 'accepted' });
    const request = await t.db
      .selectFrom('debit_requests')
      .selectAll()
      .where('request_no', '=', requestNo)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('succeeded');
    expect(
      (
        await t.db
          .selectFrom('accounts')
          .select('balance_fen')
          .where('id', '=', monthly)
          .executeTakeFirstOrThrow()
      ).balance_fen,
    ).toBe(50000n);
  });

  it('gives up on a bank that does not answer (BANK_TIMEOUT), and a refusal comes back as an answer', async () => {
    const debit = {
      requestNo: 'DR-HANG-1',
      accountNumber: 'X',
      bankCard: '6222000011112222333',
      amountFen: 100n,
      valueDate: TODAY,
    };
    sim.control.setCardFault(debit.bankCard, { kind: 'timeout' });
    const started = Date.now();
    await expect(gateway.requestDebit(debit)).rejects.toMatchObject({ code: 'BANK_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    sim.control.setCardFault(debit.bankCard, { kind: 'insufficient_funds', at: 'request' });
    expect(await gateway.requestDebit({ ...debit, requestNo: 'DR-BROKE-H' })).toEqual({
      status: 'rejected',
      code: 'INSUFFICIENT_FUNDS',
    });
    // Requests with a bad signature are refused by the bank.
    const rogue = new HttpBankGateway({ baseUrl: sim.url, secret: 'wrong', timeoutMs: 300 });
    await expect(rogue.requestDebit({ ...debit, requestNo: 'DR-ROGUE' })).rejects.toMatchObject({
      code: 'BANK_UNAVAILABLE',
      details: { status: 401 },
    });
  });

  it('exchanges a debit batch file and its signed result file (批量代扣, 回盘); a re-sent batch moves nothing', async () => {
    const broke = '6222000011113333444';
    const hanging = '6222000011113333555';
    sim.control.setCardFault(broke, { kind: 'insufficient_funds' });
    sim.control.setCardFault(hanging, { kind: 'timeout' });
    const batch = {
      batchNo: 'LB-HTTP-1',
      valueDate: TODAY,
      lines: [
        { requestNo: 'LR-HTTP-1', accountNumber: 'A1', bankCard: broke, amountFen: 1000n },
        { requestNo: 'LR-HTTP-2', accountNumber: 'A2', bankCard: '6222000011113333666', amountFen: 2050n },
        { requestNo: 'LR-HTTP-3', accountNumber: 'A3', bankCard: hanging, amountFen: 3000n },
      ],
    };
    const moved = sim.control.movements.length;
    expect(await gateway.submitDebitBatch(batch)).toEqual({ status: 'accepted' });
    expect(sim.control.movements.length).toBe(moved + 1);
    const file = await gateway.fetchDebitBatchResult(batch.batchNo);
    expect(verifyBankSignature(file!.content, file!.signature, SECRET)).toBe(true);
    const result = parseDebitResultFile(file!.content);
    expect(result.batchNo).toBe(batch.batchNo);
    expect(result.lines.map((l) => [l.requestNo, l.status, l.failureCode ?? null, l.amountFen])).toEqual([
      ['LR-HTTP-1', 'failed', 'INSUFFICIENT_FUNDS', 1000n],
      ['LR-HTTP-2', 'success', null, 2050n],
    ]);
    expect(await gateway.submitDebitBatch(batch)).toEqual({ status: 'accepted' });
    expect(sim.control.movements.length).toBe(moved + 1);
    expect(await gateway.fetchDebitBatchResult(batch.batchNo)).toEqual(file);
    expect(await gateway.fetchDebitBatchResult('LB-HTTP-NONE')).toBeNull();
  });
});
