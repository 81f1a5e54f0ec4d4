// Identity conversion (rules.md §5.3) against a real database: a flexible worker takes a job (flexible →
// unit) and later leaves it (sealed unit → flexible). Balances with interest to date and covered months
// carry over, both books stay balanced, the subsidy is forfeited, refusals write nothing, retries replay.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites, rowCounts } from '../support/snapshot.ts';
import { manager, openedDepositor, startCenter, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { recordCounterDeposit } from '../../src/services/deposits/record-counter-deposit.ts';
import { consecutiveCoveredMonths } from '../../src/services/deposits/credit-deposit.ts';
import { accountUse } from '../../src/services/deposits/subsidy-preview.ts';
import { scheduleDepositPeriods } from '../../src/jobs/steps/schedule-deposit-periods.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { prepareAgreement } from '../../src/services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../src/services/agreements/sign-agreement.ts';
import { importUnits } from '../../src/services/units/import-units.ts';
import { sealUnitAccount } from '../../src/services/units/seal-unit-account.ts';
import { recordUnitRemittance } from '../../src/services/units/record-unit-remittance.ts';
import { convertToUnit } from '../../src/services/conversions/convert-to-unit.ts';
import { convertToFlexible } from '../../src/services/conversions/convert-to-flexible.ts';
import type { CloseContext } from '../../src/jobs/close-day.ts';
import { accrueMonthEndInterest } from '../../src/services/interest/accrue-month-end-interest.ts';
import { settleAnnualInterest } from '../../src/services/interest/settle-annual-interest.ts';

const loans = vi.hoisted(() => ({ outstanding: false }));
vi.mock('../../src/services/loans/has-outstanding-loan.ts', () => ({
  hasOutstandingLoan: async () => loans.outstanding,
}));

const system = { type: 'system', id: 'test' } as const;
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2025-03-03');
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
  await t.close();
});

/** rules.md §4.1: Σ balance-days × 1.50 % / 360, rounded half-up once. */
function interestOf(fenDays: bigint): bigint {
  return (fenDays * 15n * 2n + 360000n) / 720000n;
}

async function account(id: string | bigint) {
  return t.db.selectFrom('accounts').selectAll().where('id', '=', BigInt(id)).executeTakeFirstOrThrow();
}

async function schedule(date: string) {
  await scheduleDepositPeriods({ db: t.db, date, actor: system } as unknown as CloseContext);
}

let fileNo = 0;
/** The flexible account the sealed unit account became (set by the unit → flexible test). */
let newFlexId = '';
/** A one-unit file with these people, imported; returns the unit accounts opened, by ID number. */
async function hire(code: string, people: Array<{ idNumber: string; name: string; amount?: string }>) {
  const lines = people.map(
    (p) => `${code},包头测试单位${code},150203,${p.idNumber},${p.name},,${p.amount ?? ''}`,
  );
  fileNo += 1;
  const report = await importUnits({
    db: t.db,
    actor: teller,
    fileName: `units-${fileNo}.csv`,
    content: Buffer.from(
      `单位编号,单位名称,区划代码,身份证号码,姓名,缴存基数,月缴存额\n${lines.join('\n')}\n`,
    ),
  });
  return report;
}

async function booksOk() {
  const result = await verifyBooks(t.db);
  expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  for (const book of ['FLEX', 'MANDATORY'] as const) {
    expect(await ledgerBalance(t.db, book, '21901')).toBe(0n);
    expect(await ledgerBalance(t.db, book, '11901')).toBe(0n);
  }
}

