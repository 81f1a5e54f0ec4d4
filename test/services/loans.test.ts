// Deposit-linked loans (rules.md §6.1–§6.4): the whole journey from application to a fixed schedule, the
// maker-checker steps, and every refusal writing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, openedDepositor, reviewer, staff, startCenter, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { previewLoanQuota } from '../../src/services/loans/preview-loan-quota.ts';
import { applyForLoan, type ApplyForLoanInput } from '../../src/services/loans/apply-for-loan.ts';
import { reviewLoan } from '../../src/services/loans/review-loan.ts';
import { approveLoan } from '../../src/services/loans/approve-loan.ts';
import { rejectLoan } from '../../src/services/loans/reject-loan.ts';
import { signLoanContract } from '../../src/services/loans/sign-loan-contract.ts';
import { recordMortgage } from '../../src/services/loans/record-mortgage.ts';
import { disburseLoan } from '../../src/services/loans/disburse-loan.ts';
import { sendLoanDisbursement } from '../../src/services/loans/send-loan-disbursement.ts';
import { handleLoanDisbursementNotification } from '../../src/services/loans/handle-loan-disbursement-notification.ts';
import { confirmLoanDisbursement } from '../../src/services/loans/confirm-loan-disbursement.ts';
import { viewLoan } from '../../src/services/loans/view-loan.ts';
import { loanContractPdf } from '../../src/services/loans/loan-contract-document.ts';
import { hasOutstandingLoan } from '../../src/services/loans/has-outstanding-loan.ts';
import type { Actor } from '../../src/domain/roles.ts';

let t: TestDatabase;
const bank = new InProcessBank({ serialPrefix: 'T', timeoutMs: 50 });
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const finance = staff('finance1', ['finance']);
const dual = staff('dual1', ['teller', 'reviewer']);

interface Person {
  depositorId: string;
  accountId: string;
  idNumber: string;
}
let alice: Person;
let bob: Person;
let late: Person;
let carol: Person;
let key = 0;

async function person(idNumber: string): Promise<Person> {
  const { person: p, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  return { depositorId: p.depositorId, accountId: account.accountId, idNumber };
}

const deposit = (p: Person) =>
  recordCounterDeposit({
    db: t.db,
    actor: teller,
    accountId: p.accountId,
    amount: '5000.00',
    idempotencyKey: `d${++key}`,
  });

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, '2024-09-02');
  alice = await person(personId('1990-04-04', 'female', 501));
  bob = await person(personId('1988-06-06', 'male', 502));
  carol = await person(personId('1992-08-08', 'female', 504));
  // Eight covered months, September to April.
  const months = [
    '2024-10-02',
    '2024-11-04',
    '2024-12-02',
    '2025-01-02',
    '2025-02-03',
    '2025-03-03',
    '2025-04-02',
  ];
  await deposit(alice);
  await deposit(bob);
  await deposit(carol);
  for (const date of months) {
    await advanceBusinessDate(t.db, date, { type: 'system', id: 'test' });
    await deposit(alice);
    await deposit(bob);
    await deposit(carol);
  }
  late = await person(personId('1968-03-03', 'male', 503));
  await deposit(late);
  await advanceBusinessDate(t.db, '2025-05-06', { type: 'system', id: 'test' });
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

function request(p: Person, extra: Partial<ApplyForLoanInput['request']> = {}): ApplyForLoanInput['request'] {
  return {
    depositorId: p.depositorId,
    house: {
      address: `包头市昆都仑区阿尔丁大街${p.depositorId}号`,
      areaSqm: '98.50',
      price: '1000000.00',
      home: 'first',
      inCity: true,
    },
    income: { monthlyIncome: '30000.00', monthlyDebts: '0.00', evidence: 'platform_income_statement' },
    seller: {
      name: '包头市某房地产开发有限公司',
      bankName: '中国建设银行包头分行',
      bankAccount: '6217000099998888777',
    },
    amount: '550000.00',
    termMonths: 240,
    method: 'equal-installment',
    ...extra,
  };
}

const apply = (actor: Actor, req: ApplyForLoanInput['request']) =>
  applyForLoan({ db: t.db, actor, bureau, request: req, idempotencyKey: `loan-${++key}` });

