// Bank notifications and portal payment orders (rules.md §3.2): money is credited once per bank serial,
// whatever the bank does (bad signatures, repeats, late or out-of-order results, concurrency), and money
// nobody can credit is recorded, never lost.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, openedDepositor, startCenter } from '../support/services.ts';
import { InProcessBank, INSUFFICIENT_FUNDS } from '../../src/integrations/bank/in-process-bank.ts';
import { signBankMessage } from '../../src/integrations/bank/signing.ts';
import {
  bankNotifierFor,
  handleBankNotification,
} from '../../src/services/deposits/handle-bank-notification.ts';
import { createPaymentOrder, getPaymentOrder } from '../../src/services/deposits/create-payment-order.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import type { Actor } from '../../src/domain/roles.ts';

const TODAY = '2025-03-03';
const SECRET = 'test-bank-secret';
let t: TestDatabase;
let bank: InProcessBank;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, TODAY);
  bank = new InProcessBank({ secret: SECRET, serialPrefix: 'N', bankDate: () => TODAY, timeoutMs: 30 });
  bank.setNotifier(bankNotifierFor(t.db, { secret: SECRET }));
});
afterEach(async () => {
  await bank.idle();
  bank.clearFaults();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});
afterAll(() => t.close());

let keys = 0;
const depositorActor = (depositorId: string): Actor => ({
  type: 'depositor',
  id: 1n,
  depositorId: BigInt(depositorId),
});

async function flexibleDepositor() {
  const opened = await openedDepositor(t.db, {}, 'flexible');
  return { ...opened, actor: depositorActor(opened.person.depositorId), accountId: opened.account.accountId };
}

function order(
  actor: Actor,
  accountId: string,
  amount: string,
  extra: { periodId?: string; idempotencyKey?: string } = {},
) {
  return createPaymentOrder({
    db: t.db,
    actor,
    bank,
    accountId,
    amount,
    idempotencyKey: extra.idempotencyKey ?? `order-${++keys}`,
    ...extra,
  });
}

async function balanceOf(accountId: string): Promise<bigint> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', BigInt(accountId))
    .executeTakeFirstOrThrow();
  return row.balance_fen;
}

async function depositsOf(accountId: string) {
  return t.db
    .selectFrom('deposits')
    .selectAll()
    .where('account_id', '=', BigInt(accountId))
    .orderBy('id')
    .execute();
}

/** A notification signed with the shared secret, as the bank would send it. */
function signed(body: Record<string, unknown>) {
  const rawBody = JSON.stringify(body);
  return { rawBody, signature: signBankMessage(rawBody, SECRET), secret: SECRET };
}

