// Paying a loan early (rules.md §6.5): a partial prepayment keeping the term or the installment, each
// refusal writing nothing, the full settlement with its certificate, and the invariants after each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { openedDepositor, staff, startCenter, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import {
  disbursedLoan,
  expectLoanInvariants,
  loanBalances,
  loanRequest,
  payInstallmentsThrough,
  type Borrower,
} from '../support/loan-payoff.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { InProcessBank } from '../../src/integrations/bank/in-process-bank.ts';
import { InProcessCreditBureau } from '../../src/integrations/credit-bureau/in-process-credit-bureau.ts';
import { prepayLoan } from '../../src/services/loans/prepay-loan.ts';
import { settleLoan } from '../../src/services/loans/settle-loan.ts';
import { loanSettlementCertificatePdf } from '../../src/services/loans/loan-settlement-certificate.ts';
import { viewLoan } from '../../src/services/loans/view-loan.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { buildApp } from '../../src/api/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { SimulatedSmsGateway } from '../../src/integrations/sms.ts';

let t: TestDatabase;
const bank = new InProcessBank({ serialPrefix: 'P', timeoutMs: 50 });
const bureau = new InProcessCreditBureau({ timeoutMs: 20 });
const cashier = staff('cashier1', ['teller']);
const system = { type: 'system', id: 'test' } as const;

let alice: Borrower;
let bob: Borrower;
let carol: Borrower;
let aliceLoan: bigint;
let bobLoan: bigint;
let carolLoan: bigint;
let key = 0;

/** 等额本息 M = P·i(1+i)^n / ((1+i)^n − 1), half-up to the fen, computed independently with 60 digits. */
function levelPayment(principalFen: bigint, ratePct: string, months: number): bigint {
  const D = Decimal.clone({ precision: 60 });
  const i = new D(ratePct).div(1200);
  const g = i.plus(1).pow(months);
  const m = new D(principalFen.toString()).mul(i).mul(g).div(g.minus(1));
  return BigInt(m.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed());
}

async function person(idNumber: string): Promise<Borrower> {
  const { person: p, account } = await openedDepositor(t.db, { idNumber }, 'flexible');
  return { depositorId: p.depositorId, accountId: account.accountId };
}

const deposit = (p: Borrower) =>
  recordCounterDeposit({
    db: t.db,
    actor: teller,
    accountId: p.accountId,
    amount: '5000.00',
    idempotencyKey: `pp-d${++key}`,
  });

const advance = (date: IsoDate) => advanceBusinessDate(t.db, date, system);

/** Monthly due dates on the 12th, paying each open loan's installment as it falls due. */
async function payMonthlyThrough(loans: bigint[], from: IsoDate, to: IsoDate): Promise<void> {
  for (let date = from; date <= to;) {
    await advance(date);
    for (const loan of loans) await payInstallmentsThrough(t.db, loan, date);
    const [y, m] = date.split('-').map(Number) as [number, number];
    date = m === 12 ? `${y + 1}-01-12` : `${y}-${String(m + 1).padStart(2, '0')}-12`;
  }
}

async function futureRows(loanId: bigint) {
  return t.db
    .selectFrom('loan_installments')
    .selectAll()
    .where('loan_id', '=', loanId)
    .where('status', '=', 'scheduled')
    .orderBy('period')
    .execute();
}

const prepay = (loanId: bigint, extra: Partial<Parameters<typeof prepayLoan>[0]> = {}) =>
  prepayLoan({
    db: t.db,
    actor: cashier,
    loanId,
    amount: '20000.00',
    mode: 'keep-term',
    funding: 'hpf-balance',
    idempotencyKey: `pp-${++key}`,
    ...extra,
  });

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  await startCenter(t.db, '2024-09-02');
  alice = await person(personId('1990-04-04', 'female', 601));
  bob = await person(personId('1988-06-06', 'male', 602));
  carol = await person(personId('1992-08-08', 'female', 603));
  for (const date of [
    '2024-09-02',
    '2024-10-02',
    '2024-11-04',
    '2024-12-02',
    '2025-01-02',
    '2025-02-03',
    '2025-03-03',
    '2025-04-02',
  ]) {
    if (date !== '2024-09-02') await advance(date);
    for (const p of [alice, bob, carol]) await deposit(p);
  }
  // After the 2025-05-08 row: first home over 5 years at 2.60 %, nothing to reprice.
  await advance('2025-05-12');
  aliceLoan = await disbursedLoan(t.db, bank, bureau, loanRequest(alice));
  bobLoan = await disbursedLoan(t.db, bank, bureau, loanRequest(bob));
  carolLoan = await disbursedLoan(
    t.db,
    bank,
    bureau,
    loanRequest(carol, { amount: '200000.00', termMonths: 120 }),
  );
  await expectLoanInvariants(t.db, expect);
}, 120_000);

