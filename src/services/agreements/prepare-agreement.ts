// Prepares the agreement a depositor is about to sign: checks the deposit plan against the limits in
// force, renders the current terms version with their details, and keeps it as a draft with the
// SHA-256 of the exact text (rules.md §2). Preparing again replaces the earlier draft.
import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import {
  assertBankCard,
  isDepositMode,
  renderAgreementText,
  validateDepositPlan,
} from '../../domain/agreement.ts';
import { positiveYuanToFen } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getFenParameter } from '../parameters/get-parameter.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

export interface PrepareAgreementInput {
  db: Db;
  actor: Actor;
  depositorId: string | bigint;
  depositMode: string;
  monthlyAmount?: string | null;
  debitDay?: number | null;
  bankName: string;
  bankCard: string;
  consentDataCheck: boolean;
}

export interface PreparedAgreement {
  agreementId: string;
  agreementNumber: string;
  termsVersion: string;
  title: { zh: string; en: string };
  text: string;
  textSha256: string;
  status: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function depositLimitsOn(db: DbOrTx, date: string) {
  return {
    lowerFen: await getFenParameter(db, 'deposit.monthly_lower_limit_fen', date),
    upperFen: await getFenParameter(db, 'deposit.monthly_upper_limit_fen', date),
  };
}

export async function prepareAgreement(input: PrepareAgreementInput): Promise<PreparedAgreement> {
  const { db, actor } = input;
  const depositorId = BigInt(input.depositorId);
  if (!isDepositMode(input.depositMode)) throw new AppError('DEPOSIT_MODE_INVALID', { field: 'depositMode' });
  const terms = {
    depositMode: input.depositMode,
    monthlyAmountFen:
      input.monthlyAmount === undefined || input.monthlyAmount === null || input.monthlyAmount === ''
        ? null
        : positiveYuanToFen(input.monthlyAmount, 'monthlyAmount'),
    debitDay: input.debitDay ?? null,
  };
  const bankCard = assertBankCard(input.bankCard);
  const bankName = input.bankName.trim();
  if (!bankName) throw new AppError('VALIDATION_FAILED', { field: 'bankName' });
  if (!input.consentDataCheck) throw new AppError('CONSENT_REQUIRED', { field: 'consentDataCheck' });

  return db.transaction().execute(async (tx) => {
    const today = await getBusinessDate(tx);
    validateDepositPlan(terms, await depositLimitsOn(tx, today));
    const depositor = await tx
      .selectFrom('depositors')
      .select(['id', 'name', 'id_number_masked'])
      .where('id', '=', depositorId)
      .forUpdate()
      .executeTakeFirst();
    if (!depositor) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'depositorId' });
    const live = await tx
      .selectFrom('agreements')
      .select(['id', 'status'])
      .where('depositor_id', '=', depositorId)
      .where('status', 'in', ['draft', 'signed'])
      .executeTakeFirst();
    if (live?.status === 'signed') throw new AppError('AGREEMENT_EXISTS', { field: 'depositorId' });
    const version = await tx
      .selectFrom('terms_versions')
      .selectAll()
      .where('effective_from', '<=', today)
      .orderBy('effective_from', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const text = [
      version.title_zh,
      version.title_en,
      '',
      renderAgreementText(version.body_zh, {
        name: depositor.name,
        idNumberMasked: depositor.id_number_masked,
        terms,
        bankCard,
        consentDataCheck: input.consentDataCheck,
      }),
      '',
      renderAgreementText(version.body_en, {
        name: depositor.name,
        idNumberMasked: depositor.id_number_masked,
        terms,
        bankCard,
        consentDataCheck: input.consentDataCheck,
      }),
      '',
      `条款版本 Terms version: ${version.version}`,
    ].join('\n');
    const textSha256 = sha256Hex(text);
    const values = {
      terms_version_id: version.id,
      deposit_mode: terms.depositMode,
      monthly_amount_fen: terms.monthlyAmountFen,
      bank_name: bankName,
      bank_card: bankCard,
      debit_day: terms.debitDay,
      consent_data_check: input.consentDataCheck,
      signed_text: text,
      signed_text_sha256: textSha256,
    };
    let row: { id: bigint; agreement_number: string };
    if (live) {
      row = await tx
        .updateTable('agreements')
        .set(values)
        .where('id', '=', live.id)
        .returning(['id', 'agreement_number'])
        .executeTakeFirstOrThrow();
    } else {
      const seq = await tx
        .selectNoFrom((eb) => eb.fn<string>('nextval', [eb.val('agreement_number_seq')]).as('n'))
        .executeTakeFirstOrThrow();
      row = await tx
        .insertInto('agreements')
        .values({
          ...values,
          agreement_number: `XY${today.slice(0, 4)}${String(seq.n).padStart(8, '0')}`,
          depositor_id: depositorId,
          status: 'draft',
        })
        .returning(['id', 'agreement_number'])
        .executeTakeFirstOrThrow();
    }
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'agreement.prepare',
      subjectType: 'agreement',
      subjectId: row.id,
      businessDate: today,
      summary: {
        depositorId: String(depositorId),
        depositMode: terms.depositMode,
        monthlyAmountFen: terms.monthlyAmountFen,
        debitDay: terms.debitDay,
        termsVersion: version.version,
        textSha256,
      },
    });
    return {
      agreementId: String(row.id),
      agreementNumber: row.agreement_number,
      termsVersion: version.version,
      title: { zh: version.title_zh, en: version.title_en },
      text,
      textSha256,
      status: 'draft',
    };
  });
}
