// GET /reference/policy-figures: the published figures the public page and the portal explain, public,
// in force on the business date, fen shown as yuan, nothing internal.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';
import { initializeBusinessDate } from '../../src/services/calendar/business-date.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await initializeBusinessDate(t.db, '2025-03-03', { type: 'system', id: 'test' });
});
afterAll(async () => {
  await t.close();
});

it('answers without a session, with the limits, rates and caps in force on the business date', async () => {
  const res = await t.inject({ method: 'GET', url: '/api/v1/reference/policy-figures' });
  expect(res.statusCode).toBe(200);
  const body = res.json() as { businessDate: string; items: { key: string; value: string | null }[] };
  expect(body.businessDate).toBe('2025-03-03');
  const value = (key: string) => body.items.find((i) => i.key === key)?.value;
  expect(value('deposit.monthly_lower_limit')).toBe('198.00');
  expect(value('deposit.monthly_upper_limit')).toBe('6574.00');
  expect(value('interest.annual_rate_pct')).toBe('1.50');
  expect(value('subsidy.lifetime_cap')).toBe('10000.00');
  expect(value('loan.cap_single')).toBe('600000.00');
  expect(body.items.some((i) => i.key.startsWith('liquidity') || i.key.startsWith('withdrawal.review'))).toBe(
    false,
  );
});