describe('a flexible worker takes a job and later leaves it (rules.md §5.3)', () => {
  const idNumber = personId('1991-04-12', 'male', 41);
  let flexId = '';
  let unitId = '';
  let depositorId = '';

  it('flexible → unit: balance, interest to date and covered months move as paired entries; the plan ends', async () => {
    const { person, account: flex } = await openedDepositor(t.db, { idNumber, name: '赵转换' }, 'monthly');
    flexId = flex.accountId;
    depositorId = person.depositorId;
    await schedule('2025-03-15');
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: flexId,
      amount: '500.00',
      idempotencyKey: 'cv-dep-1',
    });
    await advanceBusinessDate(t.db, '2025-04-10', system);
    await schedule('2025-04-15');
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: flexId,
      amount: '500.00',
      idempotencyKey: 'cv-dep-2',
    });
    await advanceBusinessDate(t.db, '2025-05-16', system);
    await schedule('2025-05-15');
    await advanceBusinessDate(t.db, '2025-05-20', system);

    const report = await hire('UNITCV0001', [{ idNumber, name: '赵转换', amount: '800.00' }]);
    expect(report.created).toHaveLength(1);
    // The report names the flexible account waiting to be converted.
    expect(report.created[0]!.flexibleAccountNumber).toBe(flex.accountNumber);
    unitId = report.created[0]!.accountId;
    const remitted = await recordUnitRemittance({
      db: t.db,
      actor: teller,
      employerId: report.employersCreated[0]!.employerId,
      month: '2025-05',
      idempotencyKey: 'cv-remit-1',
    });
    expect(remitted.total).toBe('800.00');
    await booksOk();

    const flexBankBefore = await ledgerBalance(t.db, 'FLEX', '101');
    const mandatoryBankBefore = await ledgerBalance(t.db, 'MANDATORY', '101');
    const result = await convertToUnit({
      db: t.db,
      actor: teller,
      flexibleAccountId: flexId,
      unitAccountId: unitId,
      idempotencyKey: 'cv-to-unit-1',
    });
    // 500.00 from 03-03 and 500.00 from 04-10, counted through 05-19.
    const interest = interestOf(50000n * 78n + 50000n * 40n);
    expect(interest).toBe(246n);
    expect(result).toMatchObject({
      direction: 'to_unit',
      principal: '1000.00',
      interest: '2.46',
      amount: '1002.46',
      monthsCarried: 2,
      coveredMonthsCarried: 2,
      periodsCancelled: 1,
      subsidyForfeited: true,
      subsidyForfeitedAmount: '0.00',
      replayed: false,
    });

    const flexRow = await account(flexId);
    expect(flexRow).toMatchObject({ state: '03', balance_fen: 0n, closed_on: '2025-05-20' });
    expect((await account(unitId)).balance_fen).toBe(80000n + 100246n);
    // FLEX lost the member liability and the bank money; MANDATORY gained both.
    expect(await ledgerBalance(t.db, 'FLEX', '101')).toBe(flexBankBefore - 100246n);
    expect(await ledgerBalance(t.db, 'MANDATORY', '101')).toBe(mandatoryBankBefore + 100246n);
    await booksOk();

    const entries = await t.db
      .selectFrom('journal_entries')
      .select(['book', 'entry_type', 'pair_id'])
      .where('source_type', '=', 'conversion')
      .where('source_id', '=', result.conversionId)
      .orderBy('id')
      .execute();
    expect(entries.map((e) => `${e.book}:${e.entry_type}`)).toEqual([
      'FLEX:interest_conversion',
      'FLEX:conversion_out',
      'MANDATORY:conversion_in',
      'FLEX:conversion_settlement',
      'MANDATORY:conversion_settlement',
    ]);
    expect(entries[1]!.pair_id).toBe(entries[2]!.pair_id);
    expect(entries[3]!.pair_id).toBe(entries[4]!.pair_id);
    expect(entries[1]!.pair_id).not.toBe(entries[3]!.pair_id);

    // History continues: March and April (carried) and May (the unit's) are consecutive.
    const months = await t.db
      .selectFrom('account_months')
      .select(['month', 'covered', 'source'])
      .where('account_id', '=', BigInt(unitId))
      .orderBy('month')
      .execute();
    expect(months).toEqual([
      { month: '2025-03-01', covered: true, source: 'conversion' },
      { month: '2025-04-01', covered: true, source: 'conversion' },
      { month: '2025-05-01', covered: true, source: 'deposit' },
    ]);
    expect(await consecutiveCoveredMonths(t.db, BigInt(unitId), '2025-05')).toBe(3);

    // The agreement ended, its pending period cancelled; the account counts as used (no subsidy).
    const agreement = await t.db
      .selectFrom('agreements')
      .select(['status', 'ended_reason', 'next_due_date'])
      .where('account_id', '=', BigInt(flexId))
      .executeTakeFirstOrThrow();
    expect(agreement).toEqual({ status: 'ended', ended_reason: 'conversion_to_unit', next_due_date: null });
    const periods = await t.db
      .selectFrom('deposit_periods')
      .select(['period_start', 'status'])
      .where('account_id', '=', BigInt(flexId))
      .orderBy('period_start')
      .execute();
    expect(periods.map((p) => p.status)).toEqual(['paid', 'paid', 'cancelled']);
    expect((await accountUse(t.db, BigInt(flexId))).conversion).toBe(true);
    const row = await t.db
      .selectFrom('conversions')
      .selectAll()
      .where('id', '=', BigInt(result.conversionId))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subsidy_forfeited: true, interest_fen: 246n, amount_fen: 100246n });
    const interestRow = await t.db
      .selectFrom('account_interest')
      .selectAll()
      .where('account_id', '=', BigInt(flexId))
      .executeTakeFirstOrThrow();
    expect(interestRow).toMatchObject({ kind: 'conversion', interest_fen: 246n, hpf_year: 2024 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'conversion.to_unit')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('a retry with the same key returns the first answer and writes nothing; another payload is refused', async () => {
    const before = await rowCounts(t.db);
    const again = await convertToUnit({
      db: t.db,
      actor: teller,
      flexibleAccountId: flexId,
      unitAccountId: unitId,
      idempotencyKey: 'cv-to-unit-1',
    });
    expect(again).toMatchObject({ replayed: true, amount: '1002.46' });
    expect(await rowCounts(t.db)).toEqual(before);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        convertToUnit({
          db: t.db,
          actor: teller,
          flexibleAccountId: flexId,
          unitAccountId: String(BigInt(unitId) + 1000n),
          idempotencyKey: 'cv-to-unit-1',
        }),
      'IDEMPOTENCY_KEY_REUSED',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        convertToUnit({
          db: t.db,
          actor: teller,
          flexibleAccountId: flexId,
          unitAccountId: unitId,
          idempotencyKey: 'cv-to-unit-2',
        }),
      'CONVERSION_ACCOUNT_CLOSED',
      expect,
    );
  });

  it('unit → flexible is refused while the unit account is not sealed, or without a signed agreement', async () => {
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        convertToFlexible({ db: t.db, actor: teller, unitAccountId: unitId, idempotencyKey: 'cv-to-flex-0' }),
      'CONVERSION_UNIT_NOT_SEALED',
      expect,
    );
    await advanceBusinessDate(t.db, '2025-06-10', system);
    const sealed = await sealUnitAccount({
      db: t.db,
      actor: teller,
      accountId: unitId,
      action: 'seal',
      reason: '离职',
    });
    expect(sealed).toMatchObject({ state: '02', businessType: '05', reason: '离职', sealedOn: '2025-06-10' });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        convertToFlexible({ db: t.db, actor: teller, unitAccountId: unitId, idempotencyKey: 'cv-to-flex-0' }),
      'CONVERSION_AGREEMENT_REQUIRED',
      expect,
    );
  });

  it('sealed unit → flexible: a new flexible account under the signed agreement receives money and history', async () => {
    const draft = await prepareAgreement({
      db: t.db,
      actor: teller,
      depositorId,
      depositMode: 'flexible',
      monthlyAmount: null,
      debitDay: null,
      bankName: '中国建设银行包头分行',
      bankCard: '6217000010001234567',
      consentDataCheck: true,
    });
    await signAgreement({
      db: t.db,
      actor: teller,
      agreementId: draft.agreementId,
      textSha256: draft.textSha256,
      signerName: '赵转换',
      clientIp: '127.0.0.1',
      userAgent: 'vitest',
      channel: 'counter',
    });
    const unitBalance = 180246n;
    const result = await convertToFlexible({
      db: t.db,
      actor: teller,
      unitAccountId: unitId,
      idempotencyKey: 'cv-to-flex-1',
    });
    // The unit account held 1,802.46 from 05-20, counted through 06-09.
    const interest = interestOf(unitBalance * 21n);
    expect(result).toMatchObject({
      direction: 'to_flexible',
      principal: '1802.46',
      interest: `${interest / 100n}.${String(interest % 100n).padStart(2, '0')}`,
      monthsCarried: 3,
      coveredMonthsCarried: 3,
      subsidyForfeited: false,
      replayed: false,
    });
    newFlexId = result.toAccountId;
    const newFlex = await account(result.toAccountId);
    expect(newFlex).toMatchObject({
      kind: 'flexible',
      pool: 'FLEX',
      state: '01',
      balance_fen: unitBalance + interest,
    });
    expect(await account(unitId)).toMatchObject({ state: '03', balance_fen: 0n, closed_on: '2025-06-10' });
    const agreement = await t.db
      .selectFrom('agreements')
      .select(['status', 'account_id'])
      .where('id', '=', BigInt(draft.agreementId))
      .executeTakeFirstOrThrow();
    expect(agreement).toEqual({ status: 'signed', account_id: BigInt(result.toAccountId) });
    expect(await consecutiveCoveredMonths(t.db, BigInt(result.toAccountId), '2025-05')).toBe(3);
    await booksOk();

    // The new flexible account takes deposits again.
    const credited = await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: result.toAccountId,
      amount: '300.00',
      idempotencyKey: 'cv-dep-3',
    });
    expect(credited.months).toEqual(['2025-06']);
    expect(await consecutiveCoveredMonths(t.db, BigInt(result.toAccountId), '2025-06')).toBe(4);
    const replay = await convertToFlexible({
      db: t.db,
      actor: teller,
      unitAccountId: unitId,
      idempotencyKey: 'cv-to-flex-1',
    });
    expect(replay).toMatchObject({ replayed: true, conversionId: result.conversionId });
    await booksOk();
  });
});

