// Checker: a different user approves or rejects a proposed parameter value. An approved value for the
// same key and effective date replaces the earlier one, which stays in history as superseded.
import { AppError } from '../../domain/errors.ts';
import { compareDates } from '../../domain/dates.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { toResult, type ParameterChangeResult } from './propose-parameter-change.ts';
import type { Db } from '../../db/connection.ts';

export interface DecideParameterChangeInput {
  db: Db;
  actor: Actor;
  id: string | bigint;
  decision: 'approve' | 'reject';
  note?: string;
}

export async function decideParameterChange(
  input: DecideParameterChangeInput,
): Promise<ParameterChangeResult> {
  const { db, actor, decision } = input;
  const id = BigInt(input.id);
  const checker = actorLabel(actor);
  return db.transaction().execute(async (tx) => {
    const proposal = await tx
      .selectFrom('parameters')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!proposal) throw new AppError('NOT_FOUND', { field: 'id' });
    if (proposal.status !== 'proposed') {
      throw new AppError('PARAMETER_NOT_PROPOSED', { field: 'id', details: { status: proposal.status } });
    }
    if (proposal.proposed_by === checker) throw new AppError('PARAMETER_SELF_APPROVAL', { field: 'id' });
    const today = await getBusinessDate(tx);
    if (decision === 'approve') {
      if (compareDates(proposal.effective_from, today) < 0) {
        throw new AppError('PARAMETER_EFFECTIVE_DATE_PASSED', {
          field: 'effectiveFrom',
          details: { businessDate: today, effectiveFrom: proposal.effective_from },
        });
      }
      await tx
        .updateTable('parameters')
        .set({ status: 'superseded' })
        .where('key', '=', proposal.key)
        .where('effective_from', '=', proposal.effective_from)
        .where('status', '=', 'approved')
        .execute();
    }
    const updated = await tx
      .updateTable('parameters')
      .set({
        status: decision === 'approve' ? 'approved' : 'rejected',
        decided_by: checker,
        decided_at: new Date(),
        decision_note: input.note ?? null,
      })
      .where('id', '=', id)
      .returning(['id', 'key', 'value', 'effective_from', 'effective_to', 'status'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: checker,
      action: decision === 'approve' ? 'parameter.approve' : 'parameter.reject',
      subjectType: 'parameter',
      subjectId: id,
      businessDate: today,
      summary: {
        key: proposal.key,
        value: proposal.value,
        effectiveFrom: proposal.effective_from,
        proposedBy: proposal.proposed_by,
        note: input.note ?? null,
      },
    });
    return toResult(updated);
  });
}
