// Failed-login throttling, per principal (staff user name or depositor ID hash) and per client IP:
// 5 failures within 15 minutes lock that key for 15 minutes from the 5th failure. Built on the
// login_attempts rows; refusals during a lock are recorded as 'rate_limited' and do not extend it.
import type { DbOrTx } from '../db/connection.ts';
import type { LoginFailureReason } from '../db/schema.ts';
import { AppError } from '../domain/errors.ts';

export interface RateLimitPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
};

/** Principal keys: one namespace per kind of login so a user name can never collide with an ID hash. */
export function staffPrincipalKey(username: string): string {
  return `staff:${username.trim().toLowerCase()}`;
}
export function depositorPrincipalKey(idNumberHash: string): string {
  return `depositor:${idNumberHash}`;
}

/**
 * When a key with these failure times (ascending) is locked until, or null when it is not locked at
 * `now`: a lock starts at any failure that is the `maxFailures`-th within `windowMs` and lasts `lockMs`.
 */
export function lockedUntil(failures: readonly Date[], now: Date, policy = DEFAULT_RATE_LIMIT): Date | null {
  let until: number | null = null;
  const k = policy.maxFailures - 1;
  for (let j = k; j < failures.length; j += 1) {
    const last = failures[j]!.getTime();
    if (last - failures[j - k]!.getTime() >= policy.windowMs) continue;
    const end = last + policy.lockMs;
    if (end > now.getTime() && (until === null || end > until)) until = end;
  }
  return until === null ? null : new Date(until);
}

async function principalFailures(db: DbOrTx, key: string, since: Date, now: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['at', 'succeeded', 'reason'])
    .where('principal_key', '=', key)
    .where('at', '>', since)
    .where('at', '<=', now)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .limit(1000)
    .execute();
  // A success wipes the slate for this principal (not for the IP: an attacker could log in to their
  // own account between guesses).
  const lastSuccess = rows.findLastIndex((r) => r.succeeded);
  return rows
    .slice(lastSuccess + 1)
    .filter((r) => r.reason !== 'rate_limited')
    .map((r) => r.at);
}

async function ipFailures(db: DbOrTx, ip: string, since: Date, now: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['at'])
    .where('client_ip', '=', ip)
    .where('succeeded', '=', false)
    .where('reason', 'is distinct from', 'rate_limited')
    .where('at', '>', since)
    .where('at', '<=', now)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .limit(1000)
    .execute();
  return rows.map((r) => r.at);
}

export interface LoginAttempt {
  principalKey: string;
  clientIp: string | null;
  now: Date;
}

/**
 * Throws LOGIN_RATE_LIMITED (details.retryAfterSeconds) when the principal or the client IP is locked,
 * and records the refused attempt. Call it before checking the password, outside any transaction
 * (the refusal row must survive the error).
 */
export async function assertLoginAllowed(
  db: DbOrTx,
  attempt: LoginAttempt,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMIT,
): Promise<void> {
  const since = new Date(attempt.now.getTime() - policy.windowMs - policy.lockMs);
  const locks = [
    lockedUntil(await principalFailures(db, attempt.principalKey, since, attempt.now), attempt.now, policy),
  ];
  if (attempt.clientIp) {
    locks.push(lockedUntil(await ipFailures(db, attempt.clientIp, since, attempt.now), attempt.now, policy));
  }
  const until = Math.max(...locks.map((d) => d?.getTime() ?? 0));
  if (until <= attempt.now.getTime()) return;
  await recordLoginAttempt(db, { ...attempt, succeeded: false, reason: 'rate_limited' });
  throw new AppError('LOGIN_RATE_LIMITED', {
    details: { retryAfterSeconds: Math.ceil((until - attempt.now.getTime()) / 1000) },
  });
}

export async function recordLoginAttempt(
  db: DbOrTx,
  attempt: LoginAttempt & { succeeded: boolean; reason?: LoginFailureReason },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({
      principal_key: attempt.principalKey,
      client_ip: attempt.clientIp,
      succeeded: attempt.succeeded,
      reason: attempt.succeeded ? null : (attempt.reason ?? 'bad_credentials'),
      at: attempt.now,
    })
    .execute();
}
