// The transfer platform over real sockets: the simulated peer center runs as its own HTTP service, Anju
// listens on a port; Anju sends signed messages to the peer (with a deadline) and the peer POSTs its signed
// messages back to /api/v1/transfer-platform/messages. After every scenario the books verify.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { serializeTransferMessage } from '../../src/domain/transfer-messages.ts';
import { SYSTEM_ACTOR } from '../../src/domain/roles.ts';
import type { TransferPlatformGateway } from '../../src/integrations/transfer-platform/gateway.ts';
import { HttpTransferPlatform } from '../../src/integrations/transfer-platform/http-gateway.ts';
import {
  startPeerCenterServer,
  type PeerCenterServer,
} from '../../src/integrations/transfer-platform/http-simulator-server.ts';
import { signTransferMessage } from '../../src/integrations/transfer-platform/signing.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';
import { retryTransferMessages } from '../../src/jobs/steps/retry-transfer-messages.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { consecutiveCoveredMonths } from '../../src/services/deposits/credit-deposit.ts';
import { createInProcessBank } from '../../src/services/deposits/handle-bank-notification.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { booksSnapshot } from '../support/books.ts';
import { personId } from '../support/people.ts';
import { openedDepositor, startCenter, teller } from '../support/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const TODAY = '2025-03-03';
const SECRET = 'http-transfer-secret';
let t: TestDatabase;
let app: FastifyInstance;
let anju: string;
let sim: PeerCenterServer;
let gateway: HttpTransferPlatform;
let token: string;
let people = 700;
let keys = 0;

