// The transfers API through app.inject, with the app's default in-process peer center: staff start a
// transfer in and read the inbox, staff follow a transfer out in its details (messages, sheet, entries,
// money held on 21903), a depositor sees only their own transfers, the platform endpoint checks
// signatures, staff send a transfer's queued messages now (once each), staff cancel a transfer in the old
// center has not answered (status 05), finance pays uncredited transfer-in money back, and access is
// enforced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InProcessPeerCenter,
  PeerFault,
} from '../../src/integrations/transfer-platform/in-process-peer-center.ts';
import { signTransferMessage } from '../../src/integrations/transfer-platform/signing.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, startCenter } from '../support/services.ts';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { receiveTransferOutLetter } from '../support/transfer-letters.ts';
import { dispatchTransferMessages } from '../../src/services/transfers/dispatch-transfer-messages.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { teller as tellerActor } from '../support/services.ts';

let t: TestApp;
let peer: InProcessPeerCenter;
let tellerToken: string;
let reviewerToken: string;

beforeAll(async () => {
  t = await createTestApp();
  await startCenter(t.db);
  peer = t.app.deps.transferPlatform as InProcessPeerCenter;
  await t.createStaff({ username: 'teller', roles: ['teller'] });
  tellerToken = await t.loginStaff('teller');
  await t.createStaff({ username: 'reviewer', roles: ['reviewer'] });
  reviewerToken = await t.loginStaff('reviewer');
});

afterAll(async () => {
  await peer?.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t?.close();
});

let people = 900;
async function depositorWithOldAccount() {
  people += 1;
  const idNumber = personId('1992-08-08', 'female', people);
  const opened = await openedDepositor(t.db, { idNumber, password: TEST_PASSWORD }, 'flexible');
  const oldAccountNumber = `SZ${people}`;
  peer.addAccount({
    accountNumber: oldAccountNumber,
    idNumber,
    name: opened.person.name,
    principalFen: 150_000n,
    interestFen: 300n,
    openDate: '2021-03-01',
    paidUpToMonth: '2025-02',
    continuousMonths: 8,
  });
  const login = {
    id: BigInt(opened.person.depositorId),
    idNumber,
    password: TEST_PASSWORD,
    phone: '13800138000',
  };
  return { opened, oldAccountNumber, login };
}

function startIn(token: string, accountId: string, oldAccountNumber: string, key: string) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    headers: bearer(token),
    payload: {
      accountId,
      oldCenterCode: peer.centerCode,
      oldCenterName: peer.centerName,
      oldAccountNumber,
      idempotencyKey: key,
    },
  });
}

/** A depositor whose old center answers with `fault`, and their transfer in, started by a teller. */
async function startedWith(fault: PeerFault, key: string) {
  const a = await depositorWithOldAccount();
  peer.setFault(a.oldAccountNumber, fault);
  const started = await startIn(tellerToken, a.opened.account.accountId, a.oldAccountNumber, key);
  return { a, started };
}

