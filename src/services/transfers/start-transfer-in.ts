// Transfer in (异地转入, rules.md §5.4 step 1): a depositor with an open account here asks to bring the old
// city's money, at the counter or in the portal (their own account only). Records the transfer and queues the contact letter (联系函) in one transaction, then sends
// it through the platform after commit; a timeout leaves it queued for the retry step (same message id).
import { randomBytes } from 'node:crypto';
import { decryptIdNumber } from '../../auth/pii.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel } from '../../domain/roles.ts';
import { TRANSFER_BUSINESS_TYPE } from '../../domain/transfer-codes.ts';
import { FINISHED_TRANSFER_STAGES } from '../../domain/transfer-stages.ts';
import type { ContactLetter } from '../../domain/transfer-messages.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import {
  centerIdentityFromEnv,
  queueOutbound,
  transferCommand,
  type TransferCommandInput,
  type TransferCommandResult,
} from './transfer-store.ts';

export interface StartTransferInInput extends TransferCommandInput {
  accountId: string | bigint;
  oldCenterCode: string;
  oldCenterName: string;
  oldAccountNumber: string;
}

export async function startTransferIn(input: StartTransferInInput): Promise<TransferCommandResult> {
  const { actor } = input;
  const center = input.center ?? centerIdentityFromEnv();
  const accountId = BigInt(input.accountId);
  const oldCenterCode = input.oldCenterCode.trim();
  const oldAccountNumber = input.oldAccountNumber.trim();
  if (oldCenterCode === center.code) throw new AppError('TRANSFER_SAME_CENTER', { field: 'oldCenterCode' });
  const payload = { accountId: String(accountId), oldCenterCode, oldAccountNumber };

  return transferCommand(input, 'transfer-in', payload, async (tx) => {
    const account = await tx
      .selectFrom('accounts as a')
      .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
      .select([
        'a.id',
        'a.account_number',
        'a.state',
        'a.depositor_id',
        'd.id_type',
        'd.id_number_enc',
        'd.name',
        'd.phone',
      ])
      .where('a.id', '=', accountId)
      .forUpdate('a')
      .executeTakeFirst();
    // A depositor applies for their own account only; another's is reported as absent.
    const foreign = actor.type === 'depositor' && account?.depositor_id !== actor.depositorId;
    if (!account || foreign) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
    if (account.state !== '01')
      throw new AppError('TRANSFER_ACCOUNT_NOT_OPEN', {
        field: 'accountId',
        details: { state: account.state },
      });
    const t = tx;
    const open = await t
      .selectFrom('transfers')
      .select('transfer_no')
      .where('account_id', '=', accountId)
      .where('stage', 'not in', FINISHED_TRANSFER_STAGES)
      .executeTakeFirst();
    if (open)
      throw new AppError('TRANSFER_IN_PROGRESS', {
        field: 'accountId',
        details: { transferNo: open.transfer_no },
      });

    const businessDate = await getBusinessDate(tx);
    const letter: ContactLetter = {
      person: {
        idType: account.id_type,
        idNumber: decryptIdNumber(account.id_number_enc),
        name: account.name,
        phone: account.phone,
      },
      newAccountNumber: account.account_number,
      newCenterCode: center.code,
      newCenterName: center.name,
      oldCenterCode,
      oldCenterName: input.oldCenterName.trim(),
      oldAccountNumber,
      receivingBank: center.receivingBank,
    };
    // The platform business number: center, business type, date, and a random part (unique index backs it).
    const transferNo = `${center.code}${TRANSFER_BUSINESS_TYPE.transferIn}${businessDate.replace(/-/g, '')}${randomBytes(4).toString('hex').toUpperCase()}`;
    const label = actorLabel(actor);
    const row = await t
      .insertInto('transfers')
      .values({
        transfer_no: transferNo,
        direction: 'in',
        business_type: TRANSFER_BUSINESS_TYPE.transferIn,
        account_id: accountId,
        depositor_id: account.depositor_id,
        peer_center_code: oldCenterCode,
        peer_center_name: letter.oldCenterName,
        peer_account_number: oldAccountNumber,
        stage: 'letter_pending',
        contact_letter: JSON.stringify(letter),
        business_date: businessDate,
        created_by: label,
      })
      .returning(['id', 'transfer_no', 'direction', 'peer_center_code'])
      .executeTakeFirstOrThrow();
    const messageId = await queueOutbound(tx, center, row, 'contact_letter', letter);
    await recordAudit(tx, {
      actor: label,
      action: 'transfer.in.start',
      subjectType: 'account',
      subjectId: accountId,
      businessDate,
      summary: { transferNo, oldCenterCode, oldAccountNumber, letterMessageId: messageId },
    });
    return row.id;
  });
}