beforeAll(async () => {
  process.env.ANJU_TRANSFER_SECRET = SECRET;
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, TODAY);
  // Anju needs the peer's address and the peer needs Anju's: Anju starts first with a gateway filled in after.
  const platform: TransferPlatformGateway = {
    send: (raw, signature) => gateway.send(raw, signature),
    queryStatus: (transferNo) => gateway.queryStatus(transferNo),
  };
  app = await buildApp({
    db: t.db,
    sms: new SimulatedSmsGateway(),
    transferPlatform: platform,
    databaseKind: t.kind,
  });
  anju = await app.listen({ port: 0, host: '127.0.0.1' });
  sim = await startPeerCenterServer({
    port: 0,
    secret: SECRET,
    notifyUrl: `${anju}/api/v1/transfer-platform/messages`,
    valueDate: () => TODAY,
    idPrefix: 'H',
  });
  gateway = new HttpTransferPlatform({ baseUrl: sim.url, secret: SECRET, timeoutMs: 300 });
  await t.db
    .insertInto('staff_users')
    .values({
      username: 'teller7',
      display_name: 'Teller',
      password_hash: await hashPassword('secret2025'),
      roles: ['teller'],
      district_code: null,
      active: true,
    })
    .execute();
  const login = await fetch(`${anju}/api/v1/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'teller7', password: 'secret2025' }),
  });
  token = ((await login.json()) as { token: string }).token;
});

afterEach(async () => {
  await sim.control.idle();
  expect((await verifyBooks(t.db)).ok).toBe(true);
});

afterAll(async () => {
  await sim?.close();
  await app?.close();
  await t?.close();
  delete process.env.ANJU_TRANSFER_SECRET;
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${anju}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function withOldAccount(principalFen: bigint, interestFen: bigint, continuousMonths = 12) {
  people += 1;
  const idNumber = personId('1991-07-07', 'male', people);
  const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
  const oldAccountNumber = `HZ${String(people).padStart(10, '0')}`;
  sim.control.addAccount({
    accountNumber: oldAccountNumber,
    idNumber,
    name: opened.person.name,
    principalFen,
    interestFen,
    openDate: '2020-01-01',
    paidUpToMonth: '2025-02',
    continuousMonths,
  });
  return { accountId: BigInt(opened.account.accountId), idNumber, oldAccountNumber, opened };
}

function startIn(accountId: bigint, oldAccountNumber: string) {
  keys += 1;
  return api('POST', '/transfers/in', {
    accountId: String(accountId),
    oldCenterCode: sim.control.centerCode,
    oldCenterName: sim.control.centerName,
    oldAccountNumber,
    idempotencyKey: `http-transfer-${keys}`,
  });
}

async function balance(accountId: bigint) {
  return await t.db
    .selectFrom('accounts')
    .select(['balance_fen', 'state'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

async function messageCount(): Promise<string> {
  return (
    await t.db
      .selectFrom('transfer_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
}

describe('transfer platform over HTTP', () => {
  it('transfer in end to end: letter, status, sheet and funds over sockets; balance credited, months continuous', async () => {
    const p = await withOldAccount(880_000n, 1_234n, 18);
    const started = await startIn(p.accountId, p.oldAccountNumber);
    expect(started.status).toBe(201);
    await sim.control.idle();
    const view = await api('GET', `/transfers/${started.body.transferId as string}`);
    expect(view.body).toMatchObject({
      direction: 'in',
      businessType: '08',
      stage: 'credited',
      platformStatus: '00',
      principal: '8800.00',
      interest: '12.34',
      funds: '8812.34',
      monthsCredited: 18,
      pendingMessages: 0,
    });
    expect((await balance(p.accountId)).balance_fen).toBe(881_234n);
    expect(await consecutiveCoveredMonths(t.db, p.accountId, '2025-02')).toBe(18);
    expect(sim.control.transfer(started.body.transferNo as string)?.status).toBe('00');
  });

  it('transfer out end to end: interest settled, paid out, confirmed, account state 04', async () => {
    people += 1;
    const idNumber = personId('1983-11-11', 'female', people);
    const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
    const accountId = BigInt(opened.account.accountId);
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId,
      amount: '3600.00',
      idempotencyKey: `http-dep-${people}`,
    });
    await t.db
      .updateTable('business_calendar')
      .set({ business_date: '2025-04-02' })
      .where('id', '=', 1)
      .execute();
    try {
      const transferNo = await sim.control.startTransferOut({
        anjuAccountNumber: opened.account.accountNumber,
        idNumber,
        name: opened.person.name,
      });
      await sim.control.idle();
      const list = await api('GET', '/transfers?direction=out');
      const view = (list.body.items as Array<Record<string, unknown>>).find(
        (i) => i.transferNo === transferNo,
      )!;
      // 3,600.00 × 30 days (2025-03-03 … 2025-04-01) × 1.5 % / 360 = 4.50 (§4.1).
      expect(view).toMatchObject({
        stage: 'done',
        platformStatus: '00',
        principal: '3600.00',
        interest: '4.50',
        funds: '3604.50',
      });
      expect(await balance(accountId)).toEqual({ balance_fen: 0n, state: '04' });
      expect(await ledgerBalance(t.db, 'FLEX', '21903')).toBe(0n);
      expect(sim.control.transfer(transferNo)).toMatchObject({ status: '00', fundsFen: 360_450n });
    } finally {
      await t.db.updateTable('business_calendar').set({ business_date: TODAY }).where('id', '=', 1).execute();
    }
  });

  it('refusals: a frozen account here is refused with 13 and a reason; a refusal from the peer is recorded', async () => {
    people += 1;
    const idNumber = personId('1984-05-05', 'male', people);
    const opened = await openedDepositor(t.db, { idNumber }, 'flexible');
    await changeAccountState({
      db: t.db,
      actor: teller,
      accountId: opened.account.accountId,
      action: 'freeze',
      reason: '司法冻结',
      documentNo: 'X-1',
    });
    const before = await booksSnapshot(t.db);
    const transferNo = await sim.control.startTransferOut({
      anjuAccountNumber: opened.account.accountNumber,
      idNumber,
      name: opened.person.name,
    });
    await sim.control.idle();
    expect(sim.control.transfer(transferNo)).toMatchObject({ status: '13', refusalReason: 'ACCOUNT_FROZEN' });
    expect((await booksSnapshot(t.db)).ledger).toEqual(before.ledger);

    const p = await withOldAccount(10_000n, 0n);
    sim.control.setFault(p.oldAccountNumber, { kind: 'refuse', reason: 'LOAN_OUTSTANDING' });
    const started = await startIn(p.accountId, p.oldAccountNumber);
    await sim.control.idle();
    const view = await api('GET', `/transfers/${started.body.transferId as string}`);
    expect(view.body).toMatchObject({
      stage: 'refused',
      platformStatus: '13',
      refusalReason: 'LOAN_OUTSTANDING',
    });
  });

  it('a time-out, then the close step retries with the same message id and the transfer completes once', async () => {
    const p = await withOldAccount(40_000n, 0n);
    sim.control.setFault(p.oldAccountNumber, { kind: 'timeout' });
    const started = await startIn(p.accountId, p.oldAccountNumber);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ stage: 'letter_pending', pendingMessages: 1 });
    const bank = createInProcessBank({ db: t.db });
    const ctx = { db: t.db, date: TODAY, actor: SYSTEM_ACTOR, bank, transferPlatform: gateway };
    const summary = await retryTransferMessages(ctx);
    expect(summary).toMatchObject({ sent: 1, timedOut: 0 });
    await sim.control.idle();
    expect((await balance(p.accountId)).balance_fen).toBe(40_000n);
    const letters = sim.control.received.filter(
      (m) => m.transferNo === started.body.transferNo && m.type === 'contact_letter',
    );
    expect(letters).toHaveLength(1);
    // Nothing left to retry.
    expect(await retryTransferMessages(ctx)).toMatchObject({ sent: 0 });
  });

  it('duplicate and out-of-order messages: credited once, and resending everything changes nothing', async () => {
    const dup = await withOldAccount(20_000n, 50n);
    sim.control.setFault(dup.oldAccountNumber, { kind: 'duplicate' });
    const a = await startIn(dup.accountId, dup.oldAccountNumber);
    const late = await withOldAccount(30_000n, 0n);
    sim.control.setFault(late.oldAccountNumber, { kind: 'out_of_order' });
    const b = await startIn(late.accountId, late.oldAccountNumber);
    await sim.control.idle();
    expect((await balance(dup.accountId)).balance_fen).toBe(20_050n);
    expect((await balance(late.accountId)).balance_fen).toBe(30_000n);
    const held = await t.db
      .selectFrom('transfer_messages')
      .select(['type', 'state'])
      .where('transfer_no', '=', b.body.transferNo as string)
      .where('direction', '=', 'inbound')
      .execute();
    expect(held.every((m) => m.state === 'processed')).toBe(true);

    const snapshot = await booksSnapshot(t.db);
    const messages = await messageCount();
    for (const sent of sim.control.sent.filter((s) =>
      [a.body.transferNo, b.body.transferNo].includes(s.message.transferNo),
    )) {
      await sim.control.resend(sent.message.messageId);
    }
    await sim.control.idle();
    expect(await booksSnapshot(t.db)).toEqual(snapshot);
    expect(await messageCount()).toBe(messages);
  });

  it('a bad signature is refused with a coded error and nothing is written', async () => {
    const rawBody = serializeTransferMessage({
      messageId: 'EVIL-1',
      transferNo: 'EVIL',
      businessType: '08',
      type: 'contact_letter',
      seq: 1,
      fromCenter: '110000',
      toCenter: '150200',
      body: {
        person: { idType: 'resident', idNumber: '150203199001011234', name: '冒名', phone: '13000000000' },
        newAccountNumber: 'X',
        newCenterCode: '110000',
        newCenterName: 'X',
        oldCenterCode: '150200',
        oldCenterName: 'X',
        oldAccountNumber: 'X',
        receivingBank: { bankName: 'X', accountNumber: 'X', accountName: 'X' },
      },
    });
    const before = await booksSnapshot(t.db);
    const messages = await messageCount();
    const res = await fetch(`${anju}/api/v1/transfer-platform/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-transfer-signature': signTransferMessage(rawBody, 'not-the-secret'),
      },
      body: rawBody,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 'TRANSFER_SIGNATURE_INVALID',
      message_zh: expect.any(String),
      message_en: expect.any(String),
      field: 'x-transfer-signature',
    });
    expect(await messageCount()).toBe(messages);
    expect(await booksSnapshot(t.db)).toEqual(before);
  });
});
