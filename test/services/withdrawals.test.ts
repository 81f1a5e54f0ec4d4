// Withdrawals (rules.md §5.1 rent, §5.2 free and closure): eligibility with every failed reason, the rent
// cap and public rental, review and maker-checker, idempotency, racing withdrawals, closure with interest
// and subsidy. The books balance after every scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, openedDepositor, reviewer, startCenter, staff, teller } from '../support/services.ts';
import { wiredBank } from '../support/bank.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { requestFreeWithdrawal } from '../../src/services/withdrawals/request-free-withdrawal.ts';
import { requestRentWithdrawal } from '../../src/services/withdrawals/request-rent-withdrawal.ts';
import { decideWithdrawal } from '../../src/services/withdrawals/decide-withdrawal.ts';
import { listReviewQueue } from '../../src/services/withdrawals/list-review-queue.ts';
import { closeAccount } from '../../src/services/withdrawals/close-account.ts';
import { subsidyPreview } from '../../src/services/deposits/subsidy-preview.ts';
import { interestToDate } from '../../src/services/interest/interest-to-date.ts';
import { handlePayoutNotification } from '../../src/services/payouts/handle-payout-notification.ts';
import { InProcessHousingRegistry } from '../../src/integrations/housing/registry.ts';
import { isAppError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/roles.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, '2025-03-03');
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  await t.close();
});

let key = 0;
const nextKey = () => `wd-key-${++key}`;
const months = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => {
    const [y, m] = from.split('-').map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 1 + i, 10));
    return d.toISOString().slice(0, 10);
  });

/** A depositor with an open flexible account and `count` covered months ending in February 2025. */
async function eligibleDepositor(count = 6, amount = '1000.00', from?: string) {
  const opened = await openedDepositor(t.db, {}, 'flexible');
  const start = from ?? months('2025-02', 1)[0]!.slice(0, 7);
  const dates = from ? months(from, count) : months(addMonthsText(start, 1 - count), count);
  for (const valueDate of dates) {
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: opened.account.accountId,
      amount,
      valueDate,
      idempotencyKey: nextKey(),
    });
  }
  const depositorActor: Actor = {
    type: 'depositor',
    id: BigInt(opened.person.depositorId),
    depositorId: BigInt(opened.person.depositorId),
  };
  return { ...opened, accountId: opened.account.accountId, depositorActor };
}

