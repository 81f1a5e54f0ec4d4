// Money is integer fen (分) in a bigint; yuan strings only at the edges (rules.md: amounts in fen).
import { Decimal } from 'decimal.js';
import { AppError } from './errors.ts';

/** An amount in fen (1 yuan = 100 fen). Never a float. */
export type Fen = bigint;

const YUAN_PATTERN = /^-?\d{1,15}(\.\d{1,2})?$/;

/** Parses a yuan string with at most two decimals ("1234.5", "0.01") into fen; anything else is refused. */
export function yuanToFen(yuan: string, field = 'amount'): Fen {
  const text = yuan.trim();
  if (!YUAN_PATTERN.test(text)) throw new AppError('INVALID_AMOUNT', { field, details: { value: yuan } });
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace('-', '').split('.');
  const fen = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return negative ? -fen : fen;
}

/** Formats fen as a yuan string with exactly two decimals: 123456n → "1234.56". */
export function fenToYuanString(fen: Fen): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** A positive amount from a yuan string; zero and negatives are refused with the field named. */
export function positiveYuanToFen(yuan: string, field = 'amount'): Fen {
  const fen = yuanToFen(yuan, field);
  if (fen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field, details: { value: yuan } });
  return fen;
}

/** Rounds a decimal number of fen half-up to a whole fen (rules.md: half-up unless a rule says otherwise). */
export function roundHalfUpToFen(fen: Decimal): Fen {
  return BigInt(fen.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/** Rounds a decimal number of fen down (toward zero for positives) to a whole fen. */
export function roundDownToFen(fen: Decimal): Fen {
  return BigInt(fen.toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0));
}

export function minFen(...values: Fen[]): Fen {
  return values.reduce((a, b) => (b < a ? b : a));
}

export function maxFen(...values: Fen[]): Fen {
  return values.reduce((a, b) => (b > a ? b : a));
}
