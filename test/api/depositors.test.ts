// Registration to open account through HTTP, who may see whom, and the error shape (rules.md §1, §2, §11).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';
import { personId } from '../support/people.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';

let t: TestApp;
let teller: string;
let manager: string;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  await t.createStaff({ username: 'teller1', roles: ['teller'] });
  await t.createStaff({ username: 'manager1', roles: ['manager'] });
  await t.createStaff({ username: 'kdl', roles: ['district_viewer'], districtCode: '150203' });
  await t.createStaff({ username: 'qs', roles: ['district_viewer'], districtCode: '150204' });
  teller = await t.loginStaff('teller1');
  manager = await t.loginStaff('manager1');
  admin = await t.loginStaff('admin');
});
afterAll(() => t.close());

const person = (n: number, extra: Record<string, unknown> = {}) => ({
  idNumber: personId('1992-08-08', 'female', 300 + n),
  name: `骑手${n}`,
  phone: '13912345678',
  districtCode: '150203',
  employmentForm: 'new_forms',
  civilCapacityDeclared: true,
  noUnitAccountElsewhereDeclared: true,
  ...extra,
});

async function openThroughApi(token: string, depositorId: string, name: string) {
  const draft = await t.inject({
    method: 'POST',
    url: `/api/v1/depositors/${depositorId}/agreement`,
    headers: bearer(token),
    payload: {
      depositMode: 'monthly',
      monthlyAmount: '600.00',
      debitDay: 8,
      bankName: '包商银行',
      bankCard: '6222 0200 0000 0000 019',
      consentDataCheck: true,
    },
  });
  expect(draft.statusCode).toBe(201);
  const { agreementId, textSha256, text } = draft.json() as {
    agreementId: string;
    textSha256: string;
    text: string;
  };
  expect(text).toContain('600.00');
  const signed = await t.inject({
    method: 'POST',
    url: `/api/v1/agreements/${agreementId}/sign`,
    headers: bearer(token),
    payload: { textSha256, signerName: name },
  });
  expect(signed.statusCode).toBe(200);
  const opened = await t.inject({
    method: 'POST',
    url: `/api/v1/depositors/${depositorId}/accounts`,
    headers: bearer(token),
  });
  expect(opened.statusCode).toBe(201);
  return opened.json() as { accountId: string; accountNumber: string };
}

describe('counter registration', () => {
  it('registers, prepares, signs and opens through the API', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(1),
    });
    expect(res.statusCode).toBe(201);
    const { depositorId } = res.json() as { depositorId: string };
    const account = await openThroughApi(teller, depositorId, '骑手1');
    expect(account.accountNumber).toMatch(/^8\d{11}$/);
    const profile = await t.inject({
      method: 'GET',
      url: `/api/v1/depositors/${depositorId}`,
      headers: bearer(teller),
    });
    expect(profile.json()).toMatchObject({
      name: '骑手1',
      accounts: [{ state: '01', balance: '0.00', pool: 'FLEX' }],
    });
  });

  it('answers bad input with a coded bilingual error naming the field, and writes nothing', async () => {
    const before = await t.db
      .selectFrom('depositors')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const phone = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(2, { phone: '12345' }),
    });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'phone' });
    const young = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(3, { idNumber: personId('2010-01-01', 'male', 3) }),
    });
    expect(young.statusCode).toBe(422);
    const body = young.json() as {
      code: string;
      message_zh: string;
      message_en: string;
      details: { failures: Array<{ code: string }> };
    };
    expect(body.code).toBe('DEPOSITOR_NOT_ELIGIBLE');
    expect(body.message_zh).toBeTruthy();
    expect(body.message_en).toBeTruthy();
    expect(body.details.failures[0]!.code).toBe('BELOW_MINIMUM_AGE');
    const checksum = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(4, { idNumber: '150203199208080011' }),
    });
    expect(checksum.json()).toMatchObject({ code: 'ID_NUMBER_CHECKSUM', field: 'idNumber' });
    const after = await t.db
      .selectFrom('depositors')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('previews eligibility without logging in', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/eligibility/preview',
      payload: {
        idNumber: personId('2011-05-05', 'male', 9),
        employmentForm: 'part_time',
        civilCapacityDeclared: true,
        noUnitAccountElsewhereDeclared: false,
      },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { failures: Array<{ code: string }> }).failures.map((f) => f.code)).toEqual([
      'BELOW_MINIMUM_AGE',
      'UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED',
    ]);
  });
});

