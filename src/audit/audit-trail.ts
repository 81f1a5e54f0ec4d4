// The audit trail: one row per state change, written inside the caller's transaction, then chained by
// SHA-256 (hash = sha256(prev_hash || payload)) by the sealer once its transaction is over, so writers
// never queue on one lock (docs/decisions/0004); verifyAuditChain seals, then recomputes the chain.
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
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

/** The hash before the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(prevHash).update(payload).digest('hex');
}

/** The columns of one audit row, with the exact text that will be hashed (xact_id is the column default). */
function auditRow(entry: AuditEntry, at: Date) {
  const payload = canonicalJson({
    at: at.toISOString(),
    businessDate: entry.businessDate ?? null,
    actor: entry.actor,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: String(entry.subjectId),
    summary: entry.summary,
  });
  return {
    at,
    business_date: entry.businessDate ?? null,
    actor: entry.actor,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: String(entry.subjectId),
    summary: canonicalJson(entry.summary),
    payload,
  };
}

/**
 * Appends one audit row; must run inside the transaction that makes the change. The row commits or
 * rolls back with the change; it joins the chain when sealAuditChain runs after the transaction ended.
 * Returns the row id (ids grow with insertion, not with chain position).
 */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry, at: Date = new Date()): Promise<bigint> {
  const row = await tx
    .insertInto('audit_log')
    .values(auditRow(entry, at))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The same row as recordAudit writes, as an `INSERT … SELECT … FROM <from>` for a caller that writes it
 * inside a larger statement (one round trip for a change, its entry and its audit row: credit-deposit.ts).
 * `from` names a CTE or table the row depends on (e.g. the journal entry just written): no row there,
 * no audit row. Must run inside the transaction that makes the change, like recordAudit.
 */
export function auditInsertSql(
  entry: AuditEntry,
  from: RawBuilder<unknown>,
  at: Date = new Date(),
): RawBuilder<unknown> {
  const r = auditRow(entry, at);
  return sql`INSERT INTO audit_log (at, business_date, actor, action, subject_type, subject_id, summary, payload)
    SELECT ${r.at}::timestamptz, ${r.business_date}::date, ${r.actor}, ${r.action}, ${r.subject_type}, ${r.subject_id},
      ${r.summary}::jsonb, ${r.payload} FROM ${from}`;
}

export interface SealResult {
  /** Rows appended to the chain by this call. */
  sealed: number;
  /** The chain position of the last sealed row (0: the chain is empty). */
  lastSeq: bigint;
}

/** Rows hashed per round trip while sealing. */
const SEAL_BATCH = 5000;

/**
 * For a transaction x still running at the sealer's snapshot: true unless it is known to belong to
 * another database (a backend or a prepared transaction there), which can never write this audit_log.
 * Transaction ids are cluster-wide; without this, a long transaction in any database of the server
 * would hold sealing back. Unknown (e.g. not visible to this role) counts as running here.
 */
const runsInThisDatabase = sql`
  NOT EXISTS (SELECT 1 FROM pg_stat_activity a
    WHERE a.backend_xid = x::xid AND a.datname IS DISTINCT FROM current_database() AND a.datid IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p
    WHERE p.transaction = x::xid AND p.database IS DISTINCT FROM current_database())`;

/**
 * Appends every row whose transaction has ended to the chain, in (xact_id, id) order. A row qualifies
 * when its transaction id is below the bound: the oldest transaction of this database still running at
 * the sealer's snapshot (or the snapshot's next id, or the sealer's own transaction). Every transaction
 * below it has ended, or runs in another database, and any transaction that writes later has a larger
 * id, so no row can ever appear before a sealed one. Sealers queue on the audit_head row, which they
 * move; writers never touch it. Runs in its own transaction, or in the caller's when given one.
 */
export async function sealAuditChain(db: DbOrTx): Promise<SealResult> {
  const seal = async (tx: DbOrTx): Promise<SealResult> => {
    const head = await tx
      .selectFrom('audit_head')
      .select(['last_id', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let lastSeq = head.last_id;
    let lastHash = head.last_hash;
    let sealed = 0;
    for (;;) {
      const rows = await sql<{ id: bigint; payload: string }>`
        WITH snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s), bound AS MATERIALIZED (
          SELECT LEAST(
            (SELECT min(x) FROM snapshot, pg_snapshot_xip(snapshot.s) AS x WHERE ${runsInThisDatabase}),
            (SELECT pg_snapshot_xmax(s) FROM snapshot),
            pg_current_xact_id_if_assigned()) AS xid
        )
        SELECT id, payload FROM audit_log
        WHERE chain_seq IS NULL AND xact_id < (SELECT xid FROM bound)
        ORDER BY xact_id, id
        LIMIT ${SEAL_BATCH}`.execute(tx);
      if (rows.rows.length === 0) break;
      const ids: bigint[] = [];
      const seqs: bigint[] = [];
      const prevHashes: string[] = [];
      const hashes: string[] = [];
      for (const row of rows.rows) {
        const hash = auditHash(lastHash, row.payload);
        lastSeq += 1n;
        ids.push(row.id);
        seqs.push(lastSeq);
        prevHashes.push(lastHash);
        hashes.push(hash);
        lastHash = hash;
      }
      await sql`
        UPDATE audit_log a SET chain_seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
        FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevHashes}::text[], ${hashes}::text[])
          AS s (id, seq, prev_hash, hash)
        WHERE a.id = s.id`.execute(tx);
      sealed += rows.rows.length;
      if (rows.rows.length < SEAL_BATCH) break;
    }
    if (sealed > 0) {
      await tx
        .updateTable('audit_head')
        .set({ last_id: lastSeq, last_hash: lastHash })
        .where('id', '=', 1)
        .execute();
    }
    return { sealed, lastSeq };
  };
  return db.isTransaction ? seal(db) : db.transaction().execute(seal);
}

/**
 * Seals the chain every `intervalMs` in the background (the server runs one), so the window in which
 * a committed row is not yet protected by the chain stays short. Errors are reported, never thrown.
 */
export function startAuditSealer(
  db: DbOrTx,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sealAuditChain(db).catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

export interface ChainCheck {
  ok: boolean;
  /** Sealed rows that were checked (all of them when ok). */
  rowsChecked: number;
  /** The id of the first row that breaks the chain. */
  firstBrokenId?: bigint;
  problem?: string;
  /** Rows not yet in the chain: their transactions were still running when the chain was sealed. */
  unsealed: number;
}

interface ChainRow {
  id: bigint;
  chain_seq: bigint;
  xact_id: string | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  payload: string;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * Seals what can be sealed (not when given a transaction: the caller seals), then walks the chain in
 * position order in pages and names the first row whose position, link, hash, columns or order do not
 * match; the head must match the last row.
 */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000): Promise<ChainCheck> {
  if (!db.isTransaction) await sealAuditChain(db);
  let prevHash = GENESIS_HASH;
  let prevOrder: { xactId: bigint; id: bigint } | null = null;
  let expectedSeq = 1n;
  let rowsChecked = 0;
  const unsealed = async () =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE chain_seq IS NULL`.execute(
          db,
        )
      ).rows[0]!.n,
    );
  for (;;) {
    const rows = await sql<ChainRow>`
      SELECT id, chain_seq, xact_id::text AS xact_id, actor, action, subject_type, subject_id, payload,
        prev_hash, hash
      FROM audit_log
      WHERE chain_seq >= ${expectedSeq}
      ORDER BY chain_seq
      LIMIT ${pageSize}`.execute(db);
    for (const row of rows.rows) {
      const broken = async (problem: string): Promise<ChainCheck> => ({
        ok: false,
        rowsChecked,
        firstBrokenId: row.id,
        problem,
        unsealed: await unsealed(),
      });
      if (row.chain_seq !== expectedSeq) return broken(`chain position ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash) return broken('prev_hash does not match the previous row');
      if (auditHash(prevHash, row.payload) !== row.hash) return broken('hash does not match the row content');
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      if (
        p.actor !== row.actor ||
        p.action !== row.action ||
        p.subjectType !== row.subject_type ||
        p.subjectId !== row.subject_id ||
        (p.id !== undefined && p.id !== String(row.id))
      ) {
        return broken('columns differ from the hashed payload');
      }
      // Rows written since migration 0012 are sealed in (xact_id, id) order, never out of it.
      if (row.xact_id !== null) {
        const order = { xactId: BigInt(row.xact_id), id: row.id };
        if (
          prevOrder &&
          (order.xactId < prevOrder.xactId || (order.xactId === prevOrder.xactId && order.id <= prevOrder.id))
        ) {
          return broken('sealed out of (transaction, id) order');
        }
        prevOrder = order;
      }
      prevHash = row.hash;
      expectedSeq += 1n;
      rowsChecked += 1;
    }
    if (rows.rows.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').select(['last_id', 'last_hash']).executeTakeFirstOrThrow();
  if (head.last_id !== expectedSeq - 1n || head.last_hash !== prevHash) {
    return {
      ok: false,
      rowsChecked,
      problem: `the chain head (position ${head.last_id}) does not match the last row (position ${expectedSeq - 1n})`,
      unsealed: await unsealed(),
    };
  }
  return { ok: true, rowsChecked, unsealed: await unsealed() };
}

/** Count of audit rows, sealed or not (for tests and reports). */
export async function auditCount(db: DbOrTx): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log`.execute(db);
  return Number(r.rows[0]!.n);
}
