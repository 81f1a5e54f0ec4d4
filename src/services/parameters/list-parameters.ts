// Parameter views for staff: every key with its value in force on a date, and one key's full history.
import { PARAMETER_DEFINITIONS } from '../../domain/parameters.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface ParameterView {
  key: string;
  type: string;
  zh: string;
  en: string;
  noticeDays: number;
  value: string | null;
  effectiveFrom: string | null;
}

export async function listParametersInForce(db: DbOrTx, onDate: IsoDate): Promise<ParameterView[]> {
  const rows = await db
    .selectFrom('parameters')
    .select(['key', 'value', 'effective_from'])
    .distinctOn('key')
    .where('status', '=', 'approved')
    .where('effective_from', '<=', onDate)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', onDate)]))
    .orderBy('key')
    .orderBy('effective_from', 'desc')
    .execute();
  const inForce = new Map(rows.map((r) => [r.key, r]));
  return PARAMETER_DEFINITIONS.map((d) => ({
    key: d.key,
    type: d.type,
    zh: d.zh,
    en: d.en,
    noticeDays: d.noticeDays,
    value: inForce.get(d.key)?.value ?? null,
    effectiveFrom: inForce.get(d.key)?.effective_from ?? null,
  }));
}

export async function parameterHistory(db: DbOrTx, key?: string) {
  let query = db
    .selectFrom('parameters')
    .selectAll()
    .orderBy('key')
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc');
  if (key) query = query.where('key', '=', key);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: String(r.id),
    key: r.key,
    value: r.value,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    status: r.status,
    reason: r.reason,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    decisionNote: r.decision_note,
  }));
}