describe('transfers API', () => {
  it('staff start a transfer in; a replay returns it; the depositor sees only their own', async () => {
    const a = await depositorWithOldAccount();
    const b = await depositorWithOldAccount();
    const first = await startIn(
      tellerToken,
      a.opened.account.accountId,
      a.oldAccountNumber,
      'api-transfer-a',
    );
    expect(first.statusCode).toBe(201);
    const replay = await startIn(
      tellerToken,
      a.opened.account.accountId,
      a.oldAccountNumber,
      'api-transfer-a',
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({
      transferId: first.json<{ transferId: string }>().transferId,
      replayed: true,
    });
    const other = await startIn(
      tellerToken,
      b.opened.account.accountId,
      b.oldAccountNumber,
      'api-transfer-b',
    );
    expect(other.statusCode).toBe(201);
    await peer.idle();

    const inbox = await t.inject({
      method: 'GET',
      url: '/api/v1/transfers?direction=in',
      headers: bearer(tellerToken),
    });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json<{ items: unknown[] }>().items).toHaveLength(2);

    const token = await t.loginDepositor(a.login);
    const mine = await t.inject({ method: 'GET', url: '/api/v1/transfers', headers: bearer(token) });
    const items = mine.json<{ items: Array<Record<string, unknown>> }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      stage: 'credited',
      platformStatus: '00',
      funds: '1503.00',
      monthsCredited: 8,
    });
    const theirs = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${other.json<{ transferId: string }>().transferId}`,
      headers: bearer(token),
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
  });

  it('a depositor starts a transfer for their own account only; a second open transfer is a conflict', async () => {
    const a = await depositorWithOldAccount();
    const b = await depositorWithOldAccount();
    const token = await t.loginDepositor(a.login);
    const foreign = await startIn(token, b.opened.account.accountId, b.oldAccountNumber, 'api-transfer-c');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', field: 'accountId' });
    peer.setFault(a.oldAccountNumber, { kind: 'hold_funds' });
    const own = await startIn(token, a.opened.account.accountId, a.oldAccountNumber, 'api-transfer-d');
    expect(own.statusCode).toBe(201);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'transfer.in.start')
      .where('subject_id', '=', a.opened.account.accountId)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(`depositor:${a.login.id}`);
    await peer.idle();
    const again = await startIn(
      tellerToken,
      a.opened.account.accountId,
      a.oldAccountNumber,
      'api-transfer-e',
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'TRANSFER_IN_PROGRESS', field: 'accountId' });
    await peer.releaseHeld();
  });

  it('the platform endpoint refuses a bad signature (401) and a malformed message (400)', async () => {
    const bad = await t.inject({
      method: 'POST',
      url: '/api/v1/transfer-platform/messages',
      headers: { 'content-type': 'application/json', 'x-transfer-signature': 'ab'.repeat(32) },
      payload: '{"messageId":"x"}',
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'TRANSFER_SIGNATURE_INVALID' });
    const raw = '{"messageId":"x"}';
    const malformed = await t.inject({
      method: 'POST',
      url: '/api/v1/transfer-platform/messages',
      headers: {
        'content-type': 'application/json',
        'x-transfer-signature': signTransferMessage(raw, peer.secret),
      },
      payload: raw,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'TRANSFER_MESSAGE_MALFORMED', field: 'transferNo' });
  });

  it('staff follow a transfer out: every platform message in order, the sheet, the entries', async () => {
    people += 1;
    const idNumber = personId('1990-09-09', 'male', people);
    const opened = await openedDepositor(t.db, { idNumber, name: '钱转出' }, 'flexible');
    await recordCounterDeposit({
      db: t.db,
      actor: tellerActor,
      accountId: opened.account.accountId,
      amount: '600.00',
      idempotencyKey: 'api-transfer-out-dep',
    });
    const transferNo = await peer.startTransferOut({
      anjuAccountNumber: opened.account.accountNumber,
      idNumber,
      name: '钱转出',
    });
    await peer.idle();
    const list = await t.inject({
      method: 'GET',
      url: '/api/v1/transfers?direction=out',
      headers: bearer(tellerToken),
    });
    const listed = list
      .json<{ items: Array<Record<string, unknown>> }>()
      .items.find((i) => i.transferNo === transferNo);
    expect(listed).toMatchObject({
      stage: 'done',
      accountNumber: opened.account.accountNumber,
      depositorName: '钱转出',
    });
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${String(listed!.transferId)}/details`,
      headers: bearer(tellerToken),
    });
    expect(res.statusCode).toBe(200);
    const details = res.json<{
      stage: string;
      contactLetter: { person: { idNumber: string; name: string } };
      accountSheet: { principal: string; name: string };
      messages: Array<{ direction: string; type: string; status: string | null; amount: string | null }>;
      entries: Array<{ entryType: string; amount: string }>;
      held: unknown;
    }>();
    expect(details.stage).toBe('done');
    expect(details.contactLetter.person.name).toBe('钱转出');
    expect(details.contactLetter.person.idNumber).not.toBe(idNumber);
    expect(details.contactLetter.person.idNumber).toMatch(/^\d{4}\*+\w{4}$/);
    expect(details.accountSheet).toMatchObject({ principal: '600.00', name: '钱转出' });
    expect(details.messages.map((m) => `${m.direction}:${m.type}`)).toEqual([
      'inbound:contact_letter',
      'outbound:status',
      'outbound:account_sheet',
      'outbound:funds',
      'inbound:status',
    ]);
    expect(details.messages[1]).toMatchObject({ status: '02' });
    expect(details.messages[3]).toMatchObject({ amount: '600.00' });
    expect(details.messages[4]).toMatchObject({ status: '00' });
    expect(details.entries.map((e) => e.entryType)).toEqual(['transfer_out', 'transfer_out_settled']);
    expect(details.held).toBeNull();
  });

  it('shows the money held on 21903 while the answers wait; refuses depositors; unknown is 404', async () => {
    people += 1;
    const idNumber = personId('1990-10-10', 'female', people);
    const opened = await openedDepositor(t.db, { idNumber, password: TEST_PASSWORD }, 'flexible');
    await recordCounterDeposit({
      db: t.db,
      actor: tellerActor,
      accountId: opened.account.accountId,
      amount: '450.00',
      idempotencyKey: 'api-transfer-out-held',
    });
    const received = await receiveTransferOutLetter(t.db, {
      transferNo: 'SH2025TEST0001',
      accountNumber: opened.account.accountNumber,
      idNumber,
      name: opened.person.name,
    });
    const url = `/api/v1/transfers/${received.transferId}/details`;
    const res = await t.inject({ method: 'GET', url, headers: bearer(tellerToken) });
    expect(res.json()).toMatchObject({
      stage: 'paid_out',
      pendingMessages: 3,
      held: { ledgerAccount: '21903', amount: '450.00' },
    });
    const token = await t.loginDepositor({
      id: BigInt(opened.person.depositorId),
      idNumber,
      password: TEST_PASSWORD,
      phone: '',
    });
    expect((await t.inject({ method: 'GET', url, headers: bearer(token) })).statusCode).toBe(403);
    const unknown = await t.inject({
      method: 'GET',
      url: '/api/v1/transfers/999999/details',
      headers: bearer(tellerToken),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
    const bad = await t.inject({
      method: 'GET',
      url: '/api/v1/transfers/x/details',
      headers: bearer(tellerToken),
    });
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    // Send the queued answers so the peer settles and the books close at the end.
    await dispatchTransferMessages({ db: t.db, platform: peer, transferId: BigInt(received.transferId!) });
    await peer.idle();
  });
});

