// Issues the calendar-year deposit certificate for the income-tax deduction (rules.md §12): the year's
// deposits by calendar month against the cap in force in each month, stored with a verification code
// (HMAC of the canonical content with the server's certificate secret); reads one back and prints it.
import { sql } from 'kysely';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { AppError } from '../../domain/errors.ts';
import { monthOf, parts, type IsoMonth } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { actorLabel, districtScopeOf, hasRole, type Actor } from '../../domain/roles.ts';
import {
  formatVerificationCode,
  taxCertificate,
  verificationCode,
  type TaxCertificate,
} from '../../domain/tax-certificate.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { CENTER_NAME_ZH } from '../../documents/pdf.ts';
import { renderTaxCertificatePdf } from '../../documents/tax-certificate-pdf.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { DepositChannel } from '../../db/schema.ts';

const DEV_SECRET = 'anju-development-only-certificate-secret';
let warned = false;

/** The secret behind verification codes: ANJU_CERT_SECRET, or a fixed development secret (warned once). */
export function certificateSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.ANJU_CERT_SECRET;
  if (secret && secret.length >= 16) return secret;
  if (!warned && env.NODE_ENV === 'production') {
    warned = true;
    console.warn('ANJU_CERT_SECRET is not set: certificate codes use the development secret');
  }
  return DEV_SECRET;
}

/** Where anyone checks a code (public, no login). */
export function verifyPathOf(code: string): string {
  return `/api/v1/certificates/verify/${formatVerificationCode(code)}`;
}

/**
 * Payments that are not the person's own deposit in that month are left out: history transferred in
 * from another city or converted from a unit account was paid (and deducted) where it was made (ours).
 */
const CHANNELS_NOT_DEDUCTIBLE_HERE: DepositChannel[] = ['transfer_in', 'conversion'];

interface Amounts {
  deposited: string;
  cap: string;
  deductible: string;
  excess: string;
}

/** The stored, hashed content of a certificate: money as yuan strings, so jsonb keeps it exactly. */
export interface TaxCertificateContent {
  kind: 'hpf_tax_deduction_certificate';
  issuer: string;
  depositor: { id: string; name: string; idNumberMasked: string };
  year: number;
  months: Array<Amounts & { month: IsoMonth }>;
  totals: Amounts;
}

export interface TaxCertificateView {
  certificateId: string;
  depositorId: string;
  year: number;
  /** As printed: XXXX-XXXX-XXXX-XXXX. */
  verificationCode: string;
  issuedOn: string;
  issuedBy: string;
  content: TaxCertificateContent;
  pdfPath: string;
  verifyPath: string;
}

export interface IssuedTaxCertificate extends TaxCertificateView {
  /** True when an identical certificate already existed and is returned instead of a new one. */
  reused: boolean;
}

function amounts(row: { depositedFen: Fen; capFen: Fen; deductibleFen: Fen; excessFen: Fen }): Amounts {
  return {
    deposited: fenToYuanString(row.depositedFen),
    cap: fenToYuanString(row.capFen),
    deductible: fenToYuanString(row.deductibleFen),
    excess: fenToYuanString(row.excessFen),
  };
}

export function certificateContent(
  depositor: { id: bigint; name: string; idNumberMasked: string },
  certificate: TaxCertificate,
): TaxCertificateContent {
  return {
    kind: 'hpf_tax_deduction_certificate',
    issuer: CENTER_NAME_ZH,
    depositor: { id: String(depositor.id), name: depositor.name, idNumberMasked: depositor.idNumberMasked },
    year: certificate.year,
    months: certificate.months.map((m) => ({ month: m.month, ...amounts(m) })),
    totals: amounts(certificate.totals),
  };
}

async function visibleDepositor(db: DbOrTx, actor: Actor, depositorId: bigint) {
  const depositor = await db
    .selectFrom('depositors')
    .select(['id', 'name', 'id_number_masked', 'district_code'])
    .where('id', '=', depositorId)
    .executeTakeFirst();
  if (!depositor) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'depositorId' });
  if (actor.type === 'depositor' && actor.depositorId !== depositor.id) throw new AppError('FORBIDDEN');
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== depositor.district_code) throw new AppError('FORBIDDEN');
  return depositor;
}

function view(
  row: {
    id: bigint;
    depositor_id: bigint;
    year: number;
    verification_code: string;
    issued_on: string;
    issued_by: string;
  },
  content: TaxCertificateContent,
): TaxCertificateView {
  return {
    certificateId: String(row.id),
    depositorId: String(row.depositor_id),
    year: row.year,
    verificationCode: formatVerificationCode(row.verification_code),
    issuedOn: row.issued_on,
    issuedBy: row.issued_by,
    content,
    pdfPath: `/api/v1/tax-certificates/${row.id}.pdf`,
    verifyPath: verifyPathOf(row.verification_code),
  };
}

/**
 * Issues the certificate of `year` for a depositor (the depositor themself, a teller or a manager):
 * deposits by the calendar month of their value date across the person's accounts, reversed ones left
 * out, each month against `tax.monthly_deduction_cap_fen` in force on its first day. Issuing again
 * returns the existing certificate when nothing changed (same content, same code), else a new one.
 */
