// "Nothing was written": row counts of every business table, compared before and after a refused call.
import { sql } from 'kysely';
import type { DbOrTx } from '../../src/db/connection.ts';

export async function rowCounts(db: DbOrTx): Promise<Record<string, number>> {
  const tables = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'login_attempts')
    ORDER BY tablename`.execute(db);
  const counts: Record<string, number> = {};
  for (const { tablename } of tables.rows) {
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(tablename)}`.execute(db);
    counts[tablename] = Number(r.rows[0]!.n);
  }
  const head = await sql<{ h: string }>`SELECT last_hash AS h FROM audit_head`.execute(db);
  counts[`audit_head:${head.rows[0]!.h}`] = 1;
  return counts;
}

/** Asserts that `action` throws the coded error and that no table changed. */
export async function expectRefusedWithoutWrites(
  db: DbOrTx,
  action: () => Promise<unknown>,
  code: string,
  expect: (v: unknown) => { toBe(x: unknown): void; toEqual(x: unknown): void },
): Promise<unknown> {
  const before = await rowCounts(db);
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect((caught as { code?: string } | undefined)?.code).toBe(code);
  expect(await rowCounts(db)).toEqual(before);
  return caught;
}
