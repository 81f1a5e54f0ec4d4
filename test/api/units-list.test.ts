// What the console reads for units and conversions over HTTP (app.inject, rules.md §5.3): the paged unit
// list with its search and district scope, a person's unit accounts, and the conversion previews (what
// would move, every reason it would be refused, nothing written); who may call each; bad input refused
// with a coded error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { rowCounts } from '../support/snapshot.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
let depositorToken = '';
const idA = personId('1991-04-04', 'female', 81);
const idB = personId('1992-05-05', 'male', 82);
let a = { depositorId: '', accountId: '' };
let b = { depositorId: '', accountId: '' };
let firstUnitId = '';
let secondUnitId = '';
let unitOfA = '';
let unitOfB = '';

const get = (token: string, url: string) =>
  t.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });
const post = (token: string, url: string, payload: Record<string, unknown>) =>
  t.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(token), payload });

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  for (const [username, roles, districtCode] of [
    ['teller1', ['teller'], null],
    ['reviewer1', ['reviewer'], null],
    ['finance1', ['finance'], null],
    ['viewer203', ['district_viewer'], '150203'],
    ['viewer204', ['district_viewer'], '150204'],
  ] as const) {
    await t.createStaff({ username, roles: [...roles], districtCode });
    tokens[username] = await t.loginStaff(username);
  }
  const open = async (idNumber: string, name: string) => {
    const { person, account } = await openedDepositor(t.db, { idNumber, name }, 'flexible');
    return { depositorId: person.depositorId, accountId: account.accountId };
  };
  a = await open(idA, '甲列表');
  b = await open(idB, '乙列表');
  await recordCounterDeposit({
    db: t.db,
    actor: tellerActor,
    accountId: a.accountId,
    amount: '800.00',
    idempotencyKey: 'units-list-dep-a',
  });
  await t.db
    .updateTable('depositors')
    .set({ password_hash: await hashPassword(TEST_PASSWORD) })
    .where('id', '=', BigInt(a.depositorId))
    .execute();
  depositorToken = await t.loginDepositor({
    id: BigInt(a.depositorId),
    idNumber: idA,
    password: TEST_PASSWORD,
    phone: '',
  });
  const file = [
    '单位编号,单位名称,区划代码,身份证号码,姓名,月缴存额',
    `LIST000001,包头市列表测试有限公司,150203,${idA},甲列表,900.00`,
    `LIST000002,青山区第二测试单位,150204,${idB},乙列表,700.00`,
  ].join('\n');
  const imported = await post(tokens.teller1!, '/units/imports', {
    fileName: 'units-list.csv',
    contentBase64: Buffer.from(file).toString('base64'),
  });
  expect(imported.statusCode).toBe(200);
  const report = imported.json<{
    employersCreated: Array<{ employerId: string; code: string }>;
    created: Array<{ accountId: string; employerCode: string }>;
  }>();
  firstUnitId = report.employersCreated.find((e) => e.code === 'LIST000001')!.employerId;
  secondUnitId = report.employersCreated.find((e) => e.code === 'LIST000002')!.employerId;
  unitOfA = report.created.find((c) => c.employerCode === 'LIST000001')!.accountId;
  unitOfB = report.created.find((c) => c.employerCode === 'LIST000002')!.accountId;
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

interface UnitItem {
  employerId: string;
  code: string;
  name: string;
  normalAccounts: number;
  sealedAccounts: number;
  totalAccounts: number;
  lastRemittanceMonth: string | null;
}