function addMonthsText(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

async function balanceOf(accountId: string): Promise<bigint> {
  const row = await t.db
    .selectFrom('accounts')
    .select('balance_fen')
    .where('id', '=', BigInt(accountId))
    .executeTakeFirstOrThrow();
  return row.balance_fen;
}

async function postingsOf(entryId: string) {
  return t.db
    .selectFrom('postings')
    .select(['account_code', 'side', 'amount_fen'])
    .where('entry_id', '=', BigInt(entryId))
    .orderBy('id')
    .execute();
}

const lease = (overrides: Record<string, unknown> = {}) => ({
  landlordName: '王房东',
  leaseAddress: '包头市青山区幸福路 8 号 2-301',
  leaseStart: '2025-01-01',
  leaseEnd: '2025-12-31',
  monthlyRent: '1200.00',
  contractNo: 'HT-2025-0001',
  ...overrides,
});

describe('free withdrawal (rules.md §5.2)', () => {
  it('posts Dr 201 / Cr 21903 with a payout row, and the bank confirmation posts Dr 21903 / Cr 101', async () => {
    const d = await eligibleDepositor();
    const bank = wiredBank(t.db);
    bank.setPayoutNotifier((rawBody, signature) => handlePayoutNotification(t.db, { rawBody, signature }));
    const bankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    const w = await requestFreeWithdrawal({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      amount: '2500.00',
      idempotencyKey: nextKey(),
      bank,
    });
    expect(w.status).toBe('posted');
    expect(await postingsOf(w.journalEntryId!)).toEqual([
      { account_code: '201', side: 'D', amount_fen: 250000n },
      { account_code: '21903', side: 'C', amount_fen: 250000n },
    ]);
    expect(await balanceOf(d.accountId)).toBe(600000n - 250000n);
    await bank.idle();
    const payout = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('id', '=', BigInt(w.payoutId!))
      .executeTakeFirstOrThrow();
    expect(payout.status).toBe('confirmed');
    expect(await postingsOf(String(payout.confirm_entry_id))).toEqual([
      { account_code: '21903', side: 'D', amount_fen: 250000n },
      { account_code: '101', side: 'C', amount_fen: 250000n },
    ]);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBefore - 250000n);
    const row = await t.db
      .selectFrom('withdrawals')
      .select(['status', 'business_type', 'reason_code', 'channel'])
      .where('id', '=', BigInt(w.withdrawalId))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'paid', business_type: '11', reason_code: '99', channel: 'self_service' });
    expect(bank.requests.filter((r) => r.type === 'payout')).toHaveLength(1);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('refuses too few consecutive months, a frozen account and a second person, writing nothing', async () => {
    const short = await eligibleDepositor(5);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestFreeWithdrawal({
          db: t.db,
          actor: teller,
          accountId: short.accountId,
          amount: '100.00',
          idempotencyKey: nextKey(),
        }),
      'WITHDRAWAL_TOO_FEW_MONTHS',
      expect,
    );
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: short.accountId,
      action: 'freeze',
      reason: '法院冻结',
      documentNo: '(2025)蒙0203执12号',
    });
    const error = await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestFreeWithdrawal({
          db: t.db,
          actor: teller,
          accountId: short.accountId,
          amount: '99999.00',
          idempotencyKey: nextKey(),
        }),
      'WITHDRAWAL_ACCOUNT_FROZEN',
      expect,
    );
    // Every failed rule is reported, not only the first.
    const failures = (isAppError(error) ? error.details?.failures : []) as Array<{ code: string }>;
    expect(failures.map((f) => f.code)).toEqual([
      'WITHDRAWAL_ACCOUNT_FROZEN',
      'WITHDRAWAL_TOO_FEW_MONTHS',
      'WITHDRAWAL_INSUFFICIENT_BALANCE',
    ]);
    const other = await eligibleDepositor();
    const stranger = await eligibleDepositor();
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestFreeWithdrawal({
          db: t.db,
          actor: stranger.depositorActor,
          accountId: other.accountId,
          amount: '100.00',
          idempotencyKey: nextKey(),
        }),
      'FORBIDDEN',
      expect,
    );
  });

  it('makes one withdrawal for one idempotency key; another payload under it is refused', async () => {
    const d = await eligibleDepositor();
    const idempotencyKey = nextKey();
    const ask = (amount: string) =>
      requestFreeWithdrawal({
        db: t.db,
        actor: d.depositorActor,
        accountId: d.accountId,
        amount,
        idempotencyKey,
      });
    const [a, b] = await Promise.all([ask('300.00'), ask('300.00')]);
    expect(a.withdrawalId).toBe(b.withdrawalId);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const again = await ask('300.00');
    expect(again).toMatchObject({ withdrawalId: a.withdrawalId, replayed: true });
    await expect(ask('301.00')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const count = await t.db
      .selectFrom('withdrawals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', BigInt(d.accountId))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    expect(await balanceOf(d.accountId)).toBe(600000n - 30000n);
  });

  it('lets one of two withdrawals racing for the same balance through; the other gets a coded error', async () => {
    const d = await eligibleDepositor();
    const ask = () =>
      requestFreeWithdrawal({
        db: t.db,
        actor: d.depositorActor,
        accountId: d.accountId,
        amount: '4000.00',
        idempotencyKey: nextKey(),
      });
    const results = await Promise.allSettled([ask(), ask(), ask()]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual([
      'WITHDRAWAL_INSUFFICIENT_BALANCE',
      'WITHDRAWAL_INSUFFICIENT_BALANCE',
    ]);
    expect(await balanceOf(d.accountId)).toBe(200000n);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });
});