/** A due monthly period and a debit request for it, as the close's debit step leaves them. */
async function periodWithRequest(requestNo: string, status: 'pending' | 'sent' = 'pending') {
  const opened = await openedDepositor(t.db, {}, 'monthly');
  const accountId = BigInt(opened.account.accountId);
  const agreement = await t.db
    .selectFrom('agreements')
    .select('id')
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  const period = await t.db
    .insertInto('deposit_periods')
    .values({
      account_id: accountId,
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
  await t.db
    .insertInto('debit_requests')
    .values({
      request_no: requestNo,
      period_id: period.id,
      account_id: accountId,
      amount_fen: 50000n,
      requested_on: TODAY,
      status,
    })
    .execute();
  const debit = {
    requestNo,
    accountNumber: opened.account.accountNumber,
    bankCard: '6217000010001234567',
    amountFen: 50000n,
    valueDate: TODAY,
  };
  return { ...opened, accountId: opened.account.accountId, periodId: period.id, debit };
}

async function requestRow(requestNo: string) {
  return t.db
    .selectFrom('debit_requests')
    .selectAll()
    .where('request_no', '=', requestNo)
    .executeTakeFirstOrThrow();
}

describe('a portal payment order', () => {
  it('is paid on the bank page and credited once, through the portal channel', async () => {
    const d = await flexibleDepositor();
    const created = await order(d.actor, d.accountId, '500.00');
    expect(created).toMatchObject({ status: 'open', amount: '500.00', createdOn: TODAY, replayed: false });
    expect(created.payUrl).toBe(`/api/v1/bank-sim/pay/${created.orderNo}`);
    // payment_order.valid_minutes = 30
    expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);

    const paid = await bank.pay(created.orderNo);
    const [deposit] = await depositsOf(d.accountId);
    expect(deposit).toMatchObject({
      channel: 'portal',
      bank_serial: paid.serial,
      payment_order_id: BigInt(created.orderId),
      amount_fen: 50000n,
      value_date: TODAY,
    });
    expect(await balanceOf(d.accountId)).toBe(50000n);
    expect(await getPaymentOrder(t.db, d.actor, created.orderId)).toMatchObject({
      status: 'paid',
      depositId: String(deposit!.id),
    });

    // The depositor pays the same page again: the bank answers with the first serial, nothing moves.
    expect(await bank.pay(created.orderNo)).toEqual({ serial: paid.serial, replayed: true });
    expect(await balanceOf(d.accountId)).toBe(50000n);
  });

  it('returns the same order for the same client key', async () => {
    const d = await flexibleDepositor();
    const first = await order(d.actor, d.accountId, '300.00', { idempotencyKey: 'portal-key-1' });
    const again = await order(d.actor, d.accountId, '300.00', { idempotencyKey: 'portal-key-1' });
    expect(again).toMatchObject({
      orderId: first.orderId,
      orderNo: first.orderNo,
      payUrl: first.payUrl,
      replayed: true,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => order(d.actor, d.accountId, '301.00', { idempotencyKey: 'portal-key-1' }),
      'IDEMPOTENCY_KEY_REUSED',
      expect,
    );
  });

  it('is refused before any money moves when the deposit would be refused, writing nothing (rules.md §3.2)', async () => {
    const d = await flexibleDepositor();
    // Below the monthly lower limit (198.00) for a flexible payment.
    await expectRefusedWithoutWrites(
      t.db,
      () => order(d.actor, d.accountId, '197.99'),
      'DEPOSIT_BELOW_MINIMUM',
      expect,
    );
    // Above the annual room: 12 × 6,574.00 = 78,888.00 a year, 78,000.00 already paid.
    const big = await order(d.actor, d.accountId, '78000.00');
    await bank.pay(big.orderNo);
    await expectRefusedWithoutWrites(
      t.db,
      () => order(d.actor, d.accountId, '888.01'),
      'DEPOSIT_ABOVE_ANNUAL_ROOM',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => order(d.actor, d.accountId, '0.00'),
      'AMOUNT_NOT_POSITIVE',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => order(d.actor, d.accountId, '1.001'),
      'INVALID_AMOUNT',
      expect,
    );
    // Someone else's account.
    const other = await flexibleDepositor();
    await expectRefusedWithoutWrites(
      t.db,
      () => order(other.actor, d.accountId, '500.00'),
      'FORBIDDEN',
      expect,
    );
    expect(await balanceOf(d.accountId)).toBe(7800000n);
  });

  it('pays a periodic plan by its period amount, one open order per period', async () => {
    const p = await periodWithRequest('DR-PERIOD-ORDER', 'sent');
    const actor = depositorActor(p.person.depositorId);
    await expectRefusedWithoutWrites(
      t.db,
      () => order(actor, p.accountId, '400.00'),
      'DEPOSIT_PERIOD_AMOUNT_MISMATCH',
      expect,
    );
    const o = await order(actor, p.accountId, '500.00');
    expect(o.periodId).toBe(String(p.periodId));
    await expectRefusedWithoutWrites(
      t.db,
      () => order(actor, p.accountId, '500.00'),
      'PAYMENT_ORDER_OPEN_FOR_PERIOD',
      expect,
    );
    await bank.pay(o.orderNo);
    const period = await t.db
      .selectFrom('deposit_periods')
      .selectAll()
      .where('id', '=', p.periodId)
      .executeTakeFirstOrThrow();
    expect(period.status).toBe('paid');
    await expectRefusedWithoutWrites(
      t.db,
      () => order(actor, p.accountId, '500.00'),
      'DEPOSIT_NO_PERIOD_DUE',
      expect,
    );
  });
});

describe('notifications the bank should not have sent, or sent twice', () => {
  it('records a bad signature and credits nothing', async () => {
    const d = await flexibleDepositor();
    const o = await order(d.actor, d.accountId, '500.00');
    const body = JSON.stringify({
      serial: 'FORGED1',
      kind: 'credit',
      orderNo: o.orderNo,
      amount: '500.00',
      valueDate: TODAY,
      status: 'success',
    });
    for (const signature of [signBankMessage(body, 'wrong-secret'), 'not-hex', undefined]) {
      await expect(
        handleBankNotification(t.db, { rawBody: body, signature, secret: SECRET }),
      ).rejects.toMatchObject({ code: 'BANK_SIGNATURE_INVALID' });
    }
    // A body changed after signing fails too.
    const tampered = signed({
      serial: 'FORGED2',
      kind: 'credit',
      orderNo: o.orderNo,
      amount: '5.00',
      valueDate: TODAY,
      status: 'success',
    });
    await expect(
      handleBankNotification(t.db, { ...tampered, rawBody: tampered.rawBody.replace('5.00', '500.00') }),
    ).rejects.toMatchObject({
      code: 'BANK_SIGNATURE_INVALID',
    });
    const rows = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', 'in', ['FORGED1', 'FORGED2'])
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => !r.signature_valid && r.outcome === 'signature_invalid')).toBe(true);
    expect(await depositsOf(d.accountId)).toHaveLength(0);
    expect((await getPaymentOrder(t.db, d.actor, o.orderId)).status).toBe('open');
  });

  it('records money it cannot place as unmatched, for reconciliation', async () => {
    const unknownOrder = await handleBankNotification(
      t.db,
      signed({
        serial: 'U1',
        kind: 'credit',
        orderNo: 'PO-NOPE',
        amount: '300.00',
        valueDate: TODAY,
        status: 'success',
      }),
    );
    expect(unknownOrder).toMatchObject({
      outcome: 'unmatched',
      detail: 'ORDER_UNKNOWN',
      depositId: null,
      replayed: false,
    });
    const noOrder = await bank.transferIn({ amountFen: 12345n, counterparty: '张三', memo: '公积金' });
    const row = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', '=', noOrder.serial)
      .executeTakeFirstOrThrow();
    expect(row.outcome).toBe('unmatched');
    const unknownRequest = await handleBankNotification(
      t.db,
      signed({
        serial: 'U2',
        kind: 'debit_result',
        requestNo: 'DR-NOPE',
        amount: '500.00',
        valueDate: TODAY,
        status: 'success',
      }),
    );
    expect(unknownRequest).toMatchObject({ outcome: 'unmatched', detail: 'REQUEST_UNKNOWN' });
    // A different amount than ordered is not credited either.
    const d = await flexibleDepositor();
    const o = await order(d.actor, d.accountId, '500.00');
    const wrong = await handleBankNotification(
      t.db,
      signed({
        serial: 'U3',
        kind: 'credit',
        orderNo: o.orderNo,
        amount: '499.99',
        valueDate: TODAY,
        status: 'success',
      }),
    );
    expect(wrong).toMatchObject({ outcome: 'unmatched', detail: 'AMOUNT_MISMATCH' });
    expect(await depositsOf(d.accountId)).toHaveLength(0);
    // A kind this version does not know is kept as unmatched (the bank stops resending it) ...
    const unknownKind = await handleBankNotification(
      t.db,
      signed({ serial: 'U4', kind: 'refund', amount: '1.00', valueDate: TODAY, status: 'success' }),
    );
    expect(unknownKind).toMatchObject({ outcome: 'unmatched', detail: 'KIND_UNKNOWN' });
    // ... but a signed body that breaks the protocol is recorded and refused.
    await expect(
      handleBankNotification(
        t.db,
        signed({ serial: 'U5', kind: 'credit', amount: '1.001', valueDate: TODAY, status: 'success' }),
      ),
    ).rejects.toMatchObject({ code: 'BANK_NOTIFICATION_MALFORMED', field: 'amount' });
    const malformed = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', '=', 'U5')
      .execute();
    expect(malformed.map((r) => r.outcome)).toEqual(['malformed']);
  });

  it('credits a duplicate notification once and answers it with the first outcome', async () => {
    const d = await flexibleDepositor();
    const o = await order(d.actor, d.accountId, '600.00');
    bank.setRequestFault(o.orderNo, { kind: 'duplicate' });
    const { serial } = await bank.pay(o.orderNo);
    expect(await balanceOf(d.accountId)).toBe(60000n);
    const rows = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', '=', serial)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.outcome)).toEqual(['credited', 'duplicate']);
    // The bank retries the same notification later.
    await bank.resend(serial);
    const [deposit] = await depositsOf(d.accountId);
    const sent = bank.sent.find((s) => s.notification.serial === serial)!;
    const replay = await handleBankNotification(t.db, {
      rawBody: sent.rawBody,
      signature: sent.signature,
      secret: SECRET,
    });
    expect(replay).toMatchObject({ outcome: 'credited', depositId: String(deposit!.id), replayed: true });
    expect(await depositsOf(d.accountId)).toHaveLength(1);
    expect(await balanceOf(d.accountId)).toBe(60000n);
  });

  it('credits a late notification when it comes, and an older serial after a newer one', async () => {
    const d = await flexibleDepositor();
    const older = await order(d.actor, d.accountId, '200.00');
    const newer = await order(d.actor, d.accountId, '300.00');
    bank.setRequestFault(older.orderNo, { kind: 'late' });
    const a = await bank.pay(older.orderNo);
    const b = await bank.pay(newer.orderNo);
    expect(a.serial < b.serial).toBe(true);
    expect((await getPaymentOrder(t.db, d.actor, older.orderId)).status).toBe('open');
    expect(await balanceOf(d.accountId)).toBe(30000n);
    await bank.releaseHeld();
    expect((await getPaymentOrder(t.db, d.actor, older.orderId)).status).toBe('paid');
    expect(await balanceOf(d.accountId)).toBe(50000n);
  });

  it('records a refusal when the deposit rules refuse money that did arrive', async () => {
    const d = await flexibleDepositor();
    const o = await order(d.actor, d.accountId, '500.00');
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: d.accountId,
      action: 'freeze',
      reason: '司法冻结',
      documentNo: '(2025)蒙02执9号',
    });
    const { serial } = await bank.pay(o.orderNo);
    const row = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', '=', serial)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: 'refused' });
    expect(await depositsOf(d.accountId)).toHaveLength(0);
    // The bank has the money: it shows on the bank's statement, where reconciliation finds it.
    expect(bank.statementCsv(TODAY)).toContain(serial);
  });
});