describe('the unit list', () => {
  it('lists units newest first with their accounts by state and the last month remitted', async () => {
    const remitted = await post(tokens.teller1!, `/units/${firstUnitId}/remittances`, {
      month: '2025-02',
      idempotencyKey: 'units-list-remit-1',
    });
    expect(remitted.statusCode).toBe(201);
    const res = await get(tokens.reviewer1!, '/units');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: UnitItem[]; hasMore: boolean; total: number }>();
    expect(body.total).toBe(2);
    expect(body.hasMore).toBe(false);
    expect(body.items.map((u) => u.code)).toEqual(['LIST000002', 'LIST000001']);
    expect(body.items[1]).toMatchObject({
      employerId: firstUnitId,
      name: '包头市列表测试有限公司',
      normalAccounts: 1,
      sealedAccounts: 0,
      totalAccounts: 1,
      lastRemittanceMonth: '2025-02',
    });
    expect(body.items[0]).toMatchObject({ lastRemittanceMonth: null });
  });

  it('searches by any part of the name or the start of the code, and pages', async () => {
    const byName = await get(tokens.teller1!, `/units?query=${encodeURIComponent('列表测试')}`);
    expect(byName.json<{ items: UnitItem[] }>().items.map((u) => u.code)).toEqual(['LIST000001']);
    const byCode = await get(tokens.teller1!, '/units?query=list000002');
    expect(byCode.json<{ items: UnitItem[] }>().items.map((u) => u.code)).toEqual(['LIST000002']);
    // LIKE wildcards are taken literally.
    const wildcard = await get(tokens.teller1!, `/units?query=${encodeURIComponent('%')}`);
    expect(wildcard.json<{ total: number }>().total).toBe(0);
    const page1 = await get(tokens.teller1!, '/units?limit=1');
    expect(page1.json()).toMatchObject({ hasMore: true, total: 2, items: [{ code: 'LIST000002' }] });
    const page2 = await get(tokens.teller1!, '/units?limit=1&offset=1');
    expect(page2.json()).toMatchObject({ hasMore: false, items: [{ code: 'LIST000001' }] });
  });

  it('limits a district viewer to their district; refuses depositors and anonymous callers', async () => {
    const viewer = await get(tokens.viewer204!, '/units');
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json<{ items: UnitItem[] }>().items.map((u) => u.code)).toEqual(['LIST000002']);
    expect((await get(depositorToken, '/units')).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/api/v1/units' })).statusCode).toBe(401);
  });

  it('refuses bad paging and an over-long search with VALIDATION_FAILED', async () => {
    const zero = await get(tokens.teller1!, '/units?limit=0');
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
    const negative = await get(tokens.teller1!, '/units?offset=-1');
    expect(negative.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'offset' });
    const long = await get(tokens.teller1!, `/units?query=${'x'.repeat(51)}`);
    expect(long.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query' });
  });
});

describe("a person's unit accounts", () => {
  it('lists them with their unit for staff in scope', async () => {
    const res = await get(tokens.teller1!, `/depositors/${a.depositorId}/unit-accounts`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      depositorId: a.depositorId,
      items: [
        expect.objectContaining({
          accountId: unitOfA,
          state: '01',
          balance: '900.00',
          monthlyAmount: '900.00',
          employer: { employerId: firstUnitId, code: 'LIST000001', name: '包头市列表测试有限公司' },
        }),
      ],
    });
    expect((await get(tokens.viewer203!, `/depositors/${a.depositorId}/unit-accounts`)).statusCode).toBe(200);
    expect((await get(tokens.viewer204!, `/depositors/${a.depositorId}/unit-accounts`)).statusCode).toBe(403);
    expect((await get(depositorToken, `/depositors/${a.depositorId}/unit-accounts`)).statusCode).toBe(403);
    const unknown = await get(tokens.teller1!, '/depositors/999999/unit-accounts');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'DEPOSITOR_NOT_FOUND' });
    const bad = await get(tokens.teller1!, '/depositors/abc/unit-accounts');
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
  });
});

interface Preview {
  direction: string;
  principal: string;
  interest: string;
  amount: string;
  monthsCarried: number;
  coveredMonthsCarried: number;
  agreementNumber: string | null;
  subsidyForfeited: boolean;
  subsidyForfeitedAmount: string;
  to: { accountId: string; employer: { name: string } | null } | null;
  blockers: Array<{ code: string; field?: string; message_zh: string; message_en: string }>;
}

