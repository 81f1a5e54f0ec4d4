// The public check of a tax-deduction deposit certificate by the code printed on it (rules.md §12): the
// stored content must still hash to the code, so an altered row no longer verifies.
import { canonicalJson } from '../../domain/canonical-json.ts';
import { AppError } from '../../domain/errors.ts';
import {
  checkVerificationCode,
  formatVerificationCode,
  normalizeVerificationCode,
} from '../../domain/tax-certificate.ts';
import { certificateSecret, type TaxCertificateContent } from './issue-tax-certificate.ts';
import type { DbOrTx } from '../../db/connection.ts';

/** What anyone holding the code may see: enough to compare with the paper, nothing more. */
export interface VerifiedTaxCertificate {
  valid: true;
  verificationCode: string;
  issuer: string;
  issuedOn: string;
  year: number;
  depositor: { name: string; idNumberMasked: string };
  totals: TaxCertificateContent['totals'];
}

/** Crockford base32, 16 characters (see verificationCode in src/domain/tax-certificate.ts). */
const CODE_SHAPE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/**
 * Checks a code as typed (dashes, spaces, lower case and O/I/L look-alikes allowed). Unknown codes and
 * rows whose content no longer matches their code both answer TAX_CERTIFICATE_NOT_FOUND: to the
 * public, a certificate we cannot vouch for does not exist.
 */
export async function verifyTaxCertificate(db: DbOrTx, codeAsTyped: string): Promise<VerifiedTaxCertificate> {
  const code = normalizeVerificationCode(codeAsTyped);
  if (!CODE_SHAPE.test(code)) throw new AppError('TAX_CERTIFICATE_NOT_FOUND', { field: 'code' });
  const row = await db
    .selectFrom('tax_certificates')
    .select(['verification_code', 'content', 'issued_on', 'year'])
    .where('verification_code', '=', code)
    .executeTakeFirst();
  if (!row) throw new AppError('TAX_CERTIFICATE_NOT_FOUND', { field: 'code' });
  const content = row.content as TaxCertificateContent;
  if (
    !checkVerificationCode(canonicalJson(content), certificateSecret(), code) ||
    content.year !== row.year
  ) {
    throw new AppError('TAX_CERTIFICATE_NOT_FOUND', { field: 'code' });
  }
  return {
    valid: true,
    verificationCode: formatVerificationCode(code),
    issuer: content.issuer,
    issuedOn: row.issued_on,
    year: content.year,
    depositor: { name: content.depositor.name, idNumberMasked: content.depositor.idNumberMasked },
    totals: content.totals,
  };
}
