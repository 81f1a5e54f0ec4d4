// Imports a unit file (CSV or Excel: employer and employees with ID number and name, optional monthly
// base and amount): registers employers not yet known and opens a unit account in the MANDATORY pool
// for each employee registered here (rules.md §5.3). Rows already in place are reported as existing;
// unknown people and malformed rows are reported, never dropped. The same bytes twice change nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import {
  checkUnitFileRow,
  mapUnitFileHeader,
  type UnitFileField,
  type UnitFileMalformed,
  type UnitFileRow,
} from '../../domain/conversion-unit-file.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { idNumberHash, maskIdNumber } from '../../auth/pii.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { nextAccountNumber } from '../accounts/open-account.ts';
import { readTableFile } from '../imports/read-table-file.ts';
import type { Db } from '../../db/connection.ts';

export interface ImportUnitsInput {
  db: Db;
  actor: Actor;
  fileName: string;
  content: Buffer;
}

interface ReportedRow {
  row: number;
  employerCode: string;
  idNumberMasked: string;
  name: string;
}

export interface UnitImportReport {
  importId: string;
  fileName: string;
  fileSha256: string;
  duplicate: boolean;
  totalRows: number;
  employersCreated: Array<{ employerId: string; code: string; name: string }>;
  created: Array<
    ReportedRow & {
      accountId: string;
      accountNumber: string;
      monthlyBase: string | null;
      monthlyAmount: string | null;
      /** The person's open flexible account, to be converted into this one (rules.md §5.3). */
      flexibleAccountNumber: string | null;
    }
  >;
  existing: Array<ReportedRow & { accountNumber: string }>;
  unmatched: Array<
    ReportedRow & {
      reason: 'no_depositor' | 'name_mismatch' | 'employer_name_mismatch' | 'unit_account_elsewhere';
    }
  >;
  malformed: UnitFileMalformed[];
}

