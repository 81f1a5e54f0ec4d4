// A depositor's credit grade (信用等级, rules.md §9) as of a business date: the facts read in one query
// (covered months, missed periodic periods, the loan repayment record, the defaulter list, fraud found on
// a transfer's account sheet), graded by the pure rule in src/domain/credit-grade.ts. The loan assessment
// reads the grade for the quota's credit coefficient; the depositor and staff see it with its reasons.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { creditGradeOf, type CreditFacts, type CreditGradeResult } from '../../domain/credit-grade.ts';
import { addMonths, addMonthsToMonth, monthOf, type IsoDate } from '../../domain/dates.ts';

export async function creditFacts(db: DbOrTx, depositorId: bigint, date: IsoDate): Promise<CreditFacts> {
  const month = monthOf(date);
  const monthStart = `${month}-01`;
  const twelveMonthsBack = `${addMonthsToMonth(month, -12)}-01`;
  const yearAgo = addMonths(date, -12);
  const twoYearsAgo = addMonths(date, -24);
  const r = await sql<{
    covered_last12: number;
    covered_total: number;
    missed_periods: number;
    has_loan: boolean;
    missed_installments: number;
    overdue_now: number;
    defaulter: boolean;
    fraud: boolean;
  }>`
    WITH mine AS (SELECT id FROM accounts WHERE depositor_id = ${depositorId}),
      my_loans AS (SELECT id FROM loans WHERE depositor_id = ${depositorId})
    SELECT
      (SELECT count(*) FROM account_months m WHERE m.account_id IN (SELECT id FROM mine) AND m.covered
        AND m.month >= ${twelveMonthsBack}::date AND m.month < ${monthStart}::date)::int AS covered_last12,
      (SELECT count(*) FROM account_months m WHERE m.account_id IN (SELECT id FROM mine) AND m.covered
        AND m.month <= ${monthStart}::date)::int AS covered_total,
      (SELECT count(*) FROM deposit_periods p WHERE p.account_id IN (SELECT id FROM mine) AND p.status = 'missed'
        AND p.due_date > ${yearAgo}::date AND p.due_date <= ${date}::date)::int AS missed_periods,
      EXISTS (SELECT 1 FROM loan_installments i WHERE i.loan_id IN (SELECT id FROM my_loans)) AS has_loan,
      (SELECT count(*) FROM loan_installments i WHERE i.loan_id IN (SELECT id FROM my_loans)
        AND i.overdue_on > ${twoYearsAgo}::date AND i.overdue_on <= ${date}::date)::int AS missed_installments,
      (SELECT count(*) FROM loan_installments i WHERE i.loan_id IN (SELECT id FROM my_loans)
        AND i.status = 'overdue')::int AS overdue_now,
      EXISTS (SELECT 1 FROM loan_defaulters d WHERE d.depositor_id = ${depositorId}) AS defaulter,
      EXISTS (SELECT 1 FROM transfers t WHERE t.depositor_id = ${depositorId} AND t.direction = 'in'
        AND t.account_sheet IS NOT NULL AND (t.account_sheet ->> 'fraudFound')::boolean) AS fraud`.execute(
    db,
  );
  const f = r.rows[0]!;
  return {
    coveredLast12: f.covered_last12,
    coveredTotal: f.covered_total,
    missedPeriodsLast12: f.missed_periods,
    hasLoan: f.has_loan,
    missedInstallmentsLast24: f.missed_installments,
    overdueNow: f.overdue_now,
    defaulter: f.defaulter,
    fraudFound: f.fraud,
  };
}

export async function creditGrade(
  db: DbOrTx,
  depositorId: bigint,
  date: IsoDate,
): Promise<CreditGradeResult> {
  return creditGradeOf(await creditFacts(db, depositorId, date));
}
