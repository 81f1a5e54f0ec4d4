// Repayment in the business-day close (rules.md §6.5), over the real close (closeDays): on time by monthly
// offset and by bank debit, late with penalty then paid (the waterfall to the fen), missed three times →
// marked, a close killed mid-way and rerun, and a counter repayment racing the close. After every
// scenario: verifyBooks, and for every loan Σ principal repaid + outstanding principal = principal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Selectable } from 'kysely';
import type { LoanInstallmentsTable, LoanRepaymentsTable, LoansTable } from '../../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { openedDepositor, reviewer, staff, startCenter, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { importStatementsAllBooked } from '../support/bank.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { advanceBusinessDate, getBusinessDate } from '../../src/services/calendar/business-date.ts';
import {
  createInProcessBank,
  handleBankNotification,
} from '../../src/services/deposits/handle-bank-notification.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { applyForLoan } from '../../src/services/loans/apply-for-loan.ts';
import { reviewLoan } from '../../src/services/loans/review-loan.ts';
import { approveLoan } from '../../src/services/loans/approve-loan.ts';
import { signLoanContract } from '../../src/services/loans/sign-loan-contract.ts';
import { recordMortgage } from '../../src/services/loans/record-mortgage.ts';
import { disburseLoan } from '../../src/services/loans/disburse-loan.ts';
import { confirmLoanDisbursement } from '../../src/services/loans/confirm-loan-disbursement.ts';
import { setBalanceOffset } from '../../src/services/loans/set-balance-offset.ts';
import { repayLoan } from '../../src/services/loans/repay-loan.ts';
import { viewLoanRepayments } from '../../src/services/loans/view-loan-repayments.ts';
import { listOverdueLoans } from '../../src/services/loans/list-overdue-loans.ts';
import { owedNow } from '../../src/services/loans/repayment-store.ts';
import { collectDueInstallments } from '../../src/services/loans/collect-due-installments.ts';
import { applyLoanDebitResultFile } from '../../src/services/loans/apply-loan-debit-result-file.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import { reconciliationReport } from '../../src/services/reconciliation/reconciliation-report.ts';
import { closeDays, type CloseStep } from '../../src/jobs/close-day.ts';
import { CLOSE_STEPS } from '../../src/jobs/steps/index.ts';
import { allocateRepayment, dailyPenaltyFen } from '../../src/domain/loans/repayment.ts';
import { fenToYuanString } from '../../src/domain/money.ts';
import { bankSecretFromEnv, signBankMessage } from '../../src/integrations/bank/signing.ts';
import type { Actor } from '../../src/domain/roles.ts';

let t: TestDatabase;
let bank: ReturnType<typeof createInProcessBank>;
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const finance = staff('finance9', ['finance']);
const system: Actor = { type: 'system', id: 'test' };

interface Borrower {
  name: string;
  depositorId: string;
  accountId: string;
  card: string;
  loanId: string;
}
const people: Record<'offset' | 'debit' | 'late' | 'missed' | 'race', Borrower> = {} as never;
let key = 0;

async function close(to: string, steps?: readonly CloseStep[]) {
  return closeDays({
    db: t.db,
    actor: system,
    bank,
    transferPlatform: null,
    to,
    ...(steps ? { steps } : {}),
  });
}

async function installment(loanId: string, period: number) {
  const r = await sql<Selectable<LoanInstallmentsTable>>`
    SELECT * FROM loan_installments WHERE loan_id = ${BigInt(loanId)} AND period = ${period}`.execute(t.db);
  return r.rows[0]!;
}

async function loanRow(loanId: string) {
  const r = await sql<Selectable<LoansTable>>`SELECT * FROM loans WHERE id = ${BigInt(loanId)}`.execute(t.db);
  return r.rows[0]!;
}

async function repayments(loanId: string) {
  const r = await sql<Selectable<LoanRepaymentsTable>>`
    SELECT * FROM loan_repayments WHERE loan_id = ${BigInt(loanId)} ORDER BY id`.execute(t.db);
  return r.rows;
}