describe('rent withdrawal (rules.md §5.1)', () => {
  it('records the lease, counts against the calendar-year cap and refuses above it, writing nothing', async () => {
    const d = await eligibleDepositor(6, '6000.00');
    const registry = new InProcessHousingRegistry();
    const first = await requestRentWithdrawal({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      amount: '10000.00',
      idempotencyKey: nextKey(),
      rent: { declaredNoHousing: true, lease: lease() },
      housingRegistry: registry,
    });
    expect(first.status).toBe('posted');
    const row = await t.db
      .selectFrom('withdrawals')
      .selectAll()
      .where('id', '=', BigInt(first.withdrawalId))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'rent',
      reason_code: '07',
      landlord_name: '王房东',
      contract_no: 'HT-2025-0001',
      monthly_rent_fen: 120000n,
      lease_start: '2025-01-01',
      lease_end: '2025-12-31',
      calendar_year: 2025,
    });
    expect(registry.queries).toHaveLength(1);
    const error = await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestRentWithdrawal({
          db: t.db,
          actor: d.depositorActor,
          accountId: d.accountId,
          amount: '4000.01',
          idempotencyKey: nextKey(),
          rent: { declaredNoHousing: true, lease: lease() },
          housingRegistry: registry,
        }),
      'WITHDRAWAL_OVER_ANNUAL_CAP',
      expect,
    );
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({
      cap: '14000.00',
      used: '10000.00',
      room: '4000.00',
    });
    const last = await requestRentWithdrawal({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      amount: '4000.00',
      idempotencyKey: nextKey(),
      rent: { declaredNoHousing: true, lease: lease() },
      housingRegistry: registry,
    });
    expect(last.status).toBe('posted');
  });

  it('refuses owners of housing and missing declarations with every reason; a registry timeout goes to review', async () => {
    const d = await eligibleDepositor();
    const registry = new InProcessHousingRegistry(5);
    registry.set(d.person.depositorId, 'owns');
    const error = await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestRentWithdrawal({
          db: t.db,
          actor: d.depositorActor,
          accountId: d.accountId,
          amount: '1000.00',
          idempotencyKey: nextKey(),
          rent: { declaredNoHousing: false, lease: lease() },
          housingRegistry: registry,
        }),
      'WITHDRAWAL_NO_HOUSING_NOT_DECLARED',
      expect,
    );
    expect(
      (error as { details: { failures: Array<{ code: string }> } }).details.failures.map((f) => f.code),
    ).toEqual(['WITHDRAWAL_NO_HOUSING_NOT_DECLARED', 'WITHDRAWAL_OWNS_HOUSING']);
    registry.set(d.person.depositorId, 'timeout');
    const waiting = await requestRentWithdrawal({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      amount: '1000.00',
      idempotencyKey: nextKey(),
      rent: { declaredNoHousing: true, lease: lease() },
      housingRegistry: registry,
    });
    expect(waiting.status).toBe('pending_review');
    expect(waiting.reviewReasons.map((r) => r.code)).toEqual(['HOUSING_REGISTRY_UNAVAILABLE']);
    expect(waiting.payoutId).toBeNull();
    expect(await balanceOf(d.accountId)).toBe(600000n);
    const queue = await listReviewQueue(t.db, reviewer);
    expect(queue.find((q) => q.withdrawalId === waiting.withdrawalId)?.reasons[0]?.code).toBe(
      'HOUSING_REGISTRY_UNAVAILABLE',
    );
    await expect(
      decideWithdrawal({
        db: t.db,
        actor: reviewer,
        withdrawalId: waiting.withdrawalId,
        decision: 'approve',
        reason: ' ',
      }),
    ).rejects.toMatchObject({ code: 'WITHDRAWAL_REASON_REQUIRED' });
    const approved = await decideWithdrawal({
      db: t.db,
      actor: reviewer,
      withdrawalId: waiting.withdrawalId,
      decision: 'approve',
      reason: '已人工核查不动产登记，无自有住房',
    });
    expect(approved.status).toBe('posted');
    expect(await balanceOf(d.accountId)).toBe(500000n);
  });

  it('lets public-rental tenants withdraw the contract rent instead of the cap, after review', async () => {
    const d = await eligibleDepositor(6, '6000.00');
    const w = await requestRentWithdrawal({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      amount: '18000.00',
      idempotencyKey: nextKey(),
      rent: { declaredNoHousing: true, lease: lease({ monthlyRent: '1500.00', publicRental: true }) },
      housingRegistry: new InProcessHousingRegistry(),
    });
    expect(w.status).toBe('pending_review');
    expect(w.reviewReasons.map((r) => r.code)).toEqual(['WITHDRAWAL_OVER_ANNUAL_CAP']);
    await decideWithdrawal({
      db: t.db,
      actor: reviewer,
      withdrawalId: w.withdrawalId,
      decision: 'approve',
      reason: '公租房合同已核',
    });
    await expect(
      requestRentWithdrawal({
        db: t.db,
        actor: d.depositorActor,
        accountId: d.accountId,
        amount: '0.01',
        idempotencyKey: nextKey(),
        rent: { declaredNoHousing: true, lease: lease({ monthlyRent: '1500.00', publicRental: true }) },
        housingRegistry: new InProcessHousingRegistry(),
      }),
    ).rejects.toMatchObject({ code: 'WITHDRAWAL_OVER_ANNUAL_CAP' });
  });
});

