// Transfer in, the old center's side arriving (rules.md §5.4 steps 2–3): status updates, the account sheet
// and the money. Funds and sheet are matched whatever order they come in: money without its sheet is booked
// Dr 101 / Cr 21904 and waits; a sheet without money waits; once both agree the account is credited
// (Dr 101 or 21904 / Cr 201), the transferred months are recorded as covered (§3.3: transferred history
// counts) and the peer is told 00. Runs in the caller's transaction (receive-platform-message.ts).
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { isClosedState } from '../../domain/account-state.ts';
import { addMonthsToMonth, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, yuanToFen, type Fen } from '../../domain/money.ts';
import { TRANSFER_STATUS } from '../../domain/transfer-codes.ts';
import { isFinishedTransferStage } from '../../domain/transfer-stages.ts';
import type { AccountSheet, TransferMessage } from '../../domain/transfer-messages.ts';
import type { Book } from '../../domain/journal.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { incomingSource, resolveSuspenseByBooking } from '../reconciliation/incoming-from-suspense.ts';
import { PLATFORM_LABEL, type AppliedMessage } from './applied-message.ts';
import { queueOutbound, type CenterIdentity, type TransferRow } from './transfer-store.ts';

export async function applyTransferInMessage(
  tx: DbOrTx,
  center: CenterIdentity,
  transfer: NonNullable<TransferRow>,
  message: TransferMessage,
): Promise<AppliedMessage> {
  const t = tx;
  const done = (outcome: string, detail: string | null = null): AppliedMessage => ({
    outcome,
    detail,
    transferId: transfer.id,
  });
  if (message.type === 'contact_letter') return done('rejected', 'LETTER_FOR_TRANSFER_IN');
  if (message.type === 'funds') return receiveFunds(tx, center, transfer, message.body);
  if (isFinishedTransferStage(transfer.stage)) return done('ignored', 'TRANSFER_FINISHED');
  const businessDate = await getBusinessDate(tx);

  if (message.type === 'status') {
    const { status, reason } = message.body;
    if (
      status === TRANSFER_STATUS.transferOutRefused ||
      status === TRANSFER_STATUS.failed ||
      status === TRANSFER_STATUS.transferInCancelled
    ) {
      const refused = status === TRANSFER_STATUS.transferOutRefused;
      await t
        .updateTable('transfers')
        .set({
          stage: refused ? 'refused' : 'failed',
          platform_status: status,
          refusal_reason: reason ?? null,
          updated_at: new Date(),
        })
        .where('id', '=', transfer.id)
        .execute();
      await recordAudit(tx, {
        actor: PLATFORM_LABEL,
        action: refused ? 'transfer.in.refused' : 'transfer.in.failed',
        subjectType: 'transfer',
        subjectId: transfer.id,
        businessDate,
        summary: { transferNo: transfer.transfer_no, status, reason: reason ?? null },
      });
      return done(refused ? 'refused' : 'failed', reason ?? null);
    }
    await t
      .updateTable('transfers')
      .set({
        platform_status: status,
        stage: transfer.stage === 'letter_pending' ? 'letter_sent' : transfer.stage,
        updated_at: new Date(),
      })
      .where('id', '=', transfer.id)
      .execute();
    return done('status_recorded', status);
  }

  // The account sheet.
  if (transfer.account_sheet !== null) return done('ignored', 'SHEET_ALREADY_RECEIVED');
  const sheet = message.body;
  const principalFen = yuanToFen(sheet.principal);
  const interestFen = yuanToFen(sheet.interest);
  await t
    .updateTable('transfers')
    .set({
      account_sheet: JSON.stringify(sheet),
      principal_fen: principalFen,
      interest_fen: interestFen,
      platform_status: TRANSFER_STATUS.sheetReviewed,
      stage: transfer.funds_entry_id === null ? 'sheet_received' : transfer.stage,
      updated_at: new Date(),
    })
    .where('id', '=', transfer.id)
    .execute();
  if (transfer.funds_entry_id === null || transfer.funds_fen === null)
    return done('waiting', 'FUNDS_AWAITED');
  if (transfer.funds_fen !== principalFen + interestFen) return done('waiting', 'AMOUNT_MISMATCH');
  const account = await lockCreditableAccount(tx, transfer);
  if (!account) return done('waiting', 'ACCOUNT_CLOSED');
  const applied = await credit(tx, center, transfer, account, sheet, {
    from: LEDGER.transferFundsAwaiting,
    amountFen: transfer.funds_fen,
    valueDate: transfer.funds_value_date ?? businessDate,
    businessDate,
  });
  return applied.message;
}

