// Reconciliation with the bank (rules.md §7: the books agree with the bank to the fen): statement lines
// matched to deposits by serial and amount, bank money nobody credited held in suspense (21902) until it
// is assigned to an account or refunded, and the day's report.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { openedDepositor, startCenter, staff } from '../support/services.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { signBankMessage } from '../../src/integrations/bank/signing.ts';
import {
  bankNotifierFor,
  handleBankNotification,
} from '../../src/services/deposits/handle-bank-notification.ts';
import { createPaymentOrder } from '../../src/services/deposits/create-payment-order.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import {
  listSuspenseItems,
  resolveSuspenseItem,
} from '../../src/services/reconciliation/resolve-suspense-item.ts';
import { reconciliationReport } from '../../src/services/reconciliation/reconciliation-report.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { parseBankStatement } from '../../src/domain/bank-statement.ts';
import type { Actor } from '../../src/domain/roles.ts';

const TODAY = '2025-03-03';
const SECRET = 'recon-secret';
const finance = staff('finance1', ['finance']);
/** Where a suspense refund sends the money back: the payer's bank and card. */
const PAYER = { bankName: '中国银行包头分行', bankCard: '6217000000000000123' };
let t: TestDatabase;
let bank: InProcessBank;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, TODAY);
  bank = new InProcessBank({ secret: SECRET, serialPrefix: 'R', bankDate: () => TODAY });
  bank.setNotifier(bankNotifierFor(t.db, { secret: SECRET }));
});
afterEach(async () => {
  await bank.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});
afterAll(() => t.close());

let keys = 0;
async function depositorWithOrder(amount: string) {
  const opened = await openedDepositor(t.db, {}, 'flexible');
  const actor: Actor = { type: 'depositor', id: 1n, depositorId: BigInt(opened.person.depositorId) };
  const order = await createPaymentOrder({
    db: t.db,
    actor,
    bank,
    accountId: opened.account.accountId,
    amount,
    idempotencyKey: `recon-${++keys}`,
  });
  return { accountId: opened.account.accountId, order };
}

async function balanceOf(accountId: string): Promise<bigint> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', BigInt(accountId))
    .executeTakeFirstOrThrow();
  return row.balance_fen;
}

/** A credit notification the bank sent but that never shows on its statement (the orphan side). */
async function notifyDirectly(serial: string, orderNo: string, amount: string) {
  const rawBody = JSON.stringify({
    serial,
    kind: 'credit',
    orderNo,
    amount,
    valueDate: TODAY,
    status: 'success',
  });
  return handleBankNotification(t.db, {
    rawBody,
    signature: signBankMessage(rawBody, SECRET),
    secret: SECRET,
  });
}

const importCsv = (content: string, fileName = 'statement.csv') =>
  importBankStatement({ db: t.db, actor: finance, fileName, content });

describe('the statement file', () => {
  it('is read line by line and refused whole when any line is wrong', async () => {
    const good =
      'serial,value_date,direction,amount,counterparty,memo\nS1,2025-03-03,in,100.00,"张三, 个人",memo\n\n';
    expect(parseBankStatement(good)).toEqual([
      {
        lineNo: 2,
        serial: 'S1',
        valueDate: '2025-03-03',
        direction: 'in',
        amountFen: 10000n,
        counterparty: '张三, 个人',
        memo: 'memo',
      },
    ]);
    const bad = [
      'serial,value_date,direction,amount,counterparty,memo',
      'S1,2025-02-30,in,100.00,a,b',
      'S2,2025-03-03,sideways,100.00,a,b',
      'S3,2025-03-03,in,100.001,a,b',
      'S4,2025-03-03,in,-1.00,a,b',
      'S5,2025-03-03,in,1.00,a',
      'S6,2025-03-03,in,1.00,a,b',
      'S6,2025-03-03,in,2.00,a,b',
    ].join('\n');
    const error = await expectRefusedWithoutWrites(
      t.db,
      () => importCsv(bad, 'bad.csv'),
      'BANK_STATEMENT_MALFORMED',
      expect,
    );
    expect(
      (error as { details: { problems: Array<{ line: number; field: string }> } }).details.problems.map(
        (p) => `${p.line}:${p.field}`,
      ),
    ).toEqual(['2:value_date', '3:direction', '4:amount', '5:amount', '6:columns', '8:serial']);
    await expectRefusedWithoutWrites(
      t.db,
      () => importCsv('serial;value_date\n', 'header.csv'),
      'BANK_STATEMENT_MALFORMED',
      expect,
    );
  });
});

