// Clearing suspense (待查明款项, ledger 21902): money the bank received that no deposit explained is either
// assigned to a member account (a deposit from 21902, every deposit rule applies) or refunded to the
// payer through the payout outbox (migration 0025): Dr 21902 / Cr 21903 with the payout to the card staff
// enter, Dr 21903 / Cr 101 when the bank confirms it; a refusal or a return (退票) puts the money back in
// suspense and the item is open again (payouts/settle-payout.ts). Both are audited; maker-checker is not
// required for either.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { postEntry } from '../../ledger/post.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { creditDeposit, type CreditedDeposit } from '../deposits/credit-deposit.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';
import type { DepositChannel } from '../../db/schema.ts';
import type { BankGateway } from '../../integrations/bank/gateway.ts';
import { dispatchPayouts } from '../payouts/dispatch-payouts.ts';
import { lockSerial } from './serial-lock.ts';

export interface SuspenseItemView {
  itemId: string;
  bankSerial: string;
  amount: string;
  valueDate: string;
  /** refunding: the payout to the payer is with the bank; refunded: the bank confirmed it. */
  status: 'open' | 'assigned' | 'refunding' | 'refunded';
  counterparty: string;
  memo: string;
  depositId: string | null;
  resolvedBy: string | null;
  resolvedOn: string | null;
  note: string | null;
}