describe('self-service and authorization', () => {
  it('lets a depositor register, sign and open their own account, and nobody else’s', async () => {
    const a = person(10, { password: 'portal2025' });
    const reg = await t.inject({ method: 'POST', url: '/api/v1/portal/register', payload: a });
    expect(reg.statusCode).toBe(201);
    const aId = (reg.json() as { depositorId: string }).depositorId;
    const token = await t.loginDepositor({
      id: BigInt(aId),
      idNumber: a.idNumber,
      password: 'portal2025',
      phone: a.phone,
    });
    await openThroughApi(token, aId, '骑手10');
    const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ depositorId: aId, accounts: [{ state: '01' }] });

    const other = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(11),
    });
    const bId = (other.json() as { depositorId: string }).depositorId;
    const peek = await t.inject({ method: 'GET', url: `/api/v1/depositors/${bId}`, headers: bearer(token) });
    expect(peek.statusCode).toBe(403);
    expect(peek.json()).toMatchObject({ code: 'FORBIDDEN' });
    const meddle = await t.inject({
      method: 'POST',
      url: `/api/v1/depositors/${bId}/accounts`,
      headers: bearer(token),
    });
    expect(meddle.statusCode).toBe(403);
    const search = await t.inject({ method: 'GET', url: '/api/v1/depositors', headers: bearer(token) });
    expect(search.statusCode).toBe(403);
  });

  it('keeps a district viewer inside their district', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/depositors',
      headers: bearer(teller),
      payload: person(20, { districtCode: '150204' }),
    });
    const id = (res.json() as { depositorId: string }).depositorId;
    const outside = await t.inject({
      method: 'GET',
      url: `/api/v1/depositors/${id}`,
      headers: bearer(await t.loginStaff('kdl')),
    });
    expect(outside.statusCode).toBe(403);
    const inside = await t.inject({
      method: 'GET',
      url: `/api/v1/depositors/${id}`,
      headers: bearer(await t.loginStaff('qs')),
    });
    expect(inside.statusCode).toBe(200);
    expect((inside.json() as { idNumber: string }).idNumber).toContain('*');
    const list = await t.inject({
      method: 'GET',
      url: '/api/v1/depositors?districtCode=150204',
      headers: bearer(await t.loginStaff('kdl')),
    });
    expect(list.statusCode).toBe(403);
  });
});

describe('parameters through the API', () => {
  it('needs a second user to approve', async () => {
    const proposed = await t.inject({
      method: 'POST',
      url: '/api/v1/parameters',
      headers: bearer(manager),
      payload: {
        key: 'rent.annual_cap_fen',
        value: '1500000',
        effectiveFrom: '2025-07-01',
        reason: '租金标准调整',
      },
    });
    expect(proposed.statusCode).toBe(201);
    const { id } = proposed.json() as { id: string };
    const self = await t.inject({
      method: 'POST',
      url: `/api/v1/parameters/${id}/decision`,
      headers: bearer(manager),
      payload: { decision: 'approve' },
    });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'PARAMETER_SELF_APPROVAL' });
    const ok = await t.inject({
      method: 'POST',
      url: `/api/v1/parameters/${id}/decision`,
      headers: bearer(admin),
      payload: { decision: 'approve' },
    });
    expect(ok.json()).toMatchObject({ status: 'approved' });
    const list = await t.inject({
      method: 'GET',
      url: '/api/v1/parameters?date=2025-07-01',
      headers: bearer(teller),
    });
    const items = (list.json() as { items: Array<{ key: string; value: string }> }).items;
    expect(items.find((p) => p.key === 'rent.annual_cap_fen')?.value).toBe('1500000');
  });

  it('shows the audit chain intact', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: bearer(manager) });
    expect(res.json()).toMatchObject({ ok: true });
  });
});
