// A depositor's credit grade (信用等级, rules.md §9) that the credit coefficient of the quota reads (§6.2 A).
// Grading (deposit regularity, tenure, repayment record) is a later issue: until it exists every depositor
// holds the neutral grade 'B' (coefficient 1.0). The grading issue replaces this body with its query.
import type { CreditGrade } from '../../domain/loans/quota.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function creditGrade(db: DbOrTx, depositorId: bigint, date: IsoDate): Promise<CreditGrade> {
  void db;
  void depositorId;
  void date;
  return 'B';
}
