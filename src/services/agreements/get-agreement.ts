// One agreement as shown to its depositor or to staff: the exact text, its hash, the signature record.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { maskBankCard } from '../../domain/agreement.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function getAgreement(db: DbOrTx, actor: Actor, agreementId: string | bigint) {
  const row = await db
    .selectFrom('agreements as g')
    .innerJoin('terms_versions as v', 'v.id', 'g.terms_version_id')
    .innerJoin('depositors as d', 'd.id', 'g.depositor_id')
    .select([
      'g.id',
      'g.agreement_number',
      'g.depositor_id',
      'g.status',
      'g.deposit_mode',
      'g.monthly_amount_fen',
      'g.debit_day',
      'g.bank_name',
      'g.bank_card',
      'g.signed_text',
      'g.signed_text_sha256',
      'g.signed_at',
      'g.signer_name',
      'g.signed_channel',
      'g.account_id',
      'v.version',
      'd.district_code',
    ])
    .where('g.id', '=', BigInt(agreementId))
    .executeTakeFirst();
  if (!row) throw new AppError('AGREEMENT_NOT_FOUND', { field: 'agreementId' });
  if (actor.type === 'depositor' && actor.depositorId !== row.depositor_id) throw new AppError('FORBIDDEN');
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== row.district_code) throw new AppError('FORBIDDEN');
  return {
    agreementId: String(row.id),
    agreementNumber: row.agreement_number,
    depositorId: String(row.depositor_id),
    status: row.status,
    termsVersion: row.version,
    depositMode: row.deposit_mode,
    monthlyAmount: row.monthly_amount_fen === null ? null : fenToYuanString(row.monthly_amount_fen),
    debitDay: row.debit_day,
    bankName: row.bank_name,
    bankCard: maskBankCard(row.bank_card),
    text: row.signed_text,
    textSha256: row.signed_text_sha256,
    signedAt: row.signed_at ? row.signed_at.toISOString() : null,
    signerName: row.signer_name,
    signedChannel: row.signed_channel,
    accountId: row.account_id === null ? null : String(row.account_id),
  };
}
