// Console calls: the staff session's token on every request; a fresh client key for money commands.
import { api } from '../lib/api.ts';

export function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return api<T>(method, path, { as: 'staff', body, signal });
}

/** A client key for an idempotent command: the same key on a retry returns the first result. */
export { newIdempotencyKey } from '../lib/idempotency.ts';

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return '';
  return '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}
