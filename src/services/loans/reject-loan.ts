// Refusing a loan at a step before disbursement, with the reason recorded (退件): the step's own role
// rejects it (a teller at the first check, a reviewer at approval, a manager at the manager's approval or
// any later step). The loan ends 'rejected'; the step and the reason stay on the row and in the audit.
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor, type StaffRole } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import {
  assertStatus,
  assertStaffRole,
  loanJson,
  lockLoan,
  readLoan,
  type LoanJson,
  type LoanRow,
} from './loan-store.ts';
import type { Db } from '../../db/connection.ts';

const ROLE_OF_STEP: Partial<Record<LoanRow['status'], StaffRole[]>> = {
  applied: ['teller', 'manager'],
  reviewed: ['reviewer', 'manager'],
  awaiting_manager: ['manager'],
  approved: ['manager'],
  contracted: ['manager'],
  mortgaged: ['manager'],
};

export async function rejectLoan(input: {
  db: Db;
  actor: Actor;
  loanId: string | bigint;
  reason: string;
}): Promise<LoanJson> {
  const { db, actor } = input;
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '' || reason.length > 500) {
    throw new AppError('LOAN_REJECTION_REASON_REQUIRED', { field: 'reason' });
  }
  return db.transaction().execute(async (tx) => {
    const loan = await lockLoan(tx, input.loanId);
    const steps = Object.keys(ROLE_OF_STEP) as LoanRow['status'][];
    assertStatus(loan, steps);
    assertStaffRole(actor, ROLE_OF_STEP[loan.status]!);
    const date = await getBusinessDate(tx);
    const label = actorLabel(actor);
    await tx
      .updateTable('loans')
      .set({ status: 'rejected', rejected_by: label, rejected_step: loan.status, rejection_reason: reason })
      .where('id', '=', loan.id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'loan.reject',
      subjectType: 'loan',
      subjectId: loan.id,
      businessDate: date,
      summary: { from: loan.status, to: 'rejected', reason },
    });
    return loanJson(await readLoan(tx, loan.id));
  });
}
