// Depositor login, step 2: the challenge from step 1 + the SMS code → a session. A code lives 5 minutes
// and allows 5 tries; every wrong code counts as a failed login for the rate limit.
import { timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../../audit/audit-trail.ts';
import {
  assertLoginAllowed,
  DEFAULT_RATE_LIMIT,
  depositorPrincipalKey,
  recordLoginAttempt,
  type RateLimitPolicy,
} from '../../auth/rate-limit.ts';
import {
  createSession,
  DEFAULT_SESSION_POLICY,
  depositorActor,
  type CreatedSession,
  type SessionPolicy,
} from '../../auth/sessions.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel } from '../../domain/roles.ts';
import type { LoginResult } from './login-staff.ts';
import { OTP_POLICY, otpCodeHash } from './start-depositor-login.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface VerifyDepositorOtpOptions {
  db: Db;
  challengeId: string;
  code: string;
  now: Date;
  clientIp?: string | null;
  userAgent?: string | null;
  businessDate?: string | null;
  sessionPolicy?: SessionPolicy;
  rateLimit?: RateLimitPolicy;
}

type Outcome =
  | { ok: true; session: CreatedSession }
  | { ok: false; code: 'OTP_CHALLENGE_EXPIRED' | 'OTP_ATTEMPTS_EXHAUSTED' }
  | { ok: false; code: 'OTP_CODE_INCORRECT'; attemptsLeft: number };

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function verifyDepositorOtp(options: VerifyDepositorOtpOptions): Promise<LoginResult> {
  const { db, now, challengeId } = options;
  if (!UUID_PATTERN.test(challengeId)) throw new AppError('OTP_CHALLENGE_EXPIRED', { field: 'challengeId' });
  const found = await db
    .selectFrom('otp_challenges')
    .innerJoin('depositors', 'depositors.id', 'otp_challenges.depositor_id')
    .select(['otp_challenges.depositor_id', 'depositors.id_number_hash', 'depositors.name'])
    .where('otp_challenges.id', '=', challengeId)
    .executeTakeFirst();
  if (!found) throw new AppError('OTP_CHALLENGE_EXPIRED', { field: 'challengeId' });

  const attempt = {
    principalKey: depositorPrincipalKey(found.id_number_hash),
    clientIp: options.clientIp ?? null,
    now,
  };
  await assertLoginAllowed(db, attempt, options.rateLimit ?? DEFAULT_RATE_LIMIT);

  const actor = depositorActor(found.depositor_id);
  const outcome = await db.transaction().execute(async (tx): Promise<Outcome> => {
    const challenge = await tx
      .selectFrom('otp_challenges')
      .select(['code_hash', 'expires_at', 'attempts', 'consumed_at'])
      .where('id', '=', challengeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (challenge.attempts >= OTP_POLICY.maxAttempts) return { ok: false, code: 'OTP_ATTEMPTS_EXHAUSTED' };
    if (challenge.consumed_at !== null || challenge.expires_at.getTime() <= now.getTime()) {
      return { ok: false, code: 'OTP_CHALLENGE_EXPIRED' };
    }
    if (!sameHash(otpCodeHash(challengeId, options.code.trim()), challenge.code_hash)) {
      const attempts = challenge.attempts + 1;
      await tx.updateTable('otp_challenges').set({ attempts }).where('id', '=', challengeId).execute();
      await recordLoginAttempt(tx, { ...attempt, succeeded: false, reason: 'otp_incorrect' });
      const attemptsLeft = OTP_POLICY.maxAttempts - attempts;
      return attemptsLeft > 0
        ? { ok: false, code: 'OTP_CODE_INCORRECT', attemptsLeft }
        : { ok: false, code: 'OTP_ATTEMPTS_EXHAUSTED' };
    }
    await tx.updateTable('otp_challenges').set({ consumed_at: now }).where('id', '=', challengeId).execute();
    const session = await createSession(tx, {
      principal: { type: 'depositor', id: found.depositor_id },
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
        subjectType: 'depositor',
        subjectId: found.depositor_id,
        businessDate: options.businessDate ?? null,
        summary: { method: 'password+sms', clientIp: options.clientIp ?? null },
      },
      now,
    );
    return { ok: true, session };
  });

  // Thrown after the commit so the counted attempt is kept.
  if (!outcome.ok) {
    if (outcome.code === 'OTP_CODE_INCORRECT') {
      throw new AppError(outcome.code, { field: 'code', details: { attemptsLeft: outcome.attemptsLeft } });
    }
    throw new AppError(outcome.code, {
      field: outcome.code === 'OTP_CHALLENGE_EXPIRED' ? 'challengeId' : 'code',
    });
  }
  return { ...outcome.session, actor, displayName: found.name };
}
