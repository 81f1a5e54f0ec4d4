// Hot statements marked `prepared` are planned once per connection (generic plan), other statements with
// parameters are planned with their values as before, and a rollback does not leave the connection in
// the wrong mode.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { prepared, type Db } from './connection.ts';

let handle: TestDatabase;
let db: Db;

beforeAll(async () => {
  handle = await createTestDatabase({ poolSize: 1 });
  db = handle.db;
});
afterAll(() => handle.close());

/** A statement of the kind postEntry sends: a CTE over `unnest` of an array parameter. */
const hot = (ids: bigint[]) =>
  prepared(sql<{ n: number }>`
    WITH picked AS MATERIALIZED (SELECT x FROM unnest(${ids}::bigint[]) AS u (x))
    SELECT count(*)::int AS n FROM picked WHERE x > ${0n}`);

async function planCounts(): Promise<{ generic: number; custom: number }> {
  const r = await sql<{ generic: string; custom: string }>`
    SELECT coalesce(sum(generic_plans), 0)::text AS generic, coalesce(sum(custom_plans), 0)::text AS custom
    FROM pg_prepared_statements WHERE statement LIKE '%unnest%picked%' OR statement LIKE '%picked%unnest%'`.execute(
    db,
  );
  return { generic: Number(r.rows[0]!.generic), custom: Number(r.rows[0]!.custom) };
}

const mode = async () => (await sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`.execute(db)).rows[0]!;

describe('prepared statements', () => {
  it('are planned once (a generic plan), not again on every call', async () => {
    for (let i = 1; i <= 8; i += 1) {
      const r = await hot(Array.from({ length: i }, (_, k) => BigInt(k + 1))).execute(db);
      expect(r.rows[0]!.n).toBe(i);
    }
    const counts = await planCounts();
    expect(counts.custom).toBe(0);
    expect(counts.generic).toBe(8);
  });

  it('leave other statements with parameters planned with their values (plan_cache_mode auto)', async () => {
    await hot([1n]).execute(db);
    expect((await sql<{ v: number }>`SELECT ${41}::int + 1 AS v`.execute(db)).rows[0]!.v).toBe(42);
    expect((await mode()).plan_cache_mode).toBe('auto');
  });

  it('keep the right mode when a transaction that switched it rolls back', async () => {
    await sql`SELECT ${1}::int`.execute(db); // auto
    await expect(
      db.transaction().execute(async (tx) => {
        await hot([1n, 2n]).execute(tx); // switches to generic inside the transaction
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // The rollback undid the SET; the client knows, so the next prepared statement sets it again.
    expect((await mode()).plan_cache_mode).toBe('auto');
    const before = await planCounts();
    await hot([3n]).execute(db);
    const after = await planCounts();
    expect(after.custom).toBe(before.custom);
    expect(after.generic).toBe(before.generic + 1);
  });
});
