// Maker: a staff user proposes a new dated value; it takes effect only after another user approves it.
import { AppError } from '../../domain/errors.ts';
import { addDays, compareDates, isIsoDate } from '../../domain/dates.ts';
import { parameterDefinition, parseParameterValue } from '../../domain/parameters.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';

export interface ProposeParameterChangeInput {
  db: Db;
  actor: Actor;
  key: string;
  value: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
  reason: string;
}

export interface ParameterChangeResult {
  id: string;
  key: string;
  value: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  status: string;
}

export async function proposeParameterChange(
  input: ProposeParameterChangeInput,
): Promise<ParameterChangeResult> {
  const { db, actor, key, value, effectiveFrom } = input;
  const definition = parameterDefinition(key);
  parseParameterValue(key, value);
  if (!isIsoDate(effectiveFrom)) throw new AppError('INVALID_DATE', { field: 'effectiveFrom' });
  const effectiveTo = input.effectiveTo ?? null;
  if (effectiveTo !== null && (!isIsoDate(effectiveTo) || compareDates(effectiveTo, effectiveFrom) < 0)) {
    throw new AppError('INVALID_DATE', { field: 'effectiveTo' });
  }
  return db.transaction().execute(async (tx) => {
    const today = await getBusinessDate(tx);
    if (compareDates(effectiveFrom, today) < 0) {
      throw new AppError('PARAMETER_EFFECTIVE_DATE_PASSED', {
        field: 'effectiveFrom',
        details: { businessDate: today },
      });
    }
    const earliest = addDays(today, definition.noticeDays);
    if (compareDates(effectiveFrom, earliest) < 0) {
      throw new AppError('PARAMETER_NOTICE_TOO_SHORT', {
        field: 'effectiveFrom',
        details: { noticeDays: definition.noticeDays, earliest },
      });
    }
    const row = await tx
      .insertInto('parameters')
      .values({
        key,
        value,
        effective_from: effectiveFrom,
        effective_to: effectiveTo,
        status: 'proposed',
        reason: input.reason,
        proposed_by: actorLabel(actor),
      })
      .returning(['id', 'key', 'value', 'effective_from', 'effective_to', 'status'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'parameter.propose',
      subjectType: 'parameter',
      subjectId: row.id,
      businessDate: today,
      summary: { key, value, effectiveFrom, effectiveTo, reason: input.reason },
    });
    return toResult(row);
  });
}

export function toResult(row: {
  id: bigint;
  key: string;
  value: string;
  effective_from: string;
  effective_to: string | null;
  status: string;
}): ParameterChangeResult {
  return {
    id: String(row.id),
    key: row.key,
    value: row.value,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    status: row.status,
  };
}
