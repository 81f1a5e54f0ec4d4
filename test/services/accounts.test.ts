// Registration, agreement and account opening (rules.md §1, §2, §11) against a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites } from '../support/snapshot.ts';
import { manager, openedDepositor, registration, startCenter, staff, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { registerDepositor } from '../../src/services/depositors/register-depositor.ts';
import { prepareAgreement } from '../../src/services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../src/services/agreements/sign-agreement.ts';
import { amendAgreement } from '../../src/services/agreements/amend-agreement.ts';
import { openAccount } from '../../src/services/accounts/open-account.ts';
import { changeAccountState } from '../../src/services/accounts/change-account-state.ts';
import { openUnitAccount } from '../../src/services/accounts/open-unit-account.ts';
import { registerEmployer } from '../../src/services/employers/register-employer.ts';
import { getDepositor, searchDepositors } from '../../src/services/depositors/view-depositor.ts';
import { previewEligibility } from '../../src/services/depositors/preview-eligibility.ts';
import { advanceBusinessDate } from '../../src/services/calendar/business-date.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';
import { isValidAccountNumber } from '../../src/domain/account-number.ts';
import { sha256Hex } from '../../src/services/agreements/prepare-agreement.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2025-03-03');
});
afterAll(async () => {
  const chain = await verifyAuditChain(t.db);
  expect(chain.ok).toBe(true);
  await t.close();
});

describe('registering a flexible worker (rules.md §1)', () => {
  it('stores the person with the ID number protected and reads the birth date and gender from it', async () => {
    const idNumber = personId('1988-02-29', 'female', 7);
    const person = await registerDepositor(registration(t.db, { idNumber, name: '王芳' }));
    expect(person.birthDate).toBe('1988-02-29');
    expect(person.gender).toBe('female');
    expect(person.retirementGroup).toBe('female50');
    expect(person.idNumberMasked).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    const row = await t.db
      .selectFrom('depositors')
      .selectAll()
      .where('id', '=', BigInt(person.depositorId))
      .executeTakeFirstOrThrow();
    expect(row.id_number_enc).not.toContain(idNumber);
    expect(canonicalJson(row)).not.toContain(idNumber);
    const audit = await t.db.selectFrom('audit_log').select('payload').execute();
    expect(audit.some((a) => a.payload.includes(idNumber))).toBe(false);
  });

  it('refuses a 15-year-old and writes nothing', async () => {
    const idNumber = personId('2010-03-04', 'male', 1);
    const error = (await expectRefusedWithoutWrites(
      t.db,
      () => registerDepositor(registration(t.db, { idNumber })),
      'DEPOSITOR_NOT_ELIGIBLE',
      expect,
    )) as { details: { failures: Array<{ code: string }> } };
    expect(error.details.failures.map((f) => f.code)).toContain('BELOW_MINIMUM_AGE');
  });

  it('accepts a person on their sixteenth birthday', async () => {
    const person = await registerDepositor(
      registration(t.db, { idNumber: personId('2009-03-03', 'male', 2) }),
    );
    expect(person.birthDate).toBe('2009-03-03');
  });

  it('refuses a man past the statutory retirement age and writes nothing', async () => {
    // Born 1964-12: the reform starts with the 1965-01 cohort, so he retired at 60 in 2024-12.
    await expectRefusedWithoutWrites(
      t.db,
      () => registerDepositor(registration(t.db, { idNumber: personId('1964-12-10', 'male', 3) })),
      'DEPOSITOR_NOT_ELIGIBLE',
      expect,
    );
  });

  it('lists every failed rule, not only the first', async () => {
    const result = await previewEligibility({
      db: t.db,
      idNumber: personId('2012-01-01', 'female', 4),
      employmentForm: 'new_forms',
      civilCapacityDeclared: false,
      noUnitAccountElsewhereDeclared: false,
    });
    expect(result.eligible).toBe(false);
    expect(result.failures.map((f) => f.code)).toEqual(
      expect.arrayContaining([
        'BELOW_MINIMUM_AGE',
        'CIVIL_CAPACITY_NOT_DECLARED',
        'UNIT_ACCOUNT_ELSEWHERE_NOT_DECLARED',
      ]),
    );
  });

  it('refuses a malformed or wrong-checksum ID number and writes nothing', async () => {
    const good = personId('1990-01-01', 'male', 9);
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await expectRefusedWithoutWrites(
      t.db,
      () => registerDepositor(registration(t.db, { idNumber: wrongCheck })),
      'ID_NUMBER_CHECKSUM',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => registerDepositor(registration(t.db, { idNumber: '15020319' })),
      'ID_NUMBER_MALFORMED',
      expect,
    );
  });

  it('refuses a second registration of the same person', async () => {
    const input = registration(t.db);
    await registerDepositor(input);
    await expectRefusedWithoutWrites(
      t.db,
      () => registerDepositor({ ...input, name: '别名' }),
      'DEPOSITOR_ALREADY_REGISTERED',
      expect,
    );
  });
});