/** rules.md §7 and §6.5: the books verify, and each loan's principal is repaid or outstanding, to the fen. */
async function expectInvariants(): Promise<void> {
  const books = await verifyBooks(t.db);
  expect(books.checks.filter((c) => !c.ok)).toEqual([]);
  const loans = await sql<{ id: bigint; principal: bigint; repaid: bigint; outstanding: bigint }>`
    SELECT l.id, l.requested_fen AS principal,
      (COALESCE((SELECT SUM(r.principal_fen + r.overdue_principal_fen) FROM loan_repayments r WHERE r.loan_id = l.id), 0)
        + COALESCE((SELECT SUM(p.principal_fen) FROM loan_prepayments p WHERE p.loan_id = l.id), 0)
        + COALESCE((SELECT SUM(s.principal_fen) FROM loan_settlements s WHERE s.loan_id = l.id), 0))::bigint AS repaid,
      COALESCE((SELECT SUM(i.principal_fen - i.principal_paid_fen) FROM loan_installments i WHERE i.loan_id = l.id), 0)::bigint AS outstanding
    FROM loans l WHERE l.status IN ('disbursed', 'settled')`.execute(t.db);
  expect(loans.rows.length).toBeGreaterThan(0);
  for (const l of loans.rows) expect(l.repaid + l.outstanding).toBe(l.principal);
  // The ledger agrees with the loans: 121 + 122 = Σ outstanding; 111 = unpaid penalty + overdue interest.
  const ledger121 = (await ledgerBalance(t.db, 'FLEX', '121')) + (await ledgerBalance(t.db, 'FLEX', '122'));
  const disbursed = await sql<{ outstanding: bigint; receivable: bigint; overdue: bigint }>`
    SELECT
      COALESCE((SELECT SUM(i.principal_fen - i.principal_paid_fen) FROM loan_installments i), 0)::bigint AS outstanding,
      (COALESCE((SELECT SUM(penalty_accrued_fen - penalty_paid_fen) FROM loans), 0)
        + COALESCE((SELECT SUM(interest_fen - interest_paid_fen) FROM loan_installments WHERE status = 'overdue'), 0))::bigint AS receivable,
      COALESCE((SELECT SUM(principal_fen - principal_paid_fen) FROM loan_installments WHERE status = 'overdue'), 0)::bigint AS overdue`.execute(
    t.db,
  );
  expect(ledger121).toBe(disbursed.rows[0]!.outstanding);
  expect(await ledgerBalance(t.db, 'FLEX', '122')).toBe(disbursed.rows[0]!.overdue);
  expect(await ledgerBalance(t.db, 'FLEX', '111')).toBe(disbursed.rows[0]!.receivable);
}

async function borrower(name: keyof typeof people, n: number): Promise<Borrower> {
  const { person, account } = await openedDepositor(
    t.db,
    { idNumber: personId('1990-04-04', 'female', 600 + n) },
    'flexible',
  );
  // A card of their own, so the bank's faults can be set per borrower.
  const card = `62170000200000${String(n).padStart(5, '0')}`;
  await t.db
    .updateTable('agreements')
    .set({ bank_card: card })
    .where('account_id', '=', BigInt(account.accountId))
    .execute();
  return { name, depositorId: person.depositorId, accountId: account.accountId, card, loanId: '' };
}

const deposit = (p: Borrower) =>
  recordCounterDeposit({
    db: t.db,
    actor: teller,
    accountId: p.accountId,
    amount: '5000.00',
    idempotencyKey: `rd${++key}`,
  });