describe('the quota (rules.md §6.2)', () => {
  it('is min(A, B, C, D) rounded down to 1,000, with every factor and candidate', async () => {
    const q = await previewLoanQuota({ db: t.db, actor: teller, bureau, request: request(alice) });
    expect(q.consecutiveMonths).toBe(8);
    const quota = q.quota as {
      quota: string;
      binding: string;
      candidates: Array<{ code: string; amount: string }>;
      factors: {
        deposit: { duration: { coefficient: string }; totalBalance: string };
        repayment: { annualRate: string };
      };
    };
    // A = 40,000 × 20 × 0.8 (8 months) × 1.0 × 1.0 × 1.0 = 640,000; C = 1,000,000 × 80 %; D = 600,000.
    expect(quota.candidates.find((c) => c.code === 'A')!.amount).toBe('640000.00');
    expect(quota.candidates.find((c) => c.code === 'C')!.amount).toBe('800000.00');
    expect(quota.candidates.find((c) => c.code === 'D')!.amount).toBe('600000.00');
    expect(quota.binding).toBe('D');
    expect(quota.quota).toBe('600000.00');
    expect(quota.factors.deposit.duration.coefficient).toBe('0.8');
    // The table row of 2024-05-18 is in force on 2025-05-06: first home over 5 years.
    expect(quota.factors.repayment.annualRate).toBe('2.85');
  });

  it('refuses an ineligible person with every reason, writing nothing', async () => {
    bureau.setReport(late.idNumber, {
      cardDelinquencies12m: 7,
      maxConsecutiveMissed48m: 6,
      totalMissedInstallments: 25,
      outstandingHpfLoansElsewhere: 1,
    });
    const req = request(late, {
      house: { address: '呼和浩特市某处', areaSqm: '80', price: '600000.00', home: 'first', inCity: false },
      termMonths: 360,
    });
    const error = (await expectRefusedWithoutWrites(
      t.db,
      () => previewLoanQuota({ db: t.db, actor: teller, bureau, request: req }),
      'LOAN_NOT_ELIGIBLE',
      expect,
    )) as { details: { failures: Array<{ code: string; message_en: string }> } };
    expect(error.details.failures.map((f) => f.code)).toEqual([
      'LOAN_CONSECUTIVE_MONTHS_TOO_FEW',
      'LOAN_OUTSTANDING_ELSEWHERE',
      'LOAN_CARD_DELINQUENCIES',
      'LOAN_CONSECUTIVE_MISSED_INSTALLMENTS',
      'LOAN_TOTAL_MISSED_INSTALLMENTS',
      'LOAN_HOUSE_NOT_IN_CITY',
      'LOAN_TERM_BEYOND_AGE_LIMIT',
    ]);
    expect(error.details.failures.every((f) => f.message_en.length > 0)).toBe(true);
    await expectRefusedWithoutWrites(t.db, () => apply(teller, req), 'LOAN_NOT_ELIGIBLE', expect);
  });

  it('refuses an amount above the quota and a bureau that does not answer, writing nothing', async () => {
    await expectRefusedWithoutWrites(
      t.db,
      () => apply(teller, request(alice, { amount: '601000.00' })),
      'LOAN_AMOUNT_ABOVE_QUOTA',
      expect,
    );
    bureau.setFault(bob.idNumber, { kind: 'timeout' });
    await expectRefusedWithoutWrites(
      t.db,
      () => apply(teller, request(bob)),
      'CREDIT_BUREAU_TIMEOUT',
      expect,
    );
    bureau.setFault(bob.idNumber, null);
  });

  it('lets a depositor apply only for themself', async () => {
    const other: Actor = { type: 'depositor', id: 1n, depositorId: BigInt(bob.depositorId) };
    await expectRefusedWithoutWrites(t.db, () => apply(other, request(alice)), 'FORBIDDEN', expect);
  });
});