describe('review: maker-checker for staff withdrawals above the threshold', () => {
  it('waits for a second staff member; the maker cannot approve; a reviewer can reject with a reason', async () => {
    await sql`INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at)
      VALUES ('withdrawal.review_threshold_fen', '200000', '2025-01-01', 'approved', 'test', 'system', 'system', now())`.execute(
      t.db,
    );
    const d = await eligibleDepositor();
    const maker = staff('maker-checker-teller', ['teller', 'reviewer']);
    const small = await requestFreeWithdrawal({
      db: t.db,
      actor: maker,
      accountId: d.accountId,
      amount: '2000.00',
      idempotencyKey: nextKey(),
    });
    expect(small.status).toBe('posted');
    const big = await requestFreeWithdrawal({
      db: t.db,
      actor: maker,
      accountId: d.accountId,
      amount: '2000.01',
      idempotencyKey: nextKey(),
    });
    expect(big.status).toBe('pending_review');
    expect(big.reviewReasons.map((r) => r.code)).toEqual(['WITHDRAWAL_ABOVE_REVIEW_THRESHOLD']);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        decideWithdrawal({
          db: t.db,
          actor: maker,
          withdrawalId: big.withdrawalId,
          decision: 'approve',
          reason: 'ok',
        }),
      'WITHDRAWAL_MAKER_CHECKER',
      expect,
    );
    const rejected = await decideWithdrawal({
      db: t.db,
      actor: reviewer,
      withdrawalId: big.withdrawalId,
      decision: 'reject',
      reason: '金额有误',
    });
    expect(rejected.status).toBe('rejected');
    await expect(
      decideWithdrawal({
        db: t.db,
        actor: reviewer,
        withdrawalId: big.withdrawalId,
        decision: 'approve',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'WITHDRAWAL_NOT_PENDING' });
    expect(await balanceOf(d.accountId)).toBe(400000n);
    await sql`DELETE FROM parameters WHERE key = 'withdrawal.review_threshold_fen' AND effective_from = '2025-01-01'`.execute(
      t.db,
    );
  });
});

