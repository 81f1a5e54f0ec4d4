// Approval of a reviewed loan (审批, maker-checker): a reviewer approves (reviewed → approved, or →
// awaiting_manager when the amount is above the dated threshold loan.manager_approval_threshold_fen), then a
// manager approves too (awaiting_manager → approved). Whoever reviewed or approved an earlier step may not
// approve a later one (LOAN_SAME_USER_REVIEW_APPROVE).
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import { assertStatus, assertStaffRole, loanJson, lockLoan, readLoan, type LoanJson } from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

export async function approveLoan(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  note?: string;
}): Promise<LoanJson> {
  const { db, actor } = input;
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    assertStatus(loan, ['reviewed', 'awaiting_manager']);
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const earlier = [loan.reviewed_by, loan.approved_by].filter((x) => x !== null);
    let to: 'approved' | 'awaiting_manager';
    if (loan.status === 'reviewed') {
      assertStaffRole(actor, ['reviewer']);
      if (earlier.includes(label)) throw new AppError('LOAN_SAME_USER_REVIEW_APPROVE', { field: 'actor' });
      const threshold = await getFenParameter(tx, 'loan.manager_approval_threshold_fen', date);
      const needsManager = loan.requested_fen > threshold;
      to = needsManager ? 'awaiting_manager' : 'approved';
      await tx
        .updateTable('loans')
        .set({ status: to, approved_by: label, approved_on: date, needs_manager: needsManager })
        .where('id', '=', loan.id)
        .execute();
      await recordAudit(tx, {
        actor: label,
        action: 'loan.approve',
        subjectType: 'loan',
        subjectId: loan.id,
        businessDate: date,
        summary: {
          from: loan.status,
          to,
          amount: fenToYuanString(loan.requested_fen),
          managerThreshold: fenToYuanString(threshold),
          note: input.note ?? null,
        },
      });
    } else {
      assertStaffRole(actor, ['manager']);
      if (earlier.includes(label)) throw new AppError('LOAN_SAME_USER_REVIEW_APPROVE', { field: 'actor' });
      to = 'approved';
      await tx
        .updateTable('loans')
        .set({ status: to, manager_approved_by: label, manager_approved_on: date })
        .where('id', '=', loan.id)
        .execute();
      await recordAudit(tx, {
        actor: label,
        action: 'loan.approve_manager',
        subjectType: 'loan',
        subjectId: loan.id,
        businessDate: date,
        summary: { from: loan.status, to, note: input.note ?? null },
      });
    }
    return loanJson(await readLoan(tx, loan.id));
  });
}