describe('a day of reconciliation', () => {
  it('matches, holds the unexplained money in suspense, and clears it by assignment and by refund', async () => {
    // Matched: an order paid and credited the normal way.
    const a = await depositorWithOrder('500.00');
    await bank.pay(a.order.orderNo);
    // Money with no order at all (too small even to be a flexible deposit).
    const stray = await bank.transferIn({ amountFen: 12345n, counterparty: '李四', memo: '转账' });
    // An order paid whose notification the bank lost.
    const b = await depositorWithOrder('800.00');
    bank.setRequestFault(b.order.orderNo, { kind: 'lost' });
    const lost = await bank.pay(b.order.orderNo);
    // An order paid whose notification is late: it comes after the statement.
    const c = await depositorWithOrder('400.00');
    bank.setRequestFault(c.order.orderNo, { kind: 'late' });
    const late = await bank.pay(c.order.orderNo);
    // Credited by a notification, but the bank's statement shows another amount.
    const d = await depositorWithOrder('250.00');
    await notifyDirectly('MISMATCH-1', d.order.orderNo, '250.00');
    // Credited by a notification, and missing from the statement (deposit without bank line).
    const e = await depositorWithOrder('210.00');
    await notifyDirectly('ORPHAN-1', e.order.orderNo, '210.00');

    const csv =
      bank.statementCsv(TODAY) +
      'MISMATCH-1,2025-03-03,in,260.00,王五,\n' +
      'PAYOUT-1,2025-03-03,out,99.00,赵六,退款\n';
    const imported = await importCsv(csv, 'ccb-20250303.csv');
    expect(imported).toMatchObject({
      statementDate: TODAY,
      lineCount: 6,
      matched: { count: 1, amount: '500.00' },
      suspense: { count: 3, amount: '1323.45' },
      amountMismatches: [
        {
          serial: 'MISMATCH-1',
          direction: 'in',
          bankAmount: '260.00',
          bookedAmount: '250.00',
          sourceType: 'deposit',
        },
      ],
      outgoing: { count: 1, amount: '99.00' },
      // No payout, disbursement or transfer has this serial: listed, nothing posted.
      outgoingUnbooked: { count: 1, amount: '99.00', serials: ['PAYOUT-1'] },
      replayed: false,
    });
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(132345n);

    // The same file again changes nothing; another file repeating its serials is refused.
    expect(await importCsv(csv, 'again.csv')).toMatchObject({
      statementId: imported.statementId,
      replayed: true,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => importCsv(csv + '\n', 'edited.csv'),
      'BANK_STATEMENT_SERIAL_REPEATED',
      expect,
    );

    const open = await listSuspenseItems(t.db);
    const item = (serial: string) => open.find((i) => i.bankSerial === serial)!;
    expect(open.map((i) => i.bankSerial).sort()).toEqual([late.serial, lost.serial, stray.serial].sort());

    // The late notification now arrives: its money is already in suspense, so it is assigned from 21902.
    await bank.releaseHeld();
    expect(await balanceOf(c.accountId)).toBe(40000n);
    expect(
      (await listSuspenseItems(t.db, { status: 'all' })).find((i) => i.bankSerial === late.serial),
    ).toMatchObject({ status: 'assigned' });

    // Staff assign the lost payment to its depositor: a deposit from 21902, dated when the money arrived.
    const assigned = await resolveSuspenseItem({
      db: t.db,
      actor: finance,
      itemId: item(lost.serial).itemId,
      action: 'assign',
      accountId: b.accountId,
      note: '订单通知丢失',
    });
    expect(assigned.item).toMatchObject({ status: 'assigned', resolvedBy: 'staff:finance1' });
    expect(assigned.deposit).toMatchObject({ amount: '800.00', valueDate: TODAY });
    const deposit = await t.db
      .selectFrom('deposits')
      .selectAll()
      .where('id', '=', BigInt(assigned.deposit!.depositId))
      .executeTakeFirstOrThrow();
    expect(deposit).toMatchObject({ channel: 'suspense', bank_serial: lost.serial });
    expect(await balanceOf(b.accountId)).toBe(80000n);
    // The lost notification finally arrives: already reconciled, nothing more is credited.
    await bank.resend(lost.serial);
    const redelivered = await t.db
      .selectFrom('bank_notifications')
      .selectAll()
      .where('bank_serial', '=', lost.serial)
      .executeTakeFirstOrThrow();
    expect(redelivered.outcome).toBe('unmatched');
    expect(await balanceOf(b.accountId)).toBe(80000n);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        resolveSuspenseItem({
          db: t.db,
          actor: finance,
          itemId: item(lost.serial).itemId,
          action: 'refund',
          note: 'x',
          ...PAYER,
        }),
      'SUSPENSE_ITEM_NOT_OPEN',
      expect,
    );

    // 123.45 cannot be a deposit (below the 198.00 lower limit): the refusal leaves the item open ...
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        resolveSuspenseItem({
          db: t.db,
          actor: finance,
          itemId: item(stray.serial).itemId,
          action: 'assign',
          accountId: a.accountId,
        }),
      'DEPOSIT_BELOW_MINIMUM',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        resolveSuspenseItem({
          db: t.db,
          actor: finance,
          itemId: item(stray.serial).itemId,
          action: 'refund',
          ...PAYER,
        }),
      'VALIDATION_FAILED',
      expect,
    );
    // ... and it is refunded: Dr 21902 / Cr 21903 with a payout to the payer's card (sent by the close's
    // payout step here, no bank given), the item refunding until the bank confirms it.
    const refunded = await resolveSuspenseItem({
      db: t.db,
      actor: finance,
      itemId: item(stray.serial).itemId,
      action: 'refund',
      note: '无法确认缴存人，原路退回',
      ...PAYER,
    });
    expect(refunded.item.status).toBe('refunding');
    expect(refunded.payout).toMatchObject({ status: 'pending' });
    const postings = await t.db
      .selectFrom('postings')
      .select(['account_code', 'side', 'amount_fen'])
      .where('entry_id', '=', BigInt(refunded.journalEntryId))
      .orderBy('id')
      .execute();
    expect(postings).toEqual([
      { account_code: '21902', side: 'D', amount_fen: 12345n },
      { account_code: '21903', side: 'C', amount_fen: 12345n },
    ]);
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(0n);
    expect(await listSuspenseItems(t.db)).toEqual([]);

    const report = await reconciliationReport(t.db, TODAY);
    expect(report).toMatchObject({
      date: TODAY,
      statementImported: true,
      matched: { count: 1, amount: '500.00' },
      amountMismatches: [{ serial: 'MISMATCH-1', bankAmount: '260.00', bookedAmount: '250.00' }],
      bankLinesWithoutDeposit: { count: 3, amount: '1323.45' },
      depositsWithoutBankLine: {
        count: 1,
        amount: '210.00',
        items: [{ serial: 'ORPHAN-1', channel: 'portal', accountId: e.accountId }],
      },
      outgoing: { count: 1, amount: '99.00' },
      outgoingUnbooked: { count: 1, amount: '99.00', items: [{ serial: 'PAYOUT-1', amount: '99.00' }] },
      movementsWithoutBankLine: { count: 0 },
      suspense: {
        opening: '0.00',
        added: '1323.45',
        assigned: '1200.00',
        refunded: '123.45',
        other: '0.00',
        closing: '0.00',
        openItems: 0,
      },
    });
    expect(report.notificationsNotCredited.map((n) => n.serial)).toContain(stray.serial);
    expect(report.bankLinesWithoutDeposit.items.map((i) => i.suspenseStatus).sort()).toEqual([
      'assigned',
      'assigned',
      'refunding',
    ]);
  });
});