afterAll(async () => {
  await expectLoanInvariants(t.db, expect);
  await t.close();
});

describe('full settlement (rules.md §6.5: any time)', () => {
  it('repays the principal and the interest accrued to the day, settles the loan and prints the certificate', async () => {
    await payMonthlyThrough([aliceLoan, bobLoan, carolLoan], '2025-06-12', '2025-08-12');
    await advance('2025-08-20');
    const owed = (await loanBalances(t.db, carolLoan)).outstandingFen;
    const bankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    const incomeBefore = await ledgerBalance(t.db, 'FLEX', '40103');
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        settleLoan({
          db: t.db,
          actor: cashier,
          loanId: carolLoan,
          funding: 'bank',
          idempotencyKey: 'x1234567',
        }),
      'VALIDATION_FAILED',
      expect,
    );
    const settled = await settleLoan({
      db: t.db,
      actor: cashier,
      loanId: carolLoan,
      funding: 'bank',
      bankReference: 'B20250820-001',
      idempotencyKey: 'settle-carol',
    });
    // Interest from the last due date (2025-08-12) to 2025-08-20: 8 days / 30 of a month at 2.60 %.
    const interest = (owed * 26n * 8n * 2n + 12000n * 30n) / (2n * 12000n * 30n);
    expect(settled).toMatchObject({
      status: 'settled',
      settledOn: '2025-08-20',
      businessType: '06',
      funding: 'bank',
      accruedFrom: '2025-08-12',
      accruedDays: 8,
      principal: (Number(owed) / 100).toFixed(2),
      interest: (Number(interest) / 100).toFixed(2),
      replayed: false,
    });
    expect(settled.certificateNo).toMatch(/^JQ\d{12}$/);
    expect(settled.mortgageReleaseNote).toContain(`MG-PAYOFF-${carolLoan}`);
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBefore + owed + interest);
    expect(await ledgerBalance(t.db, 'FLEX', '40103')).toBe(incomeBefore + interest);

    const loan = await t.db
      .selectFrom('loans')
      .selectAll()
      .where('id', '=', carolLoan)
      .executeTakeFirstOrThrow();
    expect(loan.status).toBe('settled');
    expect(loan.settled_on).toBe('2025-08-20');
    expect(await futureRows(carolLoan)).toHaveLength(0);
    const version = await t.db
      .selectFrom('loan_schedule_versions')
      .selectAll()
      .where('loan_id', '=', carolLoan)
      .executeTakeFirstOrThrow();
    expect(version).toMatchObject({ version: 1, reason: 'settlement', replaced_rows: 117, new_rows: 0 });
    expect(version.replaced_principal_fen).toBe(owed);
    const archived = await t.db
      .selectFrom('loan_installment_history')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('version_id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(Number(archived.n)).toBe(117);

    // The same key replays the answer; a new key on a settled loan is refused; prepaying it too.
    const again = await settleLoan({
      db: t.db,
      actor: cashier,
      loanId: carolLoan,
      funding: 'bank',
      bankReference: 'B20250820-001',
      idempotencyKey: 'settle-carol',
    });
    expect(again).toEqual({ ...settled, replayed: true });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        settleLoan({
          db: t.db,
          actor: cashier,
          loanId: carolLoan,
          funding: 'bank',
          bankReference: 'B20250820-002',
          idempotencyKey: 'settle-carol-2',
        }),
      'LOAN_ALREADY_SETTLED',
      expect,
    );
    await expectRefusedWithoutWrites(t.db, () => prepay(carolLoan), 'LOAN_ALREADY_SETTLED', expect);

    const certificate = await loanSettlementCertificatePdf({ db: t.db, actor: teller, loanId: carolLoan });
    expect(certificate.pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(certificate.certificateNo).toBe(settled.certificateNo);
    // The borrower may print their own; another depositor sees "not found".
    const own = { type: 'depositor', id: 1n, depositorId: BigInt(carol.depositorId) } as const;
    expect((await loanSettlementCertificatePdf({ db: t.db, actor: own, loanId: carolLoan })).pdf.length).toBe(
      certificate.pdf.length,
    );
    const other = { type: 'depositor', id: 2n, depositorId: BigInt(bob.depositorId) } as const;
    await expect(
      loanSettlementCertificatePdf({ db: t.db, actor: other, loanId: carolLoan }),
    ).rejects.toMatchObject({ code: 'LOAN_NOT_FOUND' });
    await expect(
      loanSettlementCertificatePdf({ db: t.db, actor: teller, loanId: aliceLoan }),
    ).rejects.toMatchObject({ code: 'LOAN_SETTLEMENT_NOT_FOUND' });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'loan')
      .where('subject_id', '=', String(carolLoan))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('loan.settle');
    await expectLoanInvariants(t.db, expect);
  });
});

