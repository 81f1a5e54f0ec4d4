// rules.md §12: the calendar-year deposit certificate for the income-tax deduction, and its verification code.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import {
  checkVerificationCode,
  formatVerificationCode,
  normalizeVerificationCode,
  taxCertificate,
  verificationCode,
} from './tax-certificate.ts';

// Previous-year average monthly wage × 3 × 24 % (rules.md §12): 6,574.00 with the Baotou 2024 figures.
const CAP = 657_400n;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

describe('§12 the certificate: January–December, each month’s deposits, cap, deductible part and excess', () => {
  const certificate = taxCertificate({
    year: 2024,
    monthlyCapFen: CAP,
    deposits: [
      { month: '2024-01', amountFen: 200_000n },
      { month: '2024-03', amountFen: 600_000n },
      { month: '2024-03', amountFen: 100_000n }, // two payments in March: 7,000.00 > 6,574.00
      { month: '2024-12', amountFen: 657_400n },
    ],
  });

  it('has twelve rows, January to December, months without deposits at zero', () => {
    expect(certificate.year).toBe(2024);
    expect(certificate.months.map((m) => m.month)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
    ]);
    expect(certificate.months[1]).toEqual({
      month: '2024-02',
      depositedFen: 0n,
      capFen: CAP,
      deductibleFen: 0n,
      excessFen: 0n,
    });
  });

  it('deductible = min(deposited, cap); the excess is the rest', () => {
    expect(certificate.months[0]).toMatchObject({
      depositedFen: 200_000n,
      deductibleFen: 200_000n,
      excessFen: 0n,
    });
    expect(certificate.months[2]).toMatchObject({
      depositedFen: 700_000n,
      deductibleFen: 657_400n,
      excessFen: 42_600n,
    });
    expect(certificate.months[11]).toMatchObject({
      depositedFen: 657_400n,
      deductibleFen: 657_400n,
      excessFen: 0n,
    });
    expect(certificate.totals).toEqual({
      depositedFen: 1_557_400n,
      capFen: 12n * CAP,
      deductibleFen: 1_514_800n,
      excessFen: 42_600n,
    });
  });

  it('takes the cap in force in each month when it changed during the year', () => {
    const result = taxCertificate({
      year: 2024,
      monthlyCapFen: (month) => (month >= '2024-07' ? 700_000n : CAP),
      deposits: [
        { month: '2024-06', amountFen: 700_000n },
        { month: '2024-07', amountFen: 700_000n },
      ],
    });
    expect(result.months[5]).toMatchObject({ capFen: CAP, deductibleFen: CAP, excessFen: 42_600n });
    expect(result.months[6]).toMatchObject({ capFen: 700_000n, deductibleFen: 700_000n, excessFen: 0n });
  });

  it('refuses a deposit month outside the year, a bad month and a negative amount', () => {
    const base = { year: 2024, monthlyCapFen: CAP };
    expect(codeOf(() => taxCertificate({ ...base, deposits: [{ month: '2025-01', amountFen: 1n }] }))).toBe(
      'TAX_CERTIFICATE_MONTH_OUTSIDE_YEAR',
    );
    expect(codeOf(() => taxCertificate({ ...base, deposits: [{ month: '2024-13', amountFen: 1n }] }))).toBe(
      'INVALID_MONTH',
    );
    expect(codeOf(() => taxCertificate({ ...base, deposits: [{ month: '2024-05', amountFen: -1n }] }))).toBe(
      'AMOUNT_NEGATIVE',
    );
  });

  it('property: deductible + excess = deposited and deductible ≤ cap, month by month and in total', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            m: fc.integer({ min: 1, max: 12 }),
            amountFen: fc.bigInt({ min: 0n, max: 2_000_000n }),
          }),
          { maxLength: 40 },
        ),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (raw, cap) => {
          const deposits = raw.map((d) => ({
            month: `2025-${String(d.m).padStart(2, '0')}`,
            amountFen: d.amountFen,
          }));
          const result = taxCertificate({ year: 2025, monthlyCapFen: cap, deposits });
          for (const row of result.months) {
            expect(row.deductibleFen + row.excessFen).toBe(row.depositedFen);
            expect(row.deductibleFen <= cap).toBe(true);
          }
          expect(result.totals.depositedFen).toBe(deposits.reduce((s, d) => s + d.amountFen, 0n));
          expect(result.totals.deductibleFen + result.totals.excessFen).toBe(result.totals.depositedFen);
        },
      ),
    );
  });
});

describe('§12 verification code printed on the certificate', () => {
  it('is the first 80 bits of HMAC-SHA256 as 16 Crockford base32 characters', () => {
    const code = verificationCode('{"year":2024}', 'test-secret');
    expect(code).toBe('AJG73D0JQX4Y1SN4');
    // Independently: the first 10 bytes of the digest, read 5 bits at a time.
    const hex = createHmac('sha256', 'test-secret').update('{"year":2024}').digest('hex').slice(0, 20);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const expected = BigInt(`0x${hex}`)
      .toString(2)
      .padStart(80, '0')
      .match(/.{5}/g)!
      .map((b) => alphabet[parseInt(b, 2)])
      .join('');
    expect(code).toBe(expected);
  });

  it('is printed as XXXX-XXXX-XXXX-XXXX', () => {
    expect(formatVerificationCode('AJG73D0JQX4Y1SN4')).toBe('AJG7-3D0J-QX4Y-1SN4');
  });

  it('changes when the content or the secret changes', () => {
    const code = verificationCode('{"year":2024}', 'test-secret');
    expect(verificationCode('{"year":2025}', 'test-secret')).not.toBe(code);
    expect(verificationCode('{"year":2024}', 'other-secret')).not.toBe(code);
  });

  it('checks a code as typed: lower case, dashes, spaces and the look-alikes O and I/L', () => {
    const content = '{"year":2024}';
    expect(checkVerificationCode(content, 'test-secret', 'ajg7-3d0j-qx4y-1sn4')).toBe(true);
    expect(checkVerificationCode(content, 'test-secret', 'AJG7 3DOJ QX4Y lSN4')).toBe(true);
    expect(checkVerificationCode(content, 'test-secret', 'AJG7-3D0J-QX4Y-1SN5')).toBe(false);
    expect(checkVerificationCode(content, 'test-secret', 'AJG7')).toBe(false);
    expect(normalizeVerificationCode('ab-cd o i l')).toBe('ABCD011');
  });

  it('property: always 16 characters of the alphabet', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (content, secret) => {
        expect(verificationCode(content, secret)).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      }),
    );
  });
});