describe('sending queued messages now (POST /transfers/:id/resend)', () => {
  const resend = (token: string, transferId: string) =>
    t.inject({ method: 'POST', url: `/api/v1/transfers/${transferId}/resend`, headers: bearer(token) });

  it('sends a letter queued while the platform timed out once; a second call sends nothing', async () => {
    // The platform does not answer the letter (the next message only): it stays queued.
    const { a, started } = await startedWith({ kind: 'timeout' }, 'api-transfer-resend');
    expect(started.statusCode).toBe(201);
    const { transferId, transferNo } = started.json<{ transferId: string; transferNo: string }>();
    expect(started.json()).toMatchObject({ stage: 'letter_pending', pendingMessages: 1 });
    const details = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${transferId}/details`,
      headers: bearer(tellerToken),
    });
    expect(details.json<{ messages: unknown[] }>().messages).toEqual([
      expect.objectContaining({
        direction: 'outbound',
        type: 'contact_letter',
        state: 'pending',
        attempts: 1,
        lastError: 'TRANSFER_PLATFORM_TIMEOUT',
      }),
    ]);
    const letters = () =>
      peer.received.filter((m) => m.transferNo === transferNo && m.type === 'contact_letter');
    expect(letters()).toHaveLength(0);

    // Roles that do not handle transfers, depositors and unknown transfers are refused; nothing is sent.
    expect((await resend(reviewerToken, transferId)).statusCode).toBe(403);
    const depositorToken = await t.loginDepositor(a.login);
    expect((await resend(depositorToken, transferId)).statusCode).toBe(403);
    const unknown = await resend(tellerToken, '999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
    expect(letters()).toHaveLength(0);

    const first = await resend(tellerToken, transferId);
    expect(first.statusCode).toBe(200);
    const sent = first.json<{ messages: Array<{ messageId: string }> }>();
    expect(sent).toMatchObject({
      transferId,
      transferNo,
      sent: 1,
      confirmedByQuery: 0,
      timedOut: 0,
      rejected: 0,
      stillQueued: 0,
      failed: 0,
      messages: [
        { type: 'contact_letter', state: 'sent', outcome: 'accepted', attempts: 2, lastError: null },
      ],
    });
    await peer.idle();
    expect(letters()).toHaveLength(1);
    expect(letters()[0]!.messageId).toBe(sent.messages[0]!.messageId);
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${transferId}`,
      headers: bearer(tellerToken),
    });
    expect(view.json()).toMatchObject({ stage: 'credited', funds: '1503.00', pendingMessages: 0 });

    const second = await resend(tellerToken, transferId);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      sent: 0,
      confirmedByQuery: 0,
      timedOut: 0,
      rejected: 0,
      stillQueued: 0,
      messages: [],
    });
    await peer.idle();
    expect(letters()).toHaveLength(1);
    expect(peer.received.filter((m) => m.messageId === sent.messages[0]!.messageId)).toHaveLength(1);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'summary'])
      .where('action', '=', 'transfer.messages.resend')
      .where('subject_type', '=', 'transfer')
      .where('subject_id', '=', transferId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        actor: 'staff:teller',
        summary: expect.objectContaining({ transferNo, sent: 1, stillQueued: 0 }) as unknown,
      },
      {
        actor: 'staff:teller',
        summary: expect.objectContaining({ transferNo, sent: 0, messages: [] }) as unknown,
      },
    ]);
  });

  it('a message that times out again stays queued, and so do the later ones of its transfer', async () => {
    people += 1;
    const idNumber = personId('1990-11-11', 'male', people);
    const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
    await recordCounterDeposit({
      db: t.db,
      actor: tellerActor,
      accountId: opened.account.accountId,
      amount: '300.00',
      idempotencyKey: 'api-transfer-resend-out',
    });
    const received = await receiveTransferOutLetter(t.db, {
      transferNo: 'SH2025TEST0002',
      accountNumber: opened.account.accountNumber,
      idNumber,
      name: opened.person.name,
    });
    const transferId = received.transferId!;
    peer.setFault('SH2025TEST0002', { kind: 'timeout' });
    const res = await resend(tellerToken, transferId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      sent: 0,
      timedOut: 1,
      stillQueued: 3,
      messages: [
        { type: 'status', state: 'pending', attempts: 1, lastError: 'TRANSFER_PLATFORM_TIMEOUT' },
        { type: 'account_sheet', state: 'pending', attempts: 0 },
        { type: 'funds', state: 'pending', attempts: 0 },
      ],
    });
    // The next try: the one that timed out is asked about first (the peer never had it), then all go.
    const again = await resend(tellerToken, transferId);
    expect(again.json()).toMatchObject({ sent: 3, confirmedByQuery: 0, timedOut: 0, stillQueued: 0 });
    await peer.idle();
    for (const m of again.json<{ messages: Array<{ messageId: string; state: string }> }>().messages) {
      expect(m.state).toBe('sent');
      expect(peer.received.filter((r) => r.messageId === m.messageId)).toHaveLength(1);
    }
  });
});

