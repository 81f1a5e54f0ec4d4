// The payout outbox (guide habit 5): sent after commit with the payout's own request number, never twice
// (a timeout and a resend with the same number move the money once), confirmed Dr 21903 / Cr 101, and a
// returned payment (退票) puts the money back on the member. The books balance after every scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { openedDepositor, startCenter, staff, teller } from '../support/services.ts';
import { importStatementsAllBooked, wiredBank } from '../support/bank.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { requestFreeWithdrawal } from '../../src/services/withdrawals/request-free-withdrawal.ts';
import { closeAccount } from '../../src/services/withdrawals/close-account.ts';
import { dispatchPayouts } from '../../src/services/payouts/dispatch-payouts.ts';
import { handlePayoutNotification } from '../../src/services/payouts/handle-payout-notification.ts';
import { recordPayoutReturn } from '../../src/services/payouts/record-payout-return.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import { resolveSuspenseItem } from '../../src/services/reconciliation/resolve-suspense-item.ts';
import { reconciliationReport } from '../../src/services/reconciliation/reconciliation-report.ts';
import { closeDays } from '../../src/jobs/close-day.ts';
import { bankSecretFromEnv, signBankMessage } from '../../src/integrations/bank/signing.ts';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/api/app.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';
import { HttpBankGateway } from '../../src/integrations/bank/http-gateway.ts';
import { startBankSimulatorServer } from '../../src/integrations/bank/http-simulator-server.ts';

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
const nextKey = () => `po-key-${++key}`;
const finance = staff('finance1', ['finance']);

async function eligibleAccount(): Promise<string> {
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
      amount: '1000.00',
      valueDate,
      idempotencyKey: nextKey(),
    });
  }
  return account.accountId;
}

const payoutOf = (id: string) =>
  t.db.selectFrom('payouts').selectAll().where('id', '=', BigInt(id)).executeTakeFirstOrThrow();
const balanceOf = async (accountId: string) =>
  (
    await t.db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow()
  ).balance_fen;

function connectedBank(serialPrefix?: string) {
  const bank = wiredBank(t.db, undefined, serialPrefix);
  bank.setPayoutNotifier((rawBody, signature) => handlePayoutNotification(t.db, { rawBody, signature }));
  return bank;
}

