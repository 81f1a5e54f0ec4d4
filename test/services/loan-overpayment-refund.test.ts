// Refunding loan over-payments (rules.md §6.5, ours): a bank debit result that arrives after the installment
// was paid at the counter is held on 21909; finance refunds it to the borrower's card through the payout
// outbox (Dr 21909 / Cr 21903), the bank confirms it (Dr 21903 / Cr 101), or refuses or returns it (退票)
// and the money is back on 21909, refundable again. Nothing is refunded twice, a refund above what is held
// is refused writing nothing, and the books verify after every scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites, rowCounts } from '../support/snapshot.ts';
import { staff, startCenter, teller } from '../support/services.ts';
import {
  borrowersWithLoans,
  overpayInstallmentsDue,
  type LoanBorrower,
  type Overpaid,
} from '../support/loan-overpayment.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import type { BankGateway } from '../../src/integrations/bank/gateway.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { createInProcessBank } from '../../src/services/deposits/handle-bank-notification.ts';
import { dispatchPayouts } from '../../src/services/payouts/dispatch-payouts.ts';
import { listPayouts } from '../../src/services/payouts/list-payouts.ts';
import { refundLoanOverpayment } from '../../src/services/loans/refund-loan-overpayment.ts';
import { viewLoanRepayments } from '../../src/services/loans/view-loan-repayments.ts';

let t: TestDatabase;
let bank: ReturnType<typeof createInProcessBank>;
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const finance = staff('finance7', ['finance']);
const manager = staff('manager7', ['manager']);

let borrower: LoanBorrower;
let first: Overpaid;
let second: Overpaid;
let key = 0;
const nextKey = () => `refund-key-${++key}`;

/** A bank that refuses every payout at once (a closed card): dispatch-payouts puts the money back. */
const refusingBank: BankGateway = {
  requestPayout: async () => ({ status: 'rejected', code: 'ACCOUNT_CLOSED' }),
  requestDebit: () => Promise.reject(new Error('not used')),
  createPaymentPage: () => Promise.reject(new Error('not used')),
  submitDebitBatch: () => Promise.reject(new Error('not used')),
  fetchDebitBatchResult: () => Promise.reject(new Error('not used')),
};

const held = () => ledgerBalance(t.db, 'FLEX', '21909');
const inTransit = () => ledgerBalance(t.db, 'FLEX', '21903');

async function postingsOf(entryId: bigint | string | null) {
  return t.db
    .selectFrom('postings')
    .select(['account_code', 'side', 'amount_fen', 'member_account_id'])
    .where('entry_id', '=', BigInt(entryId!))
    .orderBy('id')
    .execute();
}

const payoutOf = (id: string) =>
  t.db.selectFrom('payouts').selectAll().where('id', '=', BigInt(id)).executeTakeFirstOrThrow();
const refundOf = (id: string) =>
  t.db
    .selectFrom('loan_overpayment_refunds')
    .selectAll()
    .where('id', '=', BigInt(id))
    .executeTakeFirstOrThrow();
const view = () => viewLoanRepayments({ db: t.db, actor: teller, loanId: borrower.loanId });
const repaymentView = async (id: string) => (await view()).repayments.find((r) => r.repaymentId === id)!;

async function expectBooks(): Promise<void> {
  const books = await verifyBooks(t.db);
  expect(books.checks.filter((c) => !c.ok)).toEqual([]);
  // 21909 holds exactly what was over-paid and is neither refunded nor in flight.
  const outstanding = await sql<{ fen: bigint }>`
    SELECT (COALESCE((SELECT SUM(unapplied_fen) FROM loan_repayments), 0)
      - COALESCE((SELECT SUM(x.amount_fen) FROM loan_overpayment_refund_lines x
                  JOIN loan_overpayment_refunds f ON f.id = x.refund_id WHERE f.status IN ('posted', 'paid')), 0))::bigint AS fen`.execute(
    t.db,
  );
  expect(await held()).toBe(outstanding.rows[0]!.fen);
}

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  bank = createInProcessBank({ db: t.db, serialPrefix: 'OV', timeoutMs: 50 });
  await startCenter(t.db, '2024-09-02');
  borrower = (await borrowersWithLoans(t.db, { bank, bureau, names: ['钱多付'], seed: 700 }))[0]!;
  first = (await overpayInstallmentsDue(t.db, bank, '2025-06-12'))[0]!;
  second = (await overpayInstallmentsDue(t.db, bank, '2025-07-12'))[0]!;
}, 180_000);