describe('cancelling a transfer in (POST /transfers/:id/cancel)', () => {
  const cancel = (token: string, transferId: string, payload: Record<string, unknown>) =>
    t.inject({
      method: 'POST',
      url: `/api/v1/transfers/${transferId}/cancel`,
      headers: bearer(token),
      payload,
    });

  it('a teller cancels with a reason while the old center reviews; others and bad input are refused', async () => {
    const { a, started } = await startedWith({ kind: 'review' }, 'api-cancel-a');
    expect(started.json()).toMatchObject({ stage: 'letter_sent', cancellable: true });
    const { transferId, transferNo } = started.json<{ transferId: string; transferNo: string }>();

    expect(
      (await cancel(reviewerToken, transferId, { reason: '撤销', idempotencyKey: 'api-cancel-1' }))
        .statusCode,
    ).toBe(403);
    // Another depositor is told there is no such transfer.
    const other = await t.loginDepositor((await depositorWithOldAccount()).login);
    expect(
      (await cancel(other, transferId, { reason: '撤销', idempotencyKey: 'api-cancel-1' })).statusCode,
    ).toBe(404);
    const noReason = await cancel(tellerToken, transferId, { idempotencyKey: 'api-cancel-1' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ field: 'reason' });

    const done = await cancel(tellerToken, transferId, {
      reason: '本人不再转入',
      idempotencyKey: 'api-cancel-1',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      transferId,
      stage: 'cancelled',
      platformStatus: '05',
      refusalReason: '本人不再转入',
      cancellable: false,
      pendingMessages: 0,
      replayed: false,
    });
    expect(peer.transfer(transferNo)?.status).toBe('05');
    const replay = await cancel(tellerToken, transferId, {
      reason: '本人不再转入',
      idempotencyKey: 'api-cancel-1',
    });
    expect(replay.json()).toMatchObject({ stage: 'cancelled', replayed: true });

    // Cancelled is final: a second cancellation is refused with the rule's message.
    const again = await cancel(tellerToken, transferId, {
      reason: '再次撤销',
      idempotencyKey: 'api-cancel-2',
    });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      code: 'TRANSFER_NOT_CANCELLABLE',
      field: 'id',
      message_zh: expect.stringContaining('不能撤销'),
      message_en: expect.stringContaining('cannot be cancelled'),
    });
    const unknown = await cancel(tellerToken, '987654321', {
      reason: '撤销',
      idempotencyKey: 'api-cancel-3',
    });
    expect(unknown.statusCode).toBe(404);

    // The account may start a new transfer in straight away.
    peer.setFault(a.oldAccountNumber, null);
    const next = await startIn(
      tellerToken,
      a.opened.account.accountId,
      a.oldAccountNumber,
      'api-cancel-next',
    );
    expect(next.statusCode).toBe(201);
    await peer.idle();
  });

  it('finance pays back the money of a cancelled transfer whose answer crossed the cancellation', async () => {
    await t.createStaff({ username: 'finance', roles: ['finance'] });
    const financeToken = await t.loginStaff('finance');
    const { a, started } = await startedWith({ kind: 'review' }, 'api-return-a');
    const { transferId, transferNo } = started.json<{ transferId: string; transferNo: string }>();
    await cancel(tellerToken, transferId, { reason: '本人撤销', idempotencyKey: 'api-return-cancel' });
    await peer.answerReviewed(transferNo, { crossed: true });
    const seen = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${transferId}/details`,
      headers: bearer(financeToken),
    });
    expect(seen.json()).toMatchObject({
      stage: 'cancelled',
      fundsReturnable: true,
      held: { ledgerAccount: '21904', amount: '1503.00' },
    });

    const giveBack = (token: string, key: string) =>
      t.inject({
        method: 'POST',
        url: `/api/v1/transfers/${transferId}/return-funds`,
        headers: bearer(token),
        payload: { idempotencyKey: key },
      });
    expect((await giveBack(tellerToken, 'api-return-1')).statusCode).toBe(403);
    const back = await giveBack(financeToken, 'api-return-1');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({
      fundsReturnable: false,
      returnSerial: `150200R${transferNo}`,
      replayed: false,
    });
    const after = await t.inject({
      method: 'GET',
      url: `/api/v1/transfers/${transferId}/details`,
      headers: bearer(financeToken),
    });
    expect(after.json()).toMatchObject({ held: null, returnSerial: `150200R${transferNo}` });
    const twice = await giveBack(financeToken, 'api-return-2');
    expect(twice.statusCode).toBe(422);
    expect(twice.json()).toMatchObject({ code: 'TRANSFER_FUNDS_NOT_RETURNABLE', field: 'id' });
    peer.setFault(a.oldAccountNumber, null);
  });
});
