// Paying transfer-in money back to the old center (rules.md §5.4): a transfer in that ended without being
// credited (refused, failed, or cancelled while the old center's answer crossed the cancellation) may
// still have received the money, which waits on 21904. Finance returns it: in one transaction the entry
// Dr 21904 / Cr 101 (our bank serial, to match the bank statement's line, view bank_movements), the
// transfer's return columns, a funds message to the old center queued in the outbox, and the audit row;
// the message is sent after commit (a time-out leaves it queued for the close's retry, same message id).
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Book } from '../../domain/journal.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel } from '../../domain/roles.ts';
import { transferInFundsReturnable } from '../../domain/transfer-stages.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import {
  centerIdentityFromEnv,
  queueOutbound,
  transferCommand,
  type TransferCommandInput,
  type TransferCommandResult,
} from './transfer-store.ts';

export interface ReturnTransferInFundsInput extends TransferCommandInput {
  transferId: string | bigint;
}

export async function returnTransferInFunds(
  input: ReturnTransferInFundsInput,
): Promise<TransferCommandResult> {
  const { actor } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const center = input.center ?? centerIdentityFromEnv();
  const transferId = BigInt(input.transferId);

  return transferCommand(input, 'transfer-in-return', { transferId: String(transferId) }, async (tx) => {
    const transfer = await tx
      .selectFrom('transfers as t')
      .leftJoin('journal_entries as je', 'je.id', 't.funds_entry_id')
      .select([
        't.id',
        't.transfer_no',
        't.direction',
        't.stage',
        't.peer_center_code',
        't.funds_fen',
        't.funds_entry_id',
        't.return_serial',
        'je.book',
      ])
      .where('t.id', '=', transferId)
      .forUpdate('t')
      .executeTakeFirst();
    if (!transfer) throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
    const returnable = transferInFundsReturnable({
      direction: transfer.direction,
      stage: transfer.stage,
      fundsWaiting: transfer.funds_entry_id !== null,
      returned: transfer.return_serial !== null,
    });
    if (!returnable || transfer.funds_fen === null || transfer.book === null)
      throw new AppError('TRANSFER_FUNDS_NOT_RETURNABLE', {
        field: 'id',
        details: { transferNo: transfer.transfer_no, stage: transfer.stage },
      });

    const businessDate = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const amountFen = transfer.funds_fen;
    const serial = `${center.code}R${transfer.transfer_no}`;
    const entry = await postEntry(
      tx,
      {
        book: transfer.book as Book,
        businessDate,
        valueDate: businessDate,
        entryType: 'transfer_in_return',
        memo: `转入资金退回原中心 ${transfer.transfer_no}`,
        sourceType: 'transfer',
        sourceId: String(transfer.id),
        postings: [
          { account: LEDGER.transferFundsAwaiting, side: 'D', amountFen },
          { account: LEDGER.bank, side: 'C', amountFen },
        ],
      },
      label,
    );
    await tx
      .updateTable('transfers')
      .set({
        return_serial: serial,
        return_entry_id: entry.entryId,
        returned_on: businessDate,
        returned_by: label,
        updated_at: new Date(),
      })
      .where('id', '=', transferId)
      .execute();
    const messageId = await queueOutbound(tx, center, transfer, 'funds', {
      amount: fenToYuanString(amountFen),
      serial,
      valueDate: businessDate,
    });
    await recordAudit(tx, {
      actor: label,
      action: 'transfer.in.funds_returned',
      subjectType: 'transfer',
      subjectId: transferId,
      businessDate,
      summary: {
        transferNo: transfer.transfer_no,
        stage: transfer.stage,
        amount: fenToYuanString(amountFen),
        serial,
        entryId: String(entry.entryId),
        fundsMessageId: messageId,
      },
    });
    return transferId;
  });
}