describe('refusals write nothing', () => {
  it('refuses a frozen flexible account, another person’s unit account and an outstanding loan', async () => {
    const a = await openedDepositor(
      t.db,
      { idNumber: personId('1990-01-01', 'female', 42), name: '钱一' },
      'flexible',
    );
    const b = await openedDepositor(
      t.db,
      { idNumber: personId('1990-01-02', 'female', 43), name: '孙二' },
      'flexible',
    );
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: a.account.accountId,
      amount: '400.00',
      idempotencyKey: 'cv-dep-a',
    });
    const report = await hire('UNITCV0002', [
      { idNumber: personId('1990-01-01', 'female', 42), name: '钱一' },
      { idNumber: personId('1990-01-02', 'female', 43), name: '孙二' },
    ]);
    const unitA = report.created.find((c) => c.name === '钱一')!.accountId;
    const unitB = report.created.find((c) => c.name === '孙二')!.accountId;
    const convert = (flexibleAccountId: string, unitAccountId: string) => () =>
      convertToUnit({
        db: t.db,
        actor: teller,
        flexibleAccountId,
        unitAccountId,
        idempotencyKey: `cv-r-${flexibleAccountId}-${unitAccountId}`,
      });

    await expectRefusedWithoutWrites(
      t.db,
      convert(a.account.accountId, unitB),
      'CONVERSION_OTHER_PERSON',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      convert(a.account.accountId, a.account.accountId),
      'CONVERSION_NOT_UNIT',
      expect,
    );
    await expectRefusedWithoutWrites(t.db, convert(unitA, unitA), 'CONVERSION_NOT_FLEXIBLE', expect);

    loans.outstanding = true;
    try {
      await expectRefusedWithoutWrites(
        t.db,
        convert(a.account.accountId, unitA),
        'CONVERSION_LOAN_OUTSTANDING',
        expect,
      );
    } finally {
      loans.outstanding = false;
    }

    await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: a.account.accountId,
      action: 'freeze',
      reason: '司法冻结',
      documentNo: '(2025)蒙02执9号',
    });
    await expectRefusedWithoutWrites(
      t.db,
      convert(a.account.accountId, unitA),
      'CONVERSION_ACCOUNT_FROZEN',
      expect,
    );

    // A sealed unit account cannot receive a flexible account's money.
    await sealUnitAccount({ db: t.db, actor: teller, accountId: unitB, action: 'seal', reason: '离职' });
    await expectRefusedWithoutWrites(
      t.db,
      convert(b.account.accountId, unitB),
      'CONVERSION_UNIT_ACCOUNT_NOT_OPEN',
      expect,
    );
    // Unit → flexible while the person still holds an open flexible account: §1's one-account rule.
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        convertToFlexible({ db: t.db, actor: teller, unitAccountId: unitB, idempotencyKey: 'cv-r-flex-b' }),
      'FLEXIBLE_ACCOUNT_EXISTS',
      expect,
    );
    await booksOk();
  });

  it('converts an empty flexible account: no entries, and the account still ends', async () => {
    const idNumber = personId('1992-02-02', 'male', 44);
    const c = await openedDepositor(t.db, { idNumber, name: '李空' }, 'flexible');
    const report = await hire('UNITCV0003', [{ idNumber, name: '李空' }]);
    const result = await convertToUnit({
      db: t.db,
      actor: teller,
      flexibleAccountId: c.account.accountId,
      unitAccountId: report.created[0]!.accountId,
      idempotencyKey: 'cv-empty',
    });
    expect(result).toMatchObject({ amount: '0.00', pairId: null, monthsCarried: 0 });
    expect((await account(c.account.accountId)).state).toBe('03');
    await booksOk();
  });
});

