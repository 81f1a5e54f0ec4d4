// The calendar-year deposit certificate for the income-tax deduction (rules.md §12): each month's deposits,
// the monthly cap, the deductible part and the excess; and the verification code printed on it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIsoMonth, type IsoMonth } from './dates.ts';
import { AppError } from './errors.ts';
import { fenToYuanString, minFen, type Fen } from './money.ts';

export interface TaxCertificateMonth {
  month: IsoMonth;
  depositedFen: Fen;
  capFen: Fen;
  deductibleFen: Fen;
  excessFen: Fen;
}

export interface TaxCertificate {
  year: number;
  months: TaxCertificateMonth[];
  totals: { depositedFen: Fen; capFen: Fen; deductibleFen: Fen; excessFen: Fen };
}

/**
 * The certificate for a calendar year (January–December, rules.md §12): twelve rows, each month's deposits
 * (by the month they are allocated to), the cap, deductible = min(deposited, cap), excess = the rest.
 * `monthlyCapFen` is one cap, or the cap in force in each month when the parameter changed during the year.
 */
export function taxCertificate(input: {
  year: number;
  monthlyCapFen: Fen | ((month: IsoMonth) => Fen);
  deposits: ReadonlyArray<{ month: IsoMonth; amountFen: Fen }>;
}): TaxCertificate {
  const { year, monthlyCapFen, deposits } = input;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new AppError('VALIDATION_FAILED', { field: 'year', details: { value: year } });
  }
  const prefix = `${year}-`;
  const byMonth = new Map<IsoMonth, Fen>();
  for (const d of deposits) {
    if (!isIsoMonth(d.month))
      throw new AppError('INVALID_MONTH', { field: 'deposits.month', details: { value: d.month } });
    if (!d.month.startsWith(prefix)) {
      throw new AppError('TAX_CERTIFICATE_MONTH_OUTSIDE_YEAR', {
        field: 'deposits.month',
        details: { month: d.month, year },
      });
    }
    if (d.amountFen < 0n) {
      throw new AppError('AMOUNT_NEGATIVE', {
        field: 'deposits.amount',
        details: { value: fenToYuanString(d.amountFen) },
      });
    }
    byMonth.set(d.month, (byMonth.get(d.month) ?? 0n) + d.amountFen);
  }
  const months: TaxCertificateMonth[] = [];
  const totals = { depositedFen: 0n, capFen: 0n, deductibleFen: 0n, excessFen: 0n };
  for (let m = 1; m <= 12; m += 1) {
    const month = `${prefix}${String(m).padStart(2, '0')}`;
    const capFen = typeof monthlyCapFen === 'function' ? monthlyCapFen(month) : monthlyCapFen;
    if (capFen < 0n) throw new AppError('AMOUNT_NEGATIVE', { field: 'monthlyCap', details: { month } });
    const depositedFen = byMonth.get(month) ?? 0n;
    const deductibleFen = minFen(depositedFen, capFen);
    const row = { month, depositedFen, capFen, deductibleFen, excessFen: depositedFen - deductibleFen };
    months.push(row);
    totals.depositedFen += row.depositedFen;
    totals.capFen += row.capFen;
    totals.deductibleFen += row.deductibleFen;
    totals.excessFen += row.excessFen;
  }
  return { year, months, totals };
}

/** Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or retyped is not misread. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;

/**
 * The verification code printed on a certificate: the first 80 bits of HMAC-SHA256(secret, content) as 16
 * upper-case base32 characters. `content` is the certificate's canonical text (canonical-json.ts), so anyone
 * holding the secret can recompute it and a changed figure changes the code.
 */
export function verificationCode(content: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(content, 'utf8').digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, (CODE_LENGTH * 5) / 8)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = CODE_LENGTH - 1; i >= 0; i -= 1) code += CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/** XXXX-XXXX-XXXX-XXXX, as printed. */
export function formatVerificationCode(code: string): string {
  return normalizeVerificationCode(code).replace(/(.{4})(?=.)/g, '$1-');
}

/** Reads a code as typed: drops spaces and dashes, upper-cases, and maps the look-alikes O→0, I/L→1. */
export function normalizeVerificationCode(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** True when `code` (as typed) is the verification code of `content`; compared in constant time. */
export function checkVerificationCode(content: string, secret: string, code: string): boolean {
  const expected = Buffer.from(verificationCode(content, secret));
  const given = Buffer.from(normalizeVerificationCode(code));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
