// Seal/unseal (封存/启封) and judicial freeze/unfreeze (冻结/解冻, with reason and document number)
// of a member account, audited with the before/after state.
import { AppError } from '../../domain/errors.ts';
import { nextAccountState, type StateAction } from '../../domain/account-state.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';

export interface ChangeAccountStateInput {
  db: Db;
  actor: Actor;
  accountId: string | bigint;
  action: StateAction;
  reason?: string;
  documentNo?: string;
}

export async function changeAccountState(input: ChangeAccountStateInput) {
  const { db, actor, action } = input;
  const accountId = BigInt(input.accountId);
  const reason = input.reason?.trim() ?? '';
  const documentNo = input.documentNo?.trim() ?? '';
  if ((action === 'freeze' || action === 'unfreeze') && (!reason || !documentNo)) {
    throw new AppError('FREEZE_REASON_REQUIRED', { field: reason ? 'documentNo' : 'reason' });
  }
  return db.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom('accounts')
      .select(['id', 'account_number', 'state', 'state_before_freeze'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
    const next = nextAccountState(account.state, action, account.state_before_freeze);
    const today = await getBusinessDate(tx);
    await tx
      .updateTable('accounts')
      .set({
        state: next.to,
        state_before_freeze: next.stateBeforeFreeze,
        freeze_reason: action === 'freeze' ? reason : null,
        freeze_document_no: action === 'freeze' ? documentNo : null,
      })
      .where('id', '=', accountId)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: `account.${action}`,
      subjectType: 'account',
      subjectId: accountId,
      businessDate: today,
      summary: {
        state: { before: account.state, after: next.to },
        reason: reason || null,
        documentNo: documentNo || null,
      },
    });
    return { accountId: String(accountId), accountNumber: account.account_number, state: next.to };
  });
}