async function receiveFunds(
  tx: DbOrTx,
  center: CenterIdentity,
  transfer: NonNullable<TransferRow>,
  funds: { amount: string; serial: string; valueDate: IsoDate },
): Promise<AppliedMessage> {
  if (transfer.funds_serial !== null) {
    return { outcome: 'ignored', detail: 'FUNDS_ALREADY_RECEIVED', transferId: transfer.id };
  }
  const amountFen = yuanToFen(funds.amount);
  const businessDate = await getBusinessDate(tx);
  const sheet = transfer.account_sheet === null ? null : (parseJson(transfer.account_sheet) as AccountSheet);
  const matches =
    sheet !== null &&
    transfer.principal_fen !== null &&
    transfer.interest_fen !== null &&
    transfer.principal_fen + transfer.interest_fen === amountFen &&
    !isFinishedTransferStage(transfer.stage);
  const account = matches ? await lockCreditableAccount(tx, transfer) : undefined;
  const book: Book = account?.pool ?? (await poolOf(tx, transfer.account_id)) ?? 'FLEX';
  // A bank statement imported before this message put the money in suspense: it is taken from there.
  const source = await incomingSource(tx, book, funds.serial, amountFen);
  const resolveSuspense = async (entryId: bigint) =>
    resolveSuspenseByBooking(tx, source, {
      entryId,
      sourceType: 'transfer_in',
      sourceId: transfer.id,
      actorLabel: PLATFORM_LABEL,
      businessDate,
      serial: funds.serial,
      amountFen,
    });
  if (matches && account) {
    await tx
      .updateTable('transfers')
      .set({ funds_fen: amountFen, funds_serial: funds.serial, funds_value_date: funds.valueDate })
      .where('id', '=', transfer.id)
      .execute();
    const applied = await credit(tx, center, transfer, account, sheet, {
      from: source.account,
      amountFen,
      valueDate: funds.valueDate,
      businessDate,
    });
    await resolveSuspense(applied.entryId);
    return applied.message;
  }
  // The money is at the bank but cannot be credited yet: it waits on 21904 for its sheet.
  const entry = await postEntry(
    tx,
    {
      book,
      businessDate,
      valueDate: funds.valueDate,
      entryType: 'transfer_in_funds',
      memo: `转入资金待匹配 ${transfer.transfer_no}`,
      sourceType: 'transfer',
      sourceId: String(transfer.id),
      postings: [
        { account: source.account, side: 'D', amountFen },
        { account: LEDGER.transferFundsAwaiting, side: 'C', amountFen },
      ],
    },
    PLATFORM_LABEL,
  );
  await resolveSuspense(entry.entryId);
  await tx
    .updateTable('transfers')
    .set({
      funds_fen: amountFen,
      funds_serial: funds.serial,
      funds_value_date: funds.valueDate,
      funds_entry_id: entry.entryId,
      stage: sheet === null && !isFinishedTransferStage(transfer.stage) ? 'funds_received' : transfer.stage,
      updated_at: new Date(),
    })
    .where('id', '=', transfer.id)
    .execute();
  await recordAudit(tx, {
    actor: PLATFORM_LABEL,
    action: 'transfer.in.funds_waiting',
    subjectType: 'transfer',
    subjectId: transfer.id,
    businessDate,
    summary: { transferNo: transfer.transfer_no, amount: funds.amount, serial: funds.serial },
  });
  const detail = sheet === null ? 'SHEET_AWAITED' : matches ? 'ACCOUNT_CLOSED' : 'AMOUNT_MISMATCH';
  return { outcome: 'waiting', detail, transferId: transfer.id };
}

