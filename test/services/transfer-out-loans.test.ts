// Transfer out (rules.md §5.4 step 4) of people with loans here (§6): refused while a loan is outstanding,
// as borrower or as spouse co-borrower; once settled, the account sheet the new center receives counts the
// HPF loans used here (使用住房公积金贷款次数), a household's loan for each of the two.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import type { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { applyForLoan } from '../../src/services/loans/apply-for-loan.ts';
import { settleLoan } from '../../src/services/loans/settle-loan.ts';
import { createInProcessPeerCenter } from '../../src/services/transfers/platform-delivery.ts';
import { disbursedLoan, finance, loanRequest, type Borrower } from '../support/loan-payoff.ts';
import { depositEachMonth } from '../support/monthly-deposits.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, startCenter, teller } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let t: TestDatabase;
let peer: InProcessPeerCenter;
const bank = new InProcessBank({ serialPrefix: 'TL', timeoutMs: 50 });
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const system = { type: 'system', id: 'test' } as const;
interface Person extends Borrower {
  idNumber: string;
  name: string;
  accountNumber: string;
}

/** Alice borrows with her husband Bob as co-borrower; Bob later borrows alone; Carol only applied. */
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;

async function person(idNumber: string): Promise<Person> {
  const { person: p, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  return {
    depositorId: p.depositorId,
    accountId: account.accountId,
    idNumber,
    name: p.name,
    accountNumber: account.accountNumber,
  };
}

async function settle(loanId: bigint): Promise<void> {
  await settleLoan({
    db: t.db,
    actor: finance,
    loanId,
    funding: 'bank',
    bankReference: `B-TL-${loanId}`,
    idempotencyKey: `tl-settle-${loanId}`,
  });
}

/** The peer center asks for the account; returns the transfer as the peer saw it (status, sheet). */
async function transferOut(p: Person) {
  const transferNo = await peer.startTransferOut({
    anjuAccountNumber: p.accountNumber,
    idNumber: p.idNumber,
    name: p.name,
  });
  await peer.idle();
  return peer.transfer(transferNo)!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2024-09-02');
  peer = createInProcessPeerCenter({
    db: t.db,
    timeoutMs: 30,
    valueDate: () => '2025-05-12',
    idPrefix: 'SH',
  });
  alice = await person(personId('1990-04-04', 'female', 701));
  bob = await person(personId('1988-06-06', 'male', 702));
  carol = await person(personId('1992-08-08', 'female', 703));
  dave = await person(personId('1991-02-02', 'male', 704));
  // Eight covered months, so each may borrow (rules.md §6.1: at least 6 consecutive).
  await depositEachMonth(t.db, [alice, bob, carol, dave], 'tl-d');
  await advanceBusinessDate(t.db, '2025-05-12', system);
}, 120_000);

afterEach(async () => {
  await peer.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});

afterAll(async () => {
  await t?.close();
});

describe('transfer out of people with loans here (§5.4 step 4, §6)', () => {
  it('refuses while a loan is outstanding; once repaid, the sheet sent counts the loans used by each', async () => {
    const household = await disbursedLoan(
      t.db,
      bank,
      bureau,
      loanRequest(alice, { spouse: { depositorId: bob.depositorId } }),
    );
    // Outstanding for both of the household: the borrower and the spouse co-borrower are refused.
    for (const p of [alice, bob]) {
      expect(await transferOut(p)).toMatchObject({
        status: '13',
        refusalReason: 'LOAN_OUTSTANDING',
        sheet: null,
      });
    }
    await settle(household);
    // Bob, now without a loan outstanding, borrows alone and repays it too.
    await settle(await disbursedLoan(t.db, bank, bureau, loanRequest(bob, { amount: '100000.00' })));
    // Carol applied but her loan was never disbursed: not a loan used.
    await applyForLoan({
      db: t.db,
      actor: teller,
      bureau,
      request: loanRequest(carol),
      idempotencyKey: 'tl-carol-apply',
    });

    const expected: [Person, number][] = [
      [alice, 1],
      [bob, 2],
      [carol, 0],
      [dave, 0],
    ];
    for (const [p, loansUsed] of expected) {
      const atPeer = await transferOut(p);
      expect(atPeer.status).toBe('00');
      expect(atPeer.sheet).toMatchObject({
        accountNumber: p.accountNumber,
        loansUsed,
        loanOutstanding: false,
      });
    }
  });
});
