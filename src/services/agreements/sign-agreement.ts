// Records the electronic signature (rules.md §2): who signed, when, from where, and the SHA-256 of
// the exact text they were shown, which must equal the text prepared.
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';

export interface SignAgreementInput {
  db: Db;
  actor: Actor;
  agreementId: string | bigint;
  /** The hash of the text the signer was shown; a mismatch means the text changed in between. */
  textSha256: string;
  signerName: string;
  clientIp: string | null;
  userAgent: string | null;
  channel: 'counter' | 'self_service';
  at?: Date;
}

export interface SignedAgreement {
  agreementId: string;
  agreementNumber: string;
  signedAt: string;
  signedOn: string;
  textSha256: string;
}

export async function signAgreement(input: SignAgreementInput): Promise<SignedAgreement> {
  const { db, actor } = input;
  const agreementId = BigInt(input.agreementId);
  const at = input.at ?? new Date();
  return db.transaction().execute(async (tx) => {
    const agreement = await tx
      .selectFrom('agreements')
      .innerJoin('depositors', 'depositors.id', 'agreements.depositor_id')
      .select([
        'agreements.id',
        'agreements.agreement_number',
        'agreements.status',
        'agreements.signed_text_sha256',
        'agreements.depositor_id',
        'depositors.name',
      ])
      .where('agreements.id', '=', agreementId)
      .forUpdate('agreements')
      .executeTakeFirst();
    if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND', { field: 'agreementId' });
    if (actor.type === 'depositor' && actor.depositorId !== agreement.depositor_id) {
      throw new AppError('FORBIDDEN', { field: 'agreementId' });
    }
    if (agreement.status === 'signed')
      throw new AppError('AGREEMENT_ALREADY_SIGNED', { field: 'agreementId' });
    if (agreement.status === 'ended') throw new AppError('AGREEMENT_ENDED', { field: 'agreementId' });
    if (agreement.signed_text_sha256 !== input.textSha256.toLowerCase()) {
      throw new AppError('AGREEMENT_TEXT_CHANGED', { field: 'textSha256' });
    }
    const signerName = input.signerName.trim();
    if (signerName !== agreement.name) throw new AppError('NAME_INVALID', { field: 'signerName' });
    const today = await getBusinessDate(tx);
    await tx
      .updateTable('agreements')
      .set({
        status: 'signed',
        signed_at: at,
        signed_on: today,
        signer_name: signerName,
        signer_ip: input.clientIp,
        signer_user_agent: input.userAgent,
        signed_channel: input.channel,
      })
      .where('id', '=', agreementId)
      .execute();
    await recordAudit(
      tx,
      {
        actor: actorLabel(actor),
        action: 'agreement.sign',
        subjectType: 'agreement',
        subjectId: agreementId,
        businessDate: today,
        summary: {
          status: { before: 'draft', after: 'signed' },
          textSha256: agreement.signed_text_sha256,
          clientIp: input.clientIp,
          channel: input.channel,
        },
      },
      at,
    );
    return {
      agreementId: String(agreementId),
      agreementNumber: agreement.agreement_number,
      signedAt: at.toISOString(),
      signedOn: today,
      textSha256: agreement.signed_text_sha256,
    };
  });
}
