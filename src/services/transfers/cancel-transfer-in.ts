// Cancelling a transfer in (转入撤销, platform status 05, rules.md §5.4): the person (in the portal, or staff
// at their request) no longer wants the old city's money brought here, and the old center has not yet answered with its account sheet or money. In
// one transaction the transfer is marked cancelled (which frees the account for a new transfer), status 05
// with the reason is queued to the old center behind the letter, and the audit row is written; the message
// is sent after commit (a time-out leaves it queued for the close's retry, same message id).
// If the old center's answer crossed the cancellation, its sheet is ignored and its money waits on 21904
// like any transfer-in money without a transfer to credit (apply-transfer-in-message.ts).
import { recordAudit } from '../../audit/audit-trail.ts';
import { AppError } from '../../domain/errors.ts';
import { actorLabel, districtScopeOf } from '../../domain/roles.ts';
import { TRANSFER_STATUS } from '../../domain/transfer-codes.ts';
import { transferInCancellable } from '../../domain/transfer-stages.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import {
  centerIdentityFromEnv,
  queueOutbound,
  transferCommand,
  type TransferCommandInput,
  type TransferCommandResult,
} from './transfer-store.ts';

const REASON_MAX = 200;

export interface CancelTransferInInput extends TransferCommandInput {
  transferId: string | bigint;
  reason: string;
}

export async function cancelTransferIn(input: CancelTransferInInput): Promise<TransferCommandResult> {
  const { actor } = input;
  if (actor.type === 'system') throw new AppError('FORBIDDEN');
  const center = input.center ?? centerIdentityFromEnv();
  const transferId = BigInt(input.transferId);
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > REASON_MAX)
    throw new AppError('TRANSFER_CANCEL_REASON_REQUIRED', { field: 'reason' });

  return transferCommand(
    input,
    'transfer-in-cancel',
    { transferId: String(transferId), reason },
    async (tx) => {
      const transfer = await tx
        .selectFrom('transfers as t')
        .leftJoin('accounts as a', 'a.id', 't.account_id')
        .select([
          't.id',
          't.transfer_no',
          't.direction',
          't.stage',
          't.peer_center_code',
          't.account_id',
          't.depositor_id',
          't.principal_fen',
          't.funds_serial',
          'a.district_code',
        ])
        .where('t.id', '=', transferId)
        .forUpdate('t')
        .executeTakeFirst();
      // A depositor cancels their own transfers only; another's is reported as absent.
      const foreign = actor.type === 'depositor' && transfer?.depositor_id !== actor.depositorId;
      if (!transfer || foreign) throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
      const scope = districtScopeOf(actor);
      if (scope !== null && transfer.district_code !== scope) throw new AppError('FORBIDDEN');
      const cancellable = transferInCancellable({
        direction: transfer.direction,
        stage: transfer.stage,
        sheetReceived: transfer.principal_fen !== null,
        fundsReceived: transfer.funds_serial !== null,
      });
      if (!cancellable)
        throw new AppError('TRANSFER_NOT_CANCELLABLE', {
          field: 'id',
          details: {
            transferNo: transfer.transfer_no,
            direction: transfer.direction,
            stage: transfer.stage,
          },
        });

      await tx
        .updateTable('transfers')
        .set({
          stage: 'cancelled',
          platform_status: TRANSFER_STATUS.transferInCancelled,
          refusal_reason: reason,
          updated_at: new Date(),
        })
        .where('id', '=', transferId)
        .execute();
      const messageId = await queueOutbound(tx, center, transfer, 'status', {
        status: TRANSFER_STATUS.transferInCancelled,
        reason,
      });
      await recordAudit(tx, {
        actor: actorLabel(actor),
        action: 'transfer.in.cancelled',
        subjectType: 'transfer',
        subjectId: transferId,
        businessDate: await getBusinessDate(tx),
        summary: {
          transferNo: transfer.transfer_no,
          accountId: transfer.account_id === null ? null : String(transfer.account_id),
          stageBefore: transfer.stage,
          reason,
          statusMessageId: messageId,
        },
      });
      return transferId;
    },
  );
}
