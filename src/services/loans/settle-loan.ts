// Full settlement (结清, rules.md §6.5), allowed any time once the loan is disbursed and nothing is due
// unpaid: the remaining principal plus the interest accrued on it from the last due date (or the
// disbursement) to the settlement date by actual days / 30 of a month (the convention of the first period,
// rules.md §6.4, ours). In one transaction: the entry (Dr 201 or 101 / Cr 121 / Cr 40103), the future
// installments archived as a schedule version and removed, the loan 'settled' with settled_on, the
// settlement row with what the certificate prints and the mortgage release noted, and the audit row.
// Idempotent by the client key; a second settlement of a settled loan is refused.
import { Decimal } from 'decimal.js';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { accruedInterest, settlementBusinessType } from '../../domain/loans/prepayment.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { onceByKey } from '../idempotency.ts';
import { assertStaffRole, type LoanRow } from './loan-store.ts';
import { replaceFutureSchedules } from './loan-schedule-store.ts';
import { assertFunds, lockLoanForPayoff, parseFunding, PAYOFF_ROLES, postPayoff } from './loan-payoff.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

export interface SettleLoanInput {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  funding: string;
  bankReference?: string;
  idempotencyKey: string;
}

/** What the settlement certificate prints, fixed at settlement (the certificate number is the row's). */
export interface LoanSettlementContent {
  loanNumber: string;
  contractNo: string;
  borrower: { name: string; idNumberMasked: string; accountNumber: string };
  coBorrower: string | null;
  amount: string;
  termMonths: number;
  disbursedOn: string;
  settledOn: string;
  principal: string;
  interest: string;
  total: string;
  accruedFrom: string;
  accruedDays: number;
  funding: string;
  businessType: string;
  mortgage: { certificateNo: string | null; address: string | null };
  mortgageReleaseNote: string;
}

export interface LoanSettlementResult extends Record<string, unknown> {
  settlementId: string;
  certificateNo: string;
  loanId: string;
  loanNumber: string;
  status: 'settled';
  settledOn: string;
  funding: string;
  businessType: string;
  principal: string;
  interest: string;
  total: string;
  accruedFrom: string;
  accruedDays: number;
  mortgageReleaseNote: string;
  journalEntryId: string;
}

/** rules.md §6.5: the mortgage on the house is released once the loan is settled. */
function mortgageReleaseNote(certificateNo: string | null): string {
  return certificateNo === null
    ? '贷款已结清，抵押权可予注销。The loan is settled; the mortgage may be released.'
    : `贷款已结清，请凭本证明到不动产登记机构办理抵押权注销（不动产登记证明号 ${certificateNo}）。` +
        ` The loan is settled; take this certificate to the real-estate registry to release mortgage ${certificateNo}.`;
}

async function settlementContent(
  tx: DbOrTx,
  loan: LoanRow,
  money: Pick<
    LoanSettlementContent,
    | 'settledOn'
    | 'principal'
    | 'interest'
    | 'total'
    | 'accruedFrom'
    | 'accruedDays'
    | 'funding'
    | 'businessType'
    | 'mortgageReleaseNote'
  >,
): Promise<LoanSettlementContent> {
  const borrower = await tx
    .selectFrom('depositors as d')
    .innerJoin('accounts as a', 'a.depositor_id', 'd.id')
    .select(['d.name', 'd.id_number_masked', 'a.account_number'])
    .where('a.id', '=', loan.account_id)
    .executeTakeFirstOrThrow();
  return {
    loanNumber: loan.loan_number,
    contractNo: loan.contract_no ?? '',
    borrower: {
      name: borrower.name,
      idNumberMasked: borrower.id_number_masked,
      accountNumber: borrower.account_number,
    },
    coBorrower: loan.spouse_name,
    amount: fenToYuanString(loan.requested_fen),
    termMonths: loan.term_months,
    disbursedOn: loan.disbursed_on ?? '',
    mortgage: { certificateNo: loan.mortgage_certificate_no, address: loan.mortgage_address },
    ...money,
  };
}