afterAll(async () => {
  await t?.close();
});

/** A refund of the borrower's loan: by finance with a fresh key unless the options say otherwise. */
function refund(options: Partial<Parameters<typeof refundLoanOverpayment>[0]> = {}) {
  return refundLoanOverpayment({
    db: t.db,
    actor: finance,
    loanId: borrower.loanId,
    idempotencyKey: nextKey(),
    ...options,
  });
}

describe('an over-payment held on 21909', () => {
  it('is shown per repayment with what is refundable and the card a refund goes to', async () => {
    expect(first.loanId).toBe(borrower.loanId);
    expect(second.loanId).toBe(borrower.loanId);
    expect(await held()).toBe(first.unappliedFen + second.unappliedFen);
    const v = await view();
    const debit = v.repayments.find((r) => r.repaymentId === first.repaymentId)!;
    expect(debit).toMatchObject({
      channel: 'debit',
      unapplied: fenToYuanString(first.unappliedFen),
      refunded: '0.00',
      refunding: '0.00',
      refundable: fenToYuanString(first.unappliedFen),
      refundStatus: 'held',
    });
    // The counter repayment paid exactly what was owed: nothing held.
    expect(v.repayments.filter((r) => r.channel === 'counter').map((r) => r.refundStatus)).toEqual([
      'none',
      'none',
    ]);
    expect(v.overpayment).toMatchObject({
      unapplied: fenToYuanString(first.unappliedFen + second.unappliedFen),
      refundable: fenToYuanString(first.unappliedFen + second.unappliedFen),
      refunds: [],
      card: {
        bankName: '中国建设银行包头分行',
        bankCard: `${borrower.card.slice(0, 4)} **** **** ${borrower.card.slice(-4)}`,
      },
    });
    await expectBooks();
  });

  it('refuses, writing nothing: a teller, more than is held, a repayment that holds nothing, an unknown one', async () => {
    const all = first.unappliedFen + second.unappliedFen;
    await expectRefusedWithoutWrites(t.db, () => refund({ actor: teller }), 'LOAN_ROLE_REQUIRED', expect);
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ amount: fenToYuanString(all + 1n), bank }),
      'LOAN_OVERPAYMENT_REFUND_ABOVE_HELD',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ repaymentId: first.repaymentId, amount: fenToYuanString(first.unappliedFen + 1n) }),
      'LOAN_OVERPAYMENT_REFUND_ABOVE_HELD',
      expect,
    );
    const counter = (await view()).repayments.find((r) => r.channel === 'counter')!;
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ repaymentId: counter.repaymentId }),
      'LOAN_OVERPAYMENT_NOTHING_HELD',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ repaymentId: '999999' }),
      'LOAN_REPAYMENT_NOT_FOUND',
      expect,
    );
    expect(await held()).toBe(all);
  });
});

