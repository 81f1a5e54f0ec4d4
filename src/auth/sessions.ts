// Login sessions: an opaque random bearer token per login, of which only the SHA-256 is stored; sliding
// idle expiry (staff 8 h, depositors 30 min by default). `now` is always passed in so tests move time.
import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../db/connection.ts';
import { STAFF_ROLES, type Actor, type StaffRole } from '../domain/roles.ts';

export interface SessionPolicy {
  /** Idle time after which a staff session ends; every use pushes the end out again. */
  staffIdleMs: number;
  /** Idle time for depositors on the portal: shorter, they use shared and mobile devices. */
  depositorIdleMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  staffIdleMs: 8 * 60 * 60 * 1000,
  depositorIdleMs: 30 * 60 * 1000,
};

/** Sliding writes are skipped when they would move the end by less than this (saves a write per request). */
const SLIDE_GRANULARITY_MS = 60 * 1000;

export type Principal = { type: 'staff'; id: bigint } | { type: 'depositor'; id: bigint };

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: 43 characters. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function idleMs(type: Principal['type'], policy: SessionPolicy): number {
  return type === 'staff' ? policy.staffIdleMs : policy.depositorIdleMs;
}

export interface CreatedSession {
  token: string;
  expiresAt: Date;
}

export async function createSession(
  db: DbOrTx,
  options: {
    principal: Principal;
    now: Date;
    clientIp?: string | null;
    userAgent?: string | null;
    policy?: SessionPolicy;
  },
): Promise<CreatedSession> {
  const { principal, now } = options;
  const token = newSessionToken();
  const expiresAt = new Date(
    now.getTime() + idleMs(principal.type, options.policy ?? DEFAULT_SESSION_POLICY),
  );
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      principal_type: principal.type,
      principal_id: principal.id,
      created_at: now,
      expires_at: expiresAt,
      client_ip: options.clientIp ?? null,
      user_agent: options.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { token, expiresAt };
}

export interface ResolvedSession {
  actor: Actor;
  expiresAt: Date;
}

/**
 * The actor behind a token, or null when the token is unknown, revoked, expired, or its user was
 * disabled. A live session's end is pushed to now + the idle time.
 */
export async function resolveSessionDetails(
  db: DbOrTx,
  token: string,
  now: Date,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ResolvedSession | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const session = await db
    .selectFrom('sessions')
    .select(['id', 'principal_type', 'principal_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!session || session.revoked_at !== null || session.expires_at.getTime() <= now.getTime()) return null;

  let actor: Actor;
  if (session.principal_type === 'staff') {
    const user = await db
      .selectFrom('staff_users')
      .select(['id', 'username', 'roles', 'district_code', 'active'])
      .where('id', '=', session.principal_id)
      .executeTakeFirst();
    if (!user || !user.active) return null;
    actor = staffActor(user);
  } else {
    const depositor = await db
      .selectFrom('depositors')
      .select(['id'])
      .where('id', '=', session.principal_id)
      .executeTakeFirst();
    if (!depositor) return null;
    actor = depositorActor(depositor.id);
  }

  let expiresAt = session.expires_at;
  const slid = new Date(now.getTime() + idleMs(session.principal_type, policy));
  if (slid.getTime() - expiresAt.getTime() >= SLIDE_GRANULARITY_MS) {
    await db
      .updateTable('sessions')
      .set({ expires_at: slid })
      .where('id', '=', session.id)
      .where('revoked_at', 'is', null)
      .execute();
    expiresAt = slid;
  }
  return { actor, expiresAt };
}

export async function resolveSession(
  db: DbOrTx,
  token: string,
  now: Date,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<Actor | null> {
  return (await resolveSessionDetails(db, token, now, policy))?.actor ?? null;
}

/** Ends the session of this token; true when a live session was ended. */
export async function revokeSession(db: DbOrTx, token: string, now: Date): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false;
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every live session of a principal (password reset, user disabled); returns how many. */
export async function revokeAllSessions(db: DbOrTx, principal: Principal, now: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('principal_type', '=', principal.type)
    .where('principal_id', '=', principal.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function staffActor(user: {
  id: bigint;
  username: string;
  roles: string[];
  district_code: string | null;
}): Actor {
  return {
    type: 'staff',
    id: user.id,
    username: user.username,
    roles: user.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)),
    districtCode: user.district_code,
  };
}

export function depositorActor(depositorId: bigint): Actor {
  return { type: 'depositor', id: depositorId, depositorId };
}

/** The name to greet the actor with (staff display name; the depositor's own name). */
export async function displayNameOf(db: DbOrTx, actor: Actor): Promise<string> {
  if (actor.type === 'staff') {
    const row = await db
      .selectFrom('staff_users')
      .select(['display_name'])
      .where('id', '=', actor.id)
      .executeTakeFirst();
    return row?.display_name ?? actor.username;
  }
  if (actor.type === 'depositor') {
    const row = await db
      .selectFrom('depositors')
      .select(['name'])
      .where('id', '=', actor.depositorId)
      .executeTakeFirst();
    return row?.name ?? '';
  }
  return actor.id;
}
