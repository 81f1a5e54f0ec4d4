// Cross-city transfers (rules.md §5.4) against a real database and the in-process peer center: transfer in
// and out end to end, refusals, time-outs with retries, duplicates and out-of-order messages, signatures,
// a transfer in cancelled by the person before the old center answered, and uncredited money paid back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { serializeTransferMessage } from '../../src/domain/transfer-messages.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { InProcessPeerCenter } from '../../src/integrations/transfer-platform/in-process-peer-center.ts';
import { signTransferMessage } from '../../src/integrations/transfer-platform/signing.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { consecutiveCoveredMonths } from '../../src/services/deposits/credit-deposit.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { cancelTransferIn } from '../../src/services/transfers/cancel-transfer-in.ts';
import { dispatchTransferMessages } from '../../src/services/transfers/dispatch-transfer-messages.ts';
import { createInProcessPeerCenter } from '../../src/services/transfers/platform-delivery.ts';
import { receivePlatformMessage } from '../../src/services/transfers/receive-platform-message.ts';
import { startTransferIn } from '../../src/services/transfers/start-transfer-in.ts';
import { importBankStatement } from '../../src/services/reconciliation/import-bank-statement.ts';
import { centerIdentityFromEnv, viewTransfer } from '../../src/services/transfers/transfer-store.ts';
import { returnTransferInFunds } from '../../src/services/transfers/return-transfer-in-funds.ts';
import { booksSnapshot } from '../support/books.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, staff, startCenter, teller } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const TODAY = '2025-03-03';
const finance = staff('finance1', ['finance']);
let t: TestDatabase;
let peer: InProcessPeerCenter;
let people = 500;
let keys = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, TODAY);
  peer = createInProcessPeerCenter({ db: t.db, timeoutMs: 30, valueDate: () => TODAY, idPrefix: 'BJ' });
});

afterEach(async () => {
  await peer.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});

afterAll(async () => {
  await t?.close();
});

/** A depositor here with an open flexible account, and their old account at the peer center. */
async function depositorWithOldAccount(oldAccount: { principalFen?: bigint; interestFen?: bigint } = {}) {
  people += 1;
  const idNumber = personId('1988-04-12', 'female', people);
  const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
  const oldAccountNumber = `BJ${String(people).padStart(10, '0')}`;
  peer.addAccount({
    accountNumber: oldAccountNumber,
    idNumber,
    name: opened.person.name,
    principalFen: oldAccount.principalFen ?? 1_200_000n,
    interestFen: oldAccount.interestFen ?? 4_567n,
    openDate: '2019-06-01',
    paidUpToMonth: '2025-02',
    continuousMonths: 24,
    loansUsed: 0,
  });
  return {
    accountId: BigInt(opened.account.accountId),
    accountNumber: opened.account.accountNumber,
    idNumber,
    oldAccountNumber,
    name: opened.person.name,
  };
}

function transferIn(accountId: bigint, oldAccountNumber: string) {
  keys += 1;
  return startTransferIn({
    db: t.db,
    actor: teller,
    platform: peer,
    accountId,
    oldCenterCode: peer.centerCode,
    oldCenterName: peer.centerName,
    oldAccountNumber,
    idempotencyKey: `transfer-in-${keys}`,
  });
}

/** A transfer in of a new depositor whose old center is still reviewing the letter (it has not answered). */
async function underReview(oldAccount: { principalFen: bigint; interestFen: bigint }) {
  const p = await depositorWithOldAccount(oldAccount);
  peer.setFault(p.oldAccountNumber, { kind: 'review' });
  const started = await transferIn(p.accountId, p.oldAccountNumber);
  await peer.idle();
  return { p, started };
}

async function transferRow(transferNo: string) {
  return t.db
    .selectFrom('transfers')
    .selectAll()
    .where('transfer_no', '=', transferNo)
    .executeTakeFirstOrThrow();
}

async function balance(accountId: bigint): Promise<bigint> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.balance_fen;
}