function itemQuery(db: DbOrTx) {
  return db
    .selectFrom('suspense_items as s')
    .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
    .select([
      's.id',
      's.statement_line_id',
      's.amount_fen',
      's.value_date',
      's.status',
      's.deposit_id',
      's.resolved_by',
      's.resolved_on',
      's.note',
      'l.bank_serial',
      'l.counterparty',
      'l.memo',
    ]);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['executeTakeFirstOrThrow']>>;

function view(r: ItemRow): SuspenseItemView {
  return {
    itemId: String(r.id),
    bankSerial: r.bank_serial,
    amount: fenToYuanString(r.amount_fen),
    valueDate: r.value_date,
    status: r.status,
    counterparty: r.counterparty,
    memo: r.memo,
    depositId: r.deposit_id === null ? null : String(r.deposit_id),
    resolvedBy: r.resolved_by,
    resolvedOn: r.resolved_on,
    note: r.note,
  };
}

/** Suspense items, oldest first; by default only the open ones. */
export async function listSuspenseItems(
  db: DbOrTx,
  options: { status?: 'open' | 'assigned' | 'refunding' | 'refunded' | 'all' } = {},
): Promise<SuspenseItemView[]> {
  let q = itemQuery(db).orderBy('s.value_date').orderBy('s.id');
  const status = options.status ?? 'open';
  if (status !== 'all') q = q.where('s.status', '=', status);
  return (await q.execute()).map(view);
}

/**
 * Assigns an open suspense item to a member account inside the caller's transaction: creditDeposit from
 * 21902 (limits, state, period amount all apply; a refusal throws and the caller's rollback leaves the
 * item open), then marks the item and its statement line resolved. Also used when a late notification
 * identifies money that reconciliation had already put in suspense.
 */
export async function assignSuspenseInTx(
  tx: DbOrTx,
  input: {
    itemId: bigint;
    accountId: bigint;
    actor: Actor;
    channel?: DepositChannel;
    periodId?: bigint | null;
    paymentOrderId?: bigint | null;
    note?: string | null;
  },
): Promise<{ item: SuspenseItemView; deposit: CreditedDeposit }> {
  const row = await itemQuery(tx).where('s.id', '=', input.itemId).forUpdate('s').executeTakeFirst();
  if (!row) throw new AppError('SUSPENSE_ITEM_NOT_FOUND', { field: 'itemId' });
  if (row.status !== 'open')
    throw new AppError('SUSPENSE_ITEM_NOT_OPEN', { field: 'itemId', details: { status: row.status } });
  const deposit = await creditDeposit(tx, {
    accountId: input.accountId,
    amountFen: row.amount_fen,
    // rules.md §3.2: credited with the day the money arrived, so interest runs from then.
    valueDate: row.value_date,
    channel: input.channel ?? 'suspense',
    actor: input.actor,
    bankSerial: row.bank_serial,
    from: LEDGER.suspense,
    periodId: input.periodId ?? null,
    paymentOrderId: input.paymentOrderId ?? null,
  });
  const label = actorLabel(input.actor);
  const businessDate = await getBusinessDate(tx);
  const depositId = BigInt(deposit.depositId);
  await tx
    .updateTable('suspense_items')
    .set({
      status: 'assigned',
      deposit_id: depositId,
      resolution_entry_id: BigInt(deposit.journalEntryId),
      resolved_by: label,
      resolved_on: businessDate,
      note: input.note ?? null,
    })
    .where('id', '=', row.id)
    .execute();
  await tx
    .updateTable('bank_statement_lines')
    .set({ match_status: 'resolved', deposit_id: depositId })
    .where('id', '=', row.statement_line_id)
    .execute();
  await recordAudit(tx, {
    actor: label,
    action: 'suspense.assign',
    subjectType: 'suspense_item',
    subjectId: row.id,
    businessDate,
    summary: {
      bankSerial: row.bank_serial,
      amount: fenToYuanString(row.amount_fen),
      accountId: String(input.accountId),
      depositId: deposit.depositId,
      note: input.note ?? null,
    },
  });
  return {
    item: view({
      ...row,
      status: 'assigned',
      deposit_id: depositId,
      resolved_by: label,
      resolved_on: businessDate,
      note: input.note ?? null,
    }),
    deposit,
  };
}

export type ResolveSuspenseInput = {
  db: Db;
  actor: Actor;
  itemId: string | bigint;
  note?: string | null;
} & (
  | { action: 'assign'; accountId: string | bigint; periodId?: string | bigint | null }
  | {
      action: 'refund';
      /** The payer's bank and card, where the money goes back (from the statement line or the payer). */
      bankName: string;
      bankCard: string;
      /** When given, the payout is sent at once; otherwise the close's payout step sends it. */
      bank?: BankGateway;
    }
);

export interface ResolvedSuspenseItem {
  item: SuspenseItemView;
  /** The deposit made by an assignment. */
  deposit: CreditedDeposit | null;
  /** The refund entry (Dr 21902 / Cr 21903), or the assignment's deposit entry. */
  journalEntryId: string;
  /** A refund's payout to the payer, as it stands after the dispatch (null for an assignment). */
  payout: { payoutId: string; requestNo: string; status: string } | null;
}

/**
 * Resolves one open suspense item. A refusal (deposit rules, an item no longer open, a bad card) writes
 * nothing. A refund's payout is sent after commit when a bank is given.
 */
export async function resolveSuspenseItem(input: ResolveSuspenseInput): Promise<ResolvedSuspenseItem> {
  const { db, actor } = input;
  const itemId = BigInt(input.itemId);
  const note = input.note?.trim() || null;
  if (input.action === 'refund' && !note)
    throw new AppError('VALIDATION_FAILED', {
      field: 'note',
      details: { reason: 'a refund needs a reason' },
    });
  const payee =
    input.action === 'refund'
      ? { bankName: input.bankName.trim(), bankCard: input.bankCard.replace(/\s+/g, '') }
      : null;
  if (payee && (payee.bankName.length === 0 || payee.bankName.length > 100))
    throw new AppError('VALIDATION_FAILED', { field: 'bankName' });
  if (payee && !/^\d{12,30}$/.test(payee.bankCard))
    throw new AppError('VALIDATION_FAILED', { field: 'bankCard', details: { reason: '12–30 digits' } });
  const resolved = await db.transaction().execute(async (tx): Promise<ResolvedSuspenseItem> => {
    const line = await tx
      .selectFrom('suspense_items as s')
      .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
      .select('l.bank_serial')
      .where('s.id', '=', itemId)
      .executeTakeFirst();
    if (!line) throw new AppError('SUSPENSE_ITEM_NOT_FOUND', { field: 'itemId' });
    // A late notification for the same serial waits, then sees the item resolved.
    await lockSerial(tx, line.bank_serial);
    if (input.action === 'assign') {
      const { item, deposit } = await assignSuspenseInTx(tx, {
        itemId,
        accountId: BigInt(input.accountId),
        actor,
        periodId: input.periodId ? BigInt(input.periodId) : null,
        note,
      });
      return { item, deposit, journalEntryId: deposit.journalEntryId, payout: null };
    }
    const row = await itemQuery(tx).where('s.id', '=', itemId).forUpdate('s').executeTakeFirstOrThrow();
    if (row.status !== 'open')
      throw new AppError('SUSPENSE_ITEM_NOT_OPEN', { field: 'itemId', details: { status: row.status } });
    const businessDate = await getBusinessDate(tx);
    const label = actorLabel(actor);
    const entry = await postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate,
        entryType: 'suspense_refund',
        memo: `挂账退回 ${row.bank_serial}`,
        sourceType: 'suspense_item',
        sourceId: String(row.id),
        postings: [
          { account: LEDGER.suspense, side: 'D', amountFen: row.amount_fen },
          { account: LEDGER.payoutsInTransit, side: 'C', amountFen: row.amount_fen },
        ],
      },
      label,
    );
    const payout = await tx
      .insertInto('payouts')
      .values({
        purpose: 'suspense_refund',
        suspense_item_id: row.id,
        account_id: null,
        withdrawal_id: null,
        book: 'FLEX',
        amount_fen: row.amount_fen,
        bank_name: payee!.bankName,
        bank_card: payee!.bankCard,
        value_date: businessDate,
        status: 'pending',
      })
      .returning(['id', 'request_no'])
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('suspense_items')
      .set({
        status: 'refunding',
        resolution_entry_id: entry.entryId,
        resolved_by: label,
        resolved_on: businessDate,
        note,
      })
      .where('id', '=', row.id)
      .execute();
    await tx
      .updateTable('bank_statement_lines')
      .set({ match_status: 'resolved' })
      .where('id', '=', row.statement_line_id)
      .execute();
    await recordAudit(tx, {
      actor: label,
      action: 'suspense.refund',
      subjectType: 'suspense_item',
      subjectId: row.id,
      businessDate,
      summary: {
        bankSerial: row.bank_serial,
        amount: fenToYuanString(row.amount_fen),
        journalEntryId: String(entry.entryId),
        note,
        payoutId: String(payout.id),
        requestNo: payout.request_no,
        bankName: payee!.bankName,
        bankCard: payee!.bankCard,
      },
    });
    return {
      item: view({ ...row, status: 'refunding', resolved_by: label, resolved_on: businessDate, note }),
      deposit: null,
      journalEntryId: String(entry.entryId),
      payout: { payoutId: String(payout.id), requestNo: payout.request_no, status: 'pending' },
    };
  });
  if (input.action !== 'refund' || !resolved.payout || !input.bank) return resolved;
  // Sent after commit, outside any transaction; a time-out leaves it for the close's payout step.
  const payoutId = BigInt(resolved.payout.payoutId);
  await dispatchPayouts({ db, bank: input.bank, payoutIds: [payoutId] });
  const now = await db
    .selectFrom('payouts as p')
    .innerJoin('suspense_items as s', 's.id', 'p.suspense_item_id')
    .select(['p.status', 's.status as item_status'])
    .where('p.id', '=', payoutId)
    .executeTakeFirstOrThrow();
  return {
    ...resolved,
    item: { ...resolved.item, status: now.item_status },
    payout: { ...resolved.payout, status: now.status },
  };
}
