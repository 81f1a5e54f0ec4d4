// Money in that the books record after the bank's statement was imported (a payout sent back, transfer-in
// funds): the import found no booking for its serial and put it in suspense (Dr 101 / Cr 21902), so the
// booking must now take it from 21902, not book it into 101 a second time. Deposits do the same through
// assignSuspenseInTx; loan debits are marked IN_SUSPENSE for staff.
import { recordAudit } from '../../audit/audit-trail.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { BankMovementSource } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Book } from '../../domain/journal.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { LEDGER } from '../../ledger/chart.ts';
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
