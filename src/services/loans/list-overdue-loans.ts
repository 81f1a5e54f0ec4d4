// The collection list (催收清单, rules.md §6.5) for staff: every loan in arrears with its days past due and
// five-level class as of the business date, what it owes (penalty, overdue interest, overdue principal),
// its missed installments and its marks (collateral enforcement, defaulter list). Worst first.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { daysPastDue, riskClassOf, type RiskClass } from '../../domain/loans/repayment.ts';
import type { Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { getBusinessDate } from '../calendar/business-date.ts';

export interface OverdueLoanJson extends Record<string, unknown> {
  loanId: string;
  loanNumber: string;
  depositorId: string;
  borrowerName: string;
  daysPastDue: number;
  riskClass: RiskClass;
  oldestDueDate: string | null;
  overdueInstallments: number;
  overdueInterest: string;
  overduePrincipal: string;
  penalty: string;
  totalOwed: string;
  missedInstallments: number;
  maxConsecutiveMissed: number;
  collateralEnforcementSince: string | null;
  defaulterListedOn: string | null;
  balanceOffset: boolean;
}

export async function listOverdueLoans(input: {
  db: DbOrTx;
  actor: Actor;
  limit?: number;
  offset?: number;
}): Promise<{ businessDate: string; total: number; loans: OverdueLoanJson[] }> {
  if (input.actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 500);
  const offset = Math.max(input.offset ?? 0, 0);
  const date = await getBusinessDate(input.db);
  const rows = await sql<{
    id: bigint;
    loan_number: string;
    depositor_id: bigint;
    name: string;
    oldest: string | null;
    n: number;
    oi: bigint;
    op: bigint;
    penalty: bigint;
    missed_installments: number;
    max_consecutive_missed: number;
    enforcement_flagged_on: string | null;
    listed_on: string | null;
    balance_offset: boolean;
    total: number;
  }>`
    WITH arrears AS (
      SELECT i.loan_id, min(i.due_date) AS oldest, count(*)::int AS n,
        SUM(i.interest_fen - i.interest_paid_fen)::bigint AS oi, SUM(i.principal_fen - i.principal_paid_fen)::bigint AS op
      FROM loan_installments i WHERE i.status = 'overdue' GROUP BY i.loan_id
    ), owing AS (
      SELECT l.id, l.loan_number, l.depositor_id, d.name, a.oldest, COALESCE(a.n, 0) AS n, COALESCE(a.oi, 0) AS oi,
        COALESCE(a.op, 0) AS op, l.penalty_accrued_fen - l.penalty_paid_fen AS penalty, l.missed_installments,
        l.max_consecutive_missed, l.enforcement_flagged_on, f.listed_on, l.balance_offset
      FROM loans l
        JOIN depositors d ON d.id = l.depositor_id
        LEFT JOIN arrears a ON a.loan_id = l.id
        LEFT JOIN loan_defaulters f ON f.loan_id = l.id
      WHERE l.status = 'disbursed' AND (a.loan_id IS NOT NULL OR l.penalty_accrued_fen > l.penalty_paid_fen)
    )
    SELECT *, count(*) OVER ()::int AS total FROM owing
    ORDER BY oldest NULLS LAST, id
    LIMIT ${limit} OFFSET ${offset}`.execute(input.db);
  return {
    businessDate: date,
    total: rows.rows[0]?.total ?? 0,
    loans: rows.rows.map((r) => {
      const dpd = daysPastDue(date, r.oldest);
      return {
        loanId: String(r.id),
        loanNumber: r.loan_number,
        depositorId: String(r.depositor_id),
        borrowerName: r.name,
        daysPastDue: dpd,
        riskClass: riskClassOf(dpd),
        oldestDueDate: r.oldest,
        overdueInstallments: r.n,
        overdueInterest: fenToYuanString(BigInt(r.oi)),
        overduePrincipal: fenToYuanString(BigInt(r.op)),
        penalty: fenToYuanString(BigInt(r.penalty)),
        totalOwed: fenToYuanString(BigInt(r.oi) + BigInt(r.op) + BigInt(r.penalty)),
        missedInstallments: r.missed_installments,
        maxConsecutiveMissed: r.max_consecutive_missed,
        collateralEnforcementSince: r.enforcement_flagged_on,
        defaulterListedOn: r.listed_on,
        balanceOffset: r.balance_offset,
      };
    }),
  };
}
