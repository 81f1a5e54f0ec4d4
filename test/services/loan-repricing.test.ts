// Repricing on January 1 (rules.md §6.3) through the real close: loans over one year take the newer rate
// row and their future installments are recomputed from the remaining principal over the remaining term;
// a loan of one year keeps its rate; a rerun of the step changes nothing; a rate-table parameter change
// approved by maker-checker reprices again on the following January 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { rowCounts } from '../support/snapshot.ts';
import { manager, openedDepositor, reviewer, startCenter } from '../support/services.ts';
import { depositEachMonth } from '../support/monthly-deposits.ts';
import { personId } from '../support/people.ts';
import {
  disbursedLoan,
  expectLoanInvariants,
  loanRequest,
  payInstallmentsThrough,
  type Borrower,
} from '../support/loan-payoff.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { proposeParameterChange } from '../../src/services/parameters/propose-parameter-change.ts';
import { decideParameterChange } from '../../src/services/parameters/decide-parameter-change.ts';
import { closeDays } from '../../src/jobs/close-day.ts';
import { CLOSE_STEPS } from '../../src/jobs/steps/index.ts';
import { repriceLoansStep } from '../../src/jobs/steps/reprice-loans.ts';
import type { IsoDate } from '../../src/domain/dates.ts';

let t: TestDatabase;
const bank = new InProcessBank({ serialPrefix: 'R', timeoutMs: 50 });
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const system = { type: 'system', id: 'test' } as const;

/** 20 years, first home: 2.85 % on 2025-05-06, 2.60 % from the 2025-05-08 row. */
let longLoan: bigint;
/** 24 months, equal principal: 2.35 % (≤ 5 years), 2.10 % from the 2025-05-08 row. */
let twoYearLoan: bigint;
/** 12 months: keeps 2.35 % (rules.md §6.3). */
let oneYearLoan: bigint;
/** 等额本息 M, half-up to the fen, computed independently with 60 digits. */
function levelPayment(principalFen: bigint, ratePct: string, months: number): bigint {
  const D = Decimal.clone({ precision: 60 });
  const i = new D(ratePct).div(1200);
  const g = i.plus(1).pow(months);
  const m = new D(principalFen.toString()).mul(i).mul(g).div(g.minus(1));
  return BigInt(m.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed());
}

const halfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);

async function person(idNumber: string): Promise<Borrower> {
  const { person: p, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  return { depositorId: p.depositorId, accountId: account.accountId };
}

const advance = (date: IsoDate) => advanceBusinessDate(t.db, date, system);

async function payMonthlyThrough(from: IsoDate, to: IsoDate): Promise<void> {
  for (let date = from; date <= to;) {
    await advance(date);
    for (const loan of [longLoan, twoYearLoan, oneYearLoan]) await payInstallmentsThrough(t.db, loan, date);
    const [y, m] = date.split('-').map(Number) as [number, number];
    date = m === 12 ? `${y + 1}-01-06` : `${y}-${String(m + 1).padStart(2, '0')}-06`;
  }
}

const rowsOf = (loanId: bigint) =>
  t.db.selectFrom('loan_installments').selectAll().where('loan_id', '=', loanId).orderBy('period').execute();

const loanOf = (loanId: bigint) =>
  t.db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, '2024-09-02');
  const people = [
    await person(personId('1990-04-04', 'female', 701)),
    await person(personId('1988-06-06', 'male', 702)),
    await person(personId('1992-08-08', 'female', 703)),
  ];
  await depositEachMonth(t.db, people, 'rp-d');
  // Contracts before the 2025-05-08 row.
  await advance('2025-05-06');
  longLoan = await disbursedLoan(t.db, bank, bureau, loanRequest(people[0]!));
  twoYearLoan = await disbursedLoan(
    t.db,
    bank,
    bureau,
    loanRequest(people[1]!, { amount: '100000.00', termMonths: 24, method: 'equal-principal' }),
  );
  oneYearLoan = await disbursedLoan(
    t.db,
    bank,
    bureau,
    loanRequest(people[2]!, { amount: '50000.00', termMonths: 12 }),
  );
  await payMonthlyThrough('2025-06-06', '2025-12-06');
  await advance('2025-12-31');
}, 120_000);