describe('the journey: apply → review → approve → manager → contract → mortgage → disburse', () => {
  it('fixes a schedule summing to the principal, with 121 = principal and balanced books', async () => {
    const applied = await apply(teller, request(alice));
    expect(applied.status).toBe('applied');
    expect(applied.quota).toBe('600000.00');
    const id = applied.loanId;

    // Steps out of order, and disbursement without approval, write nothing.
    await expectRefusedWithoutWrites(
      t.db,
      () => approveLoan({ db: t.db, actor: reviewer, loanId: id }),
      'LOAN_STEP_OUT_OF_ORDER',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => disburseLoan({ db: t.db, bank, actor: finance, loanId: id }),
      'LOAN_NOT_APPROVED',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => reviewLoan({ db: t.db, actor: reviewer, loanId: id }),
      'LOAN_ROLE_REQUIRED',
      expect,
    );

    expect((await reviewLoan({ db: t.db, actor: dual, loanId: id })).status).toBe('reviewed');
    // The reviewer of the first step may not approve.
    await expectRefusedWithoutWrites(
      t.db,
      () => approveLoan({ db: t.db, actor: dual, loanId: id }),
      'LOAN_SAME_USER_REVIEW_APPROVE',
      expect,
    );
    // 550,000 is above the 500,000 threshold: a manager approves as well.
    expect((await approveLoan({ db: t.db, actor: reviewer, loanId: id })).status).toBe('awaiting_manager');
    await expectRefusedWithoutWrites(
      t.db,
      () => disburseLoan({ db: t.db, bank, actor: finance, loanId: id }),
      'LOAN_NOT_APPROVED',
      expect,
    );
    const approved = await approveLoan({ db: t.db, actor: manager, loanId: id });
    expect(approved.status).toBe('approved');

    const signed = await signLoanContract({ db: t.db, actor: teller, loanId: id });
    expect(signed.status).toBe('contracted');
    expect(signed.pdf.subarray(0, 4).toString()).toBe('%PDF');
    const again = await loanContractPdf({ db: t.db, actor: teller, loanId: id });
    expect(again.pdf.subarray(0, 4).toString()).toBe('%PDF');
    // Before disbursement the reprint shows the same terms and schedule as signed.
    expect(again.contentSha256).toBe((signed.steps as { contract: { sha256: string } }).contract.sha256);
    await expectRefusedWithoutWrites(
      t.db,
      () => disburseLoan({ db: t.db, bank, actor: finance, loanId: id }),
      'LOAN_NOT_APPROVED',
      expect,
    );

    const house = request(alice).house;
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        recordMortgage({
          db: t.db,
          actor: teller,
          loanId: id,
          certificateNo: 'MG2025-0001',
          address: house.address,
          areaSqm: '98.50',
          price: '990000.00',
        }),
      'LOAN_MORTGAGE_MISMATCH',
      expect,
    );
    const mortgaged = await recordMortgage({
      db: t.db,
      actor: teller,
      loanId: id,
      certificateNo: 'MG2025-0001',
      address: house.address,
      areaSqm: '98.50',
      price: '1000000.00',
    });
    expect(mortgaged.status).toBe('mortgaged');

    const disbursed = await disburseLoan({ db: t.db, bank, actor: finance, loanId: id });
    expect(disbursed.status).toBe('disbursed');
    expect(disbursed.disbursement.status).toBe('accepted');
    expect(disbursed.installments).toBe(240);
    const payout = bank.requests.filter((r) => r.type === 'payout');
    expect(payout).toHaveLength(1);
    expect(payout[0]!.request).toMatchObject({
      requestNo: disbursed.disbursement.requestNo,
      amountFen: 55000000n,
    });

    const rows = await t.db
      .selectFrom('loan_installments')
      .selectAll()
      .where('loan_id', '=', BigInt(id))
      .orderBy('period')
      .execute();
    expect(rows).toHaveLength(240);
    expect(rows.reduce((s, r) => s + r.principal_fen, 0n)).toBe(55000000n);
    expect(rows[0]!.due_date).toBe('2025-06-06');
    expect(rows.at(-1)!.balance_fen).toBe(0n);
    expect(await ledgerBalance(t.db, 'FLEX', '121')).toBe(55000000n);
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(55000000n);

    // Duplicate disbursement: refused, nothing written, the bank not asked again.
    await expectRefusedWithoutWrites(
      t.db,
      () => disburseLoan({ db: t.db, bank, actor: finance, loanId: id }),
      'LOAN_ALREADY_DISBURSED',
      expect,
    );
    expect(bank.requests.filter((r) => r.type === 'payout')).toHaveLength(1);

    const confirmed = await confirmLoanDisbursement({
      db: t.db,
      actor: finance,
      requestNo: disbursed.disbursement.requestNo,
      bankSerial: 'T0001',
    });
    expect(confirmed.outcome).toBe('confirmed');
    const repeat = await confirmLoanDisbursement({
      db: t.db,
      actor: finance,
      requestNo: disbursed.disbursement.requestNo,
      bankSerial: 'T0001',
    });
    expect(repeat.outcome).toBe('already');
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
    expect(await ledgerBalance(t.db, 'FLEX', '121')).toBe(55000000n);
    expect((await verifyBooks(t.db)).ok).toBe(true);

    expect(await hasOutstandingLoan(t.db, BigInt(alice.depositorId))).toBe(true);
    expect(await hasOutstandingLoan(t.db, BigInt(bob.depositorId))).toBe(false);
    const view = await viewLoan({ db: t.db, actor: teller, loanId: id });
    expect(view.schedule).toHaveLength(240);
    expect(view.disbursement?.status).toBe('confirmed');

    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'loan')
      .where('subject_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'loan.apply',
      'loan.review',
      'loan.approve',
      'loan.approve_manager',
      'loan.contract',
      'loan.mortgage',
      'loan.disburse',
      'loan.disbursement_confirmed',
    ]);

    // A second loan while this one is outstanding is refused (rules.md §6.1).
    const error = (await expectRefusedWithoutWrites(
      t.db,
      () => apply(teller, request(alice, { amount: '10000.00' })),
      'LOAN_NOT_ELIGIBLE',
      expect,
    )) as {
      details: { failures: Array<{ code: string }> };
    };
    expect(error.details.failures.map((f) => f.code)).toEqual(['LOAN_OUTSTANDING_HERE']);
  });

  it('below the threshold the reviewer approval is enough; a rejection records its reason', async () => {
    const applied = await apply(
      teller,
      request(bob, { amount: '300000.00', house: { ...request(bob).house, price: '500000.00' } }),
    );
    // C = 500,000 × 80 % = 400,000 binds.
    expect(applied.quota).toBe('400000.00');
    expect((applied.quotaExplanation as { binding: string }).binding).toBe('C');
    await reviewLoan({ db: t.db, actor: teller, loanId: applied.loanId });
    expect((await approveLoan({ db: t.db, actor: reviewer, loanId: applied.loanId })).status).toBe(
      'approved',
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => rejectLoan({ db: t.db, actor: manager, loanId: applied.loanId, reason: ' ' }),
      'LOAN_REJECTION_REASON_REQUIRED',
      expect,
    );
    const rejected = await rejectLoan({
      db: t.db,
      actor: manager,
      loanId: applied.loanId,
      reason: '购房合同备案信息不符',
    });
    expect(rejected.status).toBe('rejected');
    expect(rejected.steps).toMatchObject({ rejected: { step: 'approved', reason: '购房合同备案信息不符' } });
    await expectRefusedWithoutWrites(
      t.db,
      () => signLoanContract({ db: t.db, actor: teller, loanId: applied.loanId }),
      'LOAN_STEP_OUT_OF_ORDER',
      expect,
    );
  });

  it('a bank that does not answer leaves the disbursement sent; the resend uses the same number, paid once', async () => {
    const sellerAccount = '6217000055554444333';
    const req = request(carol, {
      amount: '200000.00',
      house: { ...request(carol).house, price: '500000.00' },
      seller: { name: '李某', bankName: '中国银行包头分行', bankAccount: sellerAccount },
    });
    const { loanId } = await apply(teller, req);
    await reviewLoan({ db: t.db, actor: teller, loanId });
    await approveLoan({ db: t.db, actor: reviewer, loanId });
    await signLoanContract({ db: t.db, actor: teller, loanId });
    await recordMortgage({
      db: t.db,
      actor: teller,
      loanId,
      certificateNo: 'MG2025-0002',
      address: req.house.address,
      areaSqm: req.house.areaSqm,
      price: '500000.00',
    });
    bank.setCardFault(sellerAccount, { kind: 'timeout' });
    const before121 = await ledgerBalance(t.db, 'FLEX', '121');
    const disbursed = await disburseLoan({ db: t.db, bank, actor: finance, loanId });
    expect(disbursed.disbursement).toMatchObject({ status: 'sent', attempts: 1, lastError: 'BANK_TIMEOUT' });
    expect(await ledgerBalance(t.db, 'FLEX', '121')).toBe(before121 + 20000000n);
    bank.setCardFault(sellerAccount, null);
    // The bank's payout result now reaches the loan handler, which confirms the disbursement.
    bank.setPayoutNotifier((rawBody, signature) =>
      handleLoanDisbursementNotification(t.db, { rawBody, signature }),
    );
    const resent = await sendLoanDisbursement({
      db: t.db,
      bank,
      disbursementId: BigInt(disbursed.disbursement.disbursementId),
    });
    expect(resent.attempts).toBe(2);
    expect(['accepted', 'confirmed']).toContain(resent.status);
    await bank.idle();
    bank.setPayoutNotifier(undefined);
    const view = await viewLoan({ db: t.db, actor: teller, loanId });
    expect(view.disbursement).toMatchObject({ status: 'confirmed', amount: '200000.00' });
    expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
    const sent = bank.requests.filter((r) => r.request.requestNo === disbursed.disbursement.requestNo);
    expect(sent.map((r) => r.request.requestNo)).toEqual([
      disbursed.disbursement.requestNo,
      disbursed.disbursement.requestNo,
    ]);
    expect(bank.movements.filter((m) => m.memo.includes(disbursed.disbursement.requestNo))).toHaveLength(1);
  });
});
