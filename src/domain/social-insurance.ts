// Rows of a social-insurance (人社局) pension-records file (rules.md §1, ours): which columns are
// read, and how each row is checked before it is matched to a depositor by ID number.
import { isAppError } from './errors.ts';
import { parseIdNumber } from './identity.ts';
import { isIsoMonth } from './dates.ts';

export const SI_COLUMNS: Record<string, 'idNumber' | 'name' | 'period' | 'insuranceType'> = {
  身份证号码: 'idNumber',
  身份证号: 'idNumber',
  证件号码: 'idNumber',
  id_number: 'idNumber',
  姓名: 'name',
  name: 'name',
  缴费年月: 'period',
  period: 'period',
  参保类型: 'insuranceType',
  insurance_type: 'insuranceType',
};

export interface SiRow {
  row: number;
  idNumber: string;
  name: string;
  period: string | null;
}

export interface SiMalformed {
  row: number;
  field: string;
  code: string;
  message_zh: string;
  message_en: string;
}

/** Maps a header row to field names; null when the file lacks the ID number or name column. */
export function mapSiHeader(header: string[]): Map<number, string> | null {
  const map = new Map<number, string>();
  header.forEach((h, i) => {
    const field =
      SI_COLUMNS[
        h
          .trim()
          .replace(/^\uFEFF/, '')
          .toLowerCase()
      ] ?? SI_COLUMNS[h.trim().replace(/^\uFEFF/, '')];
    if (field) map.set(i, field);
  });
  const fields = new Set(map.values());
  return fields.has('idNumber') && fields.has('name') ? map : null;
}

export function checkSiRow(row: number, cells: Record<string, string>): SiRow | SiMalformed {
  const name = (cells.name ?? '').trim();
  const period = (cells.period ?? '').trim();
  try {
    const id = parseIdNumber(cells.idNumber ?? '');
    if (!name)
      return {
        row,
        field: 'name',
        code: 'NAME_INVALID',
        message_zh: '姓名为空',
        message_en: 'The name is empty',
      };
    if (period && !isIsoMonth(period)) {
      return {
        row,
        field: 'period',
        code: 'INVALID_MONTH',
        message_zh: '缴费年月格式错误',
        message_en: 'Invalid period month',
      };
    }
    return { row, idNumber: id.normalized, name, period: period || null };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const body = error.toBody();
    return {
      row,
      field: 'idNumber',
      code: body.code,
      message_zh: body.message_zh,
      message_en: body.message_en,
    };
  }
}
