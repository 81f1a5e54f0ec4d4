// Transfer out, the new center's answer (rules.md §5.4 step 4): 00 or 20 confirms the money arrived, so
// the payout in transit is settled (Dr 21903 / Cr 101) and the transfer is done; other statuses are
// recorded. Runs in the caller's transaction (receive-platform-message.ts).
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { Book } from '../../domain/journal.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { TRANSFER_STATUS } from '../../domain/transfer-codes.ts';
import type { TransferMessage } from '../../domain/transfer-messages.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { PLATFORM_LABEL, type AppliedMessage } from './applied-message.ts';
import { type TransferRow } from './transfer-store.ts';

export async function confirmTransferOut(
  tx: DbOrTx,
  transfer: NonNullable<TransferRow>,
  message: TransferMessage,
): Promise<AppliedMessage> {
  const done = (outcome: string, detail: string | null = null): AppliedMessage => ({
    outcome,
    detail,
    transferId: transfer.id,
  });
  if (message.type !== 'status') return done('rejected', `UNEXPECTED_${message.type.toUpperCase()}`);
  const { status } = message.body;
  const t = tx;
  const confirms = status === TRANSFER_STATUS.done || status === TRANSFER_STATUS.doneAfterNegotiation;
  if (!confirms || transfer.stage !== 'paid_out') {
    if (transfer.stage === 'paid_out' || transfer.stage === 'refused') {
      await t
        .updateTable('transfers')
        .set({ platform_status: status, updated_at: new Date() })
        .where('id', '=', transfer.id)
        .execute();
    }
    return done(
      confirms ? 'ignored' : 'status_recorded',
      confirms ? `STAGE_${transfer.stage.toUpperCase()}` : status,
    );
  }
  const businessDate = await getBusinessDate(tx);
  const amountFen = transfer.funds_fen ?? 0n;
  let entryId: bigint | null = null;
  if (amountFen > 0n && transfer.account_id !== null) {
    const account = await tx
      .selectFrom('accounts')
      .select('pool')
      .where('id', '=', transfer.account_id)
      .executeTakeFirstOrThrow();
    const entry = await postEntry(
      tx,
      {
        book: account.pool as Book,
        businessDate,
        entryType: 'transfer_out_settled',
        memo: `异地转出资金到账确认 ${transfer.transfer_no}`,
        sourceType: 'transfer',
        sourceId: String(transfer.id),
        postings: [
          { account: LEDGER.payoutsInTransit, side: 'D', amountFen },
          { account: LEDGER.bank, side: 'C', amountFen },
        ],
      },
      PLATFORM_LABEL,
    );
    entryId = entry.entryId;
  }
  await t
    .updateTable('transfers')
    .set({ stage: 'done', platform_status: status, confirm_entry_id: entryId, updated_at: new Date() })
    .where('id', '=', transfer.id)
    .execute();
  await recordAudit(tx, {
    actor: PLATFORM_LABEL,
    action: 'transfer.out.confirmed',
    subjectType: 'transfer',
    subjectId: transfer.id,
    businessDate,
    summary: { transferNo: transfer.transfer_no, status, amount: fenToYuanString(amountFen) },
  });
  return done('confirmed');
}
