// Message signing between Anju and the bank: HMAC-SHA256 (hex) over the exact raw body with a shared
// secret, checked in constant time. The same scheme signs notifications (bank → Anju) and requests
// (Anju → bank simulator).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Used when ANJU_BANK_SECRET is not set: development and tests only. */
export const DEV_BANK_SECRET = 'anju-dev-bank-secret';

export function bankSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ANJU_BANK_SECRET || DEV_BANK_SECRET;
}

export function signBankMessage(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

/** True when `signature` is the HMAC of `rawBody`; compares in constant time (timingSafeEqual). */
export function verifyBankSignature(
  rawBody: string,
  signature: string | undefined | null,
  secret: string,
): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signBankMessage(rawBody, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
