// The audit trail (docs/decisions/0004): every change writes its row in its own transaction; the sealer
// chains committed rows by SHA-256 in (transaction, id) order; verify names the first row that breaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import type { Db } from '../db/connection.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import {
  auditCount,
  auditHash,
  GENESIS_HASH,
  recordAudit,
  sealAuditChain,
  verifyAuditChain,
  type AuditEntry,
} from './audit-trail.ts';

let handle: TestDatabase;
let db: Db;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(async () => {
  await handle?.close();
});

const entry = (n: number): AuditEntry => ({
  actor: 'staff:teller1',
  action: 'test.change',
  subjectType: 'thing',
  subjectId: n,
  businessDate: '2024-07-15',
  summary: { n, amountFen: BigInt(n) * 100n },
});

/**
 * Seals until no committed row of this database waits. On a shared PostgreSQL server a transaction of
 * another database that is still running holds sealing back (xids are cluster-wide), so wait for it.
 */
async function sealAll(target: Db = db): Promise<number> {
  let total = 0;
  for (let attempt = 0; ; attempt++) {
    total += (await sealAuditChain(target)).sealed;
    const left = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE chain_seq IS NULL`.execute(target);
    if (left.rows[0]!.n === 0) return total;
    if (attempt > 600) throw new Error('rows stay unsealed: a transaction elsewhere is still running');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function write(n: number) {
  return db.transaction().execute((tx) => recordAudit(tx, entry(n)));
}

async function row(id: bigint) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'chain_seq', 'prev_hash', 'hash', 'payload'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Runs `change` on a sealed row, checks what verify reports, and puts the row back. */
async function expectTamperNamed(id: bigint, change: string, problem: RegExp, namedId: bigint = id) {
  const before = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await sql`UPDATE audit_log SET ${sql.raw(change)} WHERE id = ${id}`.execute(db);
  try {
    const check = await verifyAuditChain(db);
    expect(check).toMatchObject({ ok: false, firstBrokenId: namedId });
    expect(check.problem).toMatch(problem);
  } finally {
    await db
      .updateTable('audit_log')
      .set({ summary: JSON.stringify(before.summary), payload: before.payload, actor: before.actor })
      .set({ prev_hash: before.prev_hash, hash: before.hash })
      .where('id', '=', id)
      .execute();
  }
  expect((await verifyAuditChain(db)).ok).toBe(true);
}

describe('recordAudit and the sealer', () => {
  it('a row is written with its change and joins the chain once its transaction has ended', async () => {
    const id = await write(1);
    const written = await row(id);
    expect(written).toMatchObject({ chain_seq: null, prev_hash: null, hash: null });
    expect(JSON.parse(written.payload)).toMatchObject({
      actor: 'staff:teller1',
      action: 'test.change',
      subjectType: 'thing',
      subjectId: '1',
      businessDate: '2024-07-15',
      summary: { n: 1, amountFen: '100' },
    });

    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(await sealAll()).toBe(1);
    const sealed = await row(id);
    expect(sealed.chain_seq).toBe(head.last_id + 1n);
    expect(sealed.prev_hash).toBe(head.last_hash);
    // hash = sha256(prev_hash || payload), the payload being the exact text stored.
    expect(sealed.hash).toBe(auditHash(head.last_hash, sealed.payload));
    expect(await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()).toMatchObject({
      last_id: sealed.chain_seq,
      last_hash: sealed.hash,
    });
    expect(await sealAuditChain(db)).toMatchObject({ sealed: 0 });
  });

  it('a rolled-back change leaves no audit row and no gap in the chain', async () => {
    const before = await auditCount(db);
    await expect(
      db.transaction().execute(async (tx) => {
        await recordAudit(tx, entry(2));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await auditCount(db)).toBe(before);
    await write(3);
    await sealAll();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('verify seals first: every committed row is checked, chained from the genesis hash', async () => {
    for (let n = 10; n < 15; n++) await write(n);
    await sealAll();
    const check = await verifyAuditChain(db);
    expect(check).toEqual({ ok: true, rowsChecked: await auditCount(db), unsealed: 0 });
    const first = await db
      .selectFrom('audit_log')
      .select('prev_hash')
      .where('chain_seq', '=', 1n)
      .executeTakeFirstOrThrow();
    expect(first.prev_hash).toBe(GENESIS_HASH);
  });

  it('a sealer inside a transaction that also wrote leaves that transaction’s own rows for later', async () => {
    await db.transaction().execute(async (tx) => {
      await recordAudit(tx, entry(20));
      expect((await sealAuditChain(tx)).sealed).toBe(0);
    });
    expect(await sealAll()).toBe(1);
  });
});

describe('verifyAuditChain names the first broken row', () => {
  let ids: bigint[];
  beforeAll(async () => {
    ids = [];
    for (let n = 30; n < 34; n++) ids.push(await write(n));
    await sealAll();
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('a summary edited after sealing (content no longer matches the hash)', async () => {
    const edited = (await row(ids[1]!)).payload.replace('"n":31', '"n":99');
    await expectTamperNamed(ids[1]!, `payload = '${edited}'`, /hash does not match the row content/);
  });

  it('a column edited without its payload', async () => {
    await expectTamperNamed(
      ids[2]!,
      `actor = 'staff:someone.else'`,
      /columns differ from the hashed payload/,
    );
  });

  it('a hash recomputed for an edited row breaks the link of the next one', async () => {
    const r = await row(ids[1]!);
    const payload = r.payload.replace('"n":31', '"n":98');
    await expectTamperNamed(
      ids[1]!,
      `payload = '${payload}', hash = '${auditHash(r.prev_hash!, payload)}'`,
      /prev_hash does not match the previous row/,
      ids[2]!,
    );
  });

  it('a deleted row', async () => {
    const victim = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '=', ids[1]!)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('id', '=', ids[1]!).execute();
    try {
      const check = await verifyAuditChain(db);
      expect(check).toMatchObject({ ok: false, firstBrokenId: ids[2]! });
      expect(check.problem).toBe(`chain position ${victim.chain_seq} is missing`);
    } finally {
      await sql`INSERT INTO audit_log (id, at, business_date, actor, action, subject_type, subject_id, summary, payload,
          prev_hash, hash, chain_seq, xact_id)
        VALUES (${victim.id}, ${victim.at}, ${victim.business_date}, ${victim.actor}, ${victim.action}, ${victim.subject_type},
          ${victim.subject_id}, ${JSON.stringify(victim.summary)}, ${victim.payload}, ${victim.prev_hash}, ${victim.hash},
          ${victim.chain_seq}, ${victim.xact_id}::xid8)`.execute(db);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('the newest rows deleted (the head no longer matches)', async () => {
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db
      .updateTable('audit_head')
      .set({ last_id: head.last_id + 1n })
      .execute();
    try {
      const check = await verifyAuditChain(db);
      expect(check.ok).toBe(false);
      expect(check.problem).toBe(
        `the chain head (position ${head.last_id + 1n}) does not match the last row (position ${head.last_id})`,
      );
    } finally {
      await db.updateTable('audit_head').set({ last_id: head.last_id }).execute();
    }
  });
});

describe('upgrading a chain written before migration 0012', () => {
  it('keeps the old rows (chained in id order) and continues the chain after them', async () => {
    const all = loadMigrations();
    const t = await createTestDatabase({ migrations: all.filter((m) => m.version <= 11) });
    try {
      // What recordAudit did before 0012: lock the head, id = last + 1, hash the payload (with the id).
      let prev = GENESIS_HASH;
      for (let id = 1n; id <= 3n; id++) {
        const payload = canonicalJson({
          id,
          at: '2024-07-01T00:00:00.000Z',
          actor: 'system:old',
          action: 'old',
          subjectType: 'thing',
          subjectId: String(id),
          businessDate: null,
          summary: {},
        });
        const hash = auditHash(prev, payload);
        await sql`INSERT INTO audit_log (id, at, actor, action, subject_type, subject_id, summary, payload, prev_hash, hash)
          VALUES (${id}, now(), 'system:old', 'old', 'thing', ${String(id)}, '{}', ${payload}, ${prev}, ${hash})`.execute(
          t.db,
        );
        await sql`UPDATE audit_head SET last_id = ${id}, last_hash = ${hash}`.execute(t.db);
        prev = hash;
      }
      await sql`SELECT setval('audit_log_id_seq', 3)`.execute(t.db);
      await migrate(t.db, all);

      expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rowsChecked: 3, unsealed: 0 });
      const id = await t.db.transaction().execute((tx) => recordAudit(tx, entry(1)));
      await sealAll(t.db);
      expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rowsChecked: 4, unsealed: 0 });
      const sealed = await t.db
        .selectFrom('audit_log')
        .select(['chain_seq', 'prev_hash'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(sealed).toEqual({ chain_seq: 4n, prev_hash: prev });
    } finally {
      await t.close();
    }
  });
});

// Concurrent transactions need a real server: PGlite has one connection.
describe.runIf(process.env.DATABASE_URL)('concurrent writers (PostgreSQL)', () => {
  it('a committed row waits while an older transaction is still running; then both join in order', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let olderId = 0n;
    const older = db.transaction().execute(async (tx) => {
      olderId = await recordAudit(tx, entry(40));
      await held;
    });
    let newerId: bigint;
    try {
      await new Promise((r) => setTimeout(r, 100));
      newerId = await write(41); // committed, but its transaction is newer than the open one
      expect((await sealAuditChain(db)).sealed).toBe(0);
      // Only the committed row is visible; it waits behind the open transaction.
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealed: 1 });
    } finally {
      release();
      await older;
    }
    expect(await sealAll()).toBe(2);
    const [a, b] = [await row(olderId), await row(newerId)];
    expect(b.chain_seq).toBe(a.chain_seq! + 1n);
    expect(b.prev_hash).toBe(a.hash);
  });

  it('a transaction still running in another database of the server does not hold sealing back', async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const id = await write(50);
      expect((await sealAuditChain(db)).sealed).toBe(1);
      expect((await row(id)).chain_seq).not.toBeNull();
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('many concurrent writers never wait on each other and all join one chain in (transaction, id) order', async () => {
    const before = await auditCount(db);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        db.transaction().execute(async (tx) => {
          await recordAudit(tx, entry(100 + i));
          if (i % 3 === 0) await recordAudit(tx, entry(200 + i));
        }),
      ),
    );
    // Sealers racing each other queue on the head; each row is sealed exactly once.
    const [x, y] = await Promise.all([sealAuditChain(db), sealAuditChain(db)]);
    expect(x.sealed + y.sealed + (await sealAll())).toBe(80);
    expect(await auditCount(db)).toBe(before + 80);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rowsChecked: before + 80, unsealed: 0 });
  });
});