describe('after conversions', () => {
  it('two conversions of one account at once: one converts, the other is refused', async () => {
    const idNumber = personId('1994-04-04', 'female', 45);
    const d = await openedDepositor(t.db, { idNumber, name: '吴并发' }, 'flexible');
    await recordCounterDeposit({
      db: t.db,
      actor: teller,
      accountId: d.account.accountId,
      amount: '250.00',
      idempotencyKey: 'cv-dep-race',
    });
    const report = await hire('UNITCV0004', [{ idNumber, name: '吴并发' }]);
    const unitAccountId = report.created[0]!.accountId;
    const outcomes = await Promise.allSettled(
      ['cv-race-1', 'cv-race-2'].map((idempotencyKey) =>
        convertToUnit({
          db: t.db,
          actor: teller,
          flexibleAccountId: d.account.accountId,
          unitAccountId,
          idempotencyKey,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('CONVERSION_ACCOUNT_CLOSED');
    expect((await account(unitAccountId)).balance_fen).toBe(25000n);
    await booksOk();
  });

  it('the June 30 settlement pays converted accounts nothing more and the new account from its first day', async () => {
    await advanceBusinessDate(t.db, '2025-06-30', system);
    await accrueMonthEndInterest({ db: t.db, date: '2025-06-30', actor: system });
    await settleAnnualInterest({ db: t.db, date: '2025-06-30', actor: system });
    const closed = await t.db
      .selectFrom('account_interest as i')
      .innerJoin('accounts as a', 'a.id', 'i.account_id')
      .select(['a.state', 'i.kind'])
      .where('a.state', '=', '03')
      .execute();
    expect(closed.every((r) => r.kind === 'conversion')).toBe(true);
    // 1,804.74 converted on 06-10 plus 300.00 deposited that day, held through 06-30: 21 days.
    const converted = 180246n + interestOf(180246n * 21n);
    const annual = await t.db
      .selectFrom('account_interest')
      .select('interest_fen')
      .where('account_id', '=', BigInt(newFlexId))
      .where('kind', '=', 'annual')
      .executeTakeFirstOrThrow();
    expect(annual.interest_fen).toBe(interestOf((converted + 30000n) * 21n));
    await booksOk();
  });
});
