// Idempotent commands (guide habit 6): the first result of (scope, key) is stored in the same
// transaction as the change; a retry with the same payload gets that result back; another payload
// under the same key is refused.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.ts';
import { AppError } from '../domain/errors.ts';
import type { DbOrTx } from '../db/connection.ts';

export function requestHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/**
 * Runs `work` once per (scope, key) inside the caller's transaction. Concurrent callers with the same
 * key wait on a transaction-scoped advisory lock, then see the stored result. `work` returns a
 * JSON-shaped result (ids and money as strings) so a replay is identical to the first answer.
 */
export async function onceByKey<T extends Record<string, unknown>>(
  tx: DbOrTx,
  scope: string,
  key: string,
  payload: unknown,
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const hash = requestHash(payload);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${scope}:${key}`}, 0))`.execute(tx);
  const existing = await tx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== hash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', { field: 'idempotencyKey', details: { scope, key } });
    }
    return { result: (existing.response as { v: T }).v, replayed: true };
  }
  const result = await work();
  await tx
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: hash, response: canonicalJson({ v: result }) })
    .execute();
  return { result, replayed: false };
}
