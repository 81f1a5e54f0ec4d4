// Imports a social-insurance pension-records file (CSV or Excel): rows matched by ID number mark the
// depositor as a verified flexible worker; unmatched and malformed rows are reported, never dropped.
// A file is applied once: the same bytes again return the first report and change nothing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { checkSiRow, mapSiHeader, type SiMalformed, type SiRow } from '../../domain/social-insurance.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { idNumberHash, maskIdNumber } from '../../auth/pii.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import type { Db } from '../../db/connection.ts';
import { readTableFile } from './read-table-file.ts';

export interface ImportSocialInsuranceInput {
  db: Db;
  actor: Actor;
  fileName: string;
  content: Buffer;
}

export interface SiImportReport {
  importId: string;
  fileName: string;
  fileSha256: string;
  duplicate: boolean;
  totalRows: number;
  matchedRows: number;
  newlyVerified: number;
  unmatched: Array<{
    row: number;
    idNumberMasked: string;
    name: string;
    reason: 'no_depositor' | 'name_mismatch';
  }>;
  malformed: SiMalformed[];
}

export async function importSocialInsurance(input: ImportSocialInsuranceInput): Promise<SiImportReport> {
  const { db, actor, fileName, content } = input;
  const fileSha256 = createHash('sha256').update(content).digest('hex');
  const table = await readTableFile(fileName, content);
  const header = mapSiHeader(table[0] ?? []);
  if (!header)
    throw new AppError('IMPORT_FILE_INVALID', {
      field: 'file',
      details: { reason: 'missing id_number or name column' },
    });

  const good: SiRow[] = [];
  const malformed: SiMalformed[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const record: Record<string, string> = {};
    header.forEach((field, col) => (record[field] = cells[col] ?? ''));
    const checked = checkSiRow(i + 2, record);
    if ('idNumber' in checked) good.push(checked);
    else malformed.push(checked);
  });

  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`si-import:${fileSha256}`}, 0))`.execute(tx);
    const previous = await tx
      .selectFrom('si_imports')
      .select(['report'])
      .where('file_sha256', '=', fileSha256)
      .executeTakeFirst();
    if (previous) return { ...(previous.report as SiImportReport), duplicate: true };

    const hashes = good.map((r) => idNumberHash(r.idNumber));
    const people = hashes.length
      ? await tx
          .selectFrom('depositors')
          .select(['id', 'id_number_hash', 'name', 'flexible_verified'])
          .where('id_number_hash', 'in', [...new Set(hashes)])
          .execute()
      : [];
    const byHash = new Map(people.map((p) => [p.id_number_hash, p]));
    const unmatched: SiImportReport['unmatched'] = [];
    const toVerify = new Set<bigint>();
    let matchedRows = 0;
    good.forEach((r, i) => {
      const person = byHash.get(hashes[i]!);
      const base = { row: r.row, idNumberMasked: maskIdNumber(r.idNumber), name: r.name };
      if (!person) unmatched.push({ ...base, reason: 'no_depositor' });
      else if (person.name !== r.name) unmatched.push({ ...base, reason: 'name_mismatch' });
      else {
        matchedRows += 1;
        if (!person.flexible_verified) toVerify.add(person.id);
      }
    });
    const today = await getBusinessDate(tx);
    const inserted = await tx
      .insertInto('si_imports')
      .values({
        file_sha256: fileSha256,
        file_name: fileName,
        imported_by: actorLabel(actor),
        business_date: today,
        total_rows: good.length + malformed.length,
        matched_rows: matchedRows,
        unmatched_rows: unmatched.length,
        malformed_rows: malformed.length,
        report: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids = [...toVerify];
    if (ids.length) {
      await tx
        .updateTable('depositors')
        .set({ flexible_verified: true, flexible_verified_source: `si_import:${inserted.id}` })
        .where('id', 'in', ids)
        .execute();
    }
    const report: SiImportReport = {
      importId: String(inserted.id),
      fileName,
      fileSha256,
      duplicate: false,
      totalRows: good.length + malformed.length,
      matchedRows,
      newlyVerified: ids.length,
      unmatched,
      malformed,
    };
    await tx
      .updateTable('si_imports')
      .set({ report: canonicalJson(report) })
      .where('id', '=', inserted.id)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'depositor.verify_flexible_import',
      subjectType: 'si_import',
      subjectId: inserted.id,
      businessDate: today,
      summary: {
        fileName,
        fileSha256,
        matchedRows,
        unmatchedRows: unmatched.length,
        malformedRows: malformed.length,
        verifiedDepositorIds: ids.map(String),
      },
    });
    return report;
  });
}
