// Depositor login, step 1: ID number + password → a one-time code sent by SMS to the registered phone
// (a 6-digit code, valid 5 minutes, 5 tries). Step 2 is verify-depositor-otp.ts.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { verifyAgainstDummy, verifyPassword } from '../../auth/passwords.ts';
import { idNumberHash } from '../../auth/pii.ts';
import {
  assertLoginAllowed,
  DEFAULT_RATE_LIMIT,
  depositorPrincipalKey,
  recordLoginAttempt,
  type RateLimitPolicy,
} from '../../auth/rate-limit.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { parseForeignPermanentId, parseIdNumber } from '../../domain/identity.ts';
import type { SmsGateway } from '../../integrations/sms.ts';

export const OTP_POLICY = { ttlMs: 5 * 60 * 1000, maxAttempts: 5, digits: 6 } as const;

export interface StartDepositorLoginOptions {
  db: Db;
  sms: SmsGateway;
  idNumber: string;
  password: string;
  now: Date;
  clientIp?: string | null;
  rateLimit?: RateLimitPolicy;
}

export interface DepositorLoginChallenge {
  challengeId: string;
  maskedPhone: string;
  expiresAt: Date;
  /** Only when the SMS gateway is the simulator (demo, tests): the code that was "sent". */
  simulatedCode?: string;
}

/**
 * The stored (normalized) form of an ID number typed at login, as registration stores it (rules.md §11):
 * a resident ID or permit (15-digit legacy numbers converted), else a foreign permanent resident ID.
 * A number that is neither is refused with the resident-ID validation error (nothing is counted).
 */
export function normalizeIdNumberForLogin(input: string): string {
  try {
    return parseIdNumber(input).normalized;
  } catch (residentError) {
    try {
      return parseForeignPermanentId(input).normalized;
    } catch {
      throw residentError;
    }
  }
}

export function otpCodeHash(challengeId: string, code: string): string {
  return createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
}

/** 13812345678 → 138****5678: enough for the depositor to recognise their phone. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length < 8) return '*'.repeat(p.length);
  return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);
}

export async function startDepositorLogin(
  options: StartDepositorLoginOptions,
): Promise<DepositorLoginChallenge> {
  const { db, now } = options;
  const normalized = normalizeIdNumberForLogin(options.idNumber);
  const hash = idNumberHash(normalized);
  const attempt = { principalKey: depositorPrincipalKey(hash), clientIp: options.clientIp ?? null, now };
  await assertLoginAllowed(db, attempt, options.rateLimit ?? DEFAULT_RATE_LIMIT);

  const depositor = await db
    .selectFrom('depositors')
    .select(['id', 'phone', 'password_hash'])
    .where('id_number_hash', '=', hash)
    .executeTakeFirst();
  // No depositor, or one registered at the counter who has not set a portal password yet: the same
  // answer as a wrong password, so the portal does not reveal who is a member.
  const ok = depositor?.password_hash
    ? await verifyPassword(options.password, depositor.password_hash)
    : await verifyAgainstDummy(options.password);
  if (!depositor || !ok) {
    await recordLoginAttempt(db, { ...attempt, succeeded: false, reason: 'bad_credentials' });
    throw new AppError('INVALID_CREDENTIALS');
  }

  const challengeId = randomUUID();
  const code = randomInt(0, 10 ** OTP_POLICY.digits)
    .toString()
    .padStart(OTP_POLICY.digits, '0');
  const expiresAt = new Date(now.getTime() + OTP_POLICY.ttlMs);
  await db.transaction().execute(async (tx) => {
    // One open code per depositor: a new login supersedes the previous code.
    await tx
      .updateTable('otp_challenges')
      .set({ consumed_at: now })
      .where('depositor_id', '=', depositor.id)
      .where('consumed_at', 'is', null)
      .execute();
    await tx
      .insertInto('otp_challenges')
      .values({
        id: challengeId,
        depositor_id: depositor.id,
        code_hash: otpCodeHash(challengeId, code),
        expires_at: expiresAt,
        created_at: now,
      })
      .execute();
  });

  try {
    await options.sms.send({
      phone: depositor.phone,
      template: 'login_code',
      params: { code, minutes: String(OTP_POLICY.ttlMs / 60_000) },
    });
  } catch (error) {
    await db.updateTable('otp_challenges').set({ consumed_at: now }).where('id', '=', challengeId).execute();
    const failure = new AppError('SMS_SEND_FAILED');
    failure.cause = error; // logged by the API error handler, never sent to the client
    throw failure;
  }

  const result: DepositorLoginChallenge = { challengeId, maskedPhone: maskPhone(depositor.phone), expiresAt };
  if (options.sms.simulated) result.simulatedCode = code;
  return result;
}
