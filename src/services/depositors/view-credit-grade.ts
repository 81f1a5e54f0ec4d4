// A depositor's credit grade with its reasons (信用等级, rules.md §9: published to the depositor with the
// reasons), as of the business date: the depositor sees their own, staff any depositor (a district viewer
// those of their district). Also gives the loan quota's credit coefficient for the grade (§6.2 A).
import type { DbOrTx } from '../../db/connection.ts';
import type { CreditGradeResult } from '../../domain/credit-grade.ts';
import { AppError } from '../../domain/errors.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { quotaParameters } from '../loans/assess-loan.ts';
import { creditGrade } from './credit-grade.ts';

export interface CreditGradeView extends CreditGradeResult {
  depositorId: string;
  asOf: string;
  /** The loan quota's credit coefficient for this grade; null for D (not eligible for a loan). */
  loanCoefficient: string | null;
}

export async function viewCreditGrade(
  db: DbOrTx,
  actor: Actor,
  depositorIdText: string | bigint,
): Promise<CreditGradeView> {
  const depositorId = BigInt(depositorIdText);
  // Another depositor's grade is reported as absent, not forbidden: whether they exist is not disclosed.
  if (actor.type === 'depositor' && actor.depositorId !== depositorId)
    throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'id' });
  const depositor = await db
    .selectFrom('depositors')
    .select('district_code')
    .where('id', '=', depositorId)
    .executeTakeFirst();
  if (!depositor) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'id' });
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== depositor.district_code) throw new AppError('FORBIDDEN', { field: 'id' });
  const asOf = await getBusinessDate(db);
  const result = await creditGrade(db, depositorId, asOf);
  const coefficients = (await quotaParameters(db, asOf)).credit;
  return {
    depositorId: String(depositorId),
    asOf,
    ...result,
    loanCoefficient: result.grade === 'D' ? null : coefficients[result.grade].toString(),
  };
}