afterAll(async () => {
  await expectLoanInvariants(t.db, expect);
  await t.close();
});

describe('January 1 repricing through the close (rules.md §6.3)', () => {
  it('is a step of the close that applies on January 1 only', () => {
    expect(CLOSE_STEPS).toContain(repriceLoansStep);
    expect(repriceLoansStep.appliesOn!('2026-01-01')).toBe(true);
    expect(repriceLoansStep.appliesOn!('2026-01-02')).toBe(false);
    expect(repriceLoansStep.appliesOn!('2025-12-31')).toBe(false);
  });

  it('switches loans over one year to the new rate and recomputes their future installments', async () => {
    expect((await loanOf(longLoan)).annual_rate_pct).toBe('2.8500');
    expect((await loanOf(twoYearLoan)).annual_rate_pct).toBe('2.3500');
    expect((await loanOf(oneYearLoan)).annual_rate_pct).toBe('2.3500');
    const longBefore = await rowsOf(longLoan);
    const twoBefore = await rowsOf(twoYearLoan);
    const oneBefore = await rowsOf(oneYearLoan);
    const future = (rows: typeof longBefore) => rows.filter((r) => r.due_date > '2026-01-01');

    const closed = await closeDays({
      db: t.db,
      bank,
      actor: system,
      to: '2026-01-02',
      transferPlatform: null,
    });
    const step = (date: string) =>
      closed.find((d) => d.date === date)!.steps.find((s) => s.step === 'loan-repricing')!;
    expect(step('2025-12-31').skipped).toBe(true);
    expect(step('2026-01-01').summary).toEqual({
      rateFrom: '2025-05-08',
      repriced: 2,
      sameRate: 0,
      keptShortTerm: 1,
      batches: 1,
    });

    // 20 years: 233 installments left from 2026-01-06, at 2.60 %, the same principal to the fen.
    const long = await loanOf(longLoan);
    expect(long.annual_rate_pct).toBe('2.6000');
    expect(long.rate_from).toBe('2025-05-08');
    const longAfter = await rowsOf(longLoan);
    expect(longAfter).toHaveLength(240);
    const remaining = future(longBefore).reduce((s, r) => s + r.principal_fen, 0n);
    const newFuture = future(longAfter);
    expect(newFuture).toHaveLength(233);
    expect(newFuture[0]).toMatchObject({ period: 8, due_date: '2026-01-06' });
    expect(newFuture.reduce((s, r) => s + r.principal_fen, 0n)).toBe(remaining);
    expect(newFuture.at(-1)!.balance_fen).toBe(0n);
    expect(newFuture[0]!.payment_fen).toBe(levelPayment(remaining, '2.60', 233));
    expect(newFuture[0]!.interest_fen).toBe(halfUp(remaining * 26n, 12000n));
    expect(newFuture[0]!.payment_fen).toBeLessThan(future(longBefore)[0]!.payment_fen);
    // Paid rows are untouched.
    expect(longAfter.slice(0, 7)).toEqual(longBefore.slice(0, 7));
    const history = await t.db
      .selectFrom('loan_rate_history')
      .selectAll()
      .where('loan_id', '=', longLoan)
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({
      effective_on: '2026-01-01',
      old_rate_pct: '2.8500',
      new_rate_pct: '2.6000',
      old_rate_from: '2024-05-18',
      new_rate_from: '2025-05-08',
      remaining_principal_fen: remaining,
      remaining_months: 233,
      old_installment_fen: future(longBefore)[0]!.payment_fen,
      new_installment_fen: newFuture[0]!.payment_fen,
    });
    const version = await t.db
      .selectFrom('loan_schedule_versions')
      .selectAll()
      .where('id', '=', history.schedule_version_id!)
      .executeTakeFirstOrThrow();
    expect(version).toMatchObject({ reason: 'repricing', version: 1, replaced_rows: 233, new_rows: 233 });
    const archived = await t.db
      .selectFrom('loan_installment_history')
      .select(['period', 'payment_fen'])
      .where('version_id', '=', version.id)
      .orderBy('period')
      .execute();
    expect(archived.map((r) => r.payment_fen)).toEqual(future(longBefore).map((r) => r.payment_fen));

    // 24 months, equal principal: 17 left at 2.10 %, principal part round(remaining / 17).
    const two = await loanOf(twoYearLoan);
    expect(two.annual_rate_pct).toBe('2.1000');
    const twoRemaining = future(twoBefore).reduce((s, r) => s + r.principal_fen, 0n);
    const twoFuture = future(await rowsOf(twoYearLoan));
    expect(twoFuture).toHaveLength(17);
    expect(twoFuture.reduce((s, r) => s + r.principal_fen, 0n)).toBe(twoRemaining);
    expect(twoFuture[0]!.principal_fen).toBe(halfUp(twoRemaining, 17n));
    expect(twoFuture[0]!.interest_fen).toBe(halfUp(twoRemaining * 21n, 12000n));

    // One year: keeps its contract rate and schedule.
    const one = await loanOf(oneYearLoan);
    expect(one.annual_rate_pct).toBe('2.3500');
    expect(one.rate_from).toBe('2024-05-18');
    expect(await rowsOf(oneYearLoan)).toEqual(oneBefore);
    expect(
      await t.db.selectFrom('loan_rate_history').selectAll().where('loan_id', '=', oneYearLoan).execute(),
    ).toHaveLength(0);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'loan.reprice')
      .execute();
    expect(audit).toEqual([{ action: 'loan.reprice', subject_id: '2026-01-01' }]);
    await expectLoanInvariants(t.db, expect);
  });

  it('a rerun of the step changes nothing', async () => {
    const before = await rowCounts(t.db);
    const rows = await Promise.all([longLoan, twoYearLoan, oneYearLoan].map(rowsOf));
    const summary = await repriceLoansStep.run({
      db: t.db,
      date: '2026-01-01',
      actor: system,
      bank,
      transferPlatform: null,
    });
    expect(summary).toMatchObject({ repriced: 0, sameRate: 0, batches: 0 });
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await Promise.all([longLoan, twoYearLoan, oneYearLoan].map(rowsOf))).toEqual(rows);
  });

  it('an approved rate-table change reprices on the next January 1; a column that did not change moves row only', async () => {
    const proposed = await proposeParameterChange({
      db: t.db,
      actor: reviewer,
      key: 'loan.rate.first_home_gt5_pct',
      value: '2.35',
      effectiveFrom: '2026-03-01',
      reason: 'test: the table changes again',
    });
    await decideParameterChange({ db: t.db, actor: manager, id: proposed.id, decision: 'approve' });
    await payMonthlyThrough('2026-01-06', '2026-12-06');
    await advance('2026-12-31');
    const longBefore = await rowsOf(longLoan);
    const twoBefore = await rowsOf(twoYearLoan);
    const closed = await closeDays({
      db: t.db,
      bank,
      actor: system,
      to: '2027-01-02',
      transferPlatform: null,
    });
    const summary = closed
      .find((d) => d.date === '2027-01-01')!
      .steps.find((s) => s.step === 'loan-repricing')!.summary;
    // The two-year loan's column (≤ 5 years) kept 2.10 %; the one-year loan still keeps its rate.
    expect(summary).toEqual({
      rateFrom: '2026-03-01',
      repriced: 1,
      sameRate: 1,
      keptShortTerm: 1,
      batches: 1,
    });
    const long = await loanOf(longLoan);
    expect(long).toMatchObject({ annual_rate_pct: '2.3500', rate_from: '2026-03-01' });
    const remaining = longBefore.filter((r) => r.status !== 'paid').reduce((s, r) => s + r.principal_fen, 0n);
    const next = (await rowsOf(longLoan)).find((r) => r.status !== 'paid')!;
    expect(next).toMatchObject({ period: 20, due_date: '2027-01-06' });
    expect(next.payment_fen).toBe(levelPayment(remaining, '2.35', 221));
    const two = await loanOf(twoYearLoan);
    expect(two).toMatchObject({ annual_rate_pct: '2.1000', rate_from: '2026-03-01' });
    expect(await rowsOf(twoYearLoan)).toEqual(twoBefore);
    const versions = await t.db
      .selectFrom('loan_schedule_versions')
      .select(['version'])
      .where('loan_id', '=', longLoan)
      .orderBy('version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    await expectLoanInvariants(t.db, expect);
  });
});