async function disbursedLoan(p: Borrower): Promise<string> {
  const house = {
    address: `包头市青山区幸福路${p.depositorId}号`,
    areaSqm: '90.00',
    price: '600000.00',
    home: 'first' as const,
    inCity: true,
  };
  const { loanId } = await applyForLoan({
    db: t.db,
    actor: teller,
    bureau,
    request: {
      depositorId: p.depositorId,
      house,
      income: { monthlyIncome: '20000.00', monthlyDebts: '0.00', evidence: 'platform_income_statement' },
      seller: {
        name: '包头市某房地产开发有限公司',
        bankName: '中国建设银行包头分行',
        bankAccount: '6217000099998888777',
      },
      amount: '120000.00',
      termMonths: 60,
      method: 'equal-installment',
    },
    idempotencyKey: `loan-r-${++key}`,
  });
  await reviewLoan({ db: t.db, actor: teller, loanId });
  await approveLoan({ db: t.db, actor: reviewer, loanId });
  await signLoanContract({ db: t.db, actor: teller, loanId });
  await recordMortgage({
    db: t.db,
    actor: teller,
    loanId,
    certificateNo: `MG-R-${p.depositorId}`,
    address: house.address,
    areaSqm: house.areaSqm,
    price: house.price,
  });
  const disbursed = await disburseLoan({ db: t.db, bank, actor: finance, loanId });
  // Staff confirm with the serial of the bank's own payment (what the statement will show).
  const paid = bank.movements.find((m) => m.memo === `代付 ${disbursed.disbursement.requestNo}`)!;
  await confirmLoanDisbursement({
    db: t.db,
    actor: finance,
    requestNo: disbursed.disbursement.requestNo,
    bankSerial: paid.serial,
  });
  return loanId;
}

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  bank = createInProcessBank({ db: t.db, serialPrefix: 'TR', timeoutMs: 50 });
  await startCenter(t.db, '2024-09-02');
  const names = ['offset', 'debit', 'late', 'missed', 'race'] as const;
  for (const [i, name] of names.entries()) people[name] = await borrower(name, i + 1);
  for (const p of Object.values(people)) await deposit(p);
  for (const date of [
    '2024-10-02',
    '2024-11-04',
    '2024-12-02',
    '2025-01-02',
    '2025-02-03',
    '2025-03-03',
    '2025-04-02',
  ]) {
    await advanceBusinessDate(t.db, date, system);
    for (const p of Object.values(people)) await deposit(p);
  }
  await advanceBusinessDate(t.db, '2025-05-06', system);
  for (const p of Object.values(people)) p.loanId = await disbursedLoan(p);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('monthly balance offset (冲还贷)', () => {
  it('is signed and cancelled by staff or the borrower, audited; another depositor sees no loan', async () => {
    const { offset, debit } = people;
    const borrowerActor: Actor = { type: 'depositor', id: 1n, depositorId: BigInt(offset.depositorId) };
    const other: Actor = { type: 'depositor', id: 2n, depositorId: BigInt(debit.depositorId) };
    await expectRefusedWithoutWrites(
      t.db,
      () => setBalanceOffset({ db: t.db, actor: other, loanId: offset.loanId, signed: true }),
      'LOAN_NOT_FOUND',
      expect,
    );
    expect(
      (await setBalanceOffset({ db: t.db, actor: borrowerActor, loanId: offset.loanId, signed: true }))
        .changed,
    ).toBe(true);
    expect(
      (await setBalanceOffset({ db: t.db, actor: teller, loanId: offset.loanId, signed: false })).changed,
    ).toBe(true);
    expect(
      (await setBalanceOffset({ db: t.db, actor: teller, loanId: offset.loanId, signed: true })).changed,
    ).toBe(true);
    // The same state again writes nothing.
    const again = await setBalanceOffset({ db: t.db, actor: teller, loanId: offset.loanId, signed: true });
    expect(again).toMatchObject({ changed: false, balanceOffset: true });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('subject_type', '=', 'loan')
      .where('subject_id', '=', offset.loanId)
      .where('action', 'like', 'loan.balance_offset.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'loan.balance_offset.sign',
      'loan.balance_offset.cancel',
      'loan.balance_offset.sign',
    ]);
  });
});

