// The pools' liquidity over HTTP (rules.md §8): finance, risk and managers read the month-end figures and
// levels; risk computes a closed month again on demand; a teller may not, and an open month is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceBusinessDate, initializeBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { openedDepositor, teller } from '../support/services.ts';
import { bearer, createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
const system = { type: 'system' as const, id: 'test' };

beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', system);
  for (const role of ['teller', 'risk', 'finance'] as const) {
    await t.createStaff({ username: role, roles: [role] });
    tokens[role] = await t.loginStaff(role);
  }
  const { account } = await openedDepositor(t.db, {}, 'flexible');
  await recordCounterDeposit({
    db: t.db,
    actor: teller,
    accountId: account.accountId,
    amount: '2500.00',
    idempotencyKey: 'liquidity-deposit',
  });
  await advanceBusinessDate(t.db, '2025-04-02', system);
});
afterAll(async () => t?.close());

const compute = (token: string, month: string) =>
  t.inject({
    method: 'POST',
    url: '/api/v1/pool-indicators/compute',
    headers: bearer(token),
    payload: { month },
  });

describe('pool indicators over HTTP', () => {
  it('risk computes a closed month; finance reads it; a teller may do neither', async () => {
    expect((await compute(tokens.teller!, '2025-03')).statusCode).toBe(403);
    const done = await compute(tokens.risk!, '2025-03');
    expect(done.statusCode).toBe(200);
    const flex = done.json().items.find((i: { book: string }) => i.book === 'FLEX');
    expect(flex).toMatchObject({
      month: '2025-03',
      loanRatioPct: '0.00',
      netFlow: '2500.00',
      depositBalance: '2500.00',
      alertLevel: 'normal',
      change: 'held',
    });
    const listed = await t.inject({
      method: 'GET',
      url: '/api/v1/pool-indicators?book=FLEX',
      headers: bearer(tokens.finance!),
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ book: 'FLEX', month: '2025-03', capacity: '2375.00' }),
    ]);
    const teller = await t.inject({
      method: 'GET',
      url: '/api/v1/pool-indicators',
      headers: bearer(tokens.teller!),
    });
    expect(teller.statusCode).toBe(403);
  });

  it('refuses the current month and a malformed one, naming the field', async () => {
    for (const month of ['2025-04', '2025-13', 'March']) {
      const res = await compute(tokens.risk!, month);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'month' });
    }
  });
});
