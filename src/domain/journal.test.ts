// rules.md §7: every money movement is one balanced journal entry; postings to 201 name the member.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mirrorPostings, normalSideDelta, validateEntry, type JournalEntryDraft } from './journal.ts';

const deposit = (over: Partial<JournalEntryDraft> = {}): JournalEntryDraft => ({
  book: 'FLEX',
  businessDate: '2024-07-15',
  entryType: 'deposit',
  postings: [
    { account: '101', side: 'D', amountFen: 50_000n },
    { account: '201', side: 'C', amountFen: 50_000n, memberAccountId: 7n },
  ],
  ...over,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('validateEntry (rules.md §7)', () => {
  it('accepts a deposit: Dr 101 bank / Cr 201 member, and sums it', () => {
    const v = validateEntry(deposit());
    expect(v.debitTotalFen).toBe(50_000n);
    expect(v.creditTotalFen).toBe(50_000n);
    expect(v.netDebitByAccount).toEqual([
      { account: '101', netDebitFen: 50_000n },
      { account: '201', netDebitFen: -50_000n },
    ]);
    expect(v.memberDeltas).toEqual([{ memberAccountId: 7n, deltaFen: 50_000n }]);
  });

  it('aggregates per account and per member, sorted', () => {
    const v = validateEntry({
      book: 'FLEX',
      businessDate: '2025-06-30',
      entryType: 'interest_settlement',
      postings: [
        { account: '211', side: 'D', amountFen: 300n },
        { account: '201', side: 'C', amountFen: 100n, memberAccountId: 9n },
        { account: '201', side: 'C', amountFen: 150n, memberAccountId: 3n },
        { account: '201', side: 'C', amountFen: 50n, memberAccountId: 9n },
      ],
    });
    expect(v.netDebitByAccount).toEqual([
      { account: '201', netDebitFen: -300n },
      { account: '211', netDebitFen: 300n },
    ]);
    expect(v.memberDeltas).toEqual([
      { memberAccountId: 3n, deltaFen: 150n },
      { memberAccountId: 9n, deltaFen: 150n },
    ]);
  });

  it('refuses an entry with fewer than two postings', () => {
    expect(
      codeOf(() => validateEntry(deposit({ postings: [{ account: '101', side: 'D', amountFen: 1n }] }))),
    ).toBe('LEDGER_TOO_FEW_POSTINGS');
  });

  it('refuses zero, negative and non-bigint amounts, naming the posting', () => {
    for (const amountFen of [0n, -5n, 5 as unknown as bigint]) {
      try {
        validateEntry(
          deposit({
            postings: [
              { account: '101', side: 'D', amountFen: 5n },
              { account: '10101', side: 'C', amountFen },
            ],
          }),
        );
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'LEDGER_AMOUNT_NOT_POSITIVE', field: 'postings[1].amountFen' });
      }
    }
  });

  it('refuses an unbalanced entry and reports both sums', () => {
    try {
      validateEntry(
        deposit({
          postings: [
            { account: '101', side: 'D', amountFen: 50_000n },
            { account: '201', side: 'C', amountFen: 49_999n, memberAccountId: 7n },
          ],
        }),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'LEDGER_UNBALANCED',
        details: { debitTotalFen: '50000', creditTotalFen: '49999' },
      });
    }
  });

  it('requires a member account on 201 postings and forbids it elsewhere', () => {
    expect(
      codeOf(() =>
        validateEntry(
          deposit({
            postings: [
              { account: '101', side: 'D', amountFen: 1n },
              { account: '201', side: 'C', amountFen: 1n },
            ],
          }),
        ),
      ),
    ).toBe('LEDGER_MEMBER_ACCOUNT_REQUIRED');
    expect(
      codeOf(() =>
        validateEntry(
          deposit({
            postings: [
              { account: '101', side: 'D', amountFen: 1n, memberAccountId: 7n },
              { account: '201', side: 'C', amountFen: 1n, memberAccountId: 7n },
            ],
          }),
        ),
      ),
    ).toBe('LEDGER_MEMBER_ACCOUNT_NOT_ALLOWED');
  });

  it('refuses an unknown book, a bad date and an empty entry type', () => {
    expect(codeOf(() => validateEntry(deposit({ book: 'OTHER' as 'FLEX' })))).toBe('LEDGER_BOOK_UNKNOWN');
    expect(codeOf(() => validateEntry(deposit({ businessDate: '2024-02-30' })))).toBe('INVALID_DATE');
    expect(codeOf(() => validateEntry(deposit({ entryType: ' ' })))).toBe('LEDGER_ENTRY_TYPE_REQUIRED');
  });

  it('property: a list of postings balances exactly when Σ debits = Σ credits', () => {
    const posting = fc.record({
      account: fc.constantFrom('101', '10101', '211', '41101'),
      side: fc.constantFrom<'D' | 'C'>('D', 'C'),
      amountFen: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    });
    fc.assert(
      fc.property(fc.array(posting, { minLength: 2, maxLength: 8 }), (postings) => {
        const debits = postings.filter((p) => p.side === 'D').reduce((s, p) => s + p.amountFen, 0n);
        const credits = postings.filter((p) => p.side === 'C').reduce((s, p) => s + p.amountFen, 0n);
        const code = codeOf(() => validateEntry(deposit({ postings })));
        expect(code).toBe(debits === credits ? undefined : 'LEDGER_UNBALANCED');
      }),
    );
  });
});

describe('normalSideDelta', () => {
  it('a debit raises a debit-normal account and lowers a credit-normal one', () => {
    expect(normalSideDelta('debit', 'D', 100n)).toBe(100n);
    expect(normalSideDelta('debit', 'C', 100n)).toBe(-100n);
    expect(normalSideDelta('credit', 'D', 100n)).toBe(-100n);
    expect(normalSideDelta('credit', 'C', 100n)).toBe(100n);
  });

  it('a mirrored entry undoes every normal-side change', () => {
    const postings = deposit().postings;
    const mirrored = mirrorPostings(postings);
    postings.forEach((p, i) => {
      for (const side of ['debit', 'credit'] as const) {
        expect(
          normalSideDelta(side, p.side, p.amountFen) + normalSideDelta(side, mirrored[i]!.side, p.amountFen),
        ).toBe(0n);
      }
    });
  });
});