describe('the first due date (2025-06-06) over the real close', () => {
  it('collects by offset and by debit, leaves failed debits unpaid, and a racing counter repayment is applied once', async () => {
    const { offset, debit, late, missed, race } = people;
    bank.setCardFault(late.card, { kind: 'insufficient_funds' });
    bank.setCardFault(missed.card, { kind: 'insufficient_funds' });
    await close('2025-06-06');
    expect(await getBusinessDate(t.db)).toBe('2025-06-06');
    const first = await installment(offset.loanId, 1);
    expect(first.due_date).toBe('2025-06-06');
    const balanceBefore = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(offset.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;

    // The counter repayment of the race borrower's installment and the close, at once.
    const raceDue = await installment(race.loanId, 1);
    const [closed, counter] = await Promise.allSettled([
      close('2025-06-07'),
      repayLoan({
        db: t.db,
        actor: teller,
        loanId: race.loanId,
        amount: fenToYuanString(raceDue.payment_fen),
        idempotencyKey: 'race-counter-0001',
      }),
    ]);
    expect(closed.status).toBe('fulfilled');
    if (counter.status === 'rejected') {
      expect(['LOAN_REPAYMENT_NOTHING_DUE', 'LOAN_DEBIT_IN_FLIGHT']).toContain(
        (counter.reason as { code: string }).code,
      );
    }
    const raceRepayments = await repayments(race.loanId);
    expect(raceRepayments.reduce((s, r) => s + r.amount_fen, 0n)).toBe(raceDue.payment_fen);
    expect((await installment(race.loanId, 1)).status).toBe('paid');

    // On time by offset: business type 05, Dr 201 member, the balance down by the installment.
    const off = await repayments(offset.loanId);
    expect(off).toHaveLength(1);
    expect(off[0]).toMatchObject({
      channel: 'offset',
      business_type: '05',
      amount_fen: first.payment_fen,
      principal_fen: first.principal_fen,
      interest_fen: first.interest_fen,
      source_key: 'offset:2025-06-06',
    });
    const balanceAfter = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(offset.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;
    expect(balanceBefore - balanceAfter).toBe(first.payment_fen);
    expect((await installment(offset.loanId, 1)).status).toBe('paid');

    // On time by bank debit: business type 02, from the bank.
    const deb = await repayments(debit.loanId);
    expect(deb).toHaveLength(1);
    expect(deb[0]).toMatchObject({ channel: 'debit', business_type: '02' });
    expect(deb[0]!.source_key).toMatch(/^debit:LR\d{14}$/);
    expect((await installment(debit.loanId, 1)).paid_on).toBe('2025-06-06');

    // Failed debits: unpaid, overdue from 06-07, principal in 122, one day's penalty accrued for 06-07.
    for (const p of [late, missed]) {
      expect(await repayments(p.loanId)).toHaveLength(0);
      const row = await installment(p.loanId, 1);
      expect(row).toMatchObject({ status: 'overdue', overdue_on: '2025-06-07' });
      const loan = await loanRow(p.loanId);
      expect(loan.penalty_accrued_fen).toBe(dailyPenaltyFen(row.payment_fen, loan.annual_rate_pct));
      expect(loan).toMatchObject({ days_past_due: 1, risk_class: '02', missed_installments: 1 });
    }
    await expectInvariants();
  });

  it("the bank's statement of the day matches the loan debits and disbursements: nothing is booked twice", async () => {
    // The repayment the bank debited is already Dr 101 in the books; the statement must match it, not put
    // it in suspense (which would book the same money into 101 a second time).
    const debits = (
      await sql<{ bank_serial: string }>`
        SELECT bank_serial FROM loan_debit_requests WHERE requested_on = '2025-06-06' AND status = 'succeeded'`.execute(
        t.db,
      )
    ).rows;
    expect(debits.length).toBeGreaterThan(0);
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    const disbursements = await t.db
      .selectFrom('loan_disbursements')
      .select(['bank_serial', 'confirmed_on'])
      .where('status', '=', 'confirmed')
      .execute();
    await importStatementsAllBooked(
      t.db,
      bank,
      ['2025-06-06', ...disbursements.map((d) => d.confirmed_on!)],
      finance,
    );
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101);
    const lines = await t.db
      .selectFrom('bank_statement_lines')
      .select(['bank_serial', 'direction', 'match_status', 'source_type'])
      .where(
        'bank_serial',
        'in',
        [...debits, ...disbursements].map((d) => d.bank_serial!),
      )
      .execute();
    expect(lines.filter((l) => l.source_type === 'loan_debit')).toHaveLength(debits.length);
    expect(lines.filter((l) => l.source_type === 'loan_disbursement')).toHaveLength(disbursements.length);
    expect(lines.every((l) => l.match_status === 'matched')).toBe(true);
    const report = await reconciliationReport(t.db, '2025-06-06');
    expect(report).toMatchObject({
      bankLinesWithoutDeposit: { count: 0 },
      movementsWithoutBankLine: { count: 0 },
    });
    await expectInvariants();
  });

  it('a late installment pays penalty first, then overdue interest, then principal, to the fen', async () => {
    const { late } = people;
    // Catch up three days (06-07, 06-08, 06-09): penalty for 06-08 … 06-10 on top of 06-07.
    await close('2025-06-10');
    const row = await installment(late.loanId, 1);
    const loan = await loanRow(late.loanId);
    const daily = dailyPenaltyFen(row.payment_fen, loan.annual_rate_pct);
    expect(loan.penalty_accrued_fen).toBe(4n * daily);
    const accruals = await sql<{ accrual_date: string; penalty_fen: bigint }>`
      SELECT accrual_date, penalty_fen FROM loan_penalty_accruals WHERE loan_id = ${BigInt(late.loanId)} ORDER BY accrual_date`.execute(
      t.db,
    );
    expect(accruals.rows.map((a) => a.accrual_date)).toEqual([
      '2025-06-07',
      '2025-06-08',
      '2025-06-09',
      '2025-06-10',
    ]);
    expect(accruals.rows.every((a) => a.penalty_fen === daily)).toBe(true);

    // Refusals write nothing: above what is owed; by a depositor (staff only).
    const owed = 4n * daily + row.payment_fen;
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        repayLoan({
          db: t.db,
          actor: teller,
          loanId: late.loanId,
          amount: fenToYuanString(owed + 1n),
          idempotencyKey: 'late-too-much',
        }),
      'LOAN_REPAYMENT_ABOVE_DUE',
      expect,
    );

    // A part: penalty, interest and 1.00 of principal; checked against the domain waterfall.
    const partFen = 4n * daily + row.interest_fen + 100n;
    const expected = allocateRepayment(partFen, {
      penaltyFen: 4n * daily,
      installments: [
        { period: 1, interestFen: row.interest_fen, principalFen: row.principal_fen, overdue: true },
      ],
    });
    const part = await repayLoan({
      db: t.db,
      actor: teller,
      loanId: late.loanId,
      amount: fenToYuanString(partFen),
      idempotencyKey: 'late-part-0001',
    });
    expect(part).toMatchObject({
      businessType: '04',
      penalty: fenToYuanString(4n * daily),
      overdueInterest: fenToYuanString(row.interest_fen),
      overduePrincipal: '1.00',
      interest: '0.00',
      principal: '0.00',
      replayed: false,
    });
    expect(part.lines).toEqual(
      expected.lines.map((l) => ({
        component: l.component,
        period: l.period,
        overdue: l.overdue,
        amount: fenToYuanString(l.amountFen),
      })),
    );
    // The same key again: the first answer, nothing written twice.
    const replay = await repayLoan({
      db: t.db,
      actor: teller,
      loanId: late.loanId,
      amount: fenToYuanString(partFen),
      idempotencyKey: 'late-part-0001',
    });
    expect(replay).toMatchObject({ replayed: true, repaymentId: part.repaymentId });
    expect(await repayments(late.loanId)).toHaveLength(1);

    const rest = (await owedNow(t.db, BigInt(late.loanId), '2025-06-10')).reduce((s, o) => s + o.owedFen, 0n);
    expect(rest).toBe(row.principal_fen - 100n);
    const paid = await repayLoan({
      db: t.db,
      actor: teller,
      loanId: late.loanId,
      amount: fenToYuanString(rest),
      idempotencyKey: 'late-rest-0001',
    });
    expect(paid).toMatchObject({ businessType: '04', overduePrincipal: fenToYuanString(rest) });
    expect(await installment(late.loanId, 1)).toMatchObject({ status: 'paid', paid_on: '2025-06-10' });
    expect(await loanRow(late.loanId)).toMatchObject({ days_past_due: 0, risk_class: '01' });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        repayLoan({
          db: t.db,
          actor: teller,
          loanId: late.loanId,
          amount: '1.00',
          idempotencyKey: 'late-nothing',
        }),
      'LOAN_REPAYMENT_NOTHING_DUE',
      expect,
    );
    const view = await viewLoanRepayments({ db: t.db, actor: teller, loanId: late.loanId });
    expect(view.repayments).toHaveLength(2);
    expect(view.arrears.total).toBe('0.00');
    expect(view.daysPastDue).toBe(0);
    bank.setCardFault(late.card, null);
    await expectInvariants();
  });
});

