// The books (rules.md §7): every movement is one balanced entry in one book; the sum of the members'
// balances equals 201; mistakes are reversed by a mirror entry; inter-pool movements are pairs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { insertTestAccount } from '../../test/support/fixtures.ts';
import type { Db } from '../db/connection.ts';
import type { Book, JournalEntryDraft, PostingDraft } from '../domain/journal.ts';
import { LEDGER, ledgerBalance, listLedgerAccounts } from './chart.ts';
import { postEntry, postPair } from './post.ts';
import { reverseEntry } from './reverse.ts';
import { verifyBooks } from './verify-books.ts';

let handle: TestDatabase;
let db: Db;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(async () => {
  await handle?.close();
});

const ACTOR = 'staff:teller1';

function post(draft: JournalEntryDraft) {
  return db.transaction().execute((tx) => postEntry(tx, draft, ACTOR));
}

function depositDraft(memberAccountId: bigint, amountFen: bigint, book: Book = 'FLEX'): JournalEntryDraft {
  return {
    book,
    businessDate: '2024-07-15',
    entryType: 'deposit',
    memo: 'test deposit',
    sourceType: 'deposit',
    sourceId: '1',
    postings: [
      { account: LEDGER.bank, side: 'D', amountFen },
      { account: LEDGER.members, side: 'C', amountFen, memberAccountId },
    ],
  };
}

function withdrawalDraft(memberAccountId: bigint, amountFen: bigint, book: Book = 'FLEX'): JournalEntryDraft {
  return {
    book,
    businessDate: '2024-08-01',
    entryType: 'withdrawal',
    postings: [
      { account: LEDGER.members, side: 'D', amountFen, memberAccountId },
      { account: LEDGER.payoutsInTransit, side: 'C', amountFen },
    ],
  };
}

