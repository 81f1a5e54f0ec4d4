// Refunding suspense to its payer through the payout outbox (migration 0025): money the bank received that
// nothing explained goes back to the card staff enter. Dr 21902 / Cr 21903 with the payout, Dr 21903 /
// Cr 101 when the bank confirms it (the item refunded, the outgoing statement line matched); a refusal puts
// the money back in suspense and the item is open again, to be assigned to an account instead.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { createInProcessBank } from '../../src/services/deposits/handle-bank-notification.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import { resolveSuspenseItem } from '../../src/services/reconciliation/resolve-suspense-item.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { openedDepositor, startCenter, staff } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const TODAY = '2025-03-03';
const finance = staff('finance1', ['finance']);
const PAYER = { bankName: '中国农业银行包头分行', bankCard: '6228480000000000777' };
let t: TestDatabase;
let bank: ReturnType<typeof createInProcessBank>;
let lines = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, TODAY);
  bank = createInProcessBank({ db: t.db, serialPrefix: 'SR', timeoutMs: 50 });
});
afterEach(async () => {
  await bank.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});
afterAll(() => t.close());

/** Money in that no deposit explains: the statement puts it in suspense. Returns the item id. */
async function strayMoney(amount: string): Promise<string> {
  lines += 1;
  const serial = `STRAY-${lines}`;
  await importBankStatement({
    db: t.db,
    actor: finance,
    fileName: `stray-${lines}.csv`,
    content: `serial,value_date,direction,amount,counterparty,memo\n${serial},${TODAY},in,${amount},某付款人,误汇\n`,
  });
  const item = await t.db
    .selectFrom('suspense_items as s')
    .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
    .select('s.id')
    .where('l.bank_serial', '=', serial)
    .executeTakeFirstOrThrow();
  return String(item.id);
}

const refund = (itemId: string, extra: Partial<typeof PAYER> = {}) =>
  resolveSuspenseItem({
    db: t.db,
    actor: finance,
    itemId,
    action: 'refund',
    note: '无法确认缴存人，原路退回',
    ...PAYER,
    ...extra,
    bank,
  });

const itemOf = (itemId: string) =>
  t.db.selectFrom('suspense_items').selectAll().where('id', '=', BigInt(itemId)).executeTakeFirstOrThrow();
const payoutOf = (payoutId: string) =>
  t.db.selectFrom('payouts').selectAll().where('id', '=', BigInt(payoutId)).executeTakeFirstOrThrow();

describe('refunding suspense to its payer', () => {
  it('pays the card through the bank: in transit, then confirmed, and the statement line matches', async () => {
    const itemId = await strayMoney('321.00');
    const suspense = await ledgerBalance(t.db, 'FLEX', '21902');
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    const done = await refund(itemId);
    await bank.idle();
    expect(done.payout).toMatchObject({ status: 'accepted' });
    const payout = await payoutOf(done.payout!.payoutId);
    expect(payout).toMatchObject({
      purpose: 'suspense_refund',
      suspense_item_id: BigInt(itemId),
      account_id: null,
      bank_card: PAYER.bankCard,
      status: 'confirmed',
    });
    expect(await itemOf(itemId)).toMatchObject({ status: 'refunded', resolved_by: 'staff:finance1' });
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspense - 32_100n);
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101 - 32_100n);
    // The bank's statement shows the money going out: a booked payout, not an unknown outgoing line.
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: 'refund-day.csv',
      content: bank.statementCsv(TODAY),
      statementDate: TODAY,
    });
    expect(imported.outgoingUnbooked.count).toBe(0);
    expect(imported.matched.count).toBeGreaterThanOrEqual(1);
  });

  it('a card the bank cannot pay: the money is back in suspense and the item can be assigned instead', async () => {
    const itemId = await strayMoney('1880.00');
    const suspense = await ledgerBalance(t.db, 'FLEX', '21902');
    bank.setCardFault(PAYER.bankCard, { kind: 'payout_refused', code: 'CARD_CLOSED' });
    try {
      const tried = await refund(itemId);
      await bank.idle();
      expect((await payoutOf(tried.payout!.payoutId)).status).toBe('rejected');
    } finally {
      bank.setCardFault(PAYER.bankCard, null);
    }
    expect(await itemOf(itemId)).toMatchObject({
      status: 'open',
      resolution_entry_id: null,
      resolved_by: null,
      note: '银行拒绝退回付款 CARD_CLOSED',
    });
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspense);
    // The payer turned out to be a depositor: the money is credited to their account.
    const { account } = await openedDepositor(t.db, {}, 'flexible');
    const assigned = await resolveSuspenseItem({
      db: t.db,
      actor: finance,
      itemId,
      action: 'assign',
      accountId: account.accountId,
      note: '核实为缴存人汇款',
    });
    expect(assigned.item.status).toBe('assigned');
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspense - 188_000n);
  });

  it('refuses without the card or the bank, and an item already refunding, writing nothing', async () => {
    const itemId = await strayMoney('10.00');
    await expectRefusedWithoutWrites(
      t.db,
      () => refund(itemId, { bankCard: '12ab' }),
      'VALIDATION_FAILED',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => refund(itemId, { bankName: ' ' }),
      'VALIDATION_FAILED',
      expect,
    );
    bank.setCardFault(PAYER.bankCard, { kind: 'timeout' });
    try {
      const pending = await refund(itemId);
      expect(pending.item.status).toBe('refunding');
      expect(pending.payout?.status).toBe('sent');
    } finally {
      bank.setCardFault(PAYER.bankCard, null);
    }
    await expectRefusedWithoutWrites(t.db, () => refund(itemId), 'SUSPENSE_ITEM_NOT_OPEN', expect);
  });
});