describe('the agreement and the account (rules.md §2)', () => {
  it('opens an account in FLEX with a check digit once the exact text shown is signed', async () => {
    const { person, draft, account } = await openedDepositor(t.db);
    expect(draft.textSha256).toBe(sha256Hex(draft.text));
    expect(draft.text).toContain(person.name);
    expect(draft.text).toContain('500.00');
    expect(account.pool).toBe('FLEX');
    expect(isValidAccountNumber(account.accountNumber)).toBe(true);
    const agreement = await t.db
      .selectFrom('agreements')
      .selectAll()
      .where('id', '=', BigInt(draft.agreementId))
      .executeTakeFirstOrThrow();
    expect(agreement.status).toBe('signed');
    expect(agreement.signer_ip).toBe('127.0.0.1');
    expect(agreement.account_id).toBe(BigInt(account.accountId));
  });

  it('refuses to open an account before the agreement is signed', async () => {
    const person = await registerDepositor(registration(t.db));
    await prepareAgreement({
      db: t.db,
      actor: teller,
      depositorId: person.depositorId,
      depositMode: 'flexible',
      bankName: '包商银行',
      bankCard: '6222020000000000001',
      consentDataCheck: true,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => openAccount({ db: t.db, actor: teller, depositorId: person.depositorId }),
      'AGREEMENT_NOT_SIGNED',
      expect,
    );
  });

  it('refuses a signature over a text other than the one shown', async () => {
    const person = await registerDepositor(registration(t.db));
    const draft = await prepareAgreement({
      db: t.db,
      actor: teller,
      depositorId: person.depositorId,
      depositMode: 'flexible',
      bankName: '包商银行',
      bankCard: '6222020000000000002',
      consentDataCheck: true,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        signAgreement({
          db: t.db,
          actor: teller,
          agreementId: draft.agreementId,
          textSha256: sha256Hex('other'),
          signerName: person.name,
          clientIp: null,
          userAgent: null,
          channel: 'counter',
        }),
      'AGREEMENT_TEXT_CHANGED',
      expect,
    );
  });

  it('refuses a monthly amount outside the published limits', async () => {
    const person = await registerDepositor(registration(t.db));
    const base = {
      db: t.db,
      actor: teller,
      depositorId: person.depositorId,
      depositMode: 'monthly',
      debitDay: 5,
      bankName: '包商银行',
      bankCard: '6222020000000000003',
      consentDataCheck: true,
    };
    await expectRefusedWithoutWrites(
      t.db,
      () => prepareAgreement({ ...base, monthlyAmount: '197.99' }),
      'MONTHLY_AMOUNT_BELOW_LIMIT',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => prepareAgreement({ ...base, monthlyAmount: '6574.01' }),
      'MONTHLY_AMOUNT_ABOVE_LIMIT',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () => prepareAgreement({ ...base, monthlyAmount: '300.001' }),
      'INVALID_AMOUNT',
      expect,
    );
  });

  it('allows one flexible account per person', async () => {
    const { person } = await openedDepositor(t.db);
    await expectRefusedWithoutWrites(
      t.db,
      () => openAccount({ db: t.db, actor: teller, depositorId: person.depositorId }),
      'FLEXIBLE_ACCOUNT_EXISTS',
      expect,
    );
  });

  it('refuses a flexible account while an active unit account exists, and allows it once that is sealed', async () => {
    const employer = await registerEmployer({
      db: t.db,
      actor: manager,
      code: '91150203MA0001',
      name: '包头某物流公司',
      districtCode: '150203',
    });
    const person = await registerDepositor(registration(t.db));
    const unit = await openUnitAccount({
      db: t.db,
      actor: manager,
      depositorId: person.depositorId,
      employerId: employer.employerId,
    });
    const draft = await prepareAgreement({
      db: t.db,
      actor: teller,
      depositorId: person.depositorId,
      depositMode: 'flexible',
      bankName: '包商银行',
      bankCard: '6222020000000000004',
      consentDataCheck: true,
    });
    await signAgreement({
      db: t.db,
      actor: teller,
      agreementId: draft.agreementId,
      textSha256: draft.textSha256,
      signerName: person.name,
      clientIp: null,
      userAgent: null,
      channel: 'counter',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () => openAccount({ db: t.db, actor: teller, depositorId: person.depositorId }),
      'ACTIVE_UNIT_ACCOUNT',
      expect,
    );
    await changeAccountState({ db: t.db, actor: manager, accountId: unit.accountId, action: 'seal' });
    const account = await openAccount({ db: t.db, actor: teller, depositorId: person.depositorId });
    expect(account.state).toBe('01');
  });
});

describe('account states (rules.md §1)', () => {
  it('seals and unseals, freezes with a document and unfreezes back to the earlier state', async () => {
    const { account } = await openedDepositor(t.db);
    expect(
      (await changeAccountState({ db: t.db, actor: manager, accountId: account.accountId, action: 'seal' }))
        .state,
    ).toBe('02');
    const frozen = await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: account.accountId,
      action: 'freeze',
      reason: '法院协助冻结',
      documentNo: '(2025)蒙0203执123号',
    });
    expect(frozen.state).toBe('06');
    const back = await changeAccountState({
      db: t.db,
      actor: manager,
      accountId: account.accountId,
      action: 'unfreeze',
      reason: '解除冻结',
      documentNo: '(2025)蒙0203执124号',
    });
    expect(back.state).toBe('02');
  });

  it('refuses a freeze without a document number and a seal of a sealed account', async () => {
    const { account } = await openedDepositor(t.db);
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        changeAccountState({
          db: t.db,
          actor: manager,
          accountId: account.accountId,
          action: 'freeze',
          reason: '冻结',
        }),
      'FREEZE_REASON_REQUIRED',
      expect,
    );
    await changeAccountState({ db: t.db, actor: manager, accountId: account.accountId, action: 'seal' });
    await expectRefusedWithoutWrites(
      t.db,
      () => changeAccountState({ db: t.db, actor: manager, accountId: account.accountId, action: 'seal' }),
      'ACCOUNT_STATE_INVALID',
      expect,
    );
  });
});

