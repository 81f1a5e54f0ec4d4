// Member account numbers (个人账号, GRZH in exports): 12 digits = pool digit (8 flexible pool, 1 mandatory
// pool) + the 10-digit zero-padded sequence (account_number_seq) + a Luhn check digit, so a mistyped digit
// at the counter or in a bank file is caught before any lookup.
import { AppError } from './errors.ts';

export type AccountPool = 'FLEX' | 'MANDATORY';

export const POOL_PREFIX: Record<AccountPool, string> = { FLEX: '8', MANDATORY: '1' };

const SEQUENCE_DIGITS = 10;
const MAX_SEQUENCE = 10n ** BigInt(SEQUENCE_DIGITS) - 1n;
const ACCOUNT_NUMBER_PATTERN = /^[18]\d{11}$/;

/** Luhn (mod 10) check digit of a digit string: doubles every second digit from the right of the payload. */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i += 1) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The account number for the pool's next sequence value (1 … 9,999,999,999). */
export function makeAccountNumber(pool: AccountPool, sequence: bigint): string {
  if (sequence < 1n || sequence > MAX_SEQUENCE) {
    throw new AppError('ACCOUNT_SEQUENCE_OUT_OF_RANGE', { details: { sequence: sequence.toString() } });
  }
  const payload = POOL_PREFIX[pool] + sequence.toString().padStart(SEQUENCE_DIGITS, '0');
  return payload + luhnCheckDigit(payload);
}

/** True for 12 digits with a known pool digit and a matching Luhn check digit. */
export function isValidAccountNumber(text: string): boolean {
  if (!ACCOUNT_NUMBER_PATTERN.test(text)) return false;
  return luhnCheckDigit(text.slice(0, 11)) === text[11];
}

/** The pool and sequence of an account number typed or received; throws ACCOUNT_NUMBER_INVALID. */
export function parseAccountNumber(
  input: string,
  field = 'accountNumber',
): { pool: AccountPool; sequence: bigint } {
  const text = input.replace(/\s/g, '');
  if (!isValidAccountNumber(text)) throw new AppError('ACCOUNT_NUMBER_INVALID', { field });
  return { pool: text[0] === '8' ? 'FLEX' : 'MANDATORY', sequence: BigInt(text.slice(1, 11)) };
}
