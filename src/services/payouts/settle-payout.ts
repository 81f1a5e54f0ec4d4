// What happens to a payout after the bank acted (rules.md §7): confirmed → Dr 21903 / Cr 101 and the
// withdrawal paid; refused by the bank → Dr 21903 / Cr 201; returned after payment (退票) → Dr 101 / Cr 201
// (or Dr 21903 / Cr 201 when it was never confirmed). Each in the caller's transaction under the payout's
// row lock, so a repeated or late bank message changes nothing twice. A loan over-payment refund's payout
// (purpose loan_refund, migration 0022) settles the same way, except that money coming back goes to 21909
// (held for refund), not to a member, and its refund row is marked instead of a withdrawal; a suspense
// refund's (purpose suspense_refund, migration 0025) money comes back to suspense (21902) and its item is
// open again.
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { Book } from '../../domain/journal.ts';
import type { PayoutPurpose, PayoutStatus } from '../../db/schema.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { incomingSource, resolveSuspenseByBooking } from '../reconciliation/incoming-from-suspense.ts';
import { LOAN_OVERPAYMENTS } from '../loans/repayment-store.ts';

export interface LockedPayout {
  id: bigint;
  requestNo: string;
  purpose: PayoutPurpose;
  /** Set for a withdrawal's payout (purpose withdrawal). */
  withdrawalId: bigint | null;
  /** Set for a loan over-payment refund's payout (purpose loan_refund). */
  loanRefundId: bigint | null;
  /** Set for a suspense refund's payout (purpose suspense_refund). */
  suspenseItemId: bigint | null;
  /** The member account paid; null for a suspense refund (the payer is outside the pool). */
  accountId: bigint | null;
  book: Book;
  amountFen: bigint;
  status: PayoutStatus;
  returnSerial: string | null;
}

export async function lockPayout(
  tx: DbOrTx,
  by: { id: bigint } | { requestNo: string },
): Promise<LockedPayout> {
  let q = tx
    .selectFrom('payouts')
    .select([
      'id',
      'request_no',
      'purpose',
      'withdrawal_id',
      'loan_refund_id',
      'suspense_item_id',
      'account_id',
      'book',
      'amount_fen',
      'status',
      'return_serial',
    ])
    .forUpdate();
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('request_no', '=', by.requestNo);
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('PAYOUT_NOT_FOUND', { field: 'id' in by ? 'payoutId' : 'requestNo' });
  return {
    id: row.id,
    requestNo: row.request_no,
    purpose: row.purpose,
    withdrawalId: row.withdrawal_id,
    loanRefundId: row.loan_refund_id,
    suspenseItemId: row.suspense_item_id,
    accountId: row.account_id,
    book: row.book as Book,
    amountFen: row.amount_fen,
    status: row.status,
    returnSerial: row.return_serial,
  };
}

export type SettleOutcome = 'confirmed' | 'rejected' | 'returned' | 'already';

const CONFIRM_MEMO: Record<PayoutPurpose, string> = {
  withdrawal: '提取付款确认',
  loan_refund: '贷款多收款退还确认',
  suspense_refund: '挂账退回付款确认',
};

/** Where a payout's money goes when it comes back, and the entry type saying so. */
const COMES_BACK: Record<Exclude<PayoutPurpose, 'withdrawal'>, { account: string; entryType: string }> = {
  loan_refund: { account: LOAN_OVERPAYMENTS, entryType: 'loan_refund_return' },
  suspense_refund: { account: LEDGER.suspense, entryType: 'suspense_refund_return' },
};

/** The bank paid it out: Dr 21903 / Cr 101. A repeat (or a payout already sent back) changes nothing. */
export async function confirmPayoutInTx(
  tx: DbOrTx,
  payout: LockedPayout,
  input: { bankSerial: string; actorLabel: string },
): Promise<SettleOutcome> {
  if (payout.status === 'confirmed' || payout.status === 'returned' || payout.status === 'rejected') {
    return 'already';
  }
  const businessDate = await getBusinessDate(tx);
  const entry = await postEntry(
    tx,
    {
      book: payout.book,
      businessDate,
      valueDate: businessDate,
      entryType: 'payout_confirm',
      memo: `${CONFIRM_MEMO[payout.purpose]} ${payout.requestNo}`,
      sourceType: 'payout',
      sourceId: String(payout.id),
      postings: [
        { account: LEDGER.payoutsInTransit, side: 'D', amountFen: payout.amountFen },
        { account: LEDGER.bank, side: 'C', amountFen: payout.amountFen },
      ],
    },
    input.actorLabel,
  );
  await tx
    .updateTable('payouts')
    .set({
      status: 'confirmed',
      bank_serial: input.bankSerial,
      confirmed_on: businessDate,
      confirm_entry_id: entry.entryId,
      answered_at: new Date(),
    })
    .where('id', '=', payout.id)
    .execute();
  if (payout.purpose === 'loan_refund') {
    await tx
      .updateTable('loan_overpayment_refunds')
      .set({ status: 'paid' })
      .where('id', '=', payout.loanRefundId!)
      .execute();
  } else if (payout.purpose === 'suspense_refund') {
    await tx
      .updateTable('suspense_items')
      .set({ status: 'refunded' })
      .where('id', '=', payout.suspenseItemId!)
      .execute();
  } else {
    await tx
      .updateTable('withdrawals')
      .set({ status: 'paid' })
      .where('id', '=', payout.withdrawalId!)
      .execute();
  }
  await recordAudit(tx, {
    actor: input.actorLabel,
    action: 'payout.confirm',
    subjectType: 'payout',
    subjectId: payout.id,
    businessDate,
    summary: {
      requestNo: payout.requestNo,
      amount: fenToYuanString(payout.amountFen),
      bankSerial: input.bankSerial,
      ...(payout.purpose === 'loan_refund' ? { loanRefundId: String(payout.loanRefundId) } : {}),
      ...(payout.purpose === 'suspense_refund' ? { suspenseItemId: String(payout.suspenseItemId) } : {}),
    },
  });
  return 'confirmed';
}

