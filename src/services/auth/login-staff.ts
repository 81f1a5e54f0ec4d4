// Staff login: user name + password → a session. Failures say only "wrong credentials", are recorded in
// login_attempts and throttled (src/auth/rate-limit.ts); a success also writes an 'auth.login' audit row.
import { recordAudit } from '../../audit/audit-trail.ts';
import { verifyAgainstDummy, verifyPassword } from '../../auth/passwords.ts';
import {
  assertLoginAllowed,
  DEFAULT_RATE_LIMIT,
  recordLoginAttempt,
  staffPrincipalKey,
  type RateLimitPolicy,
} from '../../auth/rate-limit.ts';
import {
  createSession,
  DEFAULT_SESSION_POLICY,
  staffActor,
  type SessionPolicy,
} from '../../auth/sessions.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
  displayName: string;
}

export interface LoginStaffOptions {
  db: Db;
  username: string;
  password: string;
  now: Date;
  clientIp?: string | null;
  userAgent?: string | null;
  businessDate?: string | null;
  sessionPolicy?: SessionPolicy;
  rateLimit?: RateLimitPolicy;
}

export async function loginStaff(options: LoginStaffOptions): Promise<LoginResult> {
  const { db, now } = options;
  const username = options.username.trim().toLowerCase();
  const attempt = { principalKey: staffPrincipalKey(username), clientIp: options.clientIp ?? null, now };
  await assertLoginAllowed(db, attempt, options.rateLimit ?? DEFAULT_RATE_LIMIT);

  const user = await db
    .selectFrom('staff_users')
    .select(['id', 'username', 'display_name', 'password_hash', 'roles', 'district_code', 'active'])
    .where('username', '=', username)
    .executeTakeFirst();
  const ok = user
    ? await verifyPassword(options.password, user.password_hash)
    : await verifyAgainstDummy(options.password);
  if (!user || !ok) {
    await recordLoginAttempt(db, { ...attempt, succeeded: false, reason: 'bad_credentials' });
    throw new AppError('INVALID_CREDENTIALS');
  }
  // Only a caller who knows the password learns that the user is disabled.
  if (!user.active) {
    await recordLoginAttempt(db, { ...attempt, succeeded: false, reason: 'inactive' });
    throw new AppError('STAFF_USER_INACTIVE');
  }

  const actor = staffActor(user);
  const session = await db.transaction().execute(async (tx) => {
    const created = await createSession(tx, {
      principal: { type: 'staff', id: user.id },
      now,
      clientIp: options.clientIp ?? null,
      userAgent: options.userAgent ?? null,
      policy: options.sessionPolicy ?? DEFAULT_SESSION_POLICY,
    });
    await recordLoginAttempt(tx, { ...attempt, succeeded: true });
    await recordAudit(
      tx,
      {
        actor: actorLabel(actor),
        action: 'auth.login',
        subjectType: 'staff_user',
        subjectId: user.id,
        businessDate: options.businessDate ?? null,
        summary: { method: 'password', clientIp: options.clientIp ?? null },
      },
      now,
    );
    return created;
  });
  return { ...session, actor, displayName: user.display_name };
}
