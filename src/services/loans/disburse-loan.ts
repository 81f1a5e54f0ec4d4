// Disbursing a mortgaged loan to the seller (放款, rules.md §6.4, §7): in one transaction the loan's
// disbursement row (the outbox), Dr 121 loans / Cr 21903 payouts in transit, the schedule fixed from the
// disbursement day (every period in loan_installments) and the audit row; after commit the payment goes
// to the bank with the disbursement's own request number (send-loan-disbursement.ts), so it is never sent
// twice. Refused unless approved and mortgaged; refused once disbursed.
import { Decimal } from 'decimal.js';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { buildSchedule } from '../../domain/loans/schedule.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertStaffRole, loanJson, lockLoan, readLoan, type LoanJson } from './loan-store.ts';
import { sendLoanDisbursement, type DisbursementState } from './send-loan-disbursement.ts';
import type { Db } from '../../db/connection.ts';

export interface DisbursedLoan extends LoanJson {
  disbursement: DisbursementState;
  installments: number;
  journalEntryId: string;
}

export async function disburseLoan(input: {
  db: Db;
  bank: BankGateway;
  actor: Actor;
  loanId: string | bigint;
}): Promise<DisbursedLoan> {
  const { db, actor } = input;
  assertStaffRole(actor, ['finance', 'manager']);
  const written = await db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    const live = await tx
      .selectFrom('loan_disbursements')
      .select('id')
      .where('loan_id', '=', loan.id)
      .where('status', '!=', 'rejected')
      .executeTakeFirst();
    if (live || loan.status === 'disbursed' || loan.status === 'settled') {
      throw new AppError('LOAN_ALREADY_DISBURSED', { field: 'loanId' });
    }
    if (loan.status !== 'mortgaged') {
      throw new AppError('LOAN_NOT_APPROVED', { field: 'loanId', details: { status: loan.status } });
    }
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const amountFen = loan.requested_fen;
    const entry = await postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: date,
        valueDate: date,
        entryType: 'loan_disbursement',
        memo: `贷款发放 ${loan.loan_number}`,
        sourceType: 'loan',
        sourceId: String(loan.id),
        postings: [
          { account: LEDGER.loans, side: 'D', amountFen },
          { account: LEDGER.payoutsInTransit, side: 'C', amountFen },
        ],
      },
      label,
    );
    const disbursement = await tx
      .insertInto('loan_disbursements')
      .values({
        loan_id: loan.id,
        book: 'FLEX',
        amount_fen: amountFen,
        payee_name: loan.seller_name,
        bank_name: loan.seller_bank_name,
        bank_account: loan.seller_bank_account,
        value_date: date,
        status: 'pending',
        entry_id: entry.entryId,
      })
      .returning(['id', 'request_no'])
      .executeTakeFirstOrThrow();
    // rules.md §6.4: the schedule runs from the disbursement day, at the contract rate.
    const schedule = buildSchedule({
      principalFen: amountFen,
      annualRatePct: new Decimal(loan.annual_rate_pct),
      months: loan.term_months,
      method: loan.method,
      disbursedOn: date,
    });
    await tx
      .insertInto('loan_installments')
      .values(
        schedule.installments.map((r) => ({
          loan_id: loan.id,
          period: r.period,
          due_date: r.dueDate!,
          principal_fen: r.principalFen,
          interest_fen: r.interestFen,
          payment_fen: r.paymentFen,
          balance_fen: r.balanceFen,
        })),
      )
      .execute();
    await tx
      .updateTable('loans')
      .set({ status: 'disbursed', disbursed_on: date })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.disburse',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: {
        from: 'mortgaged',
        to: 'disbursed',
        amount: fenToYuanString(amountFen),
        requestNo: disbursement.request_no,
        installments: schedule.installments.length,
        firstDueDate: schedule.installments[0]!.dueDate!,
        totalInterest: fenToYuanString(schedule.totalInterestFen),
      },
    });
    return {
      loanId: loan.id,
      disbursementId: disbursement.id,
      entryId: entry.entryId,
      installments: schedule.installments.length,
    };
  });
  // After commit: the bank call (the row is 'pending' until then; a crash leaves it for a resend).
  const disbursement = await sendLoanDisbursement({
    db,
    bank: input.bank,
    disbursementId: written.disbursementId,
  });
  return {
    ...loanJson(await readLoan(db, written.loanId)),
    disbursement,
    installments: written.installments,
    journalEntryId: String(written.entryId),
  };
}