describe('three missed installments', () => {
  it('mark the loan for collateral enforcement and the borrower for the defaulter list, once', async () => {
    const { missed, late, debit } = people;
    await close('2025-08-07');
    const loan = await loanRow(missed.loanId);
    expect(loan).toMatchObject({
      missed_installments: 3,
      max_consecutive_missed: 3,
      enforcement_flagged_on: '2025-08-06',
      days_past_due: 62,
      risk_class: '02',
    });
    const listed = await sql<{ listed_on: string; depositor_id: bigint }>`
      SELECT listed_on, depositor_id FROM loan_defaulters WHERE loan_id = ${BigInt(missed.loanId)}`.execute(
      t.db,
    );
    expect(listed.rows).toEqual([{ listed_on: '2025-08-06', depositor_id: BigInt(missed.depositorId) }]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['business_date'])
      .where('action', '=', 'loan.enforcement_flagged')
      .where('subject_id', '=', missed.loanId)
      .execute();
    expect(audit).toEqual([{ business_date: '2025-08-06' }]);
    // Every day's penalty on that day's base: continuous from 06-07 to 08-07.
    const accruals = await sql<{ accrual_date: string; base_fen: bigint; penalty_fen: bigint }>`
      SELECT accrual_date, base_fen, penalty_fen FROM loan_penalty_accruals WHERE loan_id = ${BigInt(missed.loanId)}
      ORDER BY accrual_date`.execute(t.db);
    expect(accruals.rows).toHaveLength(62);
    for (const a of accruals.rows)
      expect(a.penalty_fen).toBe(dailyPenaltyFen(a.base_fen, loan.annual_rate_pct));
    expect(loan.penalty_accrued_fen).toBe(accruals.rows.reduce((s, a) => s + a.penalty_fen, 0n));

    // The collection list: the missed loan with its days past due, class, amounts and marks.
    const list = await listOverdueLoans({ db: t.db, actor: teller });
    expect(list.businessDate).toBe('2025-08-07');
    expect(list.loans.map((l) => l.loanId)).toEqual([missed.loanId]);
    const entry = list.loans[0]!;
    expect(entry).toMatchObject({
      daysPastDue: 62,
      riskClass: { code: '02', nameZh: '关注' },
      overdueInstallments: 3,
      collateralEnforcementSince: '2025-08-06',
      defaulterListedOn: '2025-08-06',
      penalty: fenToYuanString(loan.penalty_accrued_fen),
    });
    // The others paid every month (late's card works again: by debit).
    expect((await repayments(late.loanId)).map((r) => r.channel)).toEqual([
      'counter',
      'counter',
      'debit',
      'debit',
    ]);
    expect((await repayments(debit.loanId)).map((r) => r.business_type)).toEqual(['02', '02', '02']);
    await expectInvariants();
  }, 120_000);
});

