// Moves a withdrawal's money (rules.md §7; guide habit 5): Dr 201 (the member) / Cr 21903 (payouts in
// transit) and the payout outbox row, in the caller's transaction with the withdrawal row. The bank is
// asked after commit (src/services/payouts/dispatch-payouts.ts), so a crash never pays twice or loses one.
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { Fen } from '../../domain/money.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';

export interface PostWithdrawalInput {
  withdrawalId: bigint;
  accountId: bigint;
  accountNumber: string;
  book: 'FLEX' | 'MANDATORY';
  amountFen: Fen;
  businessDate: IsoDate;
  memo: string;
  actorLabel: string;
}

export interface PostedWithdrawal {
  journalEntryId: bigint;
  payoutId: bigint;
  requestNo: string;
}

/** The card the money goes to: the account's signed agreement (or, after a closure, the one it ended). */
export async function payoutCardOf(
  tx: DbOrTx,
  accountId: bigint,
): Promise<{ bankName: string; bankCard: string }> {
  const agreement = await tx
    .selectFrom('agreements')
    .select(['bank_name', 'bank_card'])
    .where('account_id', '=', accountId)
    .where('status', 'in', ['signed', 'ended'])
    .orderBy('status', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!agreement) throw new AppError('WITHDRAWAL_NO_BANK_CARD', { field: 'accountId' });
  return { bankName: agreement.bank_name, bankCard: agreement.bank_card };
}

export async function postWithdrawal(tx: DbOrTx, input: PostWithdrawalInput): Promise<PostedWithdrawal> {
  const card = await payoutCardOf(tx, input.accountId);
  const entry = await postEntry(
    tx,
    {
      book: input.book,
      businessDate: input.businessDate,
      valueDate: input.businessDate,
      entryType: 'withdrawal',
      memo: input.memo,
      sourceType: 'withdrawal',
      sourceId: String(input.withdrawalId),
      postings: [
        { account: LEDGER.members, side: 'D', amountFen: input.amountFen, memberAccountId: input.accountId },
        { account: LEDGER.payoutsInTransit, side: 'C', amountFen: input.amountFen },
      ],
    },
    input.actorLabel,
  );
  const payout = await tx
    .insertInto('payouts')
    .values({
      withdrawal_id: input.withdrawalId,
      account_id: input.accountId,
      book: input.book,
      amount_fen: input.amountFen,
      bank_name: card.bankName,
      bank_card: card.bankCard,
      value_date: input.businessDate,
      status: 'pending',
    })
    .returning(['id', 'request_no'])
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('withdrawals')
    .set({ status: 'posted', journal_entry_id: entry.entryId })
    .where('id', '=', input.withdrawalId)
    .execute();
  return { journalEntryId: entry.entryId, payoutId: payout.id, requestNo: payout.request_no };
}