async function member(id: bigint) {
  return db
    .selectFrom('accounts')
    .select(['balance_fen', 'current_year_fen', 'carried_over_fen', 'pool'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Everything a refused posting must leave untouched. */
async function snapshot() {
  const r = await sql<{ entries: string; postings: string; ledger: string; members: string }>`
    SELECT (SELECT count(*) FROM journal_entries)::text AS entries,
      (SELECT count(*) FROM postings)::text AS postings,
      (SELECT string_agg(book || code || ':' || balance_fen, ',' ORDER BY book, code) FROM ledger_balances) AS ledger,
      (SELECT string_agg(id || ':' || balance_fen || '/' || current_year_fen || '/' || carried_over_fen, ',' ORDER BY id)
         FROM accounts) AS members`.execute(db);
  return r.rows[0]!;
}

async function expectRefusedAndNothingWritten(
  work: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await snapshot();
  await expect(work()).rejects.toMatchObject(expected);
  expect(await snapshot()).toEqual(before);
}

describe('postEntry (rules.md §7)', () => {
  it('a deposit (Dr 101 bank / Cr 201 member) moves the bank, the 201 total and the member balance', async () => {
    const accountId = await insertTestAccount(db);
    const bankBefore = await ledgerBalance(db, 'FLEX', LEDGER.bank);
    const membersBefore = await ledgerBalance(db, 'FLEX', LEDGER.members);

    const { entryId } = await post(depositDraft(accountId, 123_456n));

    expect(await ledgerBalance(db, 'FLEX', LEDGER.bank)).toBe(bankBefore + 123_456n);
    expect(await ledgerBalance(db, 'FLEX', LEDGER.members)).toBe(membersBefore + 123_456n);
    expect(await member(accountId)).toMatchObject({ balance_fen: 123_456n, current_year_fen: 123_456n });
    const entry = await db
      .selectFrom('journal_entries')
      .selectAll()
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      book: 'FLEX',
      business_date: '2024-07-15',
      entry_type: 'deposit',
      memo: 'test deposit',
      source_type: 'deposit',
      source_id: '1',
      pair_id: null,
      reverses_entry_id: null,
      created_by: ACTOR,
    });
    const postings = await db
      .selectFrom('postings')
      .select(['book', 'account_code', 'side', 'amount_fen', 'member_account_id'])
      .where('entry_id', '=', entryId)
      .orderBy('id')
      .execute();
    expect(postings).toEqual([
      { book: 'FLEX', account_code: '101', side: 'D', amount_fen: 123_456n, member_account_id: null },
      { book: 'FLEX', account_code: '201', side: 'C', amount_fen: 123_456n, member_account_id: accountId },
    ]);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('balances are striped: the posting adds to its stripe, the chart row stays; readers see base + stripes', async () => {
    const accountId = await insertTestAccount(db);
    const chartRow = () =>
      db
        .selectFrom('ledger_accounts')
        .select(['code', 'balance_fen'])
        .where('book', '=', 'FLEX')
        .where('code', 'in', [LEDGER.bank, LEDGER.members])
        .orderBy('code')
        .execute();
    const stripes = async (code: string) =>
      (
        await db
          .selectFrom('ledger_balance_deltas')
          .select((eb) => eb.fn.sum<string>('delta_fen').as('s'))
          .where('book', '=', 'FLEX')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).s;
    const before = { chart: await chartRow(), bank: await stripes(LEDGER.bank) };

    await post(depositDraft(accountId, 7_000n));

    expect(await chartRow()).toEqual(before.chart);
    expect(BigInt(await stripes(LEDGER.bank))).toBe(BigInt(before.bank) + 7_000n);
    const bankBase = before.chart.find((r) => r.code === LEDGER.bank)!.balance_fen;
    expect(await ledgerBalance(db, 'FLEX', LEDGER.bank)).toBe(bankBase + BigInt(await stripes(LEDGER.bank)));
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('a debit to 201 takes from the current-year part first, then the carried-over part (rules.md §4.1)', async () => {
    const accountId = await insertTestAccount(db, { balanceFen: 10_000n });
    // What the June 30 roll-over does: this year's collection becomes carried over.
    await db
      .updateTable('accounts')
      .set({ carried_over_fen: 10_000n, current_year_fen: 0n })
      .where('id', '=', accountId)
      .execute();
    await post(depositDraft(accountId, 3_000n));
    expect(await member(accountId)).toMatchObject({
      balance_fen: 13_000n,
      current_year_fen: 3_000n,
      carried_over_fen: 10_000n,
    });
    await post(withdrawalDraft(accountId, 5_000n));
    expect(await member(accountId)).toMatchObject({
      balance_fen: 8_000n,
      current_year_fen: 0n,
      carried_over_fen: 8_000n,
    });
  });

  it('moves several members in one entry (interest settlement: Dr 211 / Cr 201 each member)', async () => {
    await post({
      book: 'FLEX',
      businessDate: '2024-06-30',
      entryType: 'interest_accrual',
      postings: [
        { account: LEDGER.interestExpense, side: 'D', amountFen: 500n },
        { account: LEDGER.interestPayable, side: 'C', amountFen: 500n },
      ],
    });
    const a = await insertTestAccount(db);
    const b = await insertTestAccount(db);
    const payableBefore = await ledgerBalance(db, 'FLEX', LEDGER.interestPayable);
    await post({
      book: 'FLEX',
      businessDate: '2024-06-30',
      entryType: 'interest_settlement',
      postings: [
        { account: LEDGER.interestPayable, side: 'D', amountFen: 500n },
        { account: LEDGER.members, side: 'C', amountFen: 200n, memberAccountId: b },
        { account: LEDGER.members, side: 'C', amountFen: 300n, memberAccountId: a },
      ],
    });
    expect(await ledgerBalance(db, 'FLEX', LEDGER.interestPayable)).toBe(payableBefore - 500n);
    expect((await member(a)).balance_fen).toBe(300n);
    expect((await member(b)).balance_fen).toBe(200n);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('refuses an unbalanced entry and writes nothing', async () => {
    const accountId = await insertTestAccount(db);
    await expectRefusedAndNothingWritten(
      () =>
        post({
          ...depositDraft(accountId, 100n),
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: 100n },
            { account: LEDGER.members, side: 'C', amountFen: 99n, memberAccountId: accountId },
          ],
        }),
      { code: 'LEDGER_UNBALANCED', details: { debitTotalFen: '100', creditTotalFen: '99' } },
    );
  });

  it('refuses an account that is not in the chart, naming the posting', async () => {
    await expectRefusedAndNothingWritten(
      () =>
        post({
          book: 'FLEX',
          businessDate: '2024-07-15',
          entryType: 'test',
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: 100n },
            { account: '999', side: 'C', amountFen: 100n },
          ],
        }),
      { code: 'LEDGER_ACCOUNT_UNKNOWN', field: 'postings[1].account' },
    );
  });

  it('refuses a closed account', async () => {
    await db
      .updateTable('ledger_accounts')
      .set({ is_open: false })
      .where('book', '=', 'FLEX')
      .where('code', '=', '119')
      .execute();
    try {
      await expectRefusedAndNothingWritten(
        () =>
          post({
            book: 'FLEX',
            businessDate: '2024-07-15',
            entryType: 'test',
            postings: [
              { account: '119', side: 'D', amountFen: 100n },
              { account: LEDGER.bank, side: 'C', amountFen: 100n },
            ],
          }),
        { code: 'LEDGER_ACCOUNT_CLOSED', field: 'postings[0].account' },
      );
    } finally {
      await db
        .updateTable('ledger_accounts')
        .set({ is_open: true })
        .where('book', '=', 'FLEX')
        .where('code', '=', '119')
        .execute();
    }
  });

  it('refuses a member account of the other pool (inter-pool movements are pairs)', async () => {
    const unitAccount = await insertTestAccount(db, { pool: 'MANDATORY' });
    await expectRefusedAndNothingWritten(() => post(depositDraft(unitAccount, 100n, 'FLEX')), {
      code: 'LEDGER_CROSS_BOOK',
      field: 'postings[1].memberAccountId',
    });
  });

  it('refuses an unknown member account', async () => {
    await expectRefusedAndNothingWritten(() => post(depositDraft(987_654_321n, 100n)), {
      code: 'LEDGER_MEMBER_ACCOUNT_UNKNOWN',
    });
  });

  it('refuses a debit that would take a member balance below zero', async () => {
    const accountId = await insertTestAccount(db, { balanceFen: 1_000n });
    await expectRefusedAndNothingWritten(() => post(withdrawalDraft(accountId, 1_001n)), {
      code: 'LEDGER_MEMBER_BALANCE_NEGATIVE',
      details: { memberAccountId: String(accountId), balanceFen: '1000', deltaFen: '-1001' },
    });
    await post(withdrawalDraft(accountId, 1_000n));
    expect((await member(accountId)).balance_fen).toBe(0n);
  });

  it('refuses member accounts on other postings and missing ones on 201', async () => {
    const accountId = await insertTestAccount(db);
    await expectRefusedAndNothingWritten(
      () =>
        post({
          ...depositDraft(accountId, 100n),
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: 100n, memberAccountId: accountId },
            { account: LEDGER.members, side: 'C', amountFen: 100n, memberAccountId: accountId },
          ],
        }),
      { code: 'LEDGER_MEMBER_ACCOUNT_NOT_ALLOWED' },
    );
    await expectRefusedAndNothingWritten(
      () =>
        post({
          ...depositDraft(accountId, 100n),
          postings: [
            { account: LEDGER.bank, side: 'D', amountFen: 100n },
            { account: LEDGER.members, side: 'C', amountFen: 100n },
          ],
        }),
      { code: 'LEDGER_MEMBER_ACCOUNT_REQUIRED' },
    );
  });

  it('must run inside a transaction', async () => {
    const accountId = await insertTestAccount(db);
    await expect(postEntry(db, depositDraft(accountId, 100n), ACTOR)).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
    });
  });

  it('shares the caller transaction: a later failure rolls the entry back too', async () => {
    const accountId = await insertTestAccount(db);
    await expectRefusedAndNothingWritten(
      () =>
        db.transaction().execute(async (tx) => {
          await postEntry(tx, depositDraft(accountId, 100n), ACTOR);
          throw new Error('the business row failed');
        }),
      { message: 'the business row failed' },
    );
  });
  it('the database itself refuses a 201 posting without a member account (migration 0004)', async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        const entry = await tx
          .insertInto('journal_entries')
          .values({ book: 'FLEX', business_date: '2024-07-15', entry_type: 'direct', created_by: ACTOR })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('postings')
          .values({ entry_id: entry.id, book: 'FLEX', account_code: '201', side: 'C', amount_fen: 1n })
          .execute();
      }),
    ).rejects.toMatchObject({ code: '23514', constraint: 'postings_member_only_on_201' });
  });
});