describe('a close killed mid-way', () => {
  it('reruns without posting anything twice', async () => {
    const { offset, debit, missed } = people;
    await close('2025-09-06');
    // Killed after the collection committed (offsets posted, debit requests recorded, none sent).
    const killed = CLOSE_STEPS.map((s) =>
      s.name === 'loan-repayments'
        ? {
            ...s,
            run: async (ctx: Parameters<CloseStep['run']>[0]) => {
              await collectDueInstallments(ctx);
              throw new Error('killed');
            },
          }
        : s,
    );
    await expect(close('2025-09-07', killed)).rejects.toThrow('killed');
    const pending = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM loan_debit_requests WHERE requested_on = '2025-09-06' AND status = 'pending'`.execute(
      t.db,
    );
    expect(pending.rows[0]!.n).toBeGreaterThan(0);
    await close('2025-09-07');
    for (const p of [offset, debit]) {
      const rows = (await repayments(p.loanId)).filter((r) => r.business_date === '2025-09-06');
      expect(rows).toHaveLength(1);
      expect((await installment(p.loanId, 4)).status).toBe('paid');
    }
    const collections = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM loan_collections WHERE due_date = '2025-09-06'`.execute(t.db);
    expect(collections.rows[0]!.n).toBe(5);
    const overdueEntries = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM journal_entries WHERE entry_type = 'loan_overdue' AND business_date = '2025-09-06'`.execute(
      t.db,
    );
    expect(overdueEntries.rows[0]!.n).toBe(1);
    expect((await installment(missed.loanId, 4)).status).toBe('overdue');
    const penaltyDays = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM loan_penalty_accruals WHERE loan_id = ${BigInt(missed.loanId)} AND accrual_date = '2025-09-07'`.execute(
      t.db,
    );
    expect(penaltyDays.rows[0]!.n).toBe(1);
    await expectInvariants();
  }, 60_000);

  it('exchanges one batch file with the bank a day: a result file applied twice, or a batch re-sent, moves nothing twice; no result line leaves the installment to go overdue', async () => {
    const { debit } = people;
    // The 09-06 debits (sent by the rerun above) went as one batch, answered by one signed result file.
    const batch = await sql<{ batch_no: string; request_count: number; status: string }>`
      SELECT batch_no, request_count, status FROM loan_debit_batches WHERE requested_on = '2025-09-06'`.execute(
      t.db,
    );
    expect(batch.rows).toHaveLength(1);
    const { batch_no: batchNo, request_count: requestCount, status } = batch.rows[0]!;
    expect(status).toBe('answered');
    const requests = await sql<{
      request_no: string;
      account_number: string;
      bank_card: string;
      amount_fen: bigint;
    }>`
      SELECT request_no, account_number, bank_card, amount_fen FROM loan_debit_requests WHERE batch_no = ${batchNo}
      ORDER BY id`.execute(t.db);
    expect(requests.rows).toHaveLength(requestCount);
    const file = await bank.fetchDebitBatchResult(batchNo);
    expect(file).not.toBeNull();

    // The same result file again (the bank sent it twice): nothing changes, to the fen.
    const money = async () => ({
      bank: await ledgerBalance(t.db, 'FLEX', '101'),
      repaid: (
        await sql<{ n: number; fen: bigint }>`
          SELECT count(*)::int AS n, COALESCE(SUM(amount_fen), 0)::bigint AS fen FROM loan_repayments`.execute(
          t.db,
        )
      ).rows[0],
      requests: (
        await sql<{ status: string; n: number }>`
          SELECT status, count(*)::int AS n FROM loan_debit_requests GROUP BY status ORDER BY status`.execute(
          t.db,
        )
      ).rows,
    });
    const before = await money();
    const again = await applyLoanDebitResultFile({ db: t.db, file: file!, actorLabel: 'system:bank' });
    expect(again).toMatchObject({ batchNo, replayed: true, succeeded: 0, failed: 0, repayments: 0 });
    expect(await money()).toEqual(before);
    // A file whose signature does not match is refused.
    await expect(
      applyLoanDebitResultFile({
        db: t.db,
        file: { content: file!.content.replace(',success,', ',failed,'), signature: file!.signature },
        actorLabel: 'system:bank',
      }),
    ).rejects.toMatchObject({ code: 'BANK_SIGNATURE_INVALID' });

    // The batch re-sent after a crash, or its requests in another batch: the bank moves no money again.
    const movements = bank.movements.length;
    const lines = requests.rows.map((r) => ({
      requestNo: r.request_no,
      accountNumber: r.account_number,
      bankCard: r.bank_card,
      amountFen: r.amount_fen,
    }));
    expect(await bank.submitDebitBatch({ batchNo, valueDate: '2025-09-06', lines })).toEqual({
      status: 'accepted',
    });
    await bank.submitDebitBatch({ batchNo: 'LBTEST0001', valueDate: '2025-09-06', lines });
    expect(bank.movements.length).toBe(movements);
    expect((await bank.fetchDebitBatchResult('LBTEST0001'))!.content.split('\n').slice(1)).toEqual(
      file!.content.split('\n').slice(1),
    );

    // The bank never answers one request (no line in the result file): it stays sent and the installment
    // unpaid; the close that sent it defers its overdue (an answer is awaited), the next close marks it
    // overdue from the day after its due date, as for a failed debit.
    bank.setCardFault(debit.card, { kind: 'timeout' });
    await close('2025-10-07');
    bank.setCardFault(debit.card, null);
    const unanswered = await sql<{ status: string; bank_serial: string | null; batch_no: string }>`
      SELECT status, bank_serial, batch_no FROM loan_debit_requests
      WHERE loan_id = ${BigInt(debit.loanId)} AND requested_on = '2025-10-06'`.execute(t.db);
    expect(unanswered.rows).toEqual([{ status: 'sent', bank_serial: null, batch_no: 'LB20251006001' }]);
    expect((await repayments(debit.loanId)).filter((r) => r.business_date === '2025-10-06')).toHaveLength(0);
    expect((await installment(debit.loanId, 5)).status).toBe('scheduled');
    await close('2025-10-08');
    expect(await installment(debit.loanId, 5)).toMatchObject({ status: 'overdue', overdue_on: '2025-10-07' });
    expect((await repayments(debit.loanId)).filter((r) => r.business_date >= '2025-10-06')).toHaveLength(0);
    await expectInvariants();
  }, 120_000);
});

