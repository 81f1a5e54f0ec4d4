// The audit trail: one row per state change, written inside the caller's transaction, chained by
// SHA-256 (hash = sha256(prev_hash || payload)); verifyAuditChain recomputes the chain.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { DbOrTx } from '../db/connection.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | number | bigint;
  businessDate?: string | null;
  /** A summary of the change: before/after of the fields that moved, never secrets or full ID numbers. */
  summary: Record<string, unknown>;
}

export function auditHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(prevHash).update(payload).digest('hex');
}

/** Appends one audit row; must run inside the transaction that makes the change. */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry, at: Date = new Date()): Promise<bigint> {
  // Lock the head: the chain is linear even with concurrent writers.
  const head = await tx
    .selectFrom('audit_head')
    .select(['last_id', 'last_hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const id = head.last_id + 1n;
  const payloadObject = {
    id,
    at: at.toISOString(),
    businessDate: entry.businessDate ?? null,
    actor: entry.actor,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: String(entry.subjectId),
    summary: entry.summary,
  };
  const payload = canonicalJson(payloadObject);
  const hash = auditHash(head.last_hash, payload);
  await tx
    .insertInto('audit_log')
    .values({
      id,
      at,
      business_date: entry.businessDate ?? null,
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: String(entry.subjectId),
      summary: canonicalJson(entry.summary),
      payload,
      prev_hash: head.last_hash,
      hash,
    })
    .execute();
  await tx.updateTable('audit_head').set({ last_id: id, last_hash: hash }).where('id', '=', 1).execute();
  return id;
}

export interface ChainCheck {
  ok: boolean;
  rowsChecked: number;
  firstBrokenId?: bigint;
  problem?: string;
}

/** Walks the chain in id order in pages; names the first row whose link, hash or columns do not match. */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000): Promise<ChainCheck> {
  let prevHash = '0'.repeat(64);
  let expectedId = 1n;
  let rowsChecked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['id', 'actor', 'action', 'subject_type', 'subject_id', 'payload', 'prev_hash', 'hash'])
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const broken = (problem: string): ChainCheck => ({
        ok: false,
        rowsChecked,
        firstBrokenId: row.id,
        problem,
      });
      if (row.id !== expectedId) return broken(`row ${expectedId} is missing`);
      if (row.prev_hash !== prevHash) return broken('prev_hash does not match the previous row');
      if (auditHash(prevHash, row.payload) !== row.hash) return broken('hash does not match the row content');
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      if (
        p.actor !== row.actor ||
        p.action !== row.action ||
        p.subjectType !== row.subject_type ||
        p.subjectId !== row.subject_id
      ) {
        return broken('columns differ from the hashed payload');
      }
      prevHash = row.hash;
      expectedId += 1n;
      rowsChecked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').select(['last_id', 'last_hash']).executeTakeFirstOrThrow();
  if (head.last_id !== expectedId - 1n || head.last_hash !== prevHash) {
    return {
      ok: false,
      rowsChecked,
      firstBrokenId: expectedId,
      problem: 'the chain head does not match the last row',
    };
  }
  return { ok: true, rowsChecked };
}

/** Count of audit rows (for tests and reports). */
export async function auditCount(db: DbOrTx): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log`.execute(db);
  return Number(r.rows[0]!.n);
}
