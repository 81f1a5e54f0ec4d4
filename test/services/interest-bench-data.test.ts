// The benchmark fixture generator (`anju bench-data`) leaves the database as posting every deposit one by
// one would: balanced books, well-formed people and account numbers, accumulators the calculator agrees
// with; and the June 30 settlement over it passes `anju verify`.
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { openedDepositor, startCenter } from '../support/services.ts';
import { decryptIdNumber, idNumberHash } from '../../src/auth/pii.ts';
import { generateBenchData } from '../../src/cli/commands/bench-data.ts';
import { isValidAccountNumber } from '../../src/domain/account-number.ts';
import { parseIdNumber } from '../../src/domain/identity.ts';
import { interestForPeriod } from '../../src/domain/interest.ts';
import { SYSTEM_ACTOR } from '../../src/domain/roles.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { interestToDate } from '../../src/services/interest/interest-to-date.ts';
import { settleAnnualInterest } from '../../src/services/interest/settle-annual-interest.ts';

const N = 60;
const RATES = [{ from: '2016-02-21', ratePct: new Decimal('1.5') }];

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2024-06-28');
  await openedDepositor(t.db, {}, 'flexible'); // someone already there: the generator adds beside them
});
afterAll(async () => {
  await t.close();
});

async function count(table: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(t.db);
  return Number(r.rows[0]!.n);
}

describe('anju bench-data (a set-based benchmark fixture)', () => {
  it('creates N people with signed agreements, open accounts and 12 monthly deposits each', async () => {
    const result = await generateBenchData(t.db, { accounts: N, deposits: 12, year: 2024 });
    expect(result.accounts).toBe(N);
    expect(result.deposits).toBe(N * 12);
    expect(await count('depositors')).toBe(N + 1);
    expect(await count('accounts')).toBe(N + 1);
    expect(await count('deposits')).toBe(N * 12);
    expect(await count('deposit_allocations')).toBe(N * 12);
    expect(await count('account_months')).toBe(N * 12);
    expect((await verifyBooks(t.db)).ok).toBe(true);

    const people = await t.db
      .selectFrom('depositors as d')
      .innerJoin('accounts as a', 'a.depositor_id', 'd.id')
      .innerJoin('agreements as g', 'g.account_id', 'a.id')
      .select([
        'd.id_number_hash',
        'd.id_number_enc',
        'd.birth_date',
        'd.gender',
        'a.account_number',
        'g.status',
        'g.deposit_mode',
      ])
      .where('d.registered_by', '=', 'system:bench-data')
      .execute();
    expect(people).toHaveLength(N);
    for (const p of people) {
      const idNumber = decryptIdNumber(p.id_number_enc);
      const parsed = parseIdNumber(idNumber);
      expect(idNumberHash(parsed.normalized)).toBe(p.id_number_hash);
      expect(parsed.birthDate).toBe(p.birth_date);
      expect(parsed.gender).toBe(p.gender);
      expect(isValidAccountNumber(p.account_number)).toBe(true);
      expect([p.status, p.deposit_mode]).toEqual(['signed', 'flexible']);
    }
  });

  it('leaves each accumulator as posting the deposits one by one would', async () => {
    const accounts = await t.db
      .selectFrom('accounts')
      .select(['id', 'balance_fen', 'current_year_fen', 'interest_year_end'])
      .where('balance_fen', '>', 0n)
      .execute();
    expect(accounts).toHaveLength(N);
    for (const account of accounts.slice(0, 12)) {
      const deposits = await t.db
        .selectFrom('deposits')
        .select(['value_date', 'amount_fen'])
        .where('account_id', '=', account.id)
        .execute();
      expect(deposits.reduce((s, d) => s + d.amount_fen, 0n)).toBe(account.balance_fen);
      expect(account.current_year_fen).toBe(account.balance_fen);
      expect(account.interest_year_end).toBe('2025-06-30');
      const got = await interestToDate(t.db, account.id, { upTo: '2025-07-01' });
      const want = interestForPeriod({
        from: '2024-07-01',
        to: '2025-06-30',
        openingBalanceFen: 0n,
        movements: deposits.map((d) => ({ date: d.value_date, amountFen: d.amount_fen })),
        rates: RATES,
      });
      expect(got.interestFen).toBe(want.interestFen);
      expect(got.balanceDaysFen).toBe(want.balanceDaysFen);
    }
  });

  it('settles on June 30 with the books still balanced', async () => {
    const result = await settleAnnualInterest({ db: t.db, date: '2025-06-30', actor: SYSTEM_ACTOR });
    const flex = result.books.find((b) => b.book === 'FLEX')!;
    expect(flex.accounts).toBe(N);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('refuses bad options', async () => {
    await expect(generateBenchData(t.db, { accounts: 0 })).rejects.toMatchObject({
      code: 'INTEREST_BENCH_DATA_INVALID',
    });
    await expect(generateBenchData(t.db, { accounts: 5, deposits: 13 })).rejects.toMatchObject({
      code: 'INTEREST_BENCH_DATA_INVALID',
    });
  });
});
