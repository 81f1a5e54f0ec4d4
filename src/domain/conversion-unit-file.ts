// Rows of a unit file (单位及职工名册, CSV or Excel) for the unit side that conversions need (rules.md
// §5.3): which columns are read, and how each row is checked before it is matched by ID number.
import { AppError, isAppError } from './errors.ts';
import { parseIdNumber } from './identity.ts';
import { positiveYuanToFen, type Fen } from './money.ts';

export type UnitFileField =
  'employerCode' | 'employerName' | 'districtCode' | 'idNumber' | 'name' | 'monthlyBase' | 'monthlyAmount';

export const UNIT_FILE_COLUMNS: Record<string, UnitFileField> = {
  单位编号: 'employerCode',
  单位代码: 'employerCode',
  统一社会信用代码: 'employerCode',
  employer_code: 'employerCode',
  单位名称: 'employerName',
  employer_name: 'employerName',
  区划代码: 'districtCode',
  district_code: 'districtCode',
  身份证号码: 'idNumber',
  身份证号: 'idNumber',
  证件号码: 'idNumber',
  id_number: 'idNumber',
  姓名: 'name',
  name: 'name',
  缴存基数: 'monthlyBase',
  monthly_base: 'monthlyBase',
  月缴存额: 'monthlyAmount',
  monthly_amount: 'monthlyAmount',
};

const REQUIRED: UnitFileField[] = ['employerCode', 'employerName', 'districtCode', 'idNumber', 'name'];

export interface UnitFileRow {
  row: number;
  employerCode: string;
  employerName: string;
  districtCode: string;
  idNumber: string;
  name: string;
  monthlyBaseFen: Fen | null;
  monthlyAmountFen: Fen | null;
}

export interface UnitFileMalformed {
  row: number;
  field: string;
  code: string;
  message_zh: string;
  message_en: string;
}

/** Maps a header row to field names; null when a required column is missing. */
export function mapUnitFileHeader(header: string[]): Map<number, UnitFileField> | null {
  const map = new Map<number, UnitFileField>();
  header.forEach((h, i) => {
    const key = h.trim().replace(/^\uFEFF/, '');
    const field = UNIT_FILE_COLUMNS[key] ?? UNIT_FILE_COLUMNS[key.toLowerCase()];
    if (field) map.set(i, field);
  });
  const fields = new Set(map.values());
  return REQUIRED.every((f) => fields.has(f)) ? map : null;
}

/** The employer code rule of registerEmployer: 6 to 18 digits or capital letters. */
export const EMPLOYER_CODE_PATTERN = /^[0-9A-Z]{6,18}$/;

export function checkUnitFileRow(
  row: number,
  cells: Partial<Record<UnitFileField, string>>,
): UnitFileRow | UnitFileMalformed {
  const text = (f: UnitFileField) => (cells[f] ?? '').trim();
  const bad = (field: UnitFileField, code: 'VALIDATION_FAILED' | 'NAME_INVALID'): UnitFileMalformed => {
    const body = new AppError(code, { field }).toBody();
    return { row, field, code, message_zh: body.message_zh, message_en: body.message_en };
  };
  const employerCode = text('employerCode').toUpperCase();
  if (!EMPLOYER_CODE_PATTERN.test(employerCode)) return bad('employerCode', 'VALIDATION_FAILED');
  if (!text('employerName')) return bad('employerName', 'NAME_INVALID');
  if (!/^\d{6}$/.test(text('districtCode'))) return bad('districtCode', 'VALIDATION_FAILED');
  if (!text('name')) return bad('name', 'NAME_INVALID');
  let field: UnitFileField = 'idNumber';
  try {
    const id = parseIdNumber(text('idNumber'));
    field = 'monthlyBase';
    const monthlyBaseFen = text('monthlyBase') ? positiveYuanToFen(text('monthlyBase'), field) : null;
    field = 'monthlyAmount';
    const monthlyAmountFen = text('monthlyAmount') ? positiveYuanToFen(text('monthlyAmount'), field) : null;
    return {
      row,
      employerCode,
      employerName: text('employerName'),
      districtCode: text('districtCode'),
      idNumber: id.normalized,
      name: text('name'),
      monthlyBaseFen,
      monthlyAmountFen,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const body = error.toBody();
    return { row, field, code: body.code, message_zh: body.message_zh, message_en: body.message_en };
  }
}