describe('debit results', () => {
  it('credits a successful debit to its period and marks the request succeeded', async () => {
    const p = await periodWithRequest('DR-OK-1', 'sent');
    expect(await bank.requestDebit(p.debit)).toEqual({ status: 'accepted' });
    await bank.idle();
    const request = await requestRow('DR-OK-1');
    expect(request).toMatchObject({ status: 'succeeded', failure_code: null });
    const [deposit] = await depositsOf(p.accountId);
    expect(deposit).toMatchObject({
      channel: 'debit',
      deposit_period_id: p.periodId,
      bank_serial: request.bank_serial,
      amount_fen: 50000n,
    });
    // The same request number again (a resend after a crash): the bank answers the same, nothing moves.
    expect(await bank.requestDebit(p.debit)).toEqual({ status: 'accepted' });
    await bank.idle();
    expect(await depositsOf(p.accountId)).toHaveLength(1);
  });

  it('marks an insufficient-funds result failed with its code, crediting nothing', async () => {
    const p = await periodWithRequest('DR-BROKE-1', 'sent');
    bank.setCardFault(p.debit.bankCard, { kind: 'insufficient_funds' });
    expect(await bank.requestDebit(p.debit)).toEqual({ status: 'accepted' });
    await bank.idle();
    expect(await requestRow('DR-BROKE-1')).toMatchObject({
      status: 'failed',
      failure_code: INSUFFICIENT_FUNDS,
    });
    expect(await depositsOf(p.accountId)).toHaveLength(0);
    // Refused at the request instead: the answer says so and no notification follows.
    const q = await periodWithRequest('DR-BROKE-2', 'pending');
    bank.setRequestFault('DR-BROKE-2', { kind: 'insufficient_funds', at: 'request' });
    expect(await bank.requestDebit(q.debit)).toEqual({ status: 'rejected', code: INSUFFICIENT_FUNDS });
    await bank.idle();
    expect(await requestRow('DR-BROKE-2')).toMatchObject({ status: 'pending' });
  });

  it('handles a result that arrives before the request is marked sent (out of order)', async () => {
    const p = await periodWithRequest('DR-OOO-1', 'pending');
    bank.setRequestFault('DR-OOO-1', { kind: 'out_of_order' });
    const answer = await bank.requestDebit(p.debit);
    // By the time the answer is back, the result has been handled.
    expect(await requestRow('DR-OOO-1')).toMatchObject({ status: 'succeeded' });
    expect(answer).toEqual({ status: 'accepted' });
    // The sender then records the answer only on a still-pending row, so "succeeded" stays.
    await t.db
      .updateTable('debit_requests')
      .set({ status: 'sent' })
      .where('request_no', '=', 'DR-OOO-1')
      .where('status', '=', 'pending')
      .execute();
    expect(await requestRow('DR-OOO-1')).toMatchObject({ status: 'succeeded' });
    expect(await balanceOf(p.accountId)).toBe(50000n);
  });

  it('times out without an answer; a request the bank processed anyway is still credited once', async () => {
    const p = await periodWithRequest('DR-TIMEOUT-1', 'pending');
    bank.setRequestFault('DR-TIMEOUT-1', { kind: 'timeout' });
    await expect(bank.requestDebit(p.debit)).rejects.toMatchObject({ code: 'BANK_TIMEOUT' });
    expect(await depositsOf(p.accountId)).toHaveLength(0);

    const q = await periodWithRequest('DR-TIMEOUT-2', 'pending');
    bank.setRequestFault('DR-TIMEOUT-2', { kind: 'timeout', processed: true });
    await expect(bank.requestDebit(q.debit)).rejects.toMatchObject({ code: 'BANK_TIMEOUT' });
    await bank.idle();
    expect(await requestRow('DR-TIMEOUT-2')).toMatchObject({ status: 'succeeded' });
    // Sent again with the same number: the bank knows it, answers accepted, moves nothing.
    bank.setRequestFault('DR-TIMEOUT-2', null);
    expect(await bank.requestDebit(q.debit)).toEqual({ status: 'accepted' });
    await bank.idle();
    expect(await depositsOf(q.accountId)).toHaveLength(1);
    expect(await balanceOf(q.accountId)).toBe(50000n);
  });

  it('does not credit a failure, and ignores results for requests already settled', async () => {
    const p = await periodWithRequest('DR-SETTLED-1', 'sent');
    await bank.requestDebit(p.debit);
    await bank.idle();
    const late = await handleBankNotification(
      t.db,
      signed({
        serial: 'LATE-FAIL-1',
        kind: 'debit_result',
        requestNo: 'DR-SETTLED-1',
        amount: '500.00',
        valueDate: TODAY,
        status: 'failed',
        failureCode: 'X',
      }),
    );
    expect(late).toMatchObject({ outcome: 'ignored', detail: 'REQUEST_SUCCEEDED' });
    const twice = await handleBankNotification(
      t.db,
      signed({
        serial: 'SECOND-DEBIT-1',
        kind: 'debit_result',
        requestNo: 'DR-SETTLED-1',
        amount: '500.00',
        valueDate: TODAY,
        status: 'success',
      }),
    );
    // The bank debited twice: the second is money to refund, found by reconciliation.
    expect(twice).toMatchObject({ outcome: 'unmatched', detail: 'REQUEST_SUCCEEDED' });
    expect(await balanceOf(p.accountId)).toBe(50000n);
  });
});

