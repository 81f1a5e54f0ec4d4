// Properties of the books (rules.md §7), against a real database: any sequence of balanced entries over
// any accounts and members keeps every verifyBooks invariant and matches a simple model of the balances;
// a refusal happens exactly when a member balance would go below zero; unbalanced entries never post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { insertTestAccount } from '../../test/support/fixtures.ts';
import type { Db } from '../db/connection.ts';
import { normalSideDelta, type Book, type JournalEntryDraft, type PostingDraft } from '../domain/journal.ts';
import { LEDGER, listLedgerAccounts } from './chart.ts';
import { postEntry } from './post.ts';
import { verifyBooks } from './verify-books.ts';

let handle: TestDatabase;
let db: Db;
const members: Record<Book, bigint[]> = { FLEX: [], MANDATORY: [] };
/** The model: expected balances, kept by applying each accepted entry's normal-side deltas. */
const ledgerModel = new Map<string, bigint>();
const memberModel = new Map<bigint, bigint>();
const normalSides = new Map<string, 'debit' | 'credit'>();

const CODES = [
  '101',
  '10101',
  '111',
  '11901',
  '121',
  '122',
  '201',
  '211',
  '21901',
  '21902',
  '21903',
  '40103',
  '41101',
];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  for (const book of ['FLEX', 'MANDATORY'] as const) {
    for (let i = 0; i < 4; i += 1) {
      const id = await insertTestAccount(db, { pool: book, balanceFen: BigInt(2_000 * i) });
      members[book].push(id);
      memberModel.set(id, BigInt(2_000 * i));
    }
    for (const a of await listLedgerAccounts(db, book)) {
      ledgerModel.set(`${book}:${a.code}`, a.balanceFen);
      normalSides.set(a.code, a.normalSide);
    }
  }
});
afterAll(async () => {
  await handle?.close();
});

const legArb = fc.record({
  account: fc.constantFrom(...CODES),
  side: fc.constantFrom<'D' | 'C'>('D', 'C'),
  amountFen: fc.bigInt({ min: 1n, max: 5_000n }),
  member: fc.nat({ max: 3 }),
});

/** A balanced draft: random legs, then one leg on a non-201 account that closes the difference. */
const entryArb = fc
  .record({
    book: fc.constantFrom<Book>('FLEX', 'MANDATORY'),
    legs: fc.array(legArb, { minLength: 1, maxLength: 5 }),
    closing: fc.constantFrom(...CODES.filter((c) => c !== LEDGER.members)),
  })
  .map(({ book, legs, closing }): JournalEntryDraft => {
    const postings: PostingDraft[] = legs.map((l) => ({
      account: l.account,
      side: l.side,
      amountFen: l.amountFen,
      ...(l.account === LEDGER.members ? { memberAccountId: members[book][l.member]! } : {}),
    }));
    const diff = postings.reduce((s, p) => s + (p.side === 'D' ? p.amountFen : -p.amountFen), 0n);
    if (diff !== 0n)
      postings.push({ account: closing, side: diff > 0n ? 'C' : 'D', amountFen: diff > 0n ? diff : -diff });
    if (postings.length < 2) postings.push({ ...postings[0]!, side: postings[0]!.side === 'D' ? 'C' : 'D' });
    return { book, businessDate: '2024-07-15', entryType: 'property', postings };
  });

async function counts() {
  const r = await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM journal_entries) || '/' || (SELECT count(*) FROM postings) AS n`.execute(db);
  return r.rows[0]!.n;
}

describe('ledger properties (fast-check, one database for the file)', () => {
  it('balanced entries keep every invariant; refusals happen exactly when a member would go negative', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 4 }), async (drafts) => {
        for (const draft of drafts) {
          const memberDelta = new Map<bigint, bigint>();
          for (const p of draft.postings) {
            if (p.memberAccountId === undefined) continue;
            const d = normalSideDelta('credit', p.side, p.amountFen);
            memberDelta.set(p.memberAccountId, (memberDelta.get(p.memberAccountId) ?? 0n) + d);
          }
          const wouldGoNegative = [...memberDelta].some(([id, d]) => memberModel.get(id)! + d < 0n);
          const before = await counts();
          const outcome = await db
            .transaction()
            .execute((tx) => postEntry(tx, draft, 'system:property'))
            .then(
              () => 'posted',
              (error: { code?: string }) => error.code ?? String(error),
            );
          if (wouldGoNegative) {
            expect(outcome).toBe('LEDGER_MEMBER_BALANCE_NEGATIVE');
            expect(await counts()).toBe(before);
            continue;
          }
          expect(outcome).toBe('posted');
          for (const p of draft.postings) {
            const key = `${draft.book}:${p.account}`;
            ledgerModel.set(
              key,
              ledgerModel.get(key)! + normalSideDelta(normalSides.get(p.account)!, p.side, p.amountFen),
            );
          }
          for (const [id, d] of memberDelta) memberModel.set(id, memberModel.get(id)! + d);
        }
        const result = await verifyBooks(db);
        expect(result.checks.filter((c) => !c.ok)).toEqual([]);
        const ledger = await db
          .selectFrom('ledger_balances')
          .select(['book', 'code', 'balance_fen'])
          .execute();
        for (const a of ledger) expect(a.balance_fen).toBe(ledgerModel.get(`${a.book}:${a.code}`));
        const accounts = await db.selectFrom('accounts').select(['id', 'balance_fen']).execute();
        for (const a of accounts) expect(a.balance_fen).toBe(memberModel.get(a.id));
      }),
      { numRuns: 30 },
    );
  });

  it('an unbalanced entry is always refused and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        entryArb,
        fc.nat({ max: 10 }),
        fc.bigInt({ min: 1n, max: 1_000n }),
        async (draft, at, extra) => {
          const postings = draft.postings.map((p) => ({ ...p }));
          const target = postings[at % postings.length]!;
          target.amountFen += extra;
          const before = await counts();
          await expect(
            db.transaction().execute((tx) => postEntry(tx, { ...draft, postings }, 'system:property')),
          ).rejects.toMatchObject({ code: 'LEDGER_UNBALANCED' });
          expect(await counts()).toBe(before);
        },
      ),
      { numRuns: 25 },
    );
  });
});
