// An in-process bank wired to Anju's notification handler, as the demo and the close use it.
import type { Db } from '../../src/db/connection.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { handleBankNotification } from '../../src/services/deposits/handle-bank-notification.ts';

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
