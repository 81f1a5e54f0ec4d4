// The console dashboard aggregate over HTTP: city-wide figures for staff, one district for a district
// viewer, this month's deposits counted, and no access without a staff session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';
import { openedDepositor, teller as tellerActor } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
  await t.createStaff({ username: 'manager1', roles: ['manager'] });
  await t.createStaff({ username: 'kdl', roles: ['district_viewer'], districtCode: '150203' });
  let n = 0;
  for (const districtCode of ['150203', '150203', '150204']) {
    const { account } = await openedDepositor(
      t.db,
      { idNumber: personId('1990-01-01', 'male', 500 + ++n), districtCode },
      'flexible',
    );
    await recordCounterDeposit({
      db: t.db,
      actor: tellerActor,
      accountId: account.accountId,
      amount: '1000.00',
      idempotencyKey: `dashboard-${n}`,
    });
  }
});
afterAll(() => t.close());

const get = async (username: string | null) =>
  t.inject({
    method: 'GET',
    url: '/api/v1/dashboard',
    headers: username ? bearer(await t.loginStaff(username)) : {},
  });

describe('GET /dashboard', () => {
  it('gives staff the whole city, by district, form of employment and month', async () => {
    const res = await get('manager1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      businessDate: '2025-03-03',
      districtCode: null,
      totals: {
        depositors: 3,
        openAccounts: 3,
        balance: '3000.00',
        depositsThisMonth: { count: 3, amount: '3000.00' },
      },
    });
    const kundulun = body.byDistrict.find((d: { districtCode: string }) => d.districtCode === '150203');
    expect(kundulun).toMatchObject({ depositors: 2, balance: '2000.00' });
    expect(body.byEmploymentForm).toEqual([
      { employmentForm: 'new_forms', depositors: 3, balance: '3000.00' },
    ]);
    expect(body.monthly).toHaveLength(12);
    expect(body.monthly.at(-1)).toMatchObject({ month: '2025-03', newDepositors: 3, deposits: { count: 3 } });
  });

  it('limits a district viewer to their district', async () => {
    const body = (await get('kdl')).json();
    expect(body.districtCode).toBe('150203');
    expect(body.totals).toMatchObject({ depositors: 2, balance: '2000.00' });
    expect(body.byDistrict.map((d: { districtCode: string }) => d.districtCode)).toEqual(['150203']);
  });

  it('refuses a caller without a session', async () => {
    expect((await get(null)).statusCode).toBe(401);
  });
});
