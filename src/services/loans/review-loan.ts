// The first check of an application (初审) by a teller (rules.md §6, maker-checker): applied → reviewed.
// The reviewer of this step may not approve the loan later (approve-loan.ts refuses them).
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertStatus, assertStaffRole, loanJson, lockLoan, readLoan, type LoanJson } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export async function reviewLoan(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  note?: string;
}): Promise<LoanJson> {
  const { db, actor } = input;
  assertStaffRole(actor, ['teller']);
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    assertStatus(loan, ['applied']);
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    await tx
      .updateTable('loans')
      .set({ status: 'reviewed', reviewed_by: label, reviewed_on: date })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.review',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: { from: 'applied', to: 'reviewed', note: input.note ?? null },
    });
    return loanJson(await readLoan(tx, loan.id));
  });
}
