// Importing pension-insurance records marks matching depositors as verified flexible workers (rules.md §1).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { rowCounts } from '../support/snapshot.ts';
import { manager, registration, startCenter } from '../support/services.ts';
import { personId } from '../support/people.ts';
import { registerDepositor } from '../../src/services/depositors/register-depositor.ts';
import { importSocialInsurance } from '../../src/services/imports/import-social-insurance.ts';

let t: TestDatabase;
const alice = personId('1991-04-05', 'female', 11);
const bob = personId('1985-09-09', 'male', 12);
const stranger = personId('1979-12-12', 'male', 13);
beforeAll(async () => {
  t = await createTestDatabase();
  await startCenter(t.db);
  await registerDepositor(registration(t.db, { idNumber: alice, name: '李丽' }));
  await registerDepositor(registration(t.db, { idNumber: bob, name: '赵强' }));
});
afterAll(() => t.close());

async function verified(idNumberName: string): Promise<boolean> {
  const row = await t.db
    .selectFrom('depositors')
    .select('flexible_verified')
    .where('name', '=', idNumberName)
    .executeTakeFirstOrThrow();
  return row.flexible_verified;
}

describe('social-insurance import', () => {
  it('verifies matches, reports unmatched and malformed rows, and changes nothing the second time', async () => {
    const csv = [
      '身份证号码,姓名,缴费年月,参保类型',
      `${alice},李丽,2025-01,个人参保`,
      `${bob.toLowerCase()},赵强,2025-01,个人参保`,
      `${stranger},陌生人,2025-01,个人参保`,
      `${bob},赵刚,2025-02,个人参保`,
      '150203199001011230,坏行,2025-01,个人参保',
      `${alice},李丽,2025/01,个人参保`,
      '',
    ].join('\n');
    const report = await importSocialInsurance({
      db: t.db,
      actor: manager,
      fileName: 'si-2025-01.csv',
      content: Buffer.from(csv),
    });
    expect(report.duplicate).toBe(false);
    expect(report.totalRows).toBe(6);
    expect(report.matchedRows).toBe(2);
    expect(report.newlyVerified).toBe(2);
    expect(report.unmatched.map((u) => [u.row, u.reason])).toEqual([
      [4, 'no_depositor'],
      [5, 'name_mismatch'],
    ]);
    expect(report.malformed.map((m) => [m.row, m.field])).toEqual([
      [6, 'idNumber'],
      [7, 'period'],
    ]);
    expect(JSON.stringify(report)).not.toContain(stranger);
    expect(await verified('李丽')).toBe(true);

    const before = await rowCounts(t.db);
    const again = await importSocialInsurance({
      db: t.db,
      actor: manager,
      fileName: 'renamed.csv',
      content: Buffer.from(csv),
    });
    expect(again.duplicate).toBe(true);
    expect(again.importId).toBe(report.importId);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('reads the same records from an Excel workbook', async () => {
    const carol = personId('1993-03-03', 'female', 14);
    await registerDepositor(registration(t.db, { idNumber: carol, name: '孙梅' }));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('参保记录');
    sheet.addRow(['id_number', 'name', 'period']);
    sheet.addRow([carol, '孙梅', '2025-02']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await importSocialInsurance({ db: t.db, actor: manager, fileName: 'si.xlsx', content });
    expect(report.matchedRows).toBe(1);
    expect(await verified('孙梅')).toBe(true);
  });

  it('refuses a file without the ID number column and writes nothing', async () => {
    const before = await rowCounts(t.db);
    await expect(
      importSocialInsurance({
        db: t.db,
        actor: manager,
        fileName: 'bad.csv',
        content: Buffer.from('name,period\n张三,2025-01\n'),
      }),
    ).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID' });
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
