// The locks that keep a bank serial from being booked twice: a notification (credit to 201) and a
// statement import (suspense, Dr 101 / Cr 21902) must never both book the same money. Notifications take
// the reconciliation lock shared (they run side by side) plus their serial's lock; an import takes the
// reconciliation lock exclusively, so it sees every committed notification and none is half-done.
import { sql } from 'kysely';
import { prepared, type DbOrTx } from '../../db/connection.ts';

/** Advisory lock key of reconciliation (statement imports vs notifications). */
export const RECONCILIATION_LOCK = 4242003;

/** For a notification: the reconciliation lock shared and the serial's own lock, until the transaction ends. */
export async function lockSerialForNotification(tx: DbOrTx, serial: string): Promise<void> {
  await prepared(sql`SELECT pg_advisory_xact_lock_shared(${RECONCILIATION_LOCK}::bigint),
    pg_advisory_xact_lock(hashtextextended(${`bank-serial:${serial}`}, 0))`).execute(tx);
}

/** For a statement import: no notification is being handled while the lines are matched. */
export async function lockForStatementImport(tx: DbOrTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${RECONCILIATION_LOCK}::bigint)`.execute(tx);
}

/** For resolving a suspense item (the same serial a late notification would lock). */
export async function lockSerial(tx: DbOrTx, serial: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`bank-serial:${serial}`}, 0))`.execute(tx);
}
