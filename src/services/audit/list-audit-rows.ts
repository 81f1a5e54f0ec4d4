// The audit log as staff read it: newest first, filtered by subject or actor, paged by id.
import type { DbOrTx } from '../../db/connection.ts';

export interface ListAuditRowsInput {
  db: DbOrTx;
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  beforeId?: string;
  limit?: number;
}

export async function listAuditRows(input: ListAuditRowsInput) {
  const limit = Math.min(input.limit ?? 50, 500);
  let q = input.db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'business_date',
      'actor',
      'action',
      'subject_type',
      'subject_id',
      'summary',
      'hash',
      'prev_hash',
    ])
    .orderBy('id', 'desc')
    .limit(limit);
  if (input.subjectType) q = q.where('subject_type', '=', input.subjectType);
  if (input.subjectId) q = q.where('subject_id', '=', input.subjectId);
  if (input.actor) q = q.where('actor', '=', input.actor);
  if (input.beforeId) q = q.where('id', '<', BigInt(input.beforeId));
  const rows = await q.execute();
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      businessDate: r.business_date,
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      summary: r.summary,
      hash: r.hash,
      prevHash: r.prev_hash,
    })),
  };
}