describe('dispatching payouts', () => {
  it('survives a crash between the request and its answer: resent with the same number, paid once', async () => {
    const accountId = await eligibleAccount();
    const bank = wiredBank(t.db); // the process that crashes never hears back
    const card = '6217000010001234567';
    // The bank takes the payout but its answer never arrives (the process "dies" waiting).
    bank.setCardFault(card, { kind: 'timeout', processed: true });
    const w = await requestFreeWithdrawal({
      db: t.db,
      actor: teller,
      accountId,
      amount: '1500.00',
      idempotencyKey: nextKey(),
      bank,
    });
    let payout = await payoutOf(w.payoutId!);
    expect(payout).toMatchObject({ status: 'sent', attempts: 1, last_error: 'BANK_TIMEOUT' });
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(150000n);
    // Restart: the next dispatch asks again with the same request number; the bank answers from its
    // record and moves nothing a second time.
    bank.clearFaults();
    const again = await dispatchPayouts({ db: t.db, bank, ignoreBackoff: true });
    expect(again).toMatchObject({ sent: 1, accepted: 1 });
    payout = await payoutOf(w.payoutId!);
    expect(payout).toMatchObject({ status: 'accepted', attempts: 2 });
    const requests = bank.requests.filter((r) => r.type === 'payout');
    expect(requests.map((r) => r.request.requestNo)).toEqual([payout.request_no, payout.request_no]);
    expect(bank.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toHaveLength(1);
    // The bank's result arrives (twice): confirmed once, Dr 21903 / Cr 101.
    const body = JSON.stringify({
      serial: 'BANKPO0001',
      kind: 'payout_result',
      requestNo: payout.request_no,
      amount: '1500.00',
      valueDate: '2025-03-03',
      status: 'success',
    });
    const signature = signBankMessage(body, bankSecretFromEnv());
    expect((await handlePayoutNotification(t.db, { rawBody: body, signature })).outcome).toBe('confirmed');
    expect((await handlePayoutNotification(t.db, { rawBody: body, signature })).outcome).toBe('already');
    await expect(handlePayoutNotification(t.db, { rawBody: body, signature: 'bad' })).rejects.toMatchObject({
      code: 'BANK_SIGNATURE_INVALID',
    });
    payout = await payoutOf(w.payoutId!);
    expect(payout).toMatchObject({ status: 'confirmed', bank_serial: 'BANKPO0001' });
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('keeps an unprocessed timed-out payout and sends it once when the bank is back; the close sends leftovers', async () => {
    const accountId = await eligibleAccount();
    const bank = connectedBank();
    bank.setCardFault('6217000010001234567', { kind: 'timeout' });
    const w = await requestFreeWithdrawal({
      db: t.db,
      actor: teller,
      accountId,
      amount: '700.00',
      idempotencyKey: nextKey(),
      bank,
    });
    let payout = await payoutOf(w.payoutId!);
    expect(payout).toMatchObject({ status: 'sent', last_error: 'BANK_TIMEOUT' });
    expect(bank.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toHaveLength(0);
    bank.clearFaults();
    // Not yet due for a retry: a plain dispatch leaves it; the close sends anything left.
    expect((await dispatchPayouts({ db: t.db, bank })).sent).toBe(0);
    const [closed] = await closeDays({ db: t.db, bank, actor: { type: 'system', id: 'test' } });
    expect(closed!.steps.find((s) => s.step === 'payout-dispatch')!.summary).toMatchObject({ accepted: 1 });
    payout = await payoutOf(w.payoutId!);
    expect(payout.status).toBe('confirmed');
    expect(bank.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toHaveLength(1);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });
});

describe('a statement imported before the payout result', () => {
  it('lists the outgoing line as not booked until the result confirms the payout', async () => {
    const accountId = await eligibleAccount();
    const bank = wiredBank(t.db, undefined, 'EARLY'); // the payout result has not come in yet
    const w = await requestFreeWithdrawal({
      db: t.db,
      actor: teller,
      accountId,
      amount: '900.00',
      idempotencyKey: nextKey(),
      bank,
    });
    const payout = await payoutOf(w.payoutId!);
    expect(payout.status).toBe('accepted');
    const paid = bank.movements.find((m) => m.memo === `代付 ${payout.request_no}`)!;
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: 'early.csv',
      content: bank.statementCsv(paid.valueDate),
      statementDate: paid.valueDate,
    });
    expect(imported.outgoingUnbooked).toEqual({ count: 1, amount: '900.00', serials: [paid.serial] });
    expect((await reconciliationReport(t.db, paid.valueDate)).outgoingUnbooked.count).toBe(1);
    // The bank's result arrives: the payout is confirmed with that serial, and the report no longer lists it.
    const body = JSON.stringify({
      serial: paid.serial,
      kind: 'payout_result',
      requestNo: payout.request_no,
      amount: '900.00',
      valueDate: paid.valueDate,
      status: 'success',
    });
    const signature = signBankMessage(body, bankSecretFromEnv());
    expect((await handlePayoutNotification(t.db, { rawBody: body, signature })).outcome).toBe('confirmed');
    expect((await reconciliationReport(t.db, paid.valueDate)).outgoingUnbooked).toEqual({
      count: 0,
      amount: '0.00',
      items: [],
    });
  });
});

describe('returned payments (退票)', () => {
  it('puts a confirmed payout back on the member (Dr 101 / Cr 201), once, however often the bank says so', async () => {
    const accountId = await eligibleAccount();
    const bank = connectedBank('RET');
    const before = await balanceOf(accountId);
    const w = await requestFreeWithdrawal({
      db: t.db,
      actor: teller,
      accountId,
      amount: '800.00',
      idempotencyKey: nextKey(),
      bank,
    });
    await bank.idle();
    const payout = await payoutOf(w.payoutId!);
    expect(payout.status).toBe('confirmed');
    const bankBalance = await ledgerBalance(t.db, 'FLEX', '101');
    const { serial } = await bank.returnPayout(payout.request_no, 'ACCOUNT_CLOSED');
    await bank.resend(serial);
    const returned = await payoutOf(w.payoutId!);
    expect(returned).toMatchObject({
      status: 'returned',
      return_serial: serial,
      return_reason: 'ACCOUNT_CLOSED',
    });
    const postings = await t.db
      .selectFrom('postings')
      .select(['account_code', 'side', 'amount_fen'])
      .where('entry_id', '=', returned.return_entry_id!)
      .orderBy('id')
      .execute();
    expect(postings).toEqual([
      { account_code: '101', side: 'D', amount_fen: 80000n },
      { account_code: '201', side: 'C', amount_fen: 80000n },
    ]);
    expect(await balanceOf(accountId)).toBe(before);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBalance + 80000n);
    const withdrawal = await t.db
      .selectFrom('withdrawals')
      .select(['status', 'returned_on'])
      .where('id', '=', BigInt(w.withdrawalId))
      .executeTakeFirstOrThrow();
    expect(withdrawal).toEqual({ status: 'returned', returned_on: '2025-03-04' });

    // The bank's statements show the payout leaving and the money coming back: both match what the books
    // record (the payout, its return), nothing goes to suspense and 101 does not move a second time.
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    await importStatementsAllBooked(
      t.db,
      bank,
      bank.movements.map((m) => m.valueDate),
      finance,
    );
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101);
    const lines = await t.db
      .selectFrom('bank_statement_lines')
      .select(['direction', 'source_type', 'source_id', 'match_status'])
      .where('bank_serial', 'in', [payout.bank_serial!, serial])
      .orderBy('direction')
      .execute();
    expect(lines).toEqual([
      { direction: 'in', source_type: 'payout_return', source_id: payout.id, match_status: 'matched' },
      { direction: 'out', source_type: 'payout', source_id: payout.id, match_status: 'matched' },
    ]);
  });

  it('a return the statement showed first is taken from suspense, not booked into 101 a second time', async () => {
    const bank = connectedBank('RS');
    const confirmedPayout = async (amount: string) => {
      const accountId = await eligibleAccount();
      const w = await requestFreeWithdrawal({
        db: t.db,
        actor: teller,
        accountId,
        amount,
        idempotencyKey: nextKey(),
        bank,
      });
      await bank.idle();
      expect((await payoutOf(w.payoutId!)).status).toBe('confirmed');
      return { accountId, payoutId: w.payoutId!, before: await balanceOf(accountId) };
    };
    const a = await confirmedPayout('600.00');
    const b = await confirmedPayout('700.00');
    // The statement lists both sums coming back before anyone recorded the returns: nothing in the books
    // explains them yet, so they go to suspense (Dr 101 / Cr 21902).
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: 'returns-first.csv',
      content:
        'serial,value_date,direction,amount,counterparty,memo\n' +
        'RS-RET-1,2025-03-04,in,600.00,6217000010001234567,退票\n' +
        'RS-RET-2,2025-03-04,in,700.00,6217000010001234567,退票\n',
    });
    expect(imported.suspense).toMatchObject({ count: 2, amount: '1300.00' });
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    const suspense = await ledgerBalance(t.db, 'FLEX', '21902');

    // Finance records the first return with the line's serial: the money comes out of 21902.
    expect(
      await recordPayoutReturn({
        db: t.db,
        actor: finance,
        payoutId: a.payoutId,
        bankSerial: 'RS-RET-1',
        reason: '户名不符',
      }),
    ).toMatchObject({ outcome: 'returned' });
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101);
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspense - 60000n);
    expect(await balanceOf(a.accountId)).toBe(a.before + 60000n);
    const item = await t.db
      .selectFrom('suspense_items as s')
      .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
      .select(['s.status', 'l.match_status', 'l.source_type', 'l.source_id'])
      .where('l.bank_serial', '=', 'RS-RET-1')
      .executeTakeFirstOrThrow();
    expect(item).toEqual({
      status: 'assigned',
      match_status: 'resolved',
      source_type: 'payout_return',
      source_id: BigInt(a.payoutId),
    });

    // Staff had already refunded the second sum to its sender: the return cannot book it again.
    const itemB = await t.db
      .selectFrom('suspense_items as s')
      .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
      .select('s.id')
      .where('l.bank_serial', '=', 'RS-RET-2')
      .executeTakeFirstOrThrow();
    await resolveSuspenseItem({
      db: t.db,
      actor: finance,
      itemId: itemB.id,
      action: 'refund',
      note: '原路退回',
      bankName: '中国银行包头分行',
      bankCard: '6217000000000000456',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        recordPayoutReturn({
          db: t.db,
          actor: finance,
          payoutId: b.payoutId,
          bankSerial: 'RS-RET-2',
          reason: '户名不符',
        }),
      'BANK_SERIAL_ALREADY_RECONCILED',
      expect,
    );
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('from a statement line: an unconfirmed payout goes back Dr 21903 / Cr 201; a closure is sealed again', async () => {
    const accountId = await eligibleAccount();
    const bank = wiredBank(t.db); // no payout results: the statement is the only evidence
    const closed = await closeAccount({
      db: t.db,
      actor: teller,
      accountId,
      idempotencyKey: nextKey(),
      bank,
    });
    const payout = await payoutOf(closed.payoutId!);
    expect(payout.status).toBe('accepted');
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        recordPayoutReturn({
          db: t.db,
          actor: finance,
          payoutId: closed.payoutId!,
          bankSerial: 'S1',
          reason: '',
        }),
      'WITHDRAWAL_REASON_REQUIRED',
      expect,
    );
    const first = await recordPayoutReturn({
      db: t.db,
      actor: finance,
      payoutId: closed.payoutId!,
      bankSerial: 'STMT-0001',
      reason: '户名不符',
    });
    const again = await recordPayoutReturn({
      db: t.db,
      actor: finance,
      payoutId: closed.payoutId!,
      bankSerial: 'STMT-0001',
      reason: '户名不符',
    });
    expect([first.outcome, again.outcome]).toEqual(['returned', 'already']);
    const returned = await payoutOf(closed.payoutId!);
    const postings = await t.db
      .selectFrom('postings')
      .select(['account_code', 'side'])
      .where('entry_id', '=', returned.return_entry_id!)
      .orderBy('id')
      .execute();
    expect(postings).toEqual([
      { account_code: '21903', side: 'D' },
      { account_code: '201', side: 'C' },
    ]);
    const account = await t.db
      .selectFrom('accounts')
      .select(['state', 'balance_fen'])
      .where('id', '=', BigInt(accountId))
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ state: '02', balance_fen: returned.amount_fen });
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });
});