describe('conversion previews', () => {
  it('shows what flexible → unit would move, writes nothing, and matches the conversion', async () => {
    const before = await rowCounts(t.db);
    const res = await get(
      tokens.reviewer1!,
      `/accounts/${a.accountId}/conversion-to-unit/preview?unitAccountId=${unitOfA}`,
    );
    expect(res.statusCode).toBe(200);
    const preview = res.json<Preview>();
    expect(preview).toMatchObject({
      direction: 'to_unit',
      principal: '800.00',
      blockers: [],
      subsidyForfeited: true,
      to: { accountId: unitOfA, employer: { name: '包头市列表测试有限公司' } },
    });
    expect(preview.agreementNumber).toMatch(/\S/);
    expect(preview.monthsCarried).toBeGreaterThan(0);
    expect(await rowCounts(t.db)).toEqual(before);

    // The other person's unit account, and a wrong-kind target, are reported as blockers.
    const other = await get(
      tokens.teller1!,
      `/accounts/${a.accountId}/conversion-to-unit/preview?unitAccountId=${unitOfB}`,
    );
    expect(other.json<Preview>().blockers.map((x) => x.code)).toEqual(['CONVERSION_OTHER_PERSON']);
    const notUnit = await get(
      tokens.teller1!,
      `/accounts/${a.accountId}/conversion-to-unit/preview?unitAccountId=${b.accountId}`,
    );
    expect(notUnit.json<Preview>().blockers.map((x) => x.code)).toEqual([
      'CONVERSION_NOT_UNIT',
      'CONVERSION_OTHER_PERSON',
    ]);
    expect(await rowCounts(t.db)).toEqual(before);

    const converted = await post(tokens.teller1!, `/accounts/${a.accountId}/conversion-to-unit`, {
      unitAccountId: unitOfA,
      idempotencyKey: 'units-list-conv-1',
    });
    expect(converted.statusCode).toBe(201);
    expect(converted.json()).toMatchObject({
      amount: preview.amount,
      interest: preview.interest,
      monthsCarried: preview.monthsCarried,
      coveredMonthsCarried: preview.coveredMonthsCarried,
      subsidyForfeitedAmount: preview.subsidyForfeitedAmount,
    });
    const after = await get(
      tokens.teller1!,
      `/accounts/${a.accountId}/conversion-to-unit/preview?unitAccountId=${unitOfA}`,
    );
    expect(after.json<Preview>()).toMatchObject({
      amount: '0.00',
      blockers: [{ code: 'CONVERSION_ACCOUNT_CLOSED', field: 'flexibleAccountId' }],
    });
  });

  it('shows why unit → flexible cannot go ahead yet', async () => {
    const res = await get(tokens.teller1!, `/unit-accounts/${unitOfB}/conversion-to-flexible/preview`);
    expect(res.statusCode).toBe(200);
    const preview = res.json<Preview>();
    expect(preview).toMatchObject({ direction: 'to_flexible', to: null, subsidyForfeited: false });
    const codes = preview.blockers.map((x) => x.code);
    expect(codes).toContain('CONVERSION_UNIT_NOT_SEALED');
    expect(codes).toContain('CONVERSION_AGREEMENT_REQUIRED');
    expect(preview.blockers.every((x) => x.message_zh && x.message_en)).toBe(true);
  });

  it('refuses wrong roles, depositors and bad input', async () => {
    const url = `/accounts/${b.accountId}/conversion-to-unit/preview?unitAccountId=${unitOfB}`;
    expect((await get(tokens.finance1!, url)).statusCode).toBe(403);
    expect((await get(tokens.viewer203!, url)).statusCode).toBe(403);
    expect((await get(depositorToken, url)).statusCode).toBe(403);
    expect(
      (await get(tokens.finance1!, `/unit-accounts/${unitOfB}/conversion-to-flexible/preview`)).statusCode,
    ).toBe(403);
    const missing = await get(tokens.teller1!, `/accounts/${b.accountId}/conversion-to-unit/preview`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'unitAccountId' });
    const badId = await get(
      tokens.teller1!,
      `/accounts/${b.accountId}/conversion-to-unit/preview?unitAccountId=0`,
    );
    expect(badId.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'unitAccountId' });
    const unknown = await get(
      tokens.teller1!,
      `/accounts/${b.accountId}/conversion-to-unit/preview?unitAccountId=999999`,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'UNIT_ACCOUNT_NOT_FOUND', field: 'unitAccountId' });
    const unknownUnit = await get(tokens.teller1!, '/unit-accounts/999999/conversion-to-flexible/preview');
    expect(unknownUnit.json()).toMatchObject({ code: 'UNIT_ACCOUNT_NOT_FOUND' });
    // Unused: the second unit stays as imported.
    expect((await get(tokens.teller1!, `/units/${secondUnitId}`)).json()).toMatchObject({
      accounts: [{ accountId: unitOfB, state: '01' }],
    });
  });
});

describe('the OpenAPI document', () => {
  it('lists the new read routes with who may call them', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { description?: string }>>;
    expect(paths['/api/v1/units']!.get!.description).toContain('Access: any staff');
    expect(paths['/api/v1/depositors/{id}/unit-accounts']!.get!.description).toContain('Access: any staff');
    expect(paths['/api/v1/accounts/{id}/conversion-to-unit/preview']!.get!.description).toContain(
      'staff roles teller, reviewer, manager, admin',
    );
    expect(Object.keys(paths)).toContain('/api/v1/unit-accounts/{id}/conversion-to-flexible/preview');
    expect(paths['/api/v1/transfers/{id}/details']!.get!.description).toContain('Access: any staff');
    expect(paths['/api/v1/transfers/{id}/details']!.get!.description).toContain('read-only record');
  });
});
