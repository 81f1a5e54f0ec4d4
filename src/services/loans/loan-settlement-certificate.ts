// The settlement certificate of a settled loan (rules.md §6.5), printed from what the settlement fixed, for
// staff or the borrower (another depositor's loan is "not found").
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import { renderLoanSettlementCertificatePdf } from '../../documents/loan-settlement-certificate-pdf.ts';
import { assertLoanReader, readLoan } from './loan-store.ts';
import type { LoanSettlementContent } from './settle-loan.ts';
import type { DbOrTx } from '../../db/connection.ts';

const FUNDING_LABELS: Record<string, string> = {
  'hpf-balance': '公积金账户余额 HPF balance',
  bank: '银行转账 Bank transfer',
};

export async function loanSettlementCertificatePdf(input: {
  db: DbOrTx;
  actor: Actor;
  loanId: string | bigint;
}): Promise<{ fileName: string; certificateNo: string; pdf: Buffer }> {
  const loan = await readLoan(input.db, input.loanId);
  assertLoanReader(input.actor, loan);
  const row = await input.db
    .selectFrom('loan_settlements')
    .select(['certificate_no', 'content', 'settled_on', 'created_at'])
    .where('loan_id', '=', loan.id)
    .executeTakeFirst();
  if (!row) throw new AppError('LOAN_SETTLEMENT_NOT_FOUND', { field: 'loanId' });
  const content = row.content as LoanSettlementContent;
  const pdf = await renderLoanSettlementCertificatePdf({
    ...content,
    certificateNo: row.certificate_no,
    fundingLabel: FUNDING_LABELS[content.funding] ?? content.funding,
    issuedOn: row.settled_on,
    createdAt: row.created_at,
  });
  return { fileName: `settlement-${content.loanNumber}.pdf`, certificateNo: row.certificate_no, pdf };
}
