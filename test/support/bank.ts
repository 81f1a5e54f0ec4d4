// An in-process bank wired to Anju's notification handler, as the demo and the close use it.
import { expect } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import type { Actor } from '../../src/domain/roles.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { handleBankNotification } from '../../src/services/deposits/handle-bank-notification.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';

export function wiredBank(
  db: Db,
  bankDate: () => string | Promise<string> = () => '2025-01-01',
  /** Banks of one test database that reconcile statements need prefixes of their own (serials are unique). */
  serialPrefix = 'T',
): InProcessBank {
  const bank = new InProcessBank({ serialPrefix, bankDate, timeoutMs: 50 });
  bank.setNotifier((rawBody, signature) => handleBankNotification(db, { rawBody, signature }));
  return bank;
}

/**
 * Imports the simulator's statement of each day and expects every line to match what the books record:
 * nothing to suspense, no amount mismatch, no outgoing line the books lack.
 */
export async function importStatementsAllBooked(
  db: Db,
  bank: InProcessBank,
  days: Iterable<string>,
  actor: Actor,
): Promise<void> {
  for (const day of [...new Set(days)].sort()) {
    const imported = await importBankStatement({
      db,
      actor,
      fileName: `statement-${day}.csv`,
      content: bank.statementCsv(day),
      statementDate: day,
    });
    expect(imported).toMatchObject({
      suspense: { count: 0 },
      amountMismatches: [],
      outgoingUnbooked: { count: 0 },
    });
  }
}
