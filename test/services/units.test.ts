// The unit side (rules.md §5.3) against a real database: unit files (CSV and Excel) with their report,
// the same file twice = once, seal/unseal with a reason, and a unit's monthly remittance (Dr 101 / Cr 201
// in MANDATORY) that covers the month, once per unit and month.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { expectRefusedWithoutWrites, rowCounts } from '../support/snapshot.ts';
import { booksSnapshot } from '../support/books.ts';
import { registration, startCenter, teller } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { registerDepositor } from '../../src/services/depositors/register-depositor.ts';
import { importUnits } from '../../src/services/units/import-units.ts';
import { sealUnitAccount } from '../../src/services/units/seal-unit-account.ts';
import { recordUnitRemittance } from '../../src/services/units/record-unit-remittance.ts';
import { viewUnit } from '../../src/services/units/view-unit.ts';
import { consecutiveCoveredMonths } from '../../src/services/deposits/credit-deposit.ts';
import { verifyBooks } from '../../src/ledger/verify-books.ts';
import { ledgerBalance } from '../../src/ledger/chart.ts';
import { verifyAuditChain } from '../../src/audit/audit-trail.ts';

let t: TestDatabase;
const wang = personId('1985-06-01', 'male', 61);
const li = personId('1987-07-02', 'female', 62);
const stranger = personId('1989-08-03', 'male', 63);

beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db, '2025-03-03');
  await registerDepositor(registration(t.db, { idNumber: wang, name: '王单位' }));
  await registerDepositor(registration(t.db, { idNumber: li, name: '李单位' }));
});
afterAll(async () => {
  expect((await verifyBooks(t.db)).ok).toBe(true);
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
  await t.close();
});

const csv = [
  '单位编号,单位名称,区划代码,身份证号码,姓名,缴存基数,月缴存额',
  `UNIT000001,包头钢铁测试公司,150203,${wang},王单位,6000.00,720.00`,
  `UNIT000001,包头钢铁测试公司,150203,${li},李单位,,`,
  `UNIT000001,包头钢铁测试公司,150203,${stranger},陌生人,5000.00,600.00`,
  `UNIT000001,包头钢铁测试公司,150203,${li},李错名,,`,
  `UNIT000001,包头钢铁测试公司,150203,150203199001011234,坏号码,,`,
  `UNIT000001,包头钢铁测试公司,150203,${wang},王单位,,12.345`,
  `bad code,包头钢铁测试公司,150203,${wang},王单位,,`,
  `UNIT000002,另一单位,999999,${wang},王单位,,`,
  '',
].join('\n');