export async function settleLoan(
  input: SettleLoanInput,
): Promise<LoanSettlementResult & { replayed: boolean }> {
  const { db, actor } = input;
  assertStaffRole(actor, [...PAYOFF_ROLES]);
  const funding = parseFunding(input.funding, input.bankReference);
  if (!input.idempotencyKey?.trim()) throw new AppError('VALIDATION_FAILED', { field: 'idempotencyKey' });
  const payload = { loanId: String(input.loanId), funding, bankReference: input.bankReference ?? null };
  return db.transaction().execute(async (tx) => {
    const { result, replayed } = await onceByKey(
      tx,
      'loan-settlement',
      input.idempotencyKey,
      payload,
      async (): Promise<LoanSettlementResult> => {
        const { loan, date, position } = await lockLoanForPayoff(tx, input.loanId);
        const principalFen = position.remainingPrincipalFen;
        if (principalFen <= 0n) {
          throw new AppError('LOAN_NOT_REPAYING', { field: 'loanId', details: { remaining: '0.00' } });
        }
        const interest = accruedInterest({
          principalFen,
          annualRatePct: new Decimal(loan.annual_rate_pct),
          from: position.periodStart,
          onDate: date,
        });
        const totalFen = principalFen + interest.interestFen;
        await assertFunds(tx, loan, funding, totalFen);
        const label = actorLabel(actor);
        const businessType = settlementBusinessType(funding);
        const entryId = await postPayoff(
          tx,
          {
            loan,
            funding,
            principalFen,
            interestFen: interest.interestFen,
            date,
            entryType: 'loan_settlement',
            memo: `贷款结清 ${loan.loan_number}`,
            sourceType: 'loan',
            sourceId: String(loan.id),
          },
          label,
        );
        const versions = await replaceFutureSchedules(
          tx,
          [
            {
              loanId: loan.id,
              reason: 'settlement',
              effectiveOn: date,
              oldRatePct: loan.annual_rate_pct,
              newRatePct: loan.annual_rate_pct,
              installments: [],
            },
          ],
          label,
        );
        const yuan = fenToYuanString;
        const note = mortgageReleaseNote(loan.mortgage_certificate_no);
        const content = await settlementContent(tx, loan, {
          settledOn: date,
          principal: yuan(principalFen),
          interest: yuan(interest.interestFen),
          total: yuan(totalFen),
          accruedFrom: interest.from,
          accruedDays: interest.days,
          funding,
          businessType,
          mortgageReleaseNote: note,
        });
        const row = await tx
          .insertInto('loan_settlements')
          .values({
            loan_id: loan.id,
            settled_on: date,
            funding,
            business_type: businessType,
            principal_fen: principalFen,
            interest_fen: interest.interestFen,
            total_fen: totalFen,
            accrued_from: interest.from,
            accrued_days: interest.days,
            bank_reference: input.bankReference ?? null,
            mortgage_certificate_no: loan.mortgage_certificate_no,
            mortgage_release_note: note,
            content: JSON.stringify(content),
            schedule_version_id: versions.get(loan.id)!,
            entry_id: entryId,
            created_by: label,
          })
          .returning(['id', 'certificate_no'])
          .executeTakeFirstOrThrow();
        await tx
          .updateTable('loans')
          .set({ status: 'settled', settled_on: date })
          .where('id', '=', loan.id)
          .execute();
        const reply: LoanSettlementResult = {
          settlementId: String(row.id),
          certificateNo: row.certificate_no,
          loanId: String(loan.id),
          loanNumber: loan.loan_number,
          status: 'settled',
          settledOn: date,
          funding,
          businessType,
          principal: content.principal,
          interest: content.interest,
          total: content.total,
          accruedFrom: interest.from,
          accruedDays: interest.days,
          mortgageReleaseNote: note,
          journalEntryId: String(entryId),
        };
        await recordAudit(tx, {
          actor: label,
          action: 'loan.settle',
          subjectType: 'loan',
          subjectId: loan.id,
          businessDate: date,
          summary: {
            from: 'disbursed',
            to: 'settled',
            certificateNo: row.certificate_no,
            funding,
            businessType,
            principal: reply.principal,
            interest: reply.interest,
            total: reply.total,
            mortgageRelease: loan.mortgage_certificate_no,
          },
        });
        return reply;
      },
    );
    return { ...result, replayed };
  });
}