interface CreditableAccount {
  id: bigint;
  pool: Book;
  account_number: string;
}

async function lockCreditableAccount(
  tx: DbOrTx,
  transfer: NonNullable<TransferRow>,
): Promise<CreditableAccount | undefined> {
  if (transfer.account_id === null) return undefined;
  const account = await tx
    .selectFrom('accounts')
    .select(['id', 'pool', 'state', 'account_number'])
    .where('id', '=', transfer.account_id)
    .forUpdate()
    .executeTakeFirst();
  if (!account || isClosedState(account.state)) return undefined;
  return { id: account.id, pool: account.pool, account_number: account.account_number };
}

async function poolOf(tx: DbOrTx, accountId: bigint | null): Promise<Book | undefined> {
  if (accountId === null) return undefined;
  const row = await tx.selectFrom('accounts').select('pool').where('id', '=', accountId).executeTakeFirst();
  return row?.pool;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Credits the matched money, records the transferred months, tells the peer 00. */
async function credit(
  tx: DbOrTx,
  center: CenterIdentity,
  transfer: NonNullable<TransferRow>,
  account: CreditableAccount,
  sheet: AccountSheet,
  money: { from: string; amountFen: Fen; valueDate: IsoDate; businessDate: IsoDate },
): Promise<{ message: AppliedMessage; entryId: bigint }> {
  const entry = await postEntry(
    tx,
    {
      book: account.pool,
      businessDate: money.businessDate,
      valueDate: money.valueDate,
      entryType: 'transfer_in',
      memo: `异地转入 ${account.account_number} ${transfer.transfer_no}`,
      sourceType: 'transfer',
      sourceId: String(transfer.id),
      postings: [
        { account: money.from, side: 'D', amountFen: money.amountFen },
        { account: LEDGER.members, side: 'C', amountFen: money.amountFen, memberAccountId: account.id },
      ],
    },
    PLATFORM_LABEL,
  );
  // rules.md §3.3: the transferred covered run counts as ours. Months carry no lower limit (0): they are
  // covered by the old city's history, and a later deposit in such a month cannot uncover it.
  const months = Math.min(sheet.continuousMonths, 1200);
  if (months > 0) {
    const first = `${addMonthsToMonth(sheet.paidUpToMonth, -(months - 1))}-01`;
    const last = `${sheet.paidUpToMonth}-01`;
    await sql`
      INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered, source)
      SELECT ${account.id}, m::date, 0, 0, true, 'transfer_in'
      FROM generate_series(${first}::date, ${last}::date, interval '1 month') AS m
      ON CONFLICT (account_id, month) DO UPDATE SET covered = true, lower_limit_fen = 0`.execute(tx);
  }
  await tx
    .updateTable('transfers')
    .set({
      stage: 'credited',
      platform_status: TRANSFER_STATUS.done,
      credit_entry_id: entry.entryId,
      months_credited: months,
      updated_at: new Date(),
    })
    .where('id', '=', transfer.id)
    .execute();
  await queueOutbound(tx, center, transfer, 'status', { status: TRANSFER_STATUS.done });
  await recordAudit(tx, {
    actor: PLATFORM_LABEL,
    action: 'transfer.in.credit',
    subjectType: 'account',
    subjectId: account.id,
    businessDate: money.businessDate,
    summary: {
      transferNo: transfer.transfer_no,
      amount: fenToYuanString(money.amountFen),
      from: money.from,
      paidUpToMonth: sheet.paidUpToMonth,
      monthsCredited: months,
      journalEntryId: String(entry.entryId),
    },
  });
  return { message: { outcome: 'credited', detail: null, transferId: transfer.id }, entryId: entry.entryId };
}