export async function issueTaxCertificate(
  db: DbOrTx,
  actor: Actor,
  depositorIdText: string | bigint,
  year: number,
): Promise<IssuedTaxCertificate> {
  if (actor.type === 'staff' && !hasRole(actor, 'teller', 'manager')) throw new AppError('FORBIDDEN');
  const depositorId = BigInt(depositorIdText);
  const run = async (tx: DbOrTx): Promise<IssuedTaxCertificate> => {
    const depositor = await visibleDepositor(tx, actor, depositorId);
    const businessDate = await getBusinessDate(tx);
    if (!Number.isInteger(year) || year < 2000 || year > parts(businessDate).year) {
      throw new AppError('TAX_CERTIFICATE_YEAR_INVALID', { field: 'year', details: { year, businessDate } });
    }
    const rows = await tx
      .selectFrom('deposits as d')
      .innerJoin('accounts as a', 'a.id', 'd.account_id')
      .select(['d.value_date', 'd.amount_fen'])
      .where('a.depositor_id', '=', depositorId)
      .where('d.value_date', '>=', `${year}-01-01`)
      .where('d.value_date', '<=', `${year}-12-31`)
      .where('d.channel', 'not in', CHANNELS_NOT_DEDUCTIBLE_HERE)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('journal_entries as r')
              .select(sql`1`.as('one'))
              .whereRef('r.reverses_entry_id', '=', 'd.journal_entry_id'),
          ),
        ),
      )
      .execute();
    if (rows.length === 0)
      throw new AppError('TAX_CERTIFICATE_NO_DEPOSITS', { field: 'year', details: { year } });

    const caps = new Map<IsoMonth, Fen>();
    for (let m = 1; m <= 12; m += 1) {
      const month = `${year}-${String(m).padStart(2, '0')}`;
      caps.set(month, await getFenParameter(tx, 'tax.monthly_deduction_cap_fen', `${month}-01`));
    }
    const certificate = taxCertificate({
      year,
      monthlyCapFen: (month) => caps.get(month)!,
      deposits: rows.map((r) => ({ month: monthOf(r.value_date), amountFen: r.amount_fen })),
    });
    const content = certificateContent(
      { id: depositor.id, name: depositor.name, idNumberMasked: depositor.id_number_masked },
      certificate,
    );
    const code = verificationCode(canonicalJson(content), certificateSecret());
    const label = actorLabel(actor);
    // The code is unique and a function of the content: an identical certificate is found, not duplicated.
    const inserted = await tx
      .insertInto('tax_certificates')
      .values({
        depositor_id: depositorId,
        year,
        verification_code: code,
        content: JSON.stringify(content),
        issued_on: businessDate,
        issued_by: label,
      })
      .onConflict((oc) => oc.column('verification_code').doNothing())
      .returning(['id', 'depositor_id', 'year', 'verification_code', 'issued_on', 'issued_by'])
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom('tax_certificates')
        .select(['id', 'depositor_id', 'year', 'verification_code', 'issued_on', 'issued_by'])
        .where('verification_code', '=', code)
        .executeTakeFirstOrThrow();
      return { ...view(existing, content), reused: true };
    }
    await recordAudit(tx, {
      actor: label,
      action: 'tax_certificate.issue',
      subjectType: 'depositor',
      subjectId: depositorId,
      businessDate,
      summary: {
        certificateId: String(inserted.id),
        year,
        deposited: content.totals.deposited,
        deductible: content.totals.deductible,
        excess: content.totals.excess,
      },
    });
    return { ...view(inserted, content), reused: false };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** One issued certificate, for the depositor themself or staff (district-scoped). */
export async function getTaxCertificate(
  db: DbOrTx,
  actor: Actor,
  certificateIdText: string | bigint,
): Promise<TaxCertificateView> {
  const row = await db
    .selectFrom('tax_certificates')
    .select(['id', 'depositor_id', 'year', 'verification_code', 'content', 'issued_on', 'issued_by'])
    .where('id', '=', BigInt(certificateIdText))
    .executeTakeFirst();
  if (!row) throw new AppError('TAX_CERTIFICATE_NOT_FOUND', { field: 'certificateId' });
  await visibleDepositor(db, actor, row.depositor_id);
  return view(row, row.content as TaxCertificateContent);
}

/** The certificate as a PDF (file name and bytes). */
export async function printTaxCertificate(
  db: DbOrTx,
  actor: Actor,
  certificateIdText: string | bigint,
): Promise<{ fileName: string; pdf: Buffer }> {
  const certificate = await getTaxCertificate(db, actor, certificateIdText);
  const { content } = certificate;
  const pdf = await renderTaxCertificatePdf({
    certificateId: certificate.certificateId,
    depositor: content.depositor,
    year: content.year,
    months: content.months,
    totals: content.totals,
    verificationCode: certificate.verificationCode,
    verifyPath: certificate.verifyPath,
    issuedOn: certificate.issuedOn,
  });
  return { fileName: `tax-certificate-${content.year}-${certificate.certificateId}.pdf`, pdf };
}