describe('closure by withdrawal (rules.md §5.2)', () => {
  it('credits interest to the closing day and the subsidy, pays out the whole balance, closes and ends', async () => {
    const d = await eligibleDepositor(14, '1000.00', '2024-01');
    const accountId = BigInt(d.accountId);
    const interest = await interestToDate(t.db, accountId, { upTo: '2025-03-03' });
    const preview = await subsidyPreview(t.db, teller, accountId);
    expect(interest.interestFen).toBeGreaterThan(0n);
    expect(preview.eligible).toBe(true);
    const closed = await closeAccount({ db: t.db, actor: teller, accountId, idempotencyKey: nextKey() });
    const expectedTotal = 1400000n + interest.interestFen + BigInt(preview.subsidy.replace('.', ''));
    expect(closed.interest).toBe((Number(interest.interestFen) / 100).toFixed(2));
    expect(closed.subsidy).toBe(preview.subsidy);
    expect(closed.principal).toBe('14000.00');
    expect(closed.total).toBe((Number(expectedTotal) / 100).toFixed(2));
    const account = await t.db
      .selectFrom('accounts')
      .select(['state', 'balance_fen', 'closed_on'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ state: '05', balance_fen: 0n, closed_on: '2025-03-03' });
    const agreement = await t.db
      .selectFrom('agreements')
      .select(['status', 'ended_reason'])
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(agreement).toEqual({ status: 'ended', ended_reason: 'closure' });
    const entries = await sql<{ entry_type: string; account_code: string; side: string; amount_fen: bigint }>`
      SELECT e.entry_type, p.account_code, p.side, p.amount_fen FROM journal_entries e JOIN postings p ON p.entry_id = e.id
      WHERE e.entry_type IN ('interest_closure', 'deposit_subsidy') AND e.source_id = ${d.accountId}
      ORDER BY e.id, p.id`.execute(t.db);
    expect(entries.rows).toEqual([
      { entry_type: 'interest_closure', account_code: '41101', side: 'D', amount_fen: interest.interestFen },
      { entry_type: 'interest_closure', account_code: '201', side: 'C', amount_fen: interest.interestFen },
      {
        entry_type: 'deposit_subsidy',
        account_code: '41102',
        side: 'D',
        amount_fen: BigInt(preview.subsidy.replace('.', '')),
      },
      {
        entry_type: 'deposit_subsidy',
        account_code: '201',
        side: 'C',
        amount_fen: BigInt(preview.subsidy.replace('.', '')),
      },
    ]);
    const cert = await t.db
      .selectFrom('closure_certificates')
      .select(['verification_code'])
      .where('withdrawal_id', '=', BigInt(closed.withdrawalId))
      .executeTakeFirstOrThrow();
    expect(cert.verification_code).toBe(closed.verificationCode);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        requestFreeWithdrawal({
          db: t.db,
          actor: teller,
          accountId,
          amount: '1.00',
          idempotencyKey: nextKey(),
        }),
      'WITHDRAWAL_ACCOUNT_CLOSED',
      expect,
    );
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('a staff closure above the review threshold waits for a second staff member, then closes on approval', async () => {
    const d = await eligibleDepositor(12, '5000.00', '2024-02');
    const accountId = BigInt(d.accountId);
    const requested = await closeAccount({ db: t.db, actor: teller, accountId, idempotencyKey: nextKey() });
    expect(requested.status).toBe('pending_review');
    expect(requested.reviewReasons.map((r) => r.code)).toEqual(['WITHDRAWAL_ABOVE_REVIEW_THRESHOLD']);
    expect(requested.verificationCode).toBeUndefined();
    // Nothing moved yet: the account is open with its balance.
    expect(await balanceOf(d.accountId)).toBe(6000000n);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        decideWithdrawal({
          db: t.db,
          actor: teller,
          withdrawalId: requested.withdrawalId,
          decision: 'approve',
          reason: '自己复核',
        }),
      'WITHDRAWAL_MAKER_CHECKER',
      expect,
    );
    const approved = await decideWithdrawal({
      db: t.db,
      actor: reviewer,
      withdrawalId: requested.withdrawalId,
      decision: 'approve',
      reason: '材料齐全',
    });
    expect(approved.status).toBe('posted');
    const account = await t.db
      .selectFrom('accounts')
      .select(['state', 'balance_fen'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ state: '05', balance_fen: 0n });
    const w = await t.db
      .selectFrom('withdrawals')
      .select(['status', 'amount_fen', 'checker'])
      .where('id', '=', BigInt(requested.withdrawalId))
      .executeTakeFirstOrThrow();
    expect(w.status).toBe('posted');
    expect(w.amount_fen).toBe(BigInt(requested.total.replace('.', '')));
    const cert = await t.db
      .selectFrom('closure_certificates')
      .select('withdrawal_id')
      .where('withdrawal_id', '=', BigInt(requested.withdrawalId))
      .executeTakeFirst();
    expect(cert).toBeDefined();
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('pays no subsidy to a used account or before a year, and refuses a frozen account', async () => {
    const d = await eligibleDepositor();
    await requestFreeWithdrawal({
      db: t.db,
      actor: teller,
      accountId: d.accountId,
      amount: '100.00',
      idempotencyKey: nextKey(),
    });
    const closed = await closeAccount({
      db: t.db,
      actor: d.depositorActor,
      accountId: d.accountId,
      idempotencyKey: nextKey(),
    });
    expect(closed.subsidy).toBe('0.00');
    expect(closed.principal).toBe('5900.00');
    const frozen = await eligibleDepositor();
    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: frozen.accountId,
      action: 'freeze',
      reason: '法院冻结',
      documentNo: '(2025)蒙0203执13号',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => closeAccount({ db: t.db, actor: teller, accountId: frozen.accountId, idempotencyKey: nextKey() }),
      'WITHDRAWAL_ACCOUNT_FROZEN',
      expect,
    );
  });
});