describe('concurrency', () => {
  it('credits the same serial once when it is delivered many times at the same moment', async () => {
    const d = await flexibleDepositor();
    const o = await order(d.actor, d.accountId, '700.00');
    const note = signed({
      serial: 'CONC-1',
      kind: 'credit',
      orderNo: o.orderNo,
      amount: '700.00',
      valueDate: TODAY,
      status: 'success',
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => handleBankNotification(t.db, note)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.depositId)).size).toBe(1);
    expect(results.every((r) => r.outcome === 'credited')).toBe(true);
    expect(await balanceOf(d.accountId)).toBe(70000n);
  });

  it('20 concurrent notifications for different orders of one account end with the exact sum', async () => {
    const d = await flexibleDepositor();
    const amounts = Array.from({ length: 20 }, (_, i) => `${200 + i * 7}.${String(i).padStart(2, '0')}`);
    const orders = [];
    for (const amount of amounts) orders.push(await order(d.actor, d.accountId, amount));
    const paid = await Promise.all(orders.map((o) => bank.pay(o.orderNo)));
    // Each delivered at the first attempt: no deadlock or serialization failure hidden by a bank retry.
    const serials = new Set(paid.map((p) => p.serial));
    expect(
      bank.sent.filter((s) => serials.has(s.notification.serial)).map((s) => [s.state, s.attempts]),
    ).toEqual(Array.from({ length: 20 }, () => ['delivered', 1]));
    const expected = amounts.reduce((s, a) => s + BigInt(a.replace('.', '')), 0n);
    expect(await balanceOf(d.accountId)).toBe(expected);
    expect(await depositsOf(d.accountId)).toHaveLength(20);
    const months = await t.db
      .selectFrom('account_months')
      .selectAll()
      .where('account_id', '=', BigInt(d.accountId))
      .execute();
    expect(months).toEqual([
      expect.objectContaining({ month: '2025-03-01', allocated_fen: expected, covered: true }),
    ]);
  });
});
