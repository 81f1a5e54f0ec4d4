// The unit side and identity conversion over HTTP (app.inject, rules.md §5.3): who may call each route,
// a unit file imported twice = once, a remittance, flexible → unit and sealed unit → flexible with the
// coded refusals, nothing written on a refusal, a retried request answered with the first result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { rowCounts } from '../support/snapshot.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { prepareAgreement } from '../../src/services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../src/services/agreements/sign-agreement.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

let t: TestApp;
let teller: string;
let reviewer: string;
let viewer: string;
let depositorToken: string;
const idNumber = personId('1993-03-03', 'male', 71);
let flexId = '';
let depositorId = '';

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'reviewer1', roles: ['reviewer'] });
  await t.createStaff({ username: 'viewer1', roles: ['district_viewer'], districtCode: '150202' });
  teller = await t.loginStaff('teller1');
  reviewer = await t.loginStaff('reviewer1');
  viewer = await t.loginStaff('viewer1');
  const { person, account } = await openedDepositor(t.db, { idNumber, name: '周接口' }, 'flexible');
  flexId = account.accountId;
  depositorId = person.depositorId;
  await recordCounterDeposit({
    db: t.db,
    actor: tellerActor,
    accountId: flexId,
    amount: '600.00',
    idempotencyKey: 'api-cv-dep',
  });
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(depositorId))
    .execute();
  depositorToken = await t.loginDepositor({
    id: BigInt(depositorId),
    idNumber,
    password: TEST_PASSWORD,
    phone: '',
  });
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

const post = (token: string, url: string, payload: Record<string, unknown>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(token), payload });

const file = `单位编号,单位名称,区划代码,身份证号码,姓名,月缴存额\nUNITAPI001,接口测试单位,150203,${idNumber},周接口,900.00\n`;
const upload = { fileName: 'units.csv', contentBase64: Buffer.from(file).toString('base64') };

describe('units over HTTP', () => {
  let employerId = '';
  let unitId = '';

  it('imports a unit file for counter staff only; the same file twice changes nothing', async () => {
    expect((await post(depositorToken, '/units/imports', upload)).statusCode).toBe(403);
    expect((await post(reviewer, '/units/imports', upload)).statusCode).toBe(403);
    const res = await t.inject({ method: 'POST', url: '/api/v1/units/imports', payload: upload });
    expect(res.statusCode).toBe(401);
    const first = await post(teller, '/units/imports', upload);
    expect(first.statusCode).toBe(200);
    const report = first.json() as {
      duplicate: boolean;
      employersCreated: Array<{ employerId: string }>;
      created: Array<{ accountId: string; monthlyAmount: string }>;
    };
    expect(report.duplicate).toBe(false);
    expect(report.created).toHaveLength(1);
    expect(report.created[0]!.monthlyAmount).toBe('900.00');
    employerId = report.employersCreated[0]!.employerId;
    unitId = report.created[0]!.accountId;
    const before = await rowCounts(t.db);
    const again = await post(teller, '/units/imports', upload);
    expect(again.json()).toMatchObject({ duplicate: true });
    expect(await rowCounts(t.db)).toEqual(before);
    const bad = await post(teller, '/units/imports', {
      fileName: 'x.csv',
      contentBase64: Buffer.from('a,b\n').toString('base64'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'file' });
  });

  it('shows a unit to staff of its district, not to depositors or other districts', async () => {
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/units/${employerId}`,
      headers: bearer(reviewer),
    });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ code: 'UNITAPI001', accounts: [{ accountId: unitId, state: '01' }] });
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/units/${employerId}`, headers: bearer(viewer) }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.inject({ method: 'GET', url: `/api/v1/units/${employerId}`, headers: bearer(depositorToken) }))
        .statusCode,
    ).toBe(403);
  });

  it('records a remittance once per key; the same month again is a conflict', async () => {
    const payload = { month: '2025-03', idempotencyKey: 'api-remit-0001' };
    expect((await post(reviewer, `/units/${employerId}/remittances`, payload)).statusCode).toBe(403);
    const first = await post(teller, `/units/${employerId}/remittances`, payload);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ total: '900.00', replayed: false });
    const again = await post(teller, `/units/${employerId}/remittances`, payload);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true });
    const conflict = await post(teller, `/units/${employerId}/remittances`, {
      ...payload,
      idempotencyKey: 'api-remit-0002',
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'UNIT_REMITTANCE_EXISTS' });
  });

  it('converts flexible → unit for counter staff, once per key', async () => {
    const payload = { unitAccountId: unitId, idempotencyKey: 'api-conv-0001' };
    expect((await post(depositorToken, `/accounts/${flexId}/conversion-to-unit`, payload)).statusCode).toBe(
      403,
    );
    expect((await post(reviewer, `/accounts/${flexId}/conversion-to-unit`, payload)).statusCode).toBe(403);
    const first = await post(teller, `/accounts/${flexId}/conversion-to-unit`, payload);
    expect(first.statusCode).toBe(201);
    const body = first.json() as {
      conversionId: string;
      amount: string;
      principal: string;
      subsidyForfeited: boolean;
    };
    expect(body).toMatchObject({ principal: '600.00', amount: '600.00', subsidyForfeited: true });
    const again = await post(teller, `/accounts/${flexId}/conversion-to-unit`, payload);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, conversionId: body.conversionId });
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/conversions/${body.conversionId}`,
      headers: bearer(reviewer),
    });
    expect(view.json()).toMatchObject({ direction: 'to_unit', amount: '600.00', subsidyForfeited: true });
  });

  it('refuses unit → flexible while the unit account is open, then converts once sealed and agreed', async () => {
    const before = await rowCounts(t.db);
    const refused = await post(teller, `/unit-accounts/${unitId}/conversion-to-flexible`, {
      idempotencyKey: 'api-conv-0002',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CONVERSION_UNIT_NOT_SEALED', field: 'unitAccountId' });
    expect(await rowCounts(t.db)).toEqual(before);

    const noReason = await post(teller, `/unit-accounts/${unitId}/state`, { action: 'seal', reason: '' });
    expect(noReason.statusCode).toBe(400);
    const sealed = await post(teller, `/unit-accounts/${unitId}/state`, { action: 'seal', reason: '离职' });
    expect(sealed.statusCode).toBe(200);
    expect(sealed.json()).toMatchObject({ state: '02', reason: '离职' });

    const noAgreement = await post(teller, `/unit-accounts/${unitId}/conversion-to-flexible`, {
      idempotencyKey: 'api-conv-0002',
    });
    expect(noAgreement.json()).toMatchObject({ code: 'CONVERSION_AGREEMENT_REQUIRED' });
    const draft = await prepareAgreement({
      db: t.db,
      actor: tellerActor,
      depositorId,
      depositMode: 'flexible',
      monthlyAmount: null,
      debitDay: null,
      bankName: '中国银行包头分行',
      bankCard: '6217000010009876543',
      consentDataCheck: true,
    });
    await signAgreement({
      db: t.db,
      actor: tellerActor,
      agreementId: draft.agreementId,
      textSha256: draft.textSha256,
      signerName: '周接口',
      clientIp: '127.0.0.1',
      userAgent: 'vitest',
      channel: 'counter',
    });
    const converted = await post(teller, `/unit-accounts/${unitId}/conversion-to-flexible`, {
      idempotencyKey: 'api-conv-0002',
    });
    expect(converted.statusCode).toBe(201);
    expect(converted.json()).toMatchObject({
      direction: 'to_flexible',
      principal: '1500.00',
      monthsCarried: 1,
    });
  });
});