/**
 * The money goes back on the member: refused by the bank (never left: Dr 21903 / Cr 201), or returned
 * after payment (退票: Dr 101 / Cr 201 when confirmed, else Dr 21903 / Cr 201). The withdrawal is marked
 * returned. A closed account that gets its closure payout back is sealed (02) so the money stays visible
 * and can be paid again (ours). A loan refund's money goes back on 21909 instead (Cr 21909), its refund
 * marked rejected or returned, so the over-payment is refundable again; a suspense refund's goes back to
 * suspense (Cr 21902) and its item is open again, to be assigned or refunded anew.
 */
export async function putPayoutBackInTx(
  tx: DbOrTx,
  payout: LockedPayout,
  input: { kind: 'rejected' | 'returned'; reason: string; serial: string | null; actorLabel: string },
): Promise<SettleOutcome> {
  if (payout.status === 'returned' || payout.status === 'rejected') return 'already';
  if (payout.status === 'pending')
    throw new AppError('PAYOUT_NOT_RETURNABLE', { details: { status: payout.status } });
  const businessDate = await getBusinessDate(tx);
  // Money that had left the bank comes back into it; if a statement imported first put it in suspense,
  // it is taken from there (incoming-from-suspense.ts).
  const source =
    payout.status === 'confirmed' && input.serial !== null
      ? await incomingSource(tx, payout.book, input.serial, payout.amountFen)
      : null;
  const from = payout.status === 'confirmed' ? (source?.account ?? LEDGER.bank) : LEDGER.payoutsInTransit;
  const back = payout.purpose === 'withdrawal' ? null : COMES_BACK[payout.purpose];
  const entry = await postEntry(
    tx,
    {
      book: payout.book,
      businessDate,
      valueDate: businessDate,
      entryType: back?.entryType ?? 'withdrawal_return',
      memo: `${input.kind === 'rejected' ? '银行拒绝付款' : '退票'} ${payout.requestNo} ${input.reason}`.trim(),
      sourceType: 'payout',
      sourceId: String(payout.id),
      postings: [
        { account: from, side: 'D', amountFen: payout.amountFen },
        back
          ? { account: back.account, side: 'C', amountFen: payout.amountFen }
          : {
              account: LEDGER.members,
              side: 'C',
              amountFen: payout.amountFen,
              memberAccountId: payout.accountId!,
            },
      ],
    },
    input.actorLabel,
  );
  if (source) {
    await resolveSuspenseByBooking(tx, source, {
      entryId: entry.entryId,
      sourceType: 'payout_return',
      sourceId: payout.id,
      actorLabel: input.actorLabel,
      businessDate,
      serial: input.serial!,
      amountFen: payout.amountFen,
    });
  }
  await tx
    .updateTable('payouts')
    .set({
      status: input.kind,
      return_serial: input.serial,
      return_reason: input.reason,
      returned_on: businessDate,
      return_entry_id: entry.entryId,
      answered_at: new Date(),
    })
    .where('id', '=', payout.id)
    .execute();
  if (payout.purpose === 'loan_refund') {
    await tx
      .updateTable('loan_overpayment_refunds')
      .set({ status: input.kind, returned_on: businessDate })
      .where('id', '=', payout.loanRefundId!)
      .execute();
  }
  if (payout.purpose === 'suspense_refund') {
    // Open again: staff assign it to an account or refund it once more (the note says what happened).
    await tx
      .updateTable('suspense_items')
      .set({
        status: 'open',
        resolution_entry_id: null,
        resolved_by: null,
        resolved_on: null,
        note: `${input.kind === 'rejected' ? '银行拒绝退回付款' : '退回款项被退票'} ${input.reason}`.trim(),
      })
      .where('id', '=', payout.suspenseItemId!)
      .execute();
  }
  const withdrawal =
    payout.purpose !== 'withdrawal'
      ? null
      : await tx
          .updateTable('withdrawals')
          .set({ status: 'returned', returned_on: businessDate })
          .where('id', '=', payout.withdrawalId!)
          .returning(['kind'])
          .executeTakeFirstOrThrow();
  if (withdrawal?.kind === 'closure') {
    await tx
      .updateTable('accounts')
      .set({ state: '02', closed_on: null })
      .where('id', '=', payout.accountId!)
      .where('state', '=', '05')
      .execute();
  }
  await recordAudit(tx, {
    actor: input.actorLabel,
    action: input.kind === 'rejected' ? 'payout.rejected' : 'payout.returned',
    subjectType: 'payout',
    subjectId: payout.id,
    businessDate,
    summary: {
      requestNo: payout.requestNo,
      amount: fenToYuanString(payout.amountFen),
      wasConfirmed: payout.status === 'confirmed',
      fromSuspense: from === LEDGER.suspense,
      reason: input.reason,
      serial: input.serial,
      ...(payout.purpose === 'loan_refund'
        ? { loanRefundId: String(payout.loanRefundId), toAccount: LOAN_OVERPAYMENTS }
        : payout.purpose === 'suspense_refund'
          ? { suspenseItemId: String(payout.suspenseItemId), toAccount: LEDGER.suspense }
          : { withdrawalId: String(payout.withdrawalId) }),
    },
  });
  return input.kind;
}
