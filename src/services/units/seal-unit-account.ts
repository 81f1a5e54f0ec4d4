// Seal (封存, business type 05: the person left the unit) or unseal (启封, 04: a new job at the same
// unit) a unit account, with the reason kept on the account and in the audit row (rules.md §5.3:
// a sealed unit account may be converted to a flexible one).
import { AppError } from '../../domain/errors.ts';
import { nextAccountState } from '../../domain/account-state.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';

export interface SealUnitAccountInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  action: 'seal' | 'unseal';
  reason: string;
}

export interface SealedUnitAccount {
  accountId: string;
  accountNumber: string;
  state: '01' | '02';
  businessType: '04' | '05';
  reason: string;
  sealedOn: string | null;
}

export async function sealUnitAccount(input: SealUnitAccountInput): Promise<SealedUnitAccount> {
  const { db, actor, action } = input;
  const accountId = BigInt(input.accountId);
  const reason = input.reason.trim();
  if (!reason) throw new AppError('UNIT_SEAL_REASON_REQUIRED', { field: 'reason' });
  return db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom('accounts')
      .select(['id', 'account_number', 'kind', 'state', 'state_before_freeze'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account || account.kind !== 'unit')
      throw new AppError('UNIT_ACCOUNT_NOT_FOUND', { field: 'accountId' });
    const next = nextAccountState(account.state, action, account.state_before_freeze);
    const today = await getBusinessDate(tx);
    const sealedOn = action === 'seal' ? today : null;
    await tx
      .updateTable('accounts')
      .set({ state: next.to, seal_reason: action === 'seal' ? reason : null, sealed_on: sealedOn })
      .where('id', '=', accountId)
      .execute();
    const businessType = action === 'seal' ? '05' : '04';
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: `account.${action}`,
      subjectType: 'account',
      subjectId: accountId,
      businessDate: today,
      summary: { state: { before: account.state, after: next.to }, reason, businessType },
    });
    return {
      accountId: String(accountId),
      accountNumber: account.account_number,
      state: next.to as '01' | '02',
      businessType,
      reason,
      sealedOn,
    };
  });
}