describe('transfer in (§5.4 steps 1–3)', () => {
  it('sends the letter, matches sheet and funds, credits the account and counts the months as continuous', async () => {
    const p = await depositorWithOldAccount();
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    expect(started.stage).toBe('letter_sent');
    await peer.idle();
    const letter = peer.received.find((m) => m.transferNo === started.transferNo)!;
    expect(letter.type).toBe('contact_letter');
    expect(letter.body).toMatchObject({
      person: { idNumber: p.idNumber, name: p.name, idType: 'resident' },
      newAccountNumber: p.accountNumber,
      oldAccountNumber: p.oldAccountNumber,
      oldCenterCode: peer.centerCode,
      receivingBank: centerIdentityFromEnv().receivingBank,
    });
    const row = await transferRow(started.transferNo);
    expect(row).toMatchObject({ stage: 'credited', platform_status: '00', months_credited: 24 });
    expect(row.principal_fen).toBe(1_200_000n);
    expect(row.interest_fen).toBe(4_567n);
    expect(await balance(p.accountId)).toBe(1_204_567n);
    // The old city's 24 months count: the run reaches back from February 2025 (§3.3).
    expect(await consecutiveCoveredMonths(t.db, p.accountId, '2025-02')).toBe(24);
    // Funds and sheet together: one entry from the bank, nothing left waiting.
    expect(await ledgerBalance(t.db, 'FLEX', '21904')).toBe(0n);
    expect(peer.transfer(started.transferNo)?.status).toBe('00');
  });

  it('a refusal (old account frozen) is recorded with status 13 and its reason, and nothing is posted', async () => {
    const p = await depositorWithOldAccount();
    peer.setFault(p.oldAccountNumber, { kind: 'refuse', reason: 'ACCOUNT_FROZEN' });
    const before = await booksSnapshot(t.db);
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    const row = await transferRow(started.transferNo);
    expect(row).toMatchObject({ stage: 'refused', platform_status: '13', refusal_reason: 'ACCOUNT_FROZEN' });
    const after = await booksSnapshot(t.db);
    expect(after.ledger).toEqual(before.ledger);
    expect(await balance(p.accountId)).toBe(0n);
  });

  it('out of order: funds before the sheet wait on 21904, the sheet before its predecessor is held', async () => {
    const p = await depositorWithOldAccount({ principalFen: 300_000n, interestFen: 0n });
    peer.setFault(p.oldAccountNumber, { kind: 'out_of_order' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    const messages = await t.db
      .selectFrom('transfer_messages')
      .select(['type', 'seq', 'state', 'outcome', 'detail'])
      .where('transfer_no', '=', started.transferNo)
      .where('direction', '=', 'inbound')
      .orderBy('id')
      .execute();
    // Delivered: funds, sheet (seq 2, held), status (seq 1, which releases the sheet).
    expect(messages.map((m) => [m.type, m.outcome])).toEqual([
      ['funds', 'waiting'],
      ['account_sheet', 'credited'],
      ['status', 'status_recorded'],
    ]);
    expect(await balance(p.accountId)).toBe(300_000n);
    expect(await ledgerBalance(t.db, 'FLEX', '21904')).toBe(0n);
    expect((await transferRow(started.transferNo)).stage).toBe('credited');
  });

  it('a sheet without its funds waits; the funds arriving later complete it', async () => {
    const p = await depositorWithOldAccount({ principalFen: 100_000n, interestFen: 250n });
    peer.setFault(p.oldAccountNumber, { kind: 'hold_funds' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    expect((await transferRow(started.transferNo)).stage).toBe('sheet_received');
    expect(await balance(p.accountId)).toBe(0n);
    await peer.releaseHeld();
    expect((await transferRow(started.transferNo)).stage).toBe('credited');
    expect(await balance(p.accountId)).toBe(100_250n);
  });

  it('funds the bank statement showed first are taken from suspense when they arrive, not booked into 101 again', async () => {
    const p = await depositorWithOldAccount({ principalFen: 100_000n, interestFen: 250n });
    peer.setFault(p.oldAccountNumber, { kind: 'hold_funds' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    const held = peer.sent.find(
      (m) => m.message.type === 'funds' && m.message.transferNo === started.transferNo,
    )!;
    const { serial } = held.message.body as { serial: string };
    // Our bank statement shows the money before the platform's funds message: nothing explains it yet.
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: `transfer-${serial}.csv`,
      content: `serial,value_date,direction,amount,counterparty,memo\n${serial},${TODAY},in,1002.50,北京公积金中心,转移接续\n`,
    });
    expect(imported.suspense).toMatchObject({ count: 1, amount: '1002.50' });
    const bank101 = await ledgerBalance(t.db, 'FLEX', '101');
    const suspense = await ledgerBalance(t.db, 'FLEX', '21902');
    await peer.releaseHeld();
    expect((await transferRow(started.transferNo)).stage).toBe('credited');
    expect(await balance(p.accountId)).toBe(100_250n);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank101);
    expect(await ledgerBalance(t.db, 'FLEX', '21902')).toBe(suspense - 100_250n);
    const line = await t.db
      .selectFrom('bank_statement_lines as l')
      .innerJoin('suspense_items as s', 's.statement_line_id', 'l.id')
      .select(['l.match_status', 'l.source_type', 's.status'])
      .where('l.bank_serial', '=', serial)
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ match_status: 'resolved', source_type: 'transfer_in', status: 'assigned' });
  });

  it('duplicates change nothing the second time', async () => {
    const p = await depositorWithOldAccount({ principalFen: 200_000n, interestFen: 100n });
    peer.setFault(p.oldAccountNumber, { kind: 'duplicate' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    expect(await balance(p.accountId)).toBe(200_100n);
    const snapshot = await booksSnapshot(t.db);
    const count = async () =>
      (
        await t.db
          .selectFrom('transfer_messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const messagesBefore = await count();
    // Every message of the peer once more, by hand.
    for (const sent of peer.sent.filter((s) => s.message.transferNo === started.transferNo)) {
      const again = await receivePlatformMessage(t.db, { rawBody: sent.rawBody, signature: sent.signature });
      expect(again.replayed).toBe(true);
    }
    expect(await booksSnapshot(t.db)).toEqual(snapshot);
    expect(await count()).toBe(messagesBefore);
  });

  it('a time-out leaves the letter queued; the retry sends it with the same id and it is acted on once', async () => {
    const p = await depositorWithOldAccount({ principalFen: 50_000n, interestFen: 0n });
    peer.setFault(p.oldAccountNumber, { kind: 'timeout' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    expect(started).toMatchObject({ stage: 'letter_pending', pendingMessages: 1 });
    expect(peer.transfer(started.transferNo)).toBeUndefined();
    const retried = await dispatchTransferMessages({ db: t.db, platform: peer });
    expect(retried).toMatchObject({ sent: 1, timedOut: 0 });
    await peer.idle();
    expect(await balance(p.accountId)).toBe(50_000n);
    const letters = peer.received.filter(
      (m) => m.transferNo === started.transferNo && m.type === 'contact_letter',
    );
    expect(letters).toHaveLength(1);
  });

  it('a time-out after the peer acted: the status query finds the message, nothing is sent twice', async () => {
    const p = await depositorWithOldAccount({ principalFen: 60_000n, interestFen: 0n });
    peer.setFault(p.oldAccountNumber, { kind: 'timeout', processed: true });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    expect(await balance(p.accountId)).toBe(60_000n);
    // The peer's answers arrived meanwhile; sending what they caused settled the letter that timed out
    // (found by the status query, or resent under the same id and answered from the peer's memory).
    const letter = await t.db
      .selectFrom('transfer_messages')
      .select(['message_id', 'state', 'outcome'])
      .where('transfer_no', '=', started.transferNo)
      .where('type', '=', 'contact_letter')
      .executeTakeFirstOrThrow();
    expect(letter.state).toBe('sent');
    expect(['confirmed_by_query', 'accepted']).toContain(letter.outcome);
    expect(await dispatchTransferMessages({ db: t.db, platform: peer })).toMatchObject({
      sent: 0,
      timedOut: 0,
    });
    expect(peer.received.filter((m) => m.messageId === letter.message_id)).toHaveLength(1);
    expect(await balance(p.accountId)).toBe(60_000n);
  });
});

describe('status query after a time-out', () => {
  it('finds a message the platform received although it did not answer, and does not send it again', async () => {
    // A peer whose answers go nowhere (no notifier): only the status query can tell what happened.
    const silent = new InProcessPeerCenter({
      secret: centerIdentityFromEnv().secret,
      centerCode: '310000',
      timeoutMs: 20,
      idPrefix: 'SH',
    });
    const p = await depositorWithOldAccount();
    silent.addAccount({
      accountNumber: p.oldAccountNumber,
      idNumber: p.idNumber,
      name: p.name,
      principalFen: 10_000n,
      interestFen: 0n,
      openDate: '2020-01-01',
      paidUpToMonth: '2025-02',
      continuousMonths: 6,
    });
    silent.setFault(p.oldAccountNumber, { kind: 'timeout', processed: true });
    keys += 1;
    const started = await startTransferIn({
      db: t.db,
      actor: teller,
      platform: silent,
      accountId: p.accountId,
      oldCenterCode: silent.centerCode,
      oldCenterName: silent.centerName,
      oldAccountNumber: p.oldAccountNumber,
      idempotencyKey: `transfer-in-${keys}`,
    });
    expect(started).toMatchObject({ stage: 'letter_pending', pendingMessages: 1 });
    const retried = await dispatchTransferMessages({
      db: t.db,
      platform: silent,
      transferId: BigInt(started.transferId),
    });
    expect(retried).toMatchObject({ confirmedByQuery: 1, sent: 0, timedOut: 0 });
    expect(silent.received).toHaveLength(1);
    expect((await transferRow(started.transferNo)).stage).toBe('letter_sent');
    await silent.idle();
  });
});

describe('transfer out (§5.4 step 4)', () => {
  it('settles interest to date, pays out, confirms, and closes the account with state 04', async () => {
    people += 1;
    const idNumber = personId('1985-09-30', 'male', people);
    const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
    const accountId = BigInt(opened.account.accountId);
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId,
      amount: '5000.00',
      idempotencyKey: `dep-${people}`,
    });
    await advanceBusinessDate(t.db, '2025-05-12', teller);
    try {
      const transferNo = await peer.startTransferOut({
        anjuAccountNumber: opened.account.accountNumber,
        idNumber,
        name: opened.person.name,
      });
      await peer.idle();
      const row = await transferRow(transferNo);
      // 5,000.00 × 70 days (2025-03-03 … 2025-05-11) × 1.5 % / 360 = 14.583… → 14.58 (§4.1).
      expect(row).toMatchObject({
        stage: 'done',
        platform_status: '00',
        direction: 'out',
        business_type: '07',
      });
      expect(row.interest_fen).toBe(1458n);
      expect(row.funds_fen).toBe(501_458n);
      const account = await t.db
        .selectFrom('accounts')
        .select(['state', 'balance_fen', 'closed_on'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      expect(account).toEqual({ state: '04', balance_fen: 0n, closed_on: '2025-05-12' });
      expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
      const interest = await t.db
        .selectFrom('account_interest')
        .select(['interest_fen', 'kind'])
        .where('account_id', '=', accountId)
        .execute();
      expect(interest).toEqual([{ interest_fen: 1458n, kind: 'transfer_out' }]);
      const atPeer = peer.transfer(transferNo)!;
      expect(atPeer.status).toBe('00');
      expect(atPeer.fundsFen).toBe(501_458n);
      expect(atPeer.sheet).toMatchObject({ principal: '5000.00', interest: '14.58', openDate: TODAY });
    } finally {
      // Later tests run on the original date.
      await t.db.updateTable('business_calendar').set({ business_date: TODAY }).where('id', '=', 1).execute();
    }
  });

  it('refuses a frozen account with status 13 and a reason, and changes nothing else', async () => {
    people += 1;
    const idNumber = personId('1986-01-15', 'male', people);
    const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
    const accountId = BigInt(opened.account.accountId);
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId,
      amount: '800.00',
      idempotencyKey: `dep-${people}`,
    });
    await changeAccountState({
      db: t.db,
      actor: teller,
      accountId,
      action: 'freeze',
      reason: '司法冻结',
      documentNo: '(2025)蒙0203执1号',
    });
    const before = await booksSnapshot(t.db);
    const transferNo = await peer.startTransferOut({
      anjuAccountNumber: opened.account.accountNumber,
      idNumber,
      name: opened.person.name,
    });
    await peer.idle();
    expect(await transferRow(transferNo)).toMatchObject({
      stage: 'refused',
      platform_status: '13',
      refusal_reason: 'ACCOUNT_FROZEN',
    });
    expect(peer.transfer(transferNo)).toMatchObject({ status: '13', refusalReason: 'ACCOUNT_FROZEN' });
    const after = await booksSnapshot(t.db);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.accounts).toEqual(before.accounts);
  });

  it('refuses a letter whose person does not match the account', async () => {
    people += 1;
    const opened = await openedDepositor(
      t.db,
      { idNumber: personId('1987-02-02', 'female', people) },
      'flexible',
    );
    const transferNo = await peer.startTransferOut({
      anjuAccountNumber: opened.account.accountNumber,
      idNumber: personId('1977-03-03', 'female', people),
      name: '他人',
    });
    await peer.idle();
    expect(await transferRow(transferNo)).toMatchObject({
      stage: 'refused',
      refusal_reason: 'PERSON_MISMATCH',
      account_id: null,
    });
  });
});

describe('signatures and message ids', () => {
  it('refuses a bad signature with a coded error and writes nothing', async () => {
    const rawBody = serializeTransferMessage({
      messageId: 'FORGED-1',
      transferNo: 'FORGED',
      businessType: '08',
      type: 'status',
      seq: 1,
      fromCenter: peer.centerCode,
      toCenter: centerIdentityFromEnv().code,
      body: { status: '00' },
    });
    const before = await booksSnapshot(t.db);
    const count = async () =>
      (
        await t.db
          .selectFrom('transfer_messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const messages = await count();
    const error = await receivePlatformMessage(t.db, {
      rawBody,
      signature: signTransferMessage(rawBody, 'wrong-secret'),
    }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('TRANSFER_SIGNATURE_INVALID');
    expect(await count()).toBe(messages);
    expect(await booksSnapshot(t.db)).toEqual(before);
  });

  it('refuses a message id reused for another body', async () => {
    const sent = peer.sent.find((s) => s.message.type === 'status')!;
    const rawBody = sent.rawBody.replace(/"seq":\d+/, '"seq":99');
    expect(rawBody).not.toBe(sent.rawBody);
    const error = await receivePlatformMessage(t.db, {
      rawBody,
      signature: signTransferMessage(rawBody, peer.secret),
    }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('TRANSFER_MESSAGE_ID_REUSED');
  });
});

describe('cancelling a transfer in (status 05 转入撤销)', () => {
  let cancels = 0;
  function cancel(transferId: string, reason = '本人申请撤销：暂不转入', idempotencyKey?: string) {
    cancels += 1;
    return cancelTransferIn({
      db: t.db,
      actor: teller,
      platform: peer,
      transferId,
      reason,
      idempotencyKey: idempotencyKey ?? `transfer-cancel-${cancels}`,
    });
  }
  const sentToPeer = (transferNo: string) =>
    peer.received.filter((m) => m.transferNo === transferNo).map((m) => [m.type, m.body]);

  it('while the old center reviews the letter: 05 and the reason follow the letter, the old center sends nothing, and the account may start again', async () => {
    const { p, started } = await underReview({ principalFen: 80_000n, interestFen: 0n });
    expect(started).toMatchObject({ stage: 'letter_sent', cancellable: true });
    const before = await booksSnapshot(t.db);

    const cancelled = await cancel(started.transferId, '本人申请撤销：暂不转入', 'cancel-review-1');
    expect(cancelled).toMatchObject({
      stage: 'cancelled',
      platformStatus: '05',
      refusalReason: '本人申请撤销：暂不转入',
      pendingMessages: 0,
      cancellable: false,
      replayed: false,
    });
    expect(sentToPeer(started.transferNo)).toEqual([
      ['contact_letter', expect.objectContaining({ oldAccountNumber: p.oldAccountNumber })],
      ['status', { status: '05', reason: '本人申请撤销：暂不转入' }],
    ]);
    expect(peer.transfer(started.transferNo)?.status).toBe('05');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'transfer.in.cancelled')
      .where('subject_id', '=', started.transferId)
      .execute();
    expect(audit).toEqual([
      {
        actor: 'staff:teller1',
        summary: expect.objectContaining({
          transferNo: started.transferNo,
          stageBefore: 'letter_sent',
          reason: '本人申请撤销：暂不转入',
        }),
      },
    ]);

    // Asking again with the same key answers the first cancellation and sends nothing more.
    expect(await cancel(started.transferId, '本人申请撤销：暂不转入', 'cancel-review-1')).toMatchObject({
      stage: 'cancelled',
      replayed: true,
    });
    expect(sentToPeer(started.transferNo)).toHaveLength(2);
    // The old center, told of the cancellation, answers nothing: no money moved.
    expect(await peer.answerReviewed(started.transferNo)).toBe(false);
    expect(await booksSnapshot(t.db)).toEqual(before);

    // The account is free again: a new transfer in goes through.
    peer.setFault(p.oldAccountNumber, null);
    const again = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    expect((await transferRow(again.transferNo)).stage).toBe('credited');
    expect(await balance(p.accountId)).toBe(80_000n);
  });

  it('refuses once the old center has answered, and without a reason, writing nothing', async () => {
    const p = await depositorWithOldAccount({ principalFen: 40_000n, interestFen: 0n });
    peer.setFault(p.oldAccountNumber, { kind: 'hold_funds' });
    const started = await transferIn(p.accountId, p.oldAccountNumber);
    await peer.idle();
    const row = await transferRow(started.transferNo);
    expect(row.stage).toBe('sheet_received');
    const books = await booksSnapshot(t.db);

    const refusal = await expectRefusedWithoutWrites(
      t.db,
      () => cancel(started.transferId),
      'TRANSFER_NOT_CANCELLABLE',
      expect,
    );
    expect(isAppError(refusal) && refusal.field).toBe('id');
    await expectRefusedWithoutWrites(
      t.db,
      () => cancel(started.transferId, '   '),
      'TRANSFER_CANCEL_REASON_REQUIRED',
      expect,
    );
    await expectRefusedWithoutWrites(t.db, () => cancel('999999999'), 'TRANSFER_NOT_FOUND', expect);
    expect(await transferRow(started.transferNo)).toEqual(row);
    expect(await booksSnapshot(t.db)).toEqual(books);
    await peer.releaseHeld();
    expect(await balance(p.accountId)).toBe(40_000n);
  });

  it('with the platform down the cancellation is recorded and its message stays queued until the retry', async () => {
    const { p, started } = await underReview({ principalFen: 30_000n, interestFen: 0n });
    peer.setFault(started.transferNo, { kind: 'timeout' });
    const cancelled = await cancel(started.transferId);
    expect(cancelled).toMatchObject({ stage: 'cancelled', pendingMessages: 1 });
    expect(sentToPeer(started.transferNo).map(([type]) => type)).toEqual(['contact_letter']);
    expect(await dispatchTransferMessages({ db: t.db, platform: peer })).toMatchObject({ sent: 1 });
    expect(peer.transfer(started.transferNo)?.status).toBe('05');
    expect(await peer.answerReviewed(started.transferNo)).toBe(false);
    expect(await balance(p.accountId)).toBe(0n);
  });

  it('an answer that crossed the cancellation is not credited: the sheet is ignored and the money waits on 21904', async () => {
    const { p, started } = await underReview({ principalFen: 70_000n, interestFen: 125n });
    await cancel(started.transferId);
    const waiting = await ledgerBalance(t.db, 'FLEX', '21904');

    expect(await peer.answerReviewed(started.transferNo, { crossed: true })).toBe(true);
    const row = await transferRow(started.transferNo);
    expect(row).toMatchObject({ stage: 'cancelled', platform_status: '05', funds_fen: 70_125n });
    expect(row.account_sheet).toBeNull();
    expect(await balance(p.accountId)).toBe(0n);
    expect(await ledgerBalance(t.db, 'FLEX', '21904')).toBe(waiting + 70_125n);
    const inbound = await t.db
      .selectFrom('transfer_messages')
      .select(['type', 'outcome', 'detail'])
      .where('transfer_no', '=', started.transferNo)
      .where('direction', '=', 'inbound')
      .orderBy('id')
      .execute();
    expect(inbound).toEqual([
      { type: 'status', outcome: 'ignored', detail: 'TRANSFER_FINISHED' },
      { type: 'account_sheet', outcome: 'ignored', detail: 'TRANSFER_FINISHED' },
      { type: 'funds', outcome: 'waiting', detail: 'SHEET_AWAITED' },
    ]);
    expect(await viewTransfer(t.db, row.id)).toMatchObject({ fundsReturnable: true, returnSerial: null });
  });
});

describe('paying uncredited transfer-in money back to the old center', () => {
  let returns = 0;
  function giveBack(transferId: string, idempotencyKey?: string) {
    returns += 1;
    return returnTransferInFunds({
      db: t.db,
      actor: finance,
      platform: peer,
      transferId,
      idempotencyKey: idempotencyKey ?? `transfer-return-${returns}`,
    });
  }

  /** A transfer in cancelled while the old center's answer, money included, crossed the cancellation. */
  async function crossedCancellation(principalFen: bigint) {
    const { p, started } = await underReview({ principalFen, interestFen: 0n });
    await cancelTransferIn({
      db: t.db,
      actor: teller,
      platform: peer,
      transferId: started.transferId,
      reason: '本人申请撤销',
      idempotencyKey: `cancel-before-return-${started.transferNo}`,
    });
    await peer.answerReviewed(started.transferNo, { crossed: true });
    return { p, started };
  }

  it('books Dr 21904 / Cr 101 with our serial, sends the money back, and matches the bank line that shows it', async () => {
    const { p, started } = await crossedCancellation(55_500n);
    const waiting = await ledgerBalance(t.db, 'FLEX', '21904');
    const bank = await ledgerBalance(t.db, 'FLEX', '101');

    const back = await giveBack(started.transferId, 'return-crossed-1');
    const serial = `${centerIdentityFromEnv().code}R${started.transferNo}`;
    expect(back).toMatchObject({
      stage: 'cancelled',
      fundsReturnable: false,
      returnSerial: serial,
      returnedOn: TODAY,
      pendingMessages: 0,
      replayed: false,
    });
    expect(await ledgerBalance(t.db, 'FLEX', '21904')).toBe(waiting - 55_500n);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank - 55_500n);
    expect(await balance(p.accountId)).toBe(0n);
    const funds = peer.received.filter((m) => m.transferNo === started.transferNo && m.type === 'funds');
    expect(funds.map((m) => m.body)).toEqual([{ amount: '555.00', serial, valueDate: TODAY }]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'transfer.in.funds_returned')
      .where('subject_id', '=', started.transferId)
      .execute();
    expect(audit).toEqual([
      { actor: 'staff:finance1', summary: expect.objectContaining({ amount: '555.00', serial }) },
    ]);

    // The same request again answers the first; another one finds nothing left to return.
    expect(await giveBack(started.transferId, 'return-crossed-1')).toMatchObject({ replayed: true });
    await expectRefusedWithoutWrites(
      t.db,
      () => giveBack(started.transferId),
      'TRANSFER_FUNDS_NOT_RETURNABLE',
      expect,
    );
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bank - 55_500n);

    // The bank's statement shows the money going out under our serial: matched, not unbooked.
    const imported = await importBankStatement({
      db: t.db,
      actor: finance,
      fileName: `return-${serial}.csv`,
      content: `serial,value_date,direction,amount,counterparty,memo\n${serial},${TODAY},out,555.00,北京公积金中心,转入资金退回\n`,
    });
    expect(imported.matched).toEqual({ count: 1, amount: '555.00' });
    expect(imported.outgoingUnbooked.count).toBe(0);
    const line = await t.db
      .selectFrom('bank_statement_lines')
      .select(['match_status', 'source_type', 'source_id'])
      .where('bank_serial', '=', serial)
      .executeTakeFirstOrThrow();
    expect(line).toEqual({
      match_status: 'matched',
      source_type: 'transfer_in_return',
      source_id: BigInt(started.transferId),
    });
  });

  it('refuses money that was credited, a transfer still under way and one with no money, writing nothing', async () => {
    const credited = await depositorWithOldAccount({ principalFen: 20_000n, interestFen: 0n });
    const done = await transferIn(credited.accountId, credited.oldAccountNumber);
    await peer.idle();
    expect((await transferRow(done.transferNo)).stage).toBe('credited');
    await expectRefusedWithoutWrites(
      t.db,
      () => giveBack(done.transferId),
      'TRANSFER_FUNDS_NOT_RETURNABLE',
      expect,
    );

    const waitingSheet = await depositorWithOldAccount({ principalFen: 20_000n, interestFen: 0n });
    peer.setFault(waitingSheet.oldAccountNumber, { kind: 'hold_funds' });
    const underWay = await transferIn(waitingSheet.accountId, waitingSheet.oldAccountNumber);
    await peer.idle();
    await expectRefusedWithoutWrites(
      t.db,
      () => giveBack(underWay.transferId),
      'TRANSFER_FUNDS_NOT_RETURNABLE',
      expect,
    );
    await peer.releaseHeld();

    const refused = await depositorWithOldAccount();
    peer.setFault(refused.oldAccountNumber, { kind: 'refuse', reason: 'ACCOUNT_FROZEN' });
    const noMoney = await transferIn(refused.accountId, refused.oldAccountNumber);
    await peer.idle();
    expect(noMoney).toMatchObject({ fundsReturnable: false });
    await expectRefusedWithoutWrites(
      t.db,
      () => giveBack(noMoney.transferId),
      'TRANSFER_FUNDS_NOT_RETURNABLE',
      expect,
    );
  });
});
