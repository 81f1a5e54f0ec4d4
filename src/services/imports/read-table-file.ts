// Reads an imported file into rows of strings: the first sheet of an .xlsx workbook, or a UTF-8 CSV (with quotes).
import ExcelJS from 'exceljs';
import { AppError } from '../../domain/errors.ts';
import { parseCsv } from '../../domain/csv.ts';

export async function readTableFile(fileName: string, content: Buffer): Promise<string[][]> {
  if (/\.xlsx$/i.test(fileName)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
    } catch {
      throw new AppError('IMPORT_FILE_INVALID', {
        field: 'file',
        details: { reason: 'not a readable .xlsx file' },
      });
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = row.values as unknown[];
      rows.push(values.slice(1).map((v) => (v === null || v === undefined ? '' : cellText(v))));
    });
    return rows;
  }
  if (/\.csv$/i.test(fileName)) return parseCsv(content.toString('utf8'));
  throw new AppError('IMPORT_FILE_INVALID', { field: 'file', details: { reason: 'use .csv or .xlsx' } });
}

function cellText(v: unknown): string {
  if (typeof v === 'object' && v !== null && 'text' in v) return String((v as { text: unknown }).text);
  if (typeof v === 'object' && v !== null && 'result' in v) return String((v as { result: unknown }).result);
  return String(v);
}
