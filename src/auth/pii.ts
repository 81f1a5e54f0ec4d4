// Personal data at rest: ID numbers are stored as an HMAC (for lookups and uniqueness), AES-256-GCM
// ciphertext (for roles that need the number) and a masked form (rules.md §11). Keys come from
// ANJU_PII_KEY (32+ chars); without it a fixed development key is used and a warning printed once.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const DEV_KEY = 'anju-development-only-key-do-not-use-in-production';
let warned = false;

function masterKey(): string {
  const key = process.env.ANJU_PII_KEY;
  if (key && key.length >= 32) return key;
  if (!warned && process.env.NODE_ENV === 'production') {
    warned = true;
    console.warn('ANJU_PII_KEY is not set: personal data is encrypted with the development key');
  }
  return DEV_KEY;
}

function derive(purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}:${masterKey()}`).digest();
}

/** Deterministic keyed hash of a normalized ID number: the lookup key. */
export function idNumberHash(normalized: string): string {
  return createHmac('sha256', derive('id-hash')).update(normalized).digest('hex');
}

export function encryptIdNumber(normalized: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive('id-enc'), iv);
  const body = Buffer.concat([cipher.update(normalized, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
    '.',
  );
}

export function decryptIdNumber(stored: string): string {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown ID number encryption format');
  const decipher = createDecipheriv('aes-256-gcm', derive('id-enc'), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** 150203199001011234 → 1502**********1234 (first four, last four). */
export function maskIdNumber(normalized: string): string {
  if (normalized.length <= 8) return '*'.repeat(normalized.length);
  return normalized.slice(0, 4) + '*'.repeat(normalized.length - 8) + normalized.slice(-4);
}
