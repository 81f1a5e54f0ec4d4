// A loan as its borrower and staff see it (rules.md §6.2: the quota explanation is shown to staff and
// applicant): the application, every step, the quota with its factors, the disbursement and the fixed
// schedule. A depositor sees only their own loans; another's is "not found".
import { fenToYuanString } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { AppError } from '../../domain/errors.ts';
import { assertLoanReader, loanJson, readLoan, type LoanJson } from './loan-store.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { loanRepaymentView, type LoanRepaymentView } from './view-loan-repayments.ts';

export interface LoanView extends LoanJson {
  /** Repayment history, arrears and marks (view-loan-repayments.ts), once disbursed. */
  repayment: LoanRepaymentView | null;
  disbursement: { requestNo: string; status: string; amount: string; bankSerial: string | null } | null;
  schedule: Array<{
    period: number;
    dueDate: string;
    payment: string;
    principal: string;
    interest: string;
    balance: string;
    status: string;
  }>;
}

export async function viewLoan(input: {
  db: DbOrTx;
  actor: Actor;
  loanId: string | bigint;
}): Promise<LoanView> {
  const loan = await readLoan(input.db, input.loanId);
  assertLoanReader(input.actor, loan);
  const d = await input.db
    .selectFrom('loan_disbursements')
    .select(['request_no', 'status', 'amount_fen', 'bank_serial'])
    .where('loan_id', '=', loan.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const rows = await input.db
    .selectFrom('loan_installments')
    .selectAll()
    .where('loan_id', '=', loan.id)
    .orderBy('period')
    .execute();
  const repayment =
    loan.status === 'disbursed' || loan.status === 'settled'
      ? await loanRepaymentView(input.db, loan.id)
      : null;
  return {
    ...loanJson(loan),
    repayment,
    disbursement: d
      ? {
          requestNo: d.request_no,
          status: d.status,
          amount: fenToYuanString(d.amount_fen),
          bankSerial: d.bank_serial,
        }
      : null,
    schedule: rows.map((r) => ({
      period: r.period,
      dueDate: r.due_date,
      payment: fenToYuanString(r.payment_fen),
      principal: fenToYuanString(r.principal_fen),
      interest: fenToYuanString(r.interest_fen),
      balance: fenToYuanString(r.balance_fen),
      status: r.status,
    })),
  };
}

/** A listed loan names its borrower: name and masked ID number (the list never shows the full number). */
export interface ListedLoan extends LoanJson {
  borrower: { name: string; idNumberMasked: string };
}

/** Loans (of one depositor when asked; a depositor: only their own), newest first, with the borrower. */
export async function listLoans(input: {
  db: DbOrTx;
  actor: Actor;
  depositorId?: string;
  status?: string;
}): Promise<ListedLoan[]> {
  const { actor } = input;
  let depositorId = input.depositorId;
  if (actor.type === 'depositor') {
    if (depositorId !== undefined && depositorId !== String(actor.depositorId))
      throw new AppError('FORBIDDEN');
    depositorId = String(actor.depositorId);
  } else if (actor.type !== 'staff') {
    throw new AppError('FORBIDDEN');
  }
  // The borrower comes in the same query (one join), not one read per listed loan.
  let q = input.db
    .selectFrom('loans')
    .innerJoin('depositors as borrower', 'borrower.id', 'loans.depositor_id')
    .selectAll('loans')
    .select(['borrower.name as borrower_name', 'borrower.id_number_masked as borrower_id_number_masked'])
    .orderBy('loans.id', 'desc')
    .limit(200);
  if (depositorId !== undefined) {
    if (!/^\d+$/.test(depositorId)) throw new AppError('VALIDATION_FAILED', { field: 'depositorId' });
    const id = BigInt(depositorId);
    q = q.where((eb) => eb.or([eb('loans.depositor_id', '=', id), eb('loans.spouse_depositor_id', '=', id)]));
  }
  if (input.status !== undefined) q = q.where('loans.status', '=', input.status as LoanJson['status']);
  return (await q.execute()).map(({ borrower_name, borrower_id_number_masked, ...loan }) => ({
    ...loanJson(loan),
    borrower: { name: borrower_name, idNumberMasked: borrower_id_number_masked },
  }));
}
