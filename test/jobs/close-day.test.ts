// The business-day close (rules.md §3.2): periodic debits on the due day, retries until the month's last
// working day, missed periods; a close killed between steps resumes without posting twice; closing N days
// one by one equals one catch-up to day N.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { openedDepositor, startCenter } from '../support/services.ts';
import { wiredBank } from '../support/bank.ts';
import { booksSnapshot } from '../support/books.ts';
import { closeDays, type CloseStep } from '../../src/jobs/close-day.ts';
import { CLOSE_STEPS } from '../../src/jobs/steps/index.ts';
import { getBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { teller } from '../support/services.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import type { Db } from '../../src/db/connection.ts';
import type { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';

const system = { type: 'system', id: 'test' } as const;
const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    expect((await verifyBooks(t.db)).ok).toBe(true);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    await t.close();
  }
});

async function center(): Promise<{ db: Db; bank: InProcessBank }> {
  const t = await createTestDatabase();
  opened.push(t);
  await startCenter(t.db, '2025-03-03');
  return { db: t.db, bank: wiredBank(t.db, () => getBusinessDate(t.db)) };
}

/** Three depositors: monthly (debit day 15), quarterly and a flexible one paying at the counter. */
async function scenario(db: Db, bank: InProcessBank) {
  const monthly = await openedDepositor(db, { name: '按月' }, 'monthly');
  const quarterly = await openedDepositor(db, { name: '按季' }, 'quarterly');
  const broke = await openedDepositor(db, { name: '余额不足' }, 'monthly');
  await db
    .updateTable('agreements')
    .set({ bank_card: '6222000000000009999' })
    .where('account_id', '=', BigInt(broke.account.accountId))
    .execute();
  bank.setCardFault('6222000000000009999', { kind: 'insufficient_funds' });
  const flexible = await openedDepositor(db, { name: '灵活' }, 'flexible');
  await recordCounterDeposit({
    db,
    actor: teller,
    accountId: flexible.account.accountId,
    amount: '1000.00',
    idempotencyKey: 'flex-1',
  });
  return { monthly, quarterly, broke, flexible };
}

describe('periodic debits in the close', () => {
  it('debits on the due day, retries a failed debit every day to the last working day, then marks it missed', async () => {
    const { db, bank } = await center();
    const { monthly, quarterly, broke } = await scenario(db, bank);
    await closeDays({ db, bank, actor: system, to: '2025-04-16' });
    const periods = await db
      .selectFrom('deposit_periods')
      .selectAll()
      .orderBy('account_id')
      .orderBy('period_start')
      .execute();
    const of = (id: string) =>
      periods.filter((p) => p.account_id === BigInt(id)).map((p) => [p.period_start, p.status]);
    expect(of(monthly.account.accountId)).toEqual([
      ['2025-03-01', 'paid'],
      ['2025-04-01', 'paid'],
    ]);
    // Quarterly: paid in advance in the quarter's first month; the first whole quarter is April–June.
    expect(of(quarterly.account.accountId)).toEqual([['2025-04-01', 'paid']]);
    expect(of(broke.account.accountId)).toEqual([
      ['2025-03-01', 'missed'],
      ['2025-04-01', 'due'],
    ]);
    const attempts = await db
      .selectFrom('debit_requests')
      .select(['requested_on', 'status'])
      .where('account_id', '=', BigInt(broke.account.accountId))
      .orderBy('requested_on')
      .execute();
    // Due 2025-03-15 (Saturday), retried daily to Monday 2025-03-31, the month's last working day.
    expect(attempts.filter((a) => a.requested_on < '2025-04-01')).toHaveLength(17);
    expect(attempts.at(-1)?.requested_on).toBe('2025-04-15');
    expect(attempts.every((a) => a.status === 'failed')).toBe(true);
    const account = await db
      .selectFrom('accounts')
      .select('balance_fen')
      .where('id', '=', BigInt(monthly.account.accountId))
      .executeTakeFirstOrThrow();
    expect(account.balance_fen).toBe(100000n);
    const month = await db
      .selectFrom('account_months')
      .selectAll()
      .where('account_id', '=', BigInt(monthly.account.accountId))
      .execute();
    expect(month.map((m) => [m.month, m.covered])).toEqual([
      ['2025-03-01', true],
      ['2025-04-01', true],
    ]);
    expect(await getBusinessDate(db)).toBe('2025-04-16');

    // A missed period is not collected later unless the center enabled catch-up for it (rules.md §3.2).
    const missed = periods.find(
      (p) => p.account_id === BigInt(broke.account.accountId) && p.status === 'missed',
    )!;
    await expectRefusedWithoutWrites(
      db,
      () =>
        recordCounterDeposit({
          db,
          actor: teller,
          accountId: broke.account.accountId,
          amount: '1000.00',
          idempotencyKey: 'late-missed-1',
          periodId: String(missed.id),
        }),
      'DEPOSIT_NO_PERIOD_DUE',
      expect,
    );
  });
});

describe('resuming and catching up', () => {
  it('closing day by day equals one catch-up', async () => {
    const a = await center();
    const b = await center();
    await scenario(a.db, a.bank);
    await scenario(b.db, b.bank);
    for (let i = 0; i < 20; i++) await closeDays({ db: a.db, bank: a.bank, actor: system });
    await closeDays({ db: b.db, bank: b.bank, actor: system, to: '2025-03-23' });
    expect(await booksSnapshot(a.db)).toEqual(await booksSnapshot(b.db));
  });

  it('a close killed between steps resumes and ends with the books of a clean run', async () => {
    const clean = await center();
    const killed = await center();
    await scenario(clean.db, clean.bank);
    await scenario(killed.db, killed.bank);
    await closeDays({ db: clean.db, bank: clean.bank, actor: system, to: '2025-03-20' });

    let armed = true;
    const steps: CloseStep[] = CLOSE_STEPS.map((s) =>
      s.name === 'periodic-debits'
        ? {
            ...s,
            run: async (ctx) => {
              const summary = await s.run(ctx);
              if (armed && ctx.date === '2025-03-15') {
                armed = false;
                throw new Error('killed after the debits were sent');
              }
              return summary;
            },
          }
        : s,
    );
    await expect(
      closeDays({ db: killed.db, bank: killed.bank, actor: system, to: '2025-03-20', steps }),
    ).rejects.toThrow('killed');
    expect(await getBusinessDate(killed.db)).toBe('2025-03-15');
    await closeDays({ db: killed.db, bank: killed.bank, actor: system, to: '2025-03-20', steps });
    expect(await booksSnapshot(killed.db)).toEqual(await booksSnapshot(clean.db));
  });
});