describe('partial prepayment refusals (rules.md §6.5)', () => {
  it('is refused before 12 installments are paid, writing nothing', async () => {
    await expectRefusedWithoutWrites(t.db, () => prepay(aliceLoan), 'LOAN_PREPAYMENT_TOO_EARLY', expect);
  });

  it('is refused while an installment is due and unpaid, writing nothing', async () => {
    await payMonthlyThrough([aliceLoan, bobLoan], '2025-09-12', '2026-04-12');
    await advance('2026-05-12');
    // The 12th installment falls due today and is not paid yet.
    await expectRefusedWithoutWrites(t.db, () => prepay(aliceLoan), 'LOAN_OVERDUE_OUTSTANDING', expect);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        settleLoan({
          db: t.db,
          actor: cashier,
          loanId: aliceLoan,
          funding: 'hpf-balance',
          idempotencyKey: 'pp-s1',
        }),
      'LOAN_OVERDUE_OUTSTANDING',
      expect,
    );
    await payInstallmentsThrough(t.db, aliceLoan, '2026-05-12');
    await payInstallmentsThrough(t.db, bobLoan, '2026-05-12');
    await advance('2026-05-20');
  });

  it('is refused below 10,000.00, at or above the balance, beyond the HPF balance, or with a bad mode', async () => {
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { amount: '9999.99' }),
      'LOAN_PREPAYMENT_BELOW_MINIMUM',
      expect,
    );
    const owed = (await loanBalances(t.db, aliceLoan)).outstandingFen;
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { amount: (Number(owed) / 100).toFixed(2) }),
      'LOAN_PREPAYMENT_INVALID',
      expect,
    );
    // Alice holds 40,000.00 in her HPF account.
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { amount: '50000.00' }),
      'LOAN_HPF_BALANCE_INSUFFICIENT',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { mode: 'shorter' }),
      'LOAN_PREPAYMENT_MODE_INVALID',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { funding: 'cash' }),
      'LOAN_FUNDING_INVALID',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        prepay(aliceLoan, { actor: { type: 'depositor', id: 1n, depositorId: BigInt(alice.depositorId) } }),
      'LOAN_ROLE_REQUIRED',
      expect,
    );
  });
});