describe('reverseEntry (冲正)', () => {
  const reverse = (entryId: bigint) =>
    db
      .transaction()
      .execute((tx) =>
        reverseEntry(tx, entryId, { businessDate: '2024-07-16', memo: 'keyed twice', actor: ACTOR }),
      );

  it('posts the mirror entry, linked to the original, and restores every balance', async () => {
    const accountId = await insertTestAccount(db, { balanceFen: 500n });
    const before = await snapshot();
    const { entryId } = await post(depositDraft(accountId, 2_000n));
    const reversal = await reverse(entryId);

    const row = await db
      .selectFrom('journal_entries')
      .selectAll()
      .where('id', '=', reversal.entryId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reverses_entry_id: entryId,
      entry_type: 'reversal',
      business_date: '2024-07-16',
      memo: 'keyed twice',
      source_type: 'deposit',
      source_id: '1',
    });
    const sides = await db
      .selectFrom('postings')
      .select(['account_code', 'side', 'amount_fen', 'member_account_id'])
      .where('entry_id', '=', reversal.entryId)
      .orderBy('id')
      .execute();
    expect(sides).toEqual([
      { account_code: '101', side: 'C', amount_fen: 2_000n, member_account_id: null },
      { account_code: '201', side: 'D', amount_fen: 2_000n, member_account_id: accountId },
    ]);
    const after = await snapshot();
    expect(after.ledger).toEqual(before.ledger);
    expect(after.members).toEqual(before.members);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('reverses an entry only once, and never a reversal', async () => {
    const accountId = await insertTestAccount(db);
    const { entryId } = await post(depositDraft(accountId, 100n));
    const reversal = await reverse(entryId);
    await expectRefusedAndNothingWritten(() => reverse(entryId), {
      code: 'LEDGER_ALREADY_REVERSED',
      details: { reversalEntryId: String(reversal.entryId) },
    });
    await expectRefusedAndNothingWritten(() => reverse(reversal.entryId), {
      code: 'LEDGER_REVERSAL_NOT_REVERSIBLE',
    });
    await expectRefusedAndNothingWritten(() => reverse(999_999_999n), { code: 'LEDGER_ENTRY_NOT_FOUND' });
  });

  it('refuses to reverse a deposit whose money was already withdrawn', async () => {
    const accountId = await insertTestAccount(db);
    const { entryId } = await post(depositDraft(accountId, 100n));
    await post(withdrawalDraft(accountId, 60n));
    await expectRefusedAndNothingWritten(() => reverse(entryId), { code: 'LEDGER_MEMBER_BALANCE_NEGATIVE' });
  });
});

describe('postPair (rules.md §5.3: inter-pool movements)', () => {
  it('converts a flexible balance into a unit account: one entry per book, sharing a pair id', async () => {
    const flex = await insertTestAccount(db, { pool: 'FLEX', balanceFen: 7_000n });
    const unit = await insertTestAccount(db, { pool: 'MANDATORY' });
    const payableBefore = await ledgerBalance(db, 'FLEX', LEDGER.interPoolPayable);
    const receivableBefore = await ledgerBalance(db, 'MANDATORY', LEDGER.interPoolReceivable);
    const pair = await db.transaction().execute((tx) =>
      postPair(
        tx,
        {
          book: 'FLEX',
          businessDate: '2024-09-01',
          entryType: 'conversion_out',
          postings: [
            { account: LEDGER.members, side: 'D', amountFen: 7_000n, memberAccountId: flex },
            { account: LEDGER.interPoolPayable, side: 'C', amountFen: 7_000n },
          ],
        },
        {
          book: 'MANDATORY',
          businessDate: '2024-09-01',
          entryType: 'conversion_in',
          postings: [
            { account: LEDGER.interPoolReceivable, side: 'D', amountFen: 7_000n },
            { account: LEDGER.members, side: 'C', amountFen: 7_000n, memberAccountId: unit },
          ],
        },
        ACTOR,
      ),
    );
    const entries = await db
      .selectFrom('journal_entries')
      .select(['id', 'book', 'pair_id'])
      .where('pair_id', '=', pair.pairId)
      .orderBy('book')
      .execute();
    expect(entries).toEqual([
      { id: pair.flexEntryId, book: 'FLEX', pair_id: pair.pairId },
      { id: pair.mandatoryEntryId, book: 'MANDATORY', pair_id: pair.pairId },
    ]);
    expect((await member(flex)).balance_fen).toBe(0n);
    expect((await member(unit)).balance_fen).toBe(7_000n);
    expect(await ledgerBalance(db, 'FLEX', LEDGER.interPoolPayable)).toBe(payableBefore + 7_000n);
    expect(await ledgerBalance(db, 'MANDATORY', LEDGER.interPoolReceivable)).toBe(receivableBefore + 7_000n);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('refuses drafts in the wrong books, and a bad second half leaves nothing', async () => {
    const flex = await insertTestAccount(db, { pool: 'FLEX', balanceFen: 100n });
    const flexDraft: JournalEntryDraft = {
      book: 'FLEX',
      businessDate: '2024-09-01',
      entryType: 'conversion_out',
      postings: [
        { account: LEDGER.members, side: 'D', amountFen: 100n, memberAccountId: flex },
        { account: LEDGER.interPoolPayable, side: 'C', amountFen: 100n },
      ],
    };
    await expectRefusedAndNothingWritten(
      () => db.transaction().execute((tx) => postPair(tx, flexDraft, flexDraft, ACTOR)),
      { code: 'LEDGER_PAIR_BOOKS' },
    );
    await expectRefusedAndNothingWritten(
      () =>
        db.transaction().execute((tx) =>
          postPair(
            tx,
            flexDraft,
            {
              book: 'MANDATORY',
              businessDate: '2024-09-01',
              entryType: 'conversion_in',
              postings: [
                { account: LEDGER.interPoolReceivable, side: 'D', amountFen: 100n },
                { account: LEDGER.members, side: 'C', amountFen: 100n, memberAccountId: flex },
              ],
            },
            ACTOR,
          ),
        ),
      { code: 'LEDGER_CROSS_BOOK' },
    );
  });
});

describe('chart helpers', () => {
  it('lists a book’s accounts in code order with their normal sides', async () => {
    const accounts = await listLedgerAccounts(db, 'MANDATORY');
    expect(accounts.map((a) => a.code)).toEqual([...accounts.map((a) => a.code)].sort());
    expect(accounts.find((a) => a.code === LEDGER.members)).toMatchObject({
      normalSide: 'credit',
      book: 'MANDATORY',
    });
    expect(accounts.find((a) => a.code === LEDGER.bank)).toMatchObject({ normalSide: 'debit' });
    for (const code of Object.values(LEDGER)) expect(accounts.some((a) => a.code === code)).toBe(true);
    await expect(ledgerBalance(db, 'FLEX', '999')).rejects.toMatchObject({ code: 'LEDGER_ACCOUNT_UNKNOWN' });
  });
});

// Concurrency needs a real server: PGlite has one connection.
describe.runIf(process.env.DATABASE_URL)('concurrent postings (PostgreSQL)', () => {
  it('parallel deposits and withdrawals on shared accounts neither deadlock nor break the books', async () => {
    const members = await Promise.all(
      Array.from({ length: 6 }, () => insertTestAccount(db, { balanceFen: 1_000n })),
    );
    const work = Array.from({ length: 120 }, (_, i) => {
      const id = members[i % members.length]!;
      const other = members[(i * 7 + 3) % members.length]!;
      return db.transaction().execute((tx) =>
        postEntry(
          tx,
          {
            book: 'FLEX',
            businessDate: '2024-07-15',
            entryType: 'shuffle',
            // Odd entries list their postings in the opposite order: locks are still taken in one order.
            postings: (i % 2 === 0 ? (x: PostingDraft[]) => x : (x: PostingDraft[]) => x.reverse())([
              { account: LEDGER.members, side: 'D', amountFen: 10n, memberAccountId: id },
              { account: LEDGER.bank, side: 'D', amountFen: 5n },
              { account: LEDGER.bankClearing, side: 'D', amountFen: 3n },
              { account: LEDGER.members, side: 'C', amountFen: 15n, memberAccountId: other },
              { account: LEDGER.payoutsInTransit, side: 'C', amountFen: 3n },
            ]),
          },
          ACTOR,
        ),
      );
    });
    await Promise.all(work);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('services that lock the member account before posting do not deadlock with plain postings', async () => {
    const accountId = await insertTestAccount(db, { balanceFen: 100_000n });
    const work = Array.from({ length: 40 }, (_, i) =>
      db.transaction().execute(async (tx) => {
        // A withdrawal service checks the account under a row lock first, then posts.
        if (i % 2 === 0)
          await tx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().execute();
        await postEntry(
          tx,
          i % 2 === 0 ? withdrawalDraft(accountId, 10n) : depositDraft(accountId, 10n),
          ACTOR,
        );
      }),
    );
    await Promise.all(work);
    expect((await member(accountId)).balance_fen).toBe(100_000n);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('closing a ledger account waits for postings in flight; a posting checked before the close is refused', async () => {
    const setOpen = (isOpen: boolean) =>
      db
        .updateTable('ledger_accounts')
        .set({ is_open: isOpen })
        .where('book', '=', 'FLEX')
        .where('code', '=', LEDGER.loanRiskReserve)
        .execute();
    const reserveDraft = (amountFen: bigint): JournalEntryDraft => ({
      book: 'FLEX',
      businessDate: '2024-07-15',
      entryType: 'reserve',
      postings: [
        { account: LEDGER.bank, side: 'D', amountFen },
        { account: LEDGER.loanRiskReserve, side: 'C', amountFen },
      ],
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      // 1. A posting holds the account (FOR SHARE) until it commits: the close waits for it.
      let releasePosting!: () => void;
      const postingHeld = new Promise<void>((resolve) => (releasePosting = resolve));
      const posting = db.transaction().execute(async (tx) => {
        await postEntry(tx, reserveDraft(100n), ACTOR);
        await postingHeld;
      });
      await pause(100);
      let closed = false;
      const closing = setOpen(false).then(() => (closed = true));
      await pause(200);
      expect(closed).toBe(false);
      releasePosting();
      await posting;
      await closing;

      // 2. A posting that saw the account open, then queued behind an uncommitted close, is refused.
      await setOpen(true);
      let releaseClose!: () => void;
      const closeHeld = new Promise<void>((resolve) => (releaseClose = resolve));
      const close = db.transaction().execute(async (tx) => {
        await tx
          .updateTable('ledger_accounts')
          .set({ is_open: false })
          .where('book', '=', 'FLEX')
          .where('code', '=', LEDGER.loanRiskReserve)
          .execute();
        await closeHeld;
      });
      await pause(100);
      const late = db.transaction().execute((tx) => postEntry(tx, reserveDraft(50n), ACTOR));
      await pause(200);
      releaseClose();
      await close;
      await expect(late).rejects.toMatchObject({
        code: 'LEDGER_ACCOUNT_CLOSED',
        details: { closedConcurrently: true },
      });
      expect(await ledgerBalance(db, 'FLEX', LEDGER.loanRiskReserve)).toBe(100n);
      expect((await verifyBooks(db)).ok).toBe(true);
    } finally {
      await setOpen(true);
    }
  });

  it('a withdrawal that loses the race to another is refused by the balance check, as a coded error', async () => {
    const accountId = await insertTestAccount(db, { balanceFen: 1_000n });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first withdrawal takes the whole balance and holds its lock until released.
    const first = db.transaction().execute(async (tx) => {
      await postEntry(tx, withdrawalDraft(accountId, 1_000n), ACTOR);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    // The second passes the pre-check (it still sees 1,000) and then waits on the row lock.
    const second = db.transaction().execute((tx) => postEntry(tx, withdrawalDraft(accountId, 600n), ACTOR));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await first;
    await expect(second).rejects.toMatchObject({ code: 'LEDGER_MEMBER_BALANCE_NEGATIVE' });
    expect((await member(accountId)).balance_fen).toBe(0n);
    expect((await verifyBooks(db)).ok).toBe(true);
  });
});