describe('a result file that comes after the bank statement', () => {
  it('releases the statement money from suspense and repays once: 101 counts it a single time', async () => {
    // The bank debits the 11-06 batch but its answer is lost; the day's statement is imported first.
    const batchNo = 'LB20251106001';
    bank.setRequestFault(batchNo, { kind: 'timeout', processed: true });
    await close('2025-11-07');
    bank.setRequestFault(batchNo, null);
    const unanswered = await sql<{ status: string }>`
      SELECT DISTINCT status FROM loan_debit_requests WHERE batch_no = ${batchNo}`.execute(t.db);
    expect(unanswered.rows).toEqual([{ status: 'pending' }]);
    const file = await bank.fetchDebitBatchResult(batchNo);
    const debited = file!.content.split('\n').filter((l) => l.includes(',success,')).length;
    expect(debited).toBeGreaterThan(0);
    const debitedFen = bank.movements
      .filter((m) => m.valueDate === '2025-11-06' && m.memo.startsWith('代扣 LR'))
      .reduce((sum, m) => sum + m.amountFen, 0n);
    const bankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    const suspenseBefore = await ledgerBalance(t.db, 'FLEX', '21902');
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: 'statement-2025-11-06.csv',
      content: bank.statementCsv('2025-11-06'),
      statementDate: '2025-11-06',
    });
    expect(imported.suspense.count).toBe(debited);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBefore + debitedFen);

    // The result file arrives: each success is released from suspense and repaid through 101, once.
    const applied = await applyLoanDebitResultFile({ db: t.db, file: file!, actorLabel: 'system:bank' });
    expect(applied).toMatchObject({ succeeded: debited, repayments: debited });
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBefore + debitedFen);
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspenseBefore);
    const requests = await sql<{ failure_code: string | null; repaid: boolean; item_status: string }>`
      SELECT r.failure_code, r.repayment_id IS NOT NULL AS repaid, s.status AS item_status
      FROM loan_debit_requests r
        JOIN bank_statement_lines l ON l.bank_serial = r.bank_serial AND l.direction = 'in'
        JOIN suspense_items s ON s.statement_line_id = l.id
      WHERE r.batch_no = ${batchNo} AND r.status = 'succeeded'`.execute(t.db);
    expect(requests.rows).toHaveLength(debited);
    expect(
      requests.rows.every((r) => r.failure_code === null && r.repaid && r.item_status === 'assigned'),
    ).toBe(true);
    await expectInvariants();
  });

  it('a single debit notification after the statement does the same', async () => {
    const batchNo = 'LB20251206001';
    bank.setRequestFault(batchNo, { kind: 'timeout', processed: true });
    await close('2025-12-07');
    bank.setRequestFault(batchNo, null);
    const file = await bank.fetchDebitBatchResult(batchNo);
    const line = file!.content.split('\n').find((l) => l.includes(',success,'))!;
    const [, requestNo, , , serial, amount] = line.split(',');
    const bankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: 'statement-2025-12-06.csv',
      content: bank.statementCsv('2025-12-06'),
      statementDate: '2025-12-06',
    });
    const afterImport = await ledgerBalance(t.db, 'FLEX', '101');
    expect(afterImport).toBeGreaterThan(bankBefore);
    // The bank's single result for one request (a retry of its answer), signed like every notification.
    const rawBody = JSON.stringify({
      serial,
      kind: 'debit_result',
      requestNo,
      amount,
      valueDate: '2025-12-06',
      status: 'success',
    });
    const handled = await handleBankNotification(t.db, {
      rawBody,
      signature: signBankMessage(rawBody, bankSecretFromEnv()),
    });
    expect(handled).toMatchObject({ outcome: 'loan_repaid' });
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(afterImport);
    const request = await sql<{ failure_code: string | null; repaid: boolean }>`
      SELECT failure_code, repayment_id IS NOT NULL AS repaid FROM loan_debit_requests WHERE request_no = ${requestNo}`.execute(
      t.db,
    );
    expect(request.rows).toEqual([{ failure_code: null, repaid: true }]);
    await expectInvariants();
  });
});

describe('a settled loan', () => {
  it('refuses a repayment, writing nothing', async () => {
    const { debit } = people;
    await sql`UPDATE loans SET status = 'settled', settled_on = '2025-09-07' WHERE id = ${BigInt(debit.loanId)}`.execute(
      t.db,
    );
    try {
      await expectRefusedWithoutWrites(
        t.db,
        () =>
          repayLoan({
            db: t.db,
            actor: teller,
            loanId: debit.loanId,
            amount: '10.00',
            idempotencyKey: 'settled-0001',
          }),
        'LOAN_ALREADY_SETTLED',
        expect,
      );
    } finally {
      await sql`UPDATE loans SET status = 'disbursed', settled_on = NULL WHERE id = ${BigInt(debit.loanId)}`.execute(
        t.db,
      );
    }
    await expectInvariants();
  });
});