describe('partial prepayment after 12 installments', () => {
  it('keep the term: the same 228 months, a lower installment, from the HPF balance (05+03)', async () => {
    const before = await futureRows(aliceLoan);
    expect(before).toHaveLength(228);
    const remaining = before.reduce((s, r) => s + r.principal_fen, 0n);
    const memberBefore = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(alice.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;
    const result = await prepay(aliceLoan, { idempotencyKey: 'prepay-alice-1' });
    // 8 days of interest on the 20,000.00 prepaid: 2,000,000 × 26/12000 × 8/30 = 1,155.56 fen → 11.56.
    const expected = levelPayment(remaining - 2_000_000n, '2.60', 228);
    expect(result).toMatchObject({
      mode: 'keep-term',
      funding: 'hpf-balance',
      businessType: '05+03',
      principal: '20000.00',
      interest: '11.56',
      total: '20011.56',
      accruedFrom: '2026-05-12',
      accruedDays: 8,
      monthsBefore: 228,
      monthsAfter: 228,
      installmentBefore: (Number(before[0]!.payment_fen) / 100).toFixed(2),
      installmentAfter: (Number(expected) / 100).toFixed(2),
      nextDueDate: '2026-06-12',
      lastDueDate: '2045-05-12',
      scheduleVersion: 1,
      replayed: false,
    });
    expect(result.installmentBefore).toBe('1604.36');
    expect(result.installmentAfter).toBe('1493.11');
    const after = await futureRows(aliceLoan);
    expect(after).toHaveLength(228);
    expect(after[0]!.period).toBe(13);
    expect(after.reduce((s, r) => s + r.principal_fen, 0n)).toBe(remaining - 2_000_000n);
    expect(after.at(-1)!.balance_fen).toBe(0n);
    const memberAfter = (
      await t.db
        .selectFrom('accounts')
        .select('balance_fen')
        .where('id', '=', BigInt(alice.accountId))
        .executeTakeFirstOrThrow()
    ).balance_fen;
    expect(memberBefore - memberAfter).toBe(2_001_156n);
    // The old schedule is kept as version 1.
    const history = await t.db
      .selectFrom('loan_installment_history')
      .selectAll()
      .where('loan_id', '=', aliceLoan)
      .orderBy('period')
      .execute();
    expect(history).toHaveLength(228);
    expect(history.map((r) => r.payment_fen)).toEqual(before.map((r) => r.payment_fen));

    // The same key replays; the same key with another amount is refused.
    expect(await prepay(aliceLoan, { idempotencyKey: 'prepay-alice-1' })).toEqual({
      ...result,
      replayed: true,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { idempotencyKey: 'prepay-alice-1', amount: '20000.01' }),
      'IDEMPOTENCY_KEY_REUSED',
      expect,
    );
    const view = await viewLoan({ db: t.db, actor: teller, loanId: aliceLoan });
    expect(view.schedule).toHaveLength(240);
    await expectLoanInvariants(t.db, expect);
  });

  it('keep the installment: a shorter term at no more than the current installment, by bank payment (03)', async () => {
    const before = await futureRows(bobLoan);
    const remaining = before.reduce((s, r) => s + r.principal_fen, 0n);
    const current = before[0]!.payment_fen;
    const bankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    const result = await prepay(bobLoan, {
      amount: '100000.00',
      mode: 'keep-installment',
      funding: 'bank',
      bankReference: 'B20260520-BOB',
    });
    const after = remaining - 10_000_000n;
    // The shortest term whose installment is not above the current one, found independently.
    let months = 1;
    while (levelPayment(after, '2.60', months) > current) months += 1;
    expect(months).toBeLessThan(228);
    expect(levelPayment(after, '2.60', months - 1)).toBeGreaterThan(current);
    expect(result).toMatchObject({
      mode: 'keep-installment',
      funding: 'bank',
      businessType: '03',
      principal: '100000.00',
      monthsBefore: 228,
      monthsAfter: months,
      installmentAfter: (Number(levelPayment(after, '2.60', months)) / 100).toFixed(2),
    });
    expect(result.monthsAfter).toBe(136);
    expect(result.installmentAfter).toBe('1600.98');
    const interest = 100_000_00n * 26n * 8n;
    const interestFen = (2n * interest + 12000n * 30n) / (2n * 12000n * 30n);
    expect(result.interest).toBe((Number(interestFen) / 100).toFixed(2));
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(bankBefore + 10_000_000n + interestFen);
    const rows = await futureRows(bobLoan);
    expect(rows).toHaveLength(months);
    expect(rows.reduce((s, r) => s + r.principal_fen, 0n)).toBe(after);
    expect(rows.at(-1)!.balance_fen).toBe(0n);
    expect(rows.slice(0, -1).every((r) => r.payment_fen <= current)).toBe(true);
    // Rows beyond the new term are gone; the loan's schedule now ends earlier.
    const count = await t.db
      .selectFrom('loan_installments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('loan_id', '=', bobLoan)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(12 + months);
    await expectLoanInvariants(t.db, expect);
  });

  it('is refused a second time within 12 months, and allowed again after', async () => {
    await payMonthlyThrough([aliceLoan, bobLoan], '2026-06-12', '2027-05-12');
    await advance('2027-05-19');
    await expectRefusedWithoutWrites(
      t.db,
      () => prepay(aliceLoan, { amount: '10000.00' }),
      'LOAN_PREPAYMENT_TOO_FREQUENT',
      expect,
    );
    await advance('2027-05-20');
    const second = await prepay(aliceLoan, { amount: '10000.00', mode: 'keep-installment' });
    expect(second.scheduleVersion).toBe(2);
    expect(second.monthsAfter).toBeLessThan(second.monthsBefore);
    await expectLoanInvariants(t.db, expect);
  });

  it('settles a prepaid loan; an HPF balance too small for it is refused', async () => {
    // Bob's remaining principal is far above his balance: refused, nothing written.
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        settleLoan({
          db: t.db,
          actor: cashier,
          loanId: bobLoan,
          funding: 'hpf-balance',
          idempotencyKey: 'pp-s2',
        }),
      'LOAN_HPF_BALANCE_INSUFFICIENT',
      expect,
    );
    const settled = await settleLoan({
      db: t.db,
      actor: cashier,
      loanId: bobLoan,
      funding: 'bank',
      bankReference: 'B20270520-BOB',
      idempotencyKey: 'pp-s3',
    });
    expect(settled.businessType).toBe('06');
    expect((await loanBalances(t.db, bobLoan)).outstandingFen).toBe(0n);
    await expectLoanInvariants(t.db, expect);
  });
});

describe('over HTTP', () => {
  it('prepayment and settlement routes, and the certificate download', async () => {
    const app = await buildApp({ db: t.db, sms: new SimulatedSmsGateway(), bank, webDir: null });
    try {
      await t.db
        .insertInto('staff_users')
        .values({
          username: 'cashier-http',
          display_name: 'Cashier',
          password_hash: await hashPassword('secret2025'),
          roles: ['teller'],
          district_code: null,
          active: true,
        })
        .execute();
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/staff/login',
        payload: { username: 'cashier-http', password: 'secret2025' },
        remoteAddress: '10.0.0.9',
      });
      const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
      const url = `/api/v1/loans/${aliceLoan}`;
      const badMode = await app.inject({
        method: 'POST',
        url: `${url}/prepayments`,
        headers,
        payload: { amount: '10000.00', mode: 'x', funding: 'bank', idempotencyKey: 'http-pp-1' },
      });
      expect(badMode.statusCode).toBe(400);
      const tooSoon = await app.inject({
        method: 'POST',
        url: `${url}/prepayments`,
        headers,
        payload: {
          amount: '10000.00',
          mode: 'keep-term',
          funding: 'hpf-balance',
          idempotencyKey: 'http-pp-2',
        },
      });
      expect(tooSoon.statusCode).toBe(422);
      expect(tooSoon.json()).toMatchObject({ code: 'LOAN_PREPAYMENT_TOO_FREQUENT' });
      const body = { funding: 'bank', bankReference: 'B20270520-ALICE', idempotencyKey: 'http-settle-1' };
      const settled = await app.inject({ method: 'POST', url: `${url}/settlement`, headers, payload: body });
      expect(settled.statusCode).toBe(201);
      expect(settled.json()).toMatchObject({
        status: 'settled',
        businessType: '06',
        settledOn: '2027-05-20',
      });
      const replay = await app.inject({ method: 'POST', url: `${url}/settlement`, headers, payload: body });
      expect(replay.statusCode).toBe(200);
      const pdf = await app.inject({ method: 'GET', url: `${url}/settlement-certificate.pdf`, headers });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toContain('application/pdf');
      expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
      await expectLoanInvariants(t.db, expect);
    } finally {
      await app.close();
    }
  });
});
