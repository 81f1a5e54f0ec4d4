// The demo's transfers between cities (rules.md §5.4), through the same services and the same in-process
// peer center as the running server: some depositors brought their money from another city (credited, the
// months there counted as continuous), one still waits for the old center's answer (staff can cancel it in
// the console), and one moved away (the new center's letter settled interest, paid the money out and
// closed the account here).
import type { Db } from '../../db/connection.ts';
import type { Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { createInProcessPeerCenter } from '../transfers/platform-delivery.ts';
import { startTransferIn } from '../transfers/start-transfer-in.ts';

export interface DemoAccount {
  accountId: string;
  accountNumber: string;
  idNumber: string;
  name: string;
}

export interface DemoTransfers {
  credited: number;
  waiting: number;
  movedAway: number;
}

/** Uses the first accounts given: three transfers in, one waiting, one transfer out (fewer when short). */
export async function seedDemoTransfers(input: {
  db: Db;
  teller: Actor;
  accounts: readonly DemoAccount[];
}): Promise<DemoTransfers> {
  const { db, teller, accounts } = input;
  const peer = createInProcessPeerCenter({ db, valueDate: () => getBusinessDate(db), idPrefix: 'DEMO' });
  const result: DemoTransfers = { credited: 0, waiting: 0, movedAway: 0 };
  const transferIn = async (a: DemoAccount, n: number, waiting: boolean) => {
    const oldAccountNumber = `BJ${a.accountNumber}`;
    peer.addAccount({
      accountNumber: oldAccountNumber,
      idNumber: a.idNumber,
      name: a.name,
      principalFen: BigInt(1_800_000 + n * 1_234_500),
      interestFen: BigInt(10_000 + n * 2_345),
      openDate: '2018-03-01',
      paidUpToMonth: '2025-04',
      continuousMonths: 14 + n * 5,
    });
    if (waiting) peer.setFault(oldAccountNumber, { kind: 'review' });
    await startTransferIn({
      db,
      actor: teller,
      platform: peer,
      accountId: a.accountId,
      oldCenterCode: peer.centerCode,
      oldCenterName: peer.centerName,
      oldAccountNumber,
      idempotencyKey: `demo-transfer-in-${a.accountNumber}`,
    });
    await peer.idle();
  };
  for (const [n, a] of accounts.slice(0, 3).entries()) {
    await transferIn(a, n, false);
    result.credited += 1;
  }
  const waiting = accounts[3];
  if (waiting) {
    await transferIn(waiting, 3, true);
    result.waiting += 1;
  }
  const leaving = accounts[4];
  if (leaving) {
    await peer.startTransferOut({
      anjuAccountNumber: leaving.accountNumber,
      idNumber: leaving.idNumber,
      name: leaving.name,
    });
    await peer.idle();
    result.movedAway += 1;
  }
  return result;
}