describe('the HTTP bank simulator', () => {
  it('dedupes payout request numbers over the socket and reports results to the signed endpoint', async () => {
    const secret = 'payout-http-secret';
    const app = await buildApp({ db: t.db, sms: new SimulatedSmsGateway(), databaseKind: t.kind });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const anju = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const previous = process.env.ANJU_BANK_SECRET;
    process.env.ANJU_BANK_SECRET = secret;
    const sim = await startBankSimulatorServer({
      port: 0,
      secret,
      notifyUrl: `${anju}/api/v1/bank/notifications`,
      payoutNotifyUrl: `${anju}/api/v1/bank/payout-notifications`,
      bankDate: () => '2025-03-04',
    });
    try {
      const gateway = new HttpBankGateway({ baseUrl: sim.url, secret, timeoutMs: 10_000 });
      const accountId = await eligibleAccount();
      const w = await requestFreeWithdrawal({
        db: t.db,
        actor: teller,
        accountId,
        amount: '900.00',
        idempotencyKey: nextKey(),
        bank: gateway,
      });
      await sim.control.idle();
      const payout = await payoutOf(w.payoutId!);
      expect(payout.status).toBe('confirmed');
      // The same request again over the socket (a resend after a crash): the first answer, no new movement.
      const resend = await gateway.requestPayout({
        requestNo: payout.request_no,
        accountNumber: 'ignored',
        bankCard: payout.bank_card,
        amountFen: payout.amount_fen,
        valueDate: payout.value_date,
      });
      expect(resend).toEqual({ status: 'accepted' });
      const sent = sim.control.requests.filter(
        (r) => r.type === 'payout' && r.request.requestNo === payout.request_no,
      );
      expect(sent).toHaveLength(2);
      expect(sim.control.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toHaveLength(1);
      // A returned payment over the socket.
      await sim.control.returnPayout(payout.request_no, 'NAME_MISMATCH');
      expect((await payoutOf(w.payoutId!)).status).toBe('returned');
      expect((await verifyBooks(t.db)).ok).toBe(true);
    } finally {
      await sim.close();
      await app.close();
      if (previous === undefined) delete process.env.ANJU_BANK_SECRET;
      else process.env.ANJU_BANK_SECRET = previous;
    }
  });
});
