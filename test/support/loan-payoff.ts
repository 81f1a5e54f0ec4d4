// Loan set-up for the prepayment and repricing tests: a loan taken from application to a confirmed
// disbursement through the real services, installments paid as the repayment flow would (Dr 101 / Cr 121
// principal / Cr 40103 interest, the row marked paid in full; the close's own collection is not needed to
// reach 12 paid installments), and the per-loan invariants every scenario checks.
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import type { BankGateway } from '../../src/integrations/bank/gateway.ts';
import type { CreditBureau } from '../../src/integrations/credit-bureau/gateway.ts';
import { applyForLoan, type ApplyForLoanInput } from '../../src/services/loans/apply-for-loan.ts';
import { reviewLoan } from '../../src/services/loans/review-loan.ts';
import { approveLoan } from '../../src/services/loans/approve-loan.ts';
import { signLoanContract } from '../../src/services/loans/sign-loan-contract.ts';
import { recordMortgage } from '../../src/services/loans/record-mortgage.ts';
import { disburseLoan } from '../../src/services/loans/disburse-loan.ts';
import { confirmLoanDisbursement } from '../../src/services/loans/confirm-loan-disbursement.ts';
import { manager, reviewer, staff, teller } from './services.ts';

export const finance = staff('finance1', ['finance']);

export interface Borrower {
  depositorId: string;
  accountId: string;
}

let key = 0;

export function loanRequest(
  p: Borrower,
  extra: Partial<ApplyForLoanInput['request']> = {},
): ApplyForLoanInput['request'] {
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
    amount: '300000.00',
    termMonths: 240,
    method: 'equal-installment',
    ...extra,
  };
}

/** Apply → review → approve (→ manager) → contract → mortgage → disburse → bank confirmation. */
export async function disbursedLoan(
  db: Db,
  bank: BankGateway,
  bureau: CreditBureau,
  request: ApplyForLoanInput['request'],
): Promise<bigint> {
  const { loanId } = await applyForLoan({
    db,
    actor: teller,
    bureau,
    request,
    idempotencyKey: `payoff-loan-${++key}`,
  });
  await reviewLoan({ db, actor: teller, loanId });
  const approved = await approveLoan({ db, actor: reviewer, loanId });
  if (approved.status === 'awaiting_manager') await approveLoan({ db, actor: manager, loanId });
  await signLoanContract({ db, actor: teller, loanId });
  await recordMortgage({
    db,
    actor: teller,
    loanId,
    certificateNo: `MG-PAYOFF-${loanId}`,
    address: request.house.address,
    areaSqm: request.house.areaSqm,
    price: request.house.price,
  });
  const disbursed = await disburseLoan({ db, bank, actor: finance, loanId });
  if (disbursed.disbursement.status !== 'confirmed') {
    await confirmLoanDisbursement({
      db,
      actor: finance,
      requestNo: disbursed.disbursement.requestNo,
      bankSerial: `S${loanId}`,
    });
  }
  return BigInt(loanId);
}

/** Pays every unpaid installment due on or before `through`, as the repayment flow would. */
export async function payInstallmentsThrough(db: Db, loanId: bigint, through: IsoDate): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('loan_installments')
      .selectAll()
      .where('loan_id', '=', loanId)
      .where('status', '!=', 'paid')
      .where('due_date', '<=', through)
      .orderBy('period')
      .execute();
    for (const r of rows) {
      await postEntry(
        tx,
        {
          book: 'FLEX',
          businessDate: through,
          valueDate: r.due_date,
          entryType: 'loan_installment_test',
          memo: `test repayment ${loanId}/${r.period}`,
          sourceType: 'loan',
          sourceId: String(loanId),
          postings: [
            { account: '101', side: 'D', amountFen: r.payment_fen },
            { account: '121', side: 'C', amountFen: r.principal_fen },
            { account: '40103', side: 'C', amountFen: r.interest_fen },
          ],
        },
        'test:repayment',
      );
      // The columns of migration 0017 as its repayment waterfall leaves a row paid in full.
      await sql`
        UPDATE loan_installments SET status = 'paid', principal_paid_fen = principal_fen,
          interest_paid_fen = interest_fen, paid_on = ${through}::date
        WHERE loan_id = ${loanId} AND period = ${r.period}`.execute(tx);
    }
    return rows.length;
  });
}

export interface LoanBalances {
  principalFen: bigint;
  paidFen: bigint;
  prepaidFen: bigint;
  settledFen: bigint;
  /** Σ principal of the installments not yet paid (migration 0017 tracks what was paid of each). */
  outstandingFen: bigint;
}

export async function loanBalances(db: Db, loanId: bigint): Promise<LoanBalances> {
  const r = await sql<{
    principal: string;
    paid: string;
    prepaid: string;
    settled: string;
    outstanding: string;
  }>`
    SELECT l.requested_fen::text AS principal,
      (SELECT COALESCE(sum(principal_paid_fen), 0) FROM loan_installments WHERE loan_id = l.id)::text AS paid,
      (SELECT COALESCE(sum(principal_fen), 0) FROM loan_prepayments WHERE loan_id = l.id)::text AS prepaid,
      (SELECT COALESCE(sum(principal_fen), 0) FROM loan_settlements WHERE loan_id = l.id)::text AS settled,
      (SELECT COALESCE(sum(principal_fen - principal_paid_fen), 0) FROM loan_installments WHERE loan_id = l.id)::text AS outstanding
    FROM loans l WHERE l.id = ${loanId}`.execute(db);
  const row = r.rows[0]!;
  return {
    principalFen: BigInt(row.principal),
    paidFen: BigInt(row.paid),
    prepaidFen: BigInt(row.prepaid),
    settledFen: BigInt(row.settled),
    outstandingFen: BigInt(row.outstanding),
  };
}

/**
 * The invariants of every scenario: the books verify; for every loan, principal repaid (installments,
 * prepayments, settlement) + the balance still scheduled = the principal; the schedule's balances run down
 * to zero; and 121 equals the principal outstanding on all loans.
 */
export async function expectLoanInvariants(
  db: Db,
  expect: (v: unknown) => { toBe(x: unknown): void; toEqual(x: unknown): void },
): Promise<void> {
  expect((await verifyBooks(db)).ok).toBe(true);
  const loans = await db
    .selectFrom('loans')
    .select(['id', 'status'])
    .where('status', 'in', ['disbursed', 'settled'])
    .execute();
  let outstanding = 0n;
  for (const loan of loans) {
    const b = await loanBalances(db, loan.id);
    expect(b.paidFen + b.prepaidFen + b.settledFen + b.outstandingFen).toBe(b.principalFen);
    outstanding += b.outstandingFen;
    const last = await db
      .selectFrom('loan_installments')
      .select(['balance_fen'])
      .where('loan_id', '=', loan.id)
      .orderBy('period', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (loan.status === 'disbursed') expect(last?.balance_fen).toBe(0n);
    else expect(b.outstandingFen).toBe(0n);
  }
  expect(await ledgerBalance(db, 'FLEX', '121')).toBe(outstanding);
}