describe('amending the deposit plan: once per HPF year (rules.md §2)', () => {
  it('allows one change per July–June year and refuses the second without writing', async () => {
    const { draft } = await openedDepositor(t.db);
    await amendAgreement({
      db: t.db,
      actor: teller,
      agreementId: draft.agreementId,
      depositMode: 'quarterly',
      monthlyAmount: '800.00',
      debitDay: 10,
    });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        amendAgreement({ db: t.db, actor: teller, agreementId: draft.agreementId, depositMode: 'flexible' }),
      'AMENDMENT_LIMIT_REACHED',
      expect,
    );
    // 2025-07-01 starts HPF year 2025: one more change is allowed.
    await advanceBusinessDate(t.db, '2025-07-01', { type: 'system', id: 'test' });
    const next = await amendAgreement({
      db: t.db,
      actor: teller,
      agreementId: draft.agreementId,
      depositMode: 'flexible',
    });
    expect(next.hpfYear).toBe(2025);
  });
});

describe('what each viewer may see (rules.md §11, §13)', () => {
  it('masks ID numbers for roles that do not need them and scopes district viewers', async () => {
    const { person } = await openedDepositor(t.db, { districtCode: '150204' });
    const full = await getDepositor(t.db, teller, person.depositorId);
    expect(full.idNumber).not.toContain('*');
    const finance = await getDepositor(t.db, staff('fin', ['finance']), person.depositorId);
    expect(finance.idNumber).toContain('*');
    const viewerQ = staff('qs', ['district_viewer'], '150204');
    const viewerK = staff('kd', ['district_viewer'], '150203');
    expect((await getDepositor(t.db, viewerQ, person.depositorId)).name).toBe(person.name);
    await expect(getDepositor(t.db, viewerK, person.depositorId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const list = await searchDepositors({ db: t.db, actor: viewerK });
    expect(list.items.every((i) => i.districtCode === '150203')).toBe(true);
    await expect(
      searchDepositors({ db: t.db, actor: viewerK, districtCode: '150204' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
