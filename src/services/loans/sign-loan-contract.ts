// Signing the contract of an approved loan (rules.md §6.3): the loan takes the rate in force on the
// contract date (the business date), gets its contract number, and the SHA-256 of the contract's content
// (every printed term and the schedule, as canonical JSON) is stored, all with an audit row: approved →
// contracted. The PDF bytes themselves differ per rendering (pdfkit's file id), the content does not.
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { loanRateOnContract } from '../../domain/loans/rates.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { renderLoanContractPdf } from '../../documents/loan-contract-pdf.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { contractContentSha256, loanContractPrint } from './loan-contract-document.ts';
import { loanRateTable } from './loan-rate-table.ts';
import { assertStatus, assertStaffRole, loanJson, lockLoan, readLoan, type LoanJson } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export async function signLoanContract(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
}): Promise<LoanJson & { pdf: Buffer }> {
  const { db, actor } = input;
  assertStaffRole(actor, ['teller', 'manager']);
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    assertStatus(loan, ['approved']);
    const date = await getBusinessDate(tx);
    const rate = loanRateOnContract({
      contractDate: date,
      home: loan.home,
      termMonths: loan.term_months,
      table: await loanRateTable(tx),
    });
    const contractNo = `HT${loan.loan_number.slice(2)}`;
    const terms = {
      contractNo,
      contractDate: date,
      annualRatePct: rate.ratePct.toString(),
      rateFrom: rate.from,
    };
    const print = await loanContractPrint(tx, loan, terms);
    const pdf = await renderLoanContractPdf(print);
    const sha256 = contractContentSha256(print);
    const label = actorLabel(actor);
    await tx
      .updateTable('loans')
      .set({
        status: 'contracted',
        contract_no: contractNo,
        contract_date: date,
        contract_sha256: sha256,
        annual_rate_pct: terms.annualRatePct,
        rate_from: rate.from,
      })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.contract',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: { from: 'approved', to: 'contracted', contractNo, annualRate: terms.annualRatePct, sha256 },
    });
    return { ...loanJson(await readLoan(tx, loan.id)), pdf };
  });
}
