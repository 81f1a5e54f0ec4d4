// The daily close runs by itself while the server runs (pg-boss, on PGlite and PostgreSQL alike): a run
// closes every business day the calendar has passed, and a run with nothing to close changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { startCenter } from '../support/services.ts';
import { wiredBank } from '../support/bank.ts';
import { chinaToday, startScheduler } from '../../src/jobs/scheduler.ts';
import { getBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the scheduled close');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the scheduled business-day close', () => {
  it('catches up to the calendar date, once', async () => {
    const t = await createTestDatabase();
    opened.push(t);
    await startCenter(t.db, '2025-03-03');
    const today = '2025-03-06';
    const lines: string[] = [];
    const scheduler = await startScheduler({
      db: t.db,
      bank: wiredBank(t.db, () => getBusinessDate(t.db)),
      today: () => today,
      log: (line) => lines.push(line),
    });
    try {
      await scheduler.runNow();
      await until(async () => (await getBusinessDate(t.db)) === '2025-03-06');
      const runs = await t.db
        .selectFrom('close_runs')
        .select('business_date')
        .orderBy('business_date')
        .execute();
      expect(runs.map((r) => r.business_date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
      // Nothing more to close: a second run leaves the calendar where it is.
      await scheduler.runNow();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await getBusinessDate(t.db)).toBe('2025-03-06');
      expect(await t.db.selectFrom('close_runs').select('business_date').execute()).toHaveLength(3);
      expect(lines).toEqual(['closed 3 business day(s) up to 2025-03-06']);
    } finally {
      await scheduler.stop();
    }
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('reads the calendar date in China time (UTC+8)', () => {
    expect(chinaToday(new Date('2025-03-05T15:59:59Z'))).toBe('2025-03-05');
    expect(chinaToday(new Date('2025-03-05T16:00:00Z'))).toBe('2025-03-06');
  });
});
