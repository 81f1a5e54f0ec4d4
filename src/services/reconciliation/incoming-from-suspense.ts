// Money in that the books record after the bank's statement was imported (a payout sent back, transfer-in
// funds): the import found no booking for its serial and put it in suspense (Dr 101 / Cr 21902), so the
// booking must now take it from 21902, not book it into 101 a second time. Deposits do the same through
// assignSuspenseInTx; loan debit results, which the waterfall books Dr 101, first release the suspense
// item back to the bank (releaseSuspenseToBank).
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { BankMovementSource } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Book } from '../../domain/journal.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import { lockSerialForNotification } from './serial-lock.ts';

/** Where incoming money is booked from: the bank (101), or the open suspense item of its statement line. */
export type IncomingSource =
  { account: typeof LEDGER.bank } | { account: typeof LEDGER.suspense; itemId: bigint; lineId: bigint };

/**
 * Takes the serial's lock (a statement import waits, or is waited for) and says where money in with this
 * serial, booked in `book`, comes from. Statements are the flexible pool's bank account (suspense is in
 * FLEX), so another book's money always comes from its 101. A statement line whose suspense item staff
 * already assigned or refunded is refused (BANK_SERIAL_ALREADY_RECONCILED), as is one of another amount:
 * booking it would count the money twice.
 */
export async function incomingSource(
  tx: DbOrTx,
  book: Book,
  serial: string,
  amountFen: Fen,
): Promise<IncomingSource> {
  if (book !== 'FLEX') return { account: LEDGER.bank };
  await lockSerialForNotification(tx, serial);
  const line = await tx
    .selectFrom('bank_statement_lines as l')
    .leftJoin('suspense_items as s', 's.statement_line_id', 'l.id')
    .select(['l.id', 'l.amount_fen', 's.id as item_id', 's.status as item_status'])
    .where('l.bank_serial', '=', serial)
    .where('l.direction', '=', 'in')
    .forUpdate('l')
    .executeTakeFirst();
  if (!line) return { account: LEDGER.bank };
  if (line.item_id === null || line.item_status !== 'open' || line.amount_fen !== amountFen) {
    throw new AppError('BANK_SERIAL_ALREADY_RECONCILED', {
      field: 'bankSerial',
      details: {
        serial,
        suspenseStatus: line.item_status,
        statementAmount: fenToYuanString(line.amount_fen),
        amount: fenToYuanString(amountFen),
      },
    });
  }
  return { account: LEDGER.suspense, itemId: line.item_id, lineId: line.id };
}

/** After the booking from 21902: the suspense item and its statement line are resolved by it. */
export async function resolveSuspenseByBooking(
  tx: DbOrTx,
  source: IncomingSource,
  booking: {
    entryId: bigint;
    sourceType: BankMovementSource;
    sourceId: bigint;
    actorLabel: string;
    businessDate: string;
    serial: string;
    amountFen: Fen;
  },
): Promise<void> {
  if (source.account !== LEDGER.suspense) return;
  await tx
    .updateTable('suspense_items')
    .set({
      status: 'assigned',
      resolution_entry_id: booking.entryId,
      resolved_by: booking.actorLabel,
      resolved_on: booking.businessDate,
      note: booking.sourceType,
    })
    .where('id', '=', source.itemId)
    .execute();
  await tx
    .updateTable('bank_statement_lines')
    .set({ match_status: 'resolved', source_type: booking.sourceType, source_id: booking.sourceId })
    .where('id', '=', source.lineId)
    .execute();
  await recordAudit(tx, {
    actor: booking.actorLabel,
    action: 'suspense.assign',
    subjectType: 'suspense_item',
    subjectId: source.itemId,
    businessDate: booking.businessDate,
    summary: {
      bankSerial: booking.serial,
      amount: fenToYuanString(booking.amountFen),
      sourceType: booking.sourceType,
      sourceId: String(booking.sourceId),
    },
  });
}

/** Money in booked through 101 (a loan debit result) whose statement line the import put in suspense. */
export interface BookedThroughBank {
  serial: string;
  amountFen: Fen;
  sourceType: BankMovementSource;
  sourceId: bigint;
}

/**
 * For bookings that always go through 101 (the loan waterfall posts Dr 101 set-based): the open suspense
 * items of their statement lines are released back to the bank first (one entry Dr 21902 / Cr 101), so that
 * the booking's Dr 101 counts the money once. Items staff already resolved, or of another amount, are left
 * alone. The caller holds the serials' locks (or the reconciliation lock). Returns the serials released.
 */
export async function releaseSuspenseToBank(
  tx: DbOrTx,
  bookings: BookedThroughBank[],
  by: { actorLabel: string; businessDate: string },
): Promise<Set<string>> {
  if (bookings.length === 0) return new Set();
  const bySerial = new Map(bookings.map((b) => [b.serial, b]));
  const items = await tx
    .selectFrom('suspense_items as s')
    .innerJoin('bank_statement_lines as l', 'l.id', 's.statement_line_id')
    .select(['s.id', 's.amount_fen', 'l.id as line_id', 'l.bank_serial'])
    .where('l.direction', '=', 'in')
    .where('s.status', '=', 'open')
    .where(
      'l.bank_serial',
      'in',
      bookings.map((b) => b.serial),
    )
    .orderBy('s.id')
    .forUpdate('s')
    .execute();
  const released = items.filter((i) => bySerial.get(i.bank_serial)!.amountFen === i.amount_fen);
  if (released.length === 0) return new Set();
  const totalFen = released.reduce((sum, i) => sum + i.amount_fen, 0n);
  const entry = await postEntry(
    tx,
    {
      book: 'FLEX',
      businessDate: by.businessDate,
      entryType: 'suspense_release',
      memo: `挂账款项已入账 ${released.map((i) => i.bank_serial).join(' ')}`.slice(0, 500),
      sourceType: 'suspense_item',
      sourceId: released.map((i) => String(i.id)).join(','),
      postings: [
        { account: LEDGER.suspense, side: 'D', amountFen: totalFen },
        { account: LEDGER.bank, side: 'C', amountFen: totalFen },
      ],
    },
    by.actorLabel,
  );
  for (const item of released) {
    const booking = bySerial.get(item.bank_serial)!;
    await resolveSuspenseByBooking(
      tx,
      { account: LEDGER.suspense, itemId: item.id, lineId: item.line_id },
      {
        entryId: entry.entryId,
        sourceType: booking.sourceType,
        sourceId: booking.sourceId,
        actorLabel: by.actorLabel,
        businessDate: by.businessDate,
        serial: booking.serial,
        amountFen: booking.amountFen,
      },
    );
  }
  return new Set(released.map((i) => i.bank_serial));
}
