// The demo center (issue: `npm start` seeds it): a staff user per role, depositors over every district,
// form of employment and deposit mode, created through the services, and days closed by the real close,
// so periodic debits, counter deposits and the June 30 settlement are in the books; and a few transfers
// between cities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { DEMO_STAFF, seedDemo, type SeedDemoResult } from '../../src/services/demo/seed-demo.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';
import { getBusinessDate } from '../../src/services/calendar/business-date.ts';

let t: TestDatabase;
let seeded: SeedDemoResult;
beforeAll(async () => {
  t = await createTestDatabase();
  seeded = await seedDemo({ db: t.db, from: '2025-05-20', to: '2025-07-03', depositors: 24 });
}, 240_000);
afterAll(async () => t?.close());

describe('the demo center', () => {
  it('has one staff user per role and ends on the requested business date', async () => {
    const roles = new Set(seeded.staff.flatMap((s) => s.roles));
    expect([...roles].sort()).toEqual(
      ['admin', 'district_viewer', 'finance', 'manager', 'reviewer', 'risk', 'teller'].sort(),
    );
    expect(seeded.staff).toHaveLength(DEMO_STAFF.length);
    expect(await getBusinessDate(t.db)).toBe('2025-07-03');
  });

  it('spreads the depositors over every district, form of employment and deposit mode', async () => {
    expect(seeded.depositors.length).toBeGreaterThanOrEqual(22);
    const spread = await sql<{ districts: number; forms: number; modes: number; accounts: number }>`
      SELECT count(DISTINCT d.district_code)::int AS districts, count(DISTINCT d.employment_form)::int AS forms,
        count(DISTINCT g.deposit_mode)::int AS modes, count(DISTINCT a.id)::int AS accounts
      FROM depositors d JOIN agreements g ON g.depositor_id = d.id JOIN accounts a ON a.depositor_id = d.id`.execute(
      t.db,
    );
    expect(spread.rows[0]).toEqual({
      districts: 10,
      forms: 4,
      modes: 4,
      accounts: seeded.depositors.length,
    });
  });

  it('has money in through the close (periodic debits) and at the counter (flexible), interest settled on June 30', async () => {
    const byChannel = await t.db
      .selectFrom('deposits')
      .select(['channel', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('channel')
      .execute();
    const channels = Object.fromEntries(byChannel.map((r) => [r.channel, Number(r.n)]));
    expect(channels.debit).toBeGreaterThan(0);
    expect(channels.counter).toBeGreaterThan(0);
    const settled = await t.db
      .selectFrom('interest_settlements')
      .select(['book', 'settled_on'])
      .where('book', '=', 'FLEX')
      .executeTakeFirstOrThrow();
    expect(settled.settled_on).toBe('2025-06-30');
    expect((await verifyBooks(t.db)).ok).toBe(true);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('has transfers between cities: three credited, one waiting for the old center, one moved away', async () => {
    expect(seeded.transfers).toEqual({ credited: 3, waiting: 1, movedAway: 1 });
    const transfers = await t.db
      .selectFrom('transfers as x')
      .innerJoin('accounts as a', 'a.id', 'x.account_id')
      .select(['x.direction', 'x.stage', 'x.months_credited', 'a.state'])
      .orderBy('x.id')
      .execute();
    expect(transfers).toEqual([
      { direction: 'in', stage: 'credited', months_credited: 14, state: '01' },
      { direction: 'in', stage: 'credited', months_credited: 19, state: '01' },
      { direction: 'in', stage: 'credited', months_credited: 24, state: '01' },
      { direction: 'in', stage: 'letter_sent', months_credited: 0, state: '01' },
      { direction: 'out', stage: 'done', months_credited: 0, state: '04' },
    ]);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });
});
