// `anju verify` (books): every invariant of rules.md §7 is recomputed from the postings; a balance edited
// behind the ledger's back is caught and named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { insertTestAccount } from '../../test/support/fixtures.ts';
import type { Db } from '../db/connection.ts';
import { LEDGER } from './chart.ts';
import { postEntry } from './post.ts';
import { formatVerifyReport, verifyBooks, type VerifyBooksResult } from './verify-books.ts';

let handle: TestDatabase;
let db: Db;
let memberId: bigint;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  memberId = await insertTestAccount(db, { balanceFen: 50_000n });
  await insertTestAccount(db, { pool: 'MANDATORY', balanceFen: 80_000n });
  await db.transaction().execute((tx) =>
    postEntry(
      tx,
      {
        book: 'FLEX',
        businessDate: '2024-07-31',
        entryType: 'interest_accrual',
        postings: [
          { account: LEDGER.interestExpense, side: 'D', amountFen: 62n },
          { account: LEDGER.interestPayable, side: 'C', amountFen: 62n },
        ],
      },
      'system:close',
    ),
  );
});
afterAll(async () => {
  await handle?.close();
});

const failing = (r: VerifyBooksResult) => r.checks.filter((c) => !c.ok).map((c) => `${c.book} ${c.name}`);

describe('verifyBooks', () => {
  it('passes every check on books written only through postEntry', async () => {
    const result = await verifyBooks(db);
    expect(failing(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks).toHaveLength(14);
    expect(result.checks.find((c) => c.book === 'FLEX' && c.name === 'members_sum_equals_201')).toMatchObject(
      {
        expected: '500.00',
        actual: '500.00',
      },
    );
  });

  it('catches a ledger balance edited directly', async () => {
    await db
      .updateTable('ledger_accounts')
      .set((eb) => ({ balance_fen: eb('balance_fen', '+', 1n) }))
      .where('book', '=', 'FLEX')
      .where('code', '=', LEDGER.bank)
      .execute();
    try {
      const result = await verifyBooks(db);
      expect(result.ok).toBe(false);
      expect(failing(result)).toEqual(['FLEX ledger_balances_match_postings']);
      const check = result.checks.find((c) => c.name === 'ledger_balances_match_postings' && !c.ok)!;
      expect(check.detail).toBe('101: balance 500.01, postings 500.00');
      expect(formatVerifyReport(result)).toMatch(
        /✗ FLEX +each ledger balance = Σ its postings +expected 0, found 1/,
      );
    } finally {
      await db
        .updateTable('ledger_accounts')
        .set((eb) => ({ balance_fen: eb('balance_fen', '-', 1n) }))
        .where('book', '=', 'FLEX')
        .where('code', '=', LEDGER.bank)
        .execute();
    }
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('catches a balance stripe edited directly (migration 0012)', async () => {
    const stripe = (delta: bigint) =>
      db
        .updateTable('ledger_balance_deltas')
        .set((eb) => ({ delta_fen: eb('delta_fen', '+', delta) }))
        .where('book', '=', 'FLEX')
        .where('code', '=', LEDGER.interestPayable)
        .where('stripe', '=', 7)
        .execute();
    await stripe(-2n);
    try {
      const result = await verifyBooks(db);
      expect(failing(result)).toEqual(['FLEX ledger_balances_match_postings']);
      expect(result.checks.find((c) => c.name === 'ledger_balances_match_postings' && !c.ok)!.detail).toBe(
        '211: balance 0.60, postings 0.62',
      );
    } finally {
      await stripe(2n);
    }
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('catches a member balance edited directly', async () => {
    await db
      .updateTable('accounts')
      .set((eb) => ({ balance_fen: eb('balance_fen', '+', 100n) }))
      .where('id', '=', memberId)
      .execute();
    try {
      const result = await verifyBooks(db);
      expect(result.ok).toBe(false);
      expect(failing(result)).toEqual(['FLEX members_sum_equals_201', 'FLEX member_balances_match_postings']);
      expect(result.checks.find((c) => c.name === 'member_balances_match_postings' && !c.ok)!.detail).toBe(
        `accounts ${memberId}`,
      );
    } finally {
      await db
        .updateTable('accounts')
        .set((eb) => ({ balance_fen: eb('balance_fen', '-', 100n) }))
        .where('id', '=', memberId)
        .execute();
    }
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('catches an entry that does not balance by itself (a posting edited directly)', async () => {
    const posting = await db
      .selectFrom('postings')
      .select(['id', 'entry_id'])
      .where('account_code', '=', LEDGER.interestExpense)
      .executeTakeFirstOrThrow();
    await db.updateTable('postings').set({ amount_fen: 63n }).where('id', '=', posting.id).execute();
    try {
      const result = await verifyBooks(db);
      expect(failing(result)).toEqual([
        'FLEX debits_equal_credits',
        'FLEX ledger_balances_match_postings',
        'FLEX entries_balance',
      ]);
      expect(result.checks.find((c) => c.name === 'entries_balance' && !c.ok)!.detail).toBe(
        `entries ${posting.entry_id}`,
      );
    } finally {
      await db.updateTable('postings').set({ amount_fen: 62n }).where('id', '=', posting.id).execute();
    }
  });

  it('reports one line per check and a summary', async () => {
    const report = formatVerifyReport(await verifyBooks(db));
    const lines = report.split('\n');
    expect(lines).toHaveLength(15);
    expect(lines.slice(0, 14).every((l) => l.startsWith('✓ '))).toBe(true);
    expect(lines[0]).toMatch(/^✓ FLEX +Σ debits = Σ credits +\d+\.\d\d$/);
    expect(lines[14]).toBe('Books: all 14 checks passed');
  });

  it('runs inside a caller transaction too', async () => {
    const result = await db.transaction().execute((tx) => verifyBooks(tx));
    expect(result.ok).toBe(true);
  });
});