describe('importing a unit file', () => {
  let employerId = '';

  it('registers the unit, opens unit accounts for people registered here, and reports every other row', async () => {
    const report = await importUnits({
      db: t.db,
      actor: teller,
      fileName: 'units.csv',
      content: Buffer.from(csv),
    });
    expect(report.duplicate).toBe(false);
    expect(report.totalRows).toBe(8);
    expect(report.employersCreated).toEqual([
      expect.objectContaining({ code: 'UNIT000001', name: '包头钢铁测试公司' }),
    ]);
    employerId = report.employersCreated[0]!.employerId;
    expect(report.created.map((c) => [c.row, c.name, c.monthlyBase, c.monthlyAmount])).toEqual([
      [2, '王单位', '6000.00', '720.00'],
      [3, '李单位', null, null],
    ]);
    expect(report.created.every((c) => c.flexibleAccountNumber === null)).toBe(true);
    expect(report.existing).toEqual([]);
    expect(report.unmatched.map((u) => [u.row, u.reason])).toEqual([
      [4, 'no_depositor'],
      [5, 'name_mismatch'],
    ]);
    expect(report.unmatched[0]!.idNumberMasked).not.toContain(stranger.slice(6, 14));
    expect(report.malformed.map((m) => [m.row, m.field, m.code])).toEqual([
      [6, 'idNumber', 'ID_NUMBER_CHECKSUM'],
      [7, 'monthlyAmount', 'INVALID_AMOUNT'],
      [8, 'employerCode', 'VALIDATION_FAILED'],
      [9, 'districtCode', 'DISTRICT_UNKNOWN'],
    ]);
    const unit = await viewUnit(t.db, teller, employerId);
    expect(unit.accounts.map((a) => [a.name, a.state, a.monthlyAmount, a.balance])).toEqual([
      ['王单位', '01', '720.00', '0.00'],
      ['李单位', '01', null, '0.00'],
    ]);
  });

  it('importing the same file twice changes nothing; the same rows in another file are reported as existing', async () => {
    const before = await rowCounts(t.db);
    const books = await booksSnapshot(t.db);
    const again = await importUnits({
      db: t.db,
      actor: teller,
      fileName: 'units.csv',
      content: Buffer.from(csv),
    });
    expect(again.duplicate).toBe(true);
    expect(again.created).toHaveLength(2);
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await booksSnapshot(t.db)).toEqual(books);

    const other = await importUnits({
      db: t.db,
      actor: teller,
      fileName: 'units-again.csv',
      content: Buffer.from(`${csv}\n`),
    });
    expect(other.duplicate).toBe(false);
    expect(other.employersCreated).toEqual([]);
    expect(other.created).toEqual([]);
    expect(other.existing.map((e) => e.row)).toEqual([2, 3]);
    expect(await booksSnapshot(t.db)).toEqual(books);
    const accounts = await t.db.selectFrom('accounts').select('id').where('kind', '=', 'unit').execute();
    expect(accounts).toHaveLength(2);
  });

  it('reads the same columns from an Excel workbook', async () => {
    const third = personId('1986-01-09', 'male', 64);
    await registerDepositor(registration(t.db, { idNumber: third, name: '张表格' }));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('职工');
    sheet.addRow(['employer_code', 'employer_name', 'district_code', 'id_number', 'name', 'monthly_amount']);
    sheet.addRow(['UNIT000003', '表格单位', '150203', third, '张表格', '500.00']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await importUnits({ db: t.db, actor: teller, fileName: 'units.xlsx', content });
    expect(report.created.map((c) => [c.name, c.monthlyAmount])).toEqual([['张表格', '500.00']]);
    await expect(
      importUnits({
        db: t.db,
        actor: teller,
        fileName: 'units.csv',
        content: Buffer.from('姓名,身份证号码\n'),
      }),
    ).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID' });
  });

  it('a unit remittance credits its employees once per month and covers the month', async () => {
    const remit = (key: string, month = '2025-03') =>
      recordUnitRemittance({ db: t.db, actor: teller, employerId, month, idempotencyKey: key });
    // Only 王单位 has a monthly amount: 李单位 is left out of a remittance without lines.
    const first = await remit('unit-remit-0001');
    expect(first).toMatchObject({ total: '720.00', replayed: false });
    expect(first.lines.map((l) => l.amount)).toEqual(['720.00']);
    expect(await ledgerBalance(t.db, 'MANDATORY', '101')).toBe(72000n);
    expect(await ledgerBalance(t.db, 'MANDATORY', '201')).toBe(72000n);
    const again = await remit('unit-remit-0001');
    expect(again).toMatchObject({ replayed: true, remittanceId: first.remittanceId });
    await expectRefusedWithoutWrites(t.db, () => remit('unit-remit-0002'), 'UNIT_REMITTANCE_EXISTS', expect);
    await expectRefusedWithoutWrites(
      t.db,
      () => remit('unit-remit-0003', '2025-04'),
      'INVALID_MONTH',
      expect,
    );
    const wangAccount = BigInt(first.lines[0]!.accountId);
    expect(await consecutiveCoveredMonths(t.db, wangAccount, '2025-03')).toBe(1);

    // Explicit lines: any normal account of the unit, at the amount given.
    const unit = await viewUnit(t.db, teller, employerId);
    const liAccount = unit.accounts.find((a) => a.name === '李单位')!.accountId;
    const withLines = await recordUnitRemittance({
      db: t.db,
      actor: teller,
      employerId,
      month: '2025-02',
      idempotencyKey: 'unit-remit-0004',
      lines: [
        { accountId: String(wangAccount), amount: '700.00' },
        { accountId: liAccount, amount: '650.00' },
      ],
    });
    expect(withLines.total).toBe('1350.00');
    expect(await consecutiveCoveredMonths(t.db, wangAccount, '2025-03')).toBe(2);
    expect((await verifyBooks(t.db)).ok).toBe(true);
  });

  it('seals and unseals a unit account with its reason; a sealed account is left out of remittances', async () => {
    const unit = await viewUnit(t.db, teller, employerId);
    const li = unit.accounts.find((a) => a.name === '李单位')!;
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        sealUnitAccount({ db: t.db, actor: teller, accountId: li.accountId, action: 'seal', reason: ' ' }),
      'UNIT_SEAL_REASON_REQUIRED',
      expect,
    );
    const sealed = await sealUnitAccount({
      db: t.db,
      actor: teller,
      accountId: li.accountId,
      action: 'seal',
      reason: '解除劳动合同',
    });
    expect(sealed).toMatchObject({ state: '02', reason: '解除劳动合同' });
    expect(
      (await viewUnit(t.db, teller, employerId)).accounts.find((a) => a.name === '李单位'),
    ).toMatchObject({
      state: '02',
      sealReason: '解除劳动合同',
      sealedOn: '2025-03-03',
    });
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        recordUnitRemittance({
          db: t.db,
          actor: teller,
          employerId,
          month: '2025-01',
          idempotencyKey: 'unit-remit-0005',
          lines: [{ accountId: li.accountId, amount: '650.00' }],
        }),
      'UNIT_REMITTANCE_ACCOUNT_INVALID',
      expect,
    );
    await expectRefusedWithoutWrites(
      t.db,
      () =>
        sealUnitAccount({ db: t.db, actor: teller, accountId: li.accountId, action: 'seal', reason: '重复' }),
      'ACCOUNT_STATE_INVALID',
      expect,
    );
    const unsealed = await sealUnitAccount({
      db: t.db,
      actor: teller,
      accountId: li.accountId,
      action: 'unseal',
      reason: '重新入职',
    });
    expect(unsealed).toMatchObject({ state: '01', businessType: '04', sealedOn: null });
  });
});
