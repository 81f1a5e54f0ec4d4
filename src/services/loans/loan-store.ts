// Reading and locking a loan, who may act on it, and its JSON shape (money as yuan strings), shared by
// the loan steps so every step refuses the same way.
import type { Selectable } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { hasRole, type Actor, type StaffRole } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { LoansTable } from '../../db/schema.ts';

export type LoanRow = Selectable<LoansTable>;

function loanId(id: string | bigint): bigint {
  if (!/^\d+$/.test(String(id))) throw new AppError('LOAN_NOT_FOUND', { field: 'loanId' });
  return BigInt(id);
}

/** The loan under its row lock (the caller's transaction), so two steps on one loan queue. */
export async function lockLoan(tx: DbOrTx, id: string | bigint): Promise<LoanRow> {
  const row = await tx
    .selectFrom('loans')
    .selectAll()
    .where('id', '=', loanId(id))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('LOAN_NOT_FOUND', { field: 'loanId' });
  return row;
}

export async function readLoan(db: DbOrTx, id: string | bigint): Promise<LoanRow> {
  const row = await db.selectFrom('loans').selectAll().where('id', '=', loanId(id)).executeTakeFirst();
  if (!row) throw new AppError('LOAN_NOT_FOUND', { field: 'loanId' });
  return row;
}

/** A depositor sees only a loan where they are the borrower or the spouse co-borrower (as not found). */
export function assertLoanReader(actor: Actor, loan: LoanRow): void {
  if (actor.type === 'staff') return;
  if (
    actor.type === 'depositor' &&
    (actor.depositorId === loan.depositor_id || actor.depositorId === loan.spouse_depositor_id)
  ) {
    return;
  }
  throw new AppError('LOAN_NOT_FOUND', { field: 'loanId' });
}

/** Staff holding one of the roles, or LOAN_ROLE_REQUIRED. */
export function assertStaffRole(actor: Actor, roles: StaffRole[]): void {
  if (!hasRole(actor, ...roles)) throw new AppError('LOAN_ROLE_REQUIRED', { details: { roles } });
}

export function assertStatus(loan: LoanRow, expected: LoanRow['status'][]): void {
  if (!expected.includes(loan.status)) {
    throw new AppError('LOAN_STEP_OUT_OF_ORDER', { details: { status: loan.status, expected } });
  }
}

export interface LoanJson extends Record<string, unknown> {
  loanId: string;
  loanNumber: string;
  status: LoanRow['status'];
  depositorId: string;
  accountId: string;
  channel: string;
  amount: string;
  termMonths: number;
  method: string;
  annualRate: string;
  rateFrom: string;
  quota: string;
}

export function loanJson(loan: LoanRow): LoanJson {
  const money = (fen: bigint | null) => (fen === null ? null : fenToYuanString(fen));
  return {
    loanId: String(loan.id),
    loanNumber: loan.loan_number,
    status: loan.status,
    depositorId: String(loan.depositor_id),
    accountId: String(loan.account_id),
    spouse:
      loan.spouse_name === null
        ? null
        : {
            depositorId: loan.spouse_depositor_id === null ? null : String(loan.spouse_depositor_id),
            name: loan.spouse_name,
            idNumberMasked: loan.spouse_id_masked,
          },
    channel: loan.channel,
    house: {
      address: loan.house_address,
      areaSqm: loan.house_area_sqm,
      price: fenToYuanString(loan.house_price_fen),
      home: loan.home,
      inCity: loan.house_in_city,
    },
    income: {
      monthlyIncome: fenToYuanString(loan.monthly_income_fen),
      monthlyDebts: fenToYuanString(loan.monthly_debts_fen),
      evidence: loan.income_evidence,
    },
    seller: { name: loan.seller_name, bankName: loan.seller_bank_name },
    amount: fenToYuanString(loan.requested_fen),
    termMonths: loan.term_months,
    method: loan.method,
    annualRate: loan.annual_rate_pct,
    rateFrom: loan.rate_from,
    quota: fenToYuanString(loan.quota_fen),
    quotaExplanation: loan.quota,
    creditReport: loan.credit_report,
    steps: {
      applied: { by: loan.applied_by, on: loan.applied_on },
      reviewed: loan.reviewed_by === null ? null : { by: loan.reviewed_by, on: loan.reviewed_on },
      approved: loan.approved_by === null ? null : { by: loan.approved_by, on: loan.approved_on },
      needsManager: loan.needs_manager,
      managerApproved:
        loan.manager_approved_by === null
          ? null
          : { by: loan.manager_approved_by, on: loan.manager_approved_on },
      rejected:
        loan.rejected_by === null
          ? null
          : { by: loan.rejected_by, step: loan.rejected_step, reason: loan.rejection_reason },
      contract:
        loan.contract_no === null
          ? null
          : { contractNo: loan.contract_no, date: loan.contract_date, sha256: loan.contract_sha256 },
      mortgage:
        loan.mortgage_certificate_no === null
          ? null
          : {
              certificateNo: loan.mortgage_certificate_no,
              address: loan.mortgage_address,
              areaSqm: loan.mortgage_area_sqm,
              price: money(loan.mortgage_price_fen),
              recordedOn: loan.mortgage_recorded_on,
            },
      disbursedOn: loan.disbursed_on,
    },
  };
}
