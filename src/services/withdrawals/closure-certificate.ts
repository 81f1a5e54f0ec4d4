// The closure certificate issued with a closure (close-account.ts): printed as a PDF for the depositor or
// staff, and checked by anyone with its verification code (the stored content must still hash to it).
import { canonicalJson } from '../../domain/canonical-json.ts';
import { AppError } from '../../domain/errors.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import {
  checkVerificationCode,
  formatVerificationCode,
  normalizeVerificationCode,
} from '../../domain/tax-certificate.ts';
import { renderClosureCertificatePdf } from '../../documents/closure-certificate-pdf.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { certificateSecret } from '../statements/issue-tax-certificate.ts';
import type { ClosureCertificateContent } from './complete-closure.ts';

export function closureVerifyPathOf(code: string): string {
  return `/api/v1/closure-certificates/verify/${formatVerificationCode(code)}`;
}

export async function printClosureCertificate(
  db: DbOrTx,
  actor: Actor,
  withdrawalIdText: string | bigint,
): Promise<{ fileName: string; pdf: Buffer }> {
  const row = await db
    .selectFrom('closure_certificates as c')
    .innerJoin('withdrawals as w', 'w.id', 'c.withdrawal_id')
    .innerJoin('accounts as a', 'a.id', 'w.account_id')
    .select([
      'c.id',
      'c.verification_code',
      'c.content',
      'c.issued_on',
      'c.created_at',
      'w.depositor_id',
      'a.district_code',
    ])
    .where('c.withdrawal_id', '=', BigInt(withdrawalIdText))
    .executeTakeFirst();
  if (!row) throw new AppError('CLOSURE_CERTIFICATE_NOT_FOUND', { field: 'withdrawalId' });
  if (actor.type === 'depositor' && actor.depositorId !== row.depositor_id) throw new AppError('FORBIDDEN');
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== row.district_code) throw new AppError('FORBIDDEN');
  const content = row.content as ClosureCertificateContent;
  const pdf = await renderClosureCertificatePdf({
    certificateId: `XH${String(row.id).padStart(10, '0')}`,
    depositor: content.depositor,
    accountNumber: content.accountNumber,
    closedOn: content.closedOn,
    principal: content.principal,
    interest: content.interest,
    subsidy: content.subsidy,
    total: content.total,
    bankName: content.bankName,
    bankCardMasked: content.bankCardMasked,
    verificationCode: formatVerificationCode(row.verification_code),
    verifyPath: closureVerifyPathOf(row.verification_code),
    issuedOn: row.issued_on,
    createdAt: row.created_at,
  });
  return { fileName: `closure-${content.accountNumber}.pdf`, pdf };
}

const CODE_SHAPE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** What anyone holding the code may see: enough to compare with the paper. */
export async function verifyClosureCertificate(db: DbOrTx, codeAsTyped: string) {
  const code = normalizeVerificationCode(codeAsTyped);
  if (!CODE_SHAPE.test(code)) throw new AppError('CLOSURE_CERTIFICATE_NOT_FOUND', { field: 'code' });
  const row = await db
    .selectFrom('closure_certificates')
    .select(['verification_code', 'content', 'issued_on'])
    .where('verification_code', '=', code)
    .executeTakeFirst();
  if (!row || !checkVerificationCode(canonicalJson(row.content), certificateSecret(), code)) {
    throw new AppError('CLOSURE_CERTIFICATE_NOT_FOUND', { field: 'code' });
  }
  const content = row.content as ClosureCertificateContent;
  return {
    valid: true as const,
    verificationCode: formatVerificationCode(code),
    issuedOn: row.issued_on,
    depositor: content.depositor,
    accountNumber: content.accountNumber,
    closedOn: content.closedOn,
    total: content.total,
  };
}