export async function importUnits(input: ImportUnitsInput): Promise<UnitImportReport> {
  const { db, actor, fileName, content } = input;
  const fileSha256 = createHash('sha256').update(content).digest('hex');
  const table = await readTableFile(fileName, content);
  const header = mapUnitFileHeader(table[0] ?? []);
  if (!header)
    throw new AppError('IMPORT_FILE_INVALID', {
      field: 'file',
      details: { reason: 'missing employer code, employer name, district, ID number or name column' },
    });

  const good: UnitFileRow[] = [];
  const malformed: UnitFileMalformed[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const record: Partial<Record<UnitFileField, string>> = {};
    header.forEach((field, col) => (record[field] = cells[col] ?? ''));
    const checked = checkUnitFileRow(i + 2, record);
    if ('idNumber' in checked) good.push(checked);
    else malformed.push(checked);
  });

  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`unit-import:${fileSha256}`}, 0))`.execute(tx);
    const previous = await tx
      .selectFrom('unit_imports')
      .select(['report'])
      .where('file_sha256', '=', fileSha256)
      .executeTakeFirst();
    if (previous) return { ...(previous.report as UnitImportReport), duplicate: true };
    // One unit file at a time: two files naming the same new employer or person cannot both create it.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended('unit-import', 0))`.execute(tx);

    const today = await getBusinessDate(tx);
    const districts = new Set((await tx.selectFrom('districts').select('code').execute()).map((d) => d.code));
    const report: UnitImportReport = {
      importId: '',
      fileName,
      fileSha256,
      duplicate: false,
      totalRows: good.length + malformed.length,
      employersCreated: [],
      created: [],
      existing: [],
      unmatched: [],
      malformed,
    };
    const employers = new Map<string, { id: bigint; name: string }>();
    const audits: Array<{ accountId: bigint; summary: Record<string, unknown> }> = [];
    for (const r of good) {
      if (!districts.has(r.districtCode)) {
        malformed.push({
          row: r.row,
          field: 'districtCode',
          code: 'DISTRICT_UNKNOWN',
          message_zh: '行政区划代码不存在',
          message_en: 'Unknown district code',
        });
        continue;
      }
      const base = {
        row: r.row,
        employerCode: r.employerCode,
        idNumberMasked: maskIdNumber(r.idNumber),
        name: r.name,
      };
      let employer = employers.get(r.employerCode);
      if (!employer) {
        const found = await tx
          .selectFrom('employers')
          .select(['id', 'name'])
          .where('code', '=', r.employerCode)
          .executeTakeFirst();
        if (found) employer = found;
        else {
          const inserted = await tx
            .insertInto('employers')
            .values({ code: r.employerCode, name: r.employerName, district_code: r.districtCode })
            .returning('id')
            .executeTakeFirstOrThrow();
          employer = { id: inserted.id, name: r.employerName };
          report.employersCreated.push({
            employerId: String(inserted.id),
            code: r.employerCode,
            name: r.employerName,
          });
        }
        employers.set(r.employerCode, employer);
      }
      if (employer.name !== r.employerName) {
        report.unmatched.push({ ...base, reason: 'employer_name_mismatch' });
        continue;
      }
      const person = await tx
        .selectFrom('depositors')
        .select(['id', 'name', 'district_code'])
        .where('id_number_hash', '=', idNumberHash(r.idNumber))
        .executeTakeFirst();
      if (!person) {
        report.unmatched.push({ ...base, reason: 'no_depositor' });
        continue;
      }
      if (person.name !== r.name) {
        report.unmatched.push({ ...base, reason: 'name_mismatch' });
        continue;
      }
      const units = await tx
        .selectFrom('accounts')
        .select(['id', 'account_number', 'employer_id', 'state'])
        .where('depositor_id', '=', person.id)
        .where('kind', '=', 'unit')
        .where('state', 'not in', ['03', '04', '05'])
        .forUpdate()
        .execute();
      const here = units.find((u) => u.employer_id === employer.id);
      if (here) {
        report.existing.push({ ...base, accountNumber: here.account_number });
        continue;
      }
      // rules.md §1: one mandatory coverage at a time; a sealed account at a former unit does not block.
      if (units.some((u) => u.state === '01' || u.state === '06')) {
        report.unmatched.push({ ...base, reason: 'unit_account_elsewhere' });
        continue;
      }
      const accountNumber = await nextAccountNumber(tx, 'MANDATORY');
      const account = await tx
        .insertInto('accounts')
        .values({
          account_number: accountNumber,
          depositor_id: person.id,
          pool: 'MANDATORY',
          kind: 'unit',
          employer_id: employer.id,
          state: '01',
          district_code: person.district_code,
          opened_on: today,
          unit_monthly_base_fen: r.monthlyBaseFen,
          unit_monthly_amount_fen: r.monthlyAmountFen,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const monthlyBase = r.monthlyBaseFen === null ? null : fenToYuanString(r.monthlyBaseFen);
      const monthlyAmount = r.monthlyAmountFen === null ? null : fenToYuanString(r.monthlyAmountFen);
      const flexible = await tx
        .selectFrom('accounts')
        .select('account_number')
        .where('depositor_id', '=', person.id)
        .where('kind', '=', 'flexible')
        .where('state', 'not in', ['03', '04', '05'])
        .executeTakeFirst();
      report.created.push({
        ...base,
        accountId: String(account.id),
        accountNumber,
        monthlyBase,
        monthlyAmount,
        flexibleAccountNumber: flexible?.account_number ?? null,
      });
      audits.push({
        accountId: account.id,
        summary: {
          accountNumber,
          depositorId: String(person.id),
          employerId: String(employer.id),
          pool: 'MANDATORY',
          monthlyBase,
          monthlyAmount,
        },
      });
    }
    malformed.sort((a, b) => a.row - b.row);

    const inserted = await tx
      .insertInto('unit_imports')
      .values({
        file_sha256: fileSha256,
        file_name: fileName,
        imported_by: actorLabel(actor),
        business_date: today,
        total_rows: report.totalRows,
        created_rows: report.created.length,
        existing_rows: report.existing.length,
        unmatched_rows: report.unmatched.length,
        malformed_rows: malformed.length,
        report: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    report.importId = String(inserted.id);
    await tx
      .updateTable('unit_imports')
      .set({ report: canonicalJson(report) })
      .where('id', '=', inserted.id)
      .execute();
    for (const a of audits) {
      await recordAudit(tx, {
        actor: actorLabel(actor),
        action: 'account.open_unit',
        subjectType: 'account',
        subjectId: a.accountId,
        businessDate: today,
        summary: { ...a.summary, unitImportId: report.importId },
      });
    }
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'unit.import',
      subjectType: 'unit_import',
      subjectId: inserted.id,
      businessDate: today,
      summary: {
        fileName,
        fileSha256,
        employersCreated: report.employersCreated.map((e) => e.code),
        createdRows: report.created.length,
        existingRows: report.existing.length,
        unmatchedRows: report.unmatched.length,
        malformedRows: malformed.length,
      },
    });
    return report;
  });
}
