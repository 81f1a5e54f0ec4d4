// Message signing on the transfer platform: HMAC-SHA256 (hex) over the exact raw body with the secret
// shared with the platform, checked in constant time; the same scheme in both directions (as the bank's).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Used when ANJU_TRANSFER_SECRET is not set: development and tests only. */
export const DEV_TRANSFER_SECRET = 'anju-dev-transfer-secret';

export function transferSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ANJU_TRANSFER_SECRET || DEV_TRANSFER_SECRET;
}

export function signTransferMessage(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

/** True when `signature` is the HMAC of `rawBody`; compares in constant time. */
export function verifyTransferSignature(
  rawBody: string,
  signature: string | undefined | null,
  secret: string,
): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signTransferMessage(rawBody, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
