// The loan contract as a PDF (rules.md §6): drawn from the stored loan, with the schedule period by
// period: the fixed installments once disbursed, before that the schedule as if disbursed on the contract
// date. The hash stored at signing is of the printed content (contractContentSha256), so a reprint can be
// checked against the signed terms.
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { buildSchedule, FIRST_PERIOD_NOTE, REPAYMENT_METHOD_LABELS } from '../../domain/loans/schedule.ts';
import { renderLoanContractPdf, type LoanContractPrint } from '../../documents/loan-contract-pdf.ts';
import { assertLoanReader, readLoan, type LoanRow } from './loan-store.ts';
import type { DbOrTx } from '../../db/connection.ts';

function maskAccount(text: string): string {
  return text.length <= 4 ? text : `${'*'.repeat(Math.min(text.length - 4, 12))}${text.slice(-4)}`;
}

/** What the contract shows; the loan must have its contract date (signed or being signed). */
export async function loanContractPrint(
  db: DbOrTx,
  loan: LoanRow,
  contract: { contractNo: string; contractDate: string; annualRatePct: string; rateFrom: string },
): Promise<LoanContractPrint> {
  const borrower = await db
    .selectFrom('depositors as d')
    .innerJoin('accounts as a', 'a.depositor_id', 'd.id')
    .select(['d.name', 'd.id_number_masked', 'a.account_number'])
    .where('a.id', '=', loan.account_id)
    .executeTakeFirstOrThrow();
  const fixed = await db
    .selectFrom('loan_installments')
    .selectAll()
    .where('loan_id', '=', loan.id)
    .orderBy('period')
    .execute();
  const yuan = fenToYuanString;
  let schedule: LoanContractPrint['schedule'];
  let totals: LoanContractPrint['totals'];
  if (fixed.length > 0) {
    schedule = fixed.map((r) => ({
      period: r.period,
      dueDate: r.due_date,
      payment: yuan(r.payment_fen),
      principal: yuan(r.principal_fen),
      interest: yuan(r.interest_fen),
      balance: yuan(r.balance_fen),
    }));
    const sum = (pick: (r: (typeof fixed)[number]) => bigint) => fixed.reduce((s, r) => s + pick(r), 0n);
    totals = {
      payment: yuan(sum((r) => r.payment_fen)),
      principal: yuan(sum((r) => r.principal_fen)),
      interest: yuan(sum((r) => r.interest_fen)),
    };
  } else {
    const s = buildSchedule({
      principalFen: loan.requested_fen,
      annualRatePct: new Decimal(contract.annualRatePct),
      months: loan.term_months,
      method: loan.method,
      disbursedOn: contract.contractDate,
    });
    schedule = s.installments.map((r) => ({
      period: r.period,
      dueDate: r.dueDate!,
      payment: yuan(r.paymentFen),
      principal: yuan(r.principalFen),
      interest: yuan(r.interestFen),
      balance: yuan(r.balanceFen),
    }));
    totals = {
      payment: yuan(s.totalPaymentFen),
      principal: yuan(s.principalFen),
      interest: yuan(s.totalInterestFen),
    };
  }
  return {
    contractNo: contract.contractNo,
    loanNumber: loan.loan_number,
    contractDate: contract.contractDate,
    borrower: {
      name: borrower.name,
      idNumberMasked: borrower.id_number_masked,
      accountNumber: borrower.account_number,
    },
    spouse:
      loan.spouse_name === null
        ? null
        : { name: loan.spouse_name, idNumberMasked: loan.spouse_id_masked ?? '' },
    house: {
      address: loan.house_address,
      areaSqm: loan.house_area_sqm,
      price: yuan(loan.house_price_fen),
      home: loan.home,
    },
    seller: {
      name: loan.seller_name,
      bankName: loan.seller_bank_name,
      bankAccountMasked: maskAccount(loan.seller_bank_account),
    },
    amount: yuan(loan.requested_fen),
    termMonths: loan.term_months,
    // As in the rate table ("2.85"), whether read from the numeric column or the table.
    annualRate: new Decimal(contract.annualRatePct).toString(),
    rateFrom: contract.rateFrom,
    method: REPAYMENT_METHOD_LABELS[loan.method],
    schedule,
    totals,
    note: `${FIRST_PERIOD_NOTE.zh}。\n${FIRST_PERIOD_NOTE.en}.${fixed.length > 0 ? '' : ' 还款日按合同签订日放款示意，放款日另行确定 / Dates as if disbursed on the contract date.'}`,
    createdAt: new Date(`${contract.contractDate}T00:00:00Z`),
  };
}

/** SHA-256 of what the contract prints (terms and schedule as canonical JSON, without the print time). */
export function contractContentSha256(print: LoanContractPrint): string {
  const { createdAt, ...content } = print;
  void createdAt;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The signed contract's PDF; the borrower (or co-borrower) and staff may fetch it. */
export async function loanContractPdf(input: {
  db: DbOrTx;
  actor: Actor;
  loanId: string | bigint;
}): Promise<{ fileName: string; pdf: Buffer; contentSha256: string }> {
  const loan = await readLoan(input.db, input.loanId);
  assertLoanReader(input.actor, loan);
  if (loan.contract_no === null || loan.contract_date === null) {
    throw new AppError('LOAN_STEP_OUT_OF_ORDER', {
      details: { status: loan.status, expected: ['contracted'] },
    });
  }
  const print = await loanContractPrint(input.db, loan, {
    contractNo: loan.contract_no,
    contractDate: loan.contract_date,
    annualRatePct: loan.annual_rate_pct,
    rateFrom: loan.rate_from,
  });
  return {
    fileName: `${loan.contract_no}.pdf`,
    pdf: await renderLoanContractPdf(print),
    contentSha256: contractContentSha256(print),
  };
}