describe('a refund the bank refuses', () => {
  it('puts the money back on 21909 (not on a member) and leaves the over-payment refundable again', async () => {
    const all = first.unappliedFen + second.unappliedFen;
    const balanceBefore = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(borrower.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;
    const refused = await refund({ repaymentId: first.repaymentId, bank: refusingBank });
    expect(refused).toMatchObject({
      amount: fenToYuanString(first.unappliedFen),
      lines: [{ repaymentId: first.repaymentId, amount: fenToYuanString(first.unappliedFen) }],
      status: 'posted',
      payoutStatus: 'rejected',
      replayed: false,
    });
    expect(await postingsOf(refused.journalEntryId)).toEqual([
      { account_code: '21909', side: 'D', amount_fen: first.unappliedFen, member_account_id: null },
      { account_code: '21903', side: 'C', amount_fen: first.unappliedFen, member_account_id: null },
    ]);
    const payout = await payoutOf(refused.payoutId);
    expect(payout).toMatchObject({
      purpose: 'loan_refund',
      withdrawal_id: null,
      loan_refund_id: BigInt(refused.refundId),
      account_id: BigInt(borrower.accountId),
      bank_card: borrower.card,
      status: 'rejected',
      return_reason: 'ACCOUNT_CLOSED',
    });
    expect(await postingsOf(payout.return_entry_id)).toEqual([
      { account_code: '21903', side: 'D', amount_fen: first.unappliedFen, member_account_id: null },
      { account_code: '21909', side: 'C', amount_fen: first.unappliedFen, member_account_id: null },
    ]);
    expect(await refundOf(refused.refundId)).toMatchObject({ status: 'rejected', returned_on: '2025-07-13' });
    expect(await held()).toBe(all);
    const balanceAfter = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(borrower.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;
    expect(balanceAfter).toBe(balanceBefore);
    expect(await repaymentView(first.repaymentId)).toMatchObject({
      refunded: '0.00',
      refunding: '0.00',
      refundable: fenToYuanString(first.unappliedFen),
      refundStatus: 'held',
    });
    expect((await view()).overpayment.refunds).toMatchObject([
      {
        refundId: refused.refundId,
        status: 'rejected',
        payoutStatus: 'rejected',
        returnReason: 'ACCOUNT_CLOSED',
      },
    ]);
    await expectBooks();
  });

  it('accepted and then reported failed by the bank (the card cannot take it): the same, from the signed result', async () => {
    const all = first.unappliedFen + second.unappliedFen;
    bank.setCardFault(borrower.card, { kind: 'payout_refused', code: 'CARD_CLOSED' });
    try {
      const sent = await refund({ repaymentId: first.repaymentId, bank });
      await bank.idle();
      const payout = await payoutOf(sent.payoutId);
      expect(payout).toMatchObject({ status: 'rejected', return_reason: 'CARD_CLOSED' });
      expect(await postingsOf(payout.return_entry_id)).toEqual([
        { account_code: '21903', side: 'D', amount_fen: first.unappliedFen, member_account_id: null },
        { account_code: '21909', side: 'C', amount_fen: first.unappliedFen, member_account_id: null },
      ]);
      expect(await refundOf(sent.refundId)).toMatchObject({ status: 'rejected' });
      expect(await held()).toBe(all);
      // The bank moved nothing: no statement line, nothing for reconciliation to match.
      expect(bank.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toEqual([]);
      expect(await repaymentView(first.repaymentId)).toMatchObject({
        refunding: '0.00',
        refundable: fenToYuanString(first.unappliedFen),
        refundStatus: 'held',
      });
    } finally {
      bank.setCardFault(borrower.card, null);
    }
    await expectBooks();
  });
});

describe('a refund of the whole loan', () => {
  let refundId = '';
  let payoutId = '';

  it('spreads over the repayments oldest first; the same key again, or money in flight, moves nothing more', async () => {
    const all = first.unappliedFen + second.unappliedFen;
    const amountFen = first.unappliedFen + 100n;
    const refundKey = nextKey();
    // Without a bank: written and waiting for the dispatcher (in flight).
    const made = await refund({
      actor: manager,
      amount: fenToYuanString(amountFen),
      idempotencyKey: refundKey,
    });
    refundId = made.refundId;
    payoutId = made.payoutId;
    expect(made).toMatchObject({
      amount: fenToYuanString(amountFen),
      lines: [
        { repaymentId: first.repaymentId, amount: fenToYuanString(first.unappliedFen) },
        { repaymentId: second.repaymentId, amount: '1.00' },
      ],
      payoutStatus: 'pending',
      replayed: false,
    });
    expect(made.requestNo).toMatch(/^PO\d{14}$/);
    expect(await held()).toBe(all - amountFen);
    expect(await repaymentView(first.repaymentId)).toMatchObject({
      refunding: fenToYuanString(first.unappliedFen),
      refundable: '0.00',
      refundStatus: 'refunding',
    });
    expect(await repaymentView(second.repaymentId)).toMatchObject({
      refunding: '1.00',
      refundable: fenToYuanString(second.unappliedFen - 100n),
      refundStatus: 'refunding',
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'loan.overpayment_refund')
      .where('subject_id', '=', borrower.loanId)
      .orderBy('id')
      .execute();
    // Two refusals before (at the request and in the bank's result), then this one.
    expect(audit).toHaveLength(3);
    expect(audit[2]).toMatchObject({
      actor: 'staff:manager7',
      summary: { refundId, amount: fenToYuanString(amountFen), payoutId },
    });

    // The same key again: the first refund, and not a row more.
    const before = await rowCounts(t.db);
    const again = await refund({
      actor: manager,
      amount: fenToYuanString(amountFen),
      idempotencyKey: refundKey,
      bank,
    });
    expect(again).toMatchObject({ refundId, payoutId, replayed: true, payoutStatus: 'pending' });
    expect(await rowCounts(t.db)).toEqual(before);
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ actor: manager, amount: '1.00', idempotencyKey: refundKey }),
      'IDEMPOTENCY_KEY_REUSED',
      expect,
    );
    // What is in flight is not refundable: the first repayment holds nothing more, the loan only the rest.
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ repaymentId: first.repaymentId }),
      'LOAN_OVERPAYMENT_NOTHING_HELD',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => refund({ amount: fenToYuanString(all - amountFen + 1n) }),
      'LOAN_OVERPAYMENT_REFUND_ABOVE_HELD',
      expect,
    );
    await expectBooks();
  });

  it('is paid out by the dispatcher and confirmed by the bank: Dr 21903 / Cr 101', async () => {
    const transit = await inTransit();
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    expect(await dispatchPayouts({ db: t.db, bank, payoutIds: [BigInt(payoutId)] })).toMatchObject({
      sent: 1,
      accepted: 1,
    });
    await bank.idle();
    const payout = await payoutOf(payoutId);
    expect(payout.status).toBe('confirmed');
    expect(await postingsOf(payout.confirm_entry_id)).toEqual([
      { account_code: '21903', side: 'D', amount_fen: payout.amount_fen, member_account_id: null },
      { account_code: '101', side: 'C', amount_fen: payout.amount_fen, member_account_id: null },
    ]);
    expect(await inTransit()).toBe(transit - payout.amount_fen);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101 - payout.amount_fen);
    expect(await refundOf(refundId)).toMatchObject({ status: 'paid', returned_on: null });
    expect(bank.movements.filter((m) => m.memo === `代付 ${payout.request_no}`)).toHaveLength(1);
    // Reconciliation sees the money leave as a payout, like any other.
    const movement = await t.db
      .selectFrom('bank_movements')
      .select(['direction', 'source_type', 'source_id'])
      .where('bank_serial', '=', payout.bank_serial!)
      .execute();
    expect(movement).toEqual([{ direction: 'out', source_type: 'payout', source_id: payout.id }]);
    expect(await repaymentView(first.repaymentId)).toMatchObject({
      refunded: fenToYuanString(first.unappliedFen),
      refundStatus: 'refunded',
    });
    expect(await repaymentView(second.repaymentId)).toMatchObject({
      refunded: '1.00',
      refunding: '0.00',
      refundStatus: 'partly_refunded',
    });
    await expectBooks();
  });

  it('returned by the bank (退票): back on 21909 (Dr 101 / Cr 21909), refundable again, then refunded for good', async () => {
    const all = first.unappliedFen + second.unappliedFen;
    const payout = await payoutOf(payoutId);
    const { serial } = await bank.returnPayout(payout.request_no, 'NAME_MISMATCH');
    const returned = await payoutOf(payoutId);
    expect(returned).toMatchObject({
      status: 'returned',
      return_serial: serial,
      return_reason: 'NAME_MISMATCH',
    });
    expect(await postingsOf(returned.return_entry_id)).toEqual([
      { account_code: '101', side: 'D', amount_fen: payout.amount_fen, member_account_id: null },
      { account_code: '21909', side: 'C', amount_fen: payout.amount_fen, member_account_id: null },
    ]);
    expect(await refundOf(refundId)).toMatchObject({ status: 'returned', returned_on: '2025-07-13' });
    expect(await held()).toBe(all);
    // A repeat of the bank's message changes nothing.
    const before = await rowCounts(t.db);
    await bank.resend(serial);
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await view()).overpayment).toMatchObject({
      refunded: '0.00',
      refunding: '0.00',
      refundable: fenToYuanString(all),
    });

    // Refunded again, everything this time, paid out at once and confirmed. Two desks at once (other
    // keys): the loan's row lock lets one refund it, the other finds nothing held.
    const attempts = await Promise.allSettled(
      [nextKey(), nextKey()].map((idempotencyKey) =>
        refundLoanOverpayment({ db: t.db, actor: finance, loanId: borrower.loanId, idempotencyKey, bank }),
      ),
    );
    await bank.idle();
    const done = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a) => a.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused.map((a) => (a.reason as { code: string }).code)).toEqual([
      'LOAN_OVERPAYMENT_NOTHING_HELD',
    ]);
    const final = done[0]!.value;
    expect(final.amount).toBe(fenToYuanString(all));
    expect((await payoutOf(final.payoutId)).status).toBe('confirmed');
    expect(await held()).toBe(0n);
    const v = await view();
    expect(v.overpayment).toMatchObject({
      unapplied: fenToYuanString(all),
      refunded: fenToYuanString(all),
      refunding: '0.00',
      refundable: '0.00',
    });
    expect(v.overpayment.refunds.map((f) => [f.status, f.payoutStatus])).toEqual([
      ['rejected', 'rejected'],
      ['rejected', 'rejected'],
      ['returned', 'returned'],
      ['paid', 'confirmed'],
    ]);
    expect(
      v.repayments.filter((r) => r.channel === 'debit').map((r) => [r.refundStatus, r.refundable]),
    ).toEqual([
      ['refunded', '0.00'],
      ['refunded', '0.00'],
    ]);
    // Nothing more to refund.
    await expectRefusedWithoutWrites(t.db, () => refund({ bank }), 'LOAN_OVERPAYMENT_NOTHING_HELD', expect);
    await expectBooks();
  });

  it('lists the refund payouts for finance beside the withdrawals', async () => {
    const listed = await listPayouts({ db: t.db, actor: finance, kind: 'loan_refund' });
    expect(listed.total).toBe(4);
    expect(listed.items.map((p) => p.status)).toEqual(['confirmed', 'returned', 'rejected', 'rejected']);
    expect(listed.items[0]).toMatchObject({
      purpose: 'loan_refund',
      kind: 'loan_refund',
      withdrawalId: null,
      channel: null,
      loanId: borrower.loanId,
      accountNumber: borrower.accountNumber,
      depositorId: borrower.depositorId,
      name: '钱多付',
      returnable: true,
    });
    expect((await listPayouts({ db: t.db, actor: finance, kind: 'free' })).total).toBe(0);
    expect((await listPayouts({ db: t.db, actor: finance })).total).toBe(4);
  });
});
