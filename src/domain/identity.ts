// Identity documents (rules.md §11): the resident ID number (GB 11643-1999), the same scheme for Hong Kong,
// Macao and Taiwan residence permits, and foreign permanent resident ID cards. Pure parsing and checks; the
// number itself never goes into an error (it is personal data).
import { AppError } from './errors.ts';
import { formatDate, isRealDate, type IsoDate } from './dates.ts';

export type Gender = 'male' | 'female';
export type IdType = 'resident' | 'hk_macao_taiwan_permit';

export interface IdInfo {
  /** 18 characters, upper-case X; a 15-digit legacy number is converted. */
  normalized: string;
  idType: IdType;
  birthDate: IsoDate;
  gender: Gender;
  divisionCode: string;
}

export type IdCheck = { valid: true; info: IdInfo } | { valid: false; error: AppError };

const FIELD = 'idNumber';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * Province-level codes of GB/T 2260 (first two digits of the division code), plus 81 Hong Kong, 82 Macao
 * and 83 Taiwan, which residence permits use (810000, 820000, 830000). Lenient on purpose: only the
 * province is checked, not the full six-digit division, since division codes change over time.
 */
// prettier-ignore
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

/** The residence-permit division codes (rules.md §11). */
const PERMIT_DIVISION_CODES = new Set(['810000', '820000', '830000']);

/** ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643-1999). */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new AppError('ID_NUMBER_MALFORMED', { field: FIELD });
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Removes spaces (ASCII and full-width) typed or pasted into the number, and upper-cases x. */
function clean(input: string): string {
  return input.replace(/[\s\u3000]/g, '').toUpperCase();
}

function birthDateFrom(yyyymmdd: string): IsoDate | null {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (!isRealDate(year, month, day)) return null;
  const date = formatDate(year, month, day);
  // The domain has no clock, so "not in the future" is the caller's check; 1900 is a plain lower bound.
  return date < EARLIEST_BIRTH_DATE ? null : date;
}

/**
 * Parses and checks a resident ID or HK/Macao/Taiwan residence-permit number; throws AppError
 * (field `idNumber`): ID_NUMBER_EMPTY, ID_NUMBER_MALFORMED, ID_NUMBER_DIVISION, ID_NUMBER_BIRTH_DATE,
 * ID_NUMBER_CHECKSUM, checked in that order.
 */
export function parseIdNumber(input: string): IdInfo {
  const text = clean(input);
  if (text.length === 0) throw new AppError('ID_NUMBER_EMPTY', { field: FIELD });

  let first17: string;
  let given: string | null;
  if (/^\d{17}[\dX]$/.test(text)) {
    first17 = text.slice(0, 17);
    given = text[17]!;
  } else if (/^\d{15}$/.test(text)) {
    // Legacy 15-digit number: insert "19" before the two-digit year; it has no check character (§11).
    first17 = `${text.slice(0, 6)}19${text.slice(6)}`;
    given = null;
  } else {
    throw new AppError('ID_NUMBER_MALFORMED', { field: FIELD, details: { length: text.length } });
  }

  const divisionCode = first17.slice(0, 6);
  if (!PROVINCE_CODES.has(divisionCode.slice(0, 2))) {
    throw new AppError('ID_NUMBER_DIVISION', { field: FIELD });
  }
  const birthDate = birthDateFrom(first17.slice(6, 14));
  if (birthDate === null) throw new AppError('ID_NUMBER_BIRTH_DATE', { field: FIELD });

  const check = idCheckCharacter(first17);
  if (given !== null && given !== check) throw new AppError('ID_NUMBER_CHECKSUM', { field: FIELD });

  return {
    normalized: first17 + check,
    idType: PERMIT_DIVISION_CODES.has(divisionCode) ? 'hk_macao_taiwan_permit' : 'resident',
    birthDate,
    // The 17th digit (the last of the sequence code) is odd for men, even for women.
    gender: Number(first17[16]) % 2 === 1 ? 'male' : 'female',
    divisionCode,
  };
}

/** parseIdNumber as a result instead of an exception, for forms and batch imports (a row per failure). */
export function checkIdNumber(input: string): IdCheck {
  try {
    return { valid: true, info: parseIdNumber(input) };
  } catch (error) {
    if (error instanceof AppError) return { valid: false, error };
    throw error;
  }
}

export interface ForeignPermanentIdInfo {
  normalized: string;
  idType: 'foreign_permanent';
  /** '2023': 18 characters from 2023-12-01; 'legacy': the earlier 15-character card (3 letters + 12 digits). */
  format: '2023' | 'legacy';
  /** Numeric code (2023 format) or the three Latin letters (legacy format) of the nationality. */
  nationalityCode: string;
  /** Read from the 2023 format only; for the legacy format the card's printed fields are entered. */
  birthDate: IsoDate | null;
  gender: Gender | null;
}

/**
 * Foreign permanent resident ID card (外国人永久居留身份证; rules.md §11, optional). The 2023 format is
 * "9" + 2-digit province of the accepting office + 3-digit nationality code + 8-digit birth date +
 * 3-digit sequence (odd = male) + the MOD 11-2 check character, like the resident ID. The legacy format
 * is 3 Latin letters (nationality) + 12 digits; only its shape is checked, since its digits carry no
 * check we can verify. Throws AppError (field `idNumber`).
 */
export function parseForeignPermanentId(input: string): ForeignPermanentIdInfo {
  const text = clean(input);
  if (text.length === 0) throw new AppError('ID_NUMBER_EMPTY', { field: FIELD });

  if (/^[A-Z]{3}\d{12}$/.test(text)) {
    return {
      normalized: text,
      idType: 'foreign_permanent',
      format: 'legacy',
      nationalityCode: text.slice(0, 3),
      birthDate: null,
      gender: null,
    };
  }
  if (!/^9\d{16}[\dX]$/.test(text)) {
    throw new AppError('FOREIGN_ID_MALFORMED', { field: FIELD, details: { length: text.length } });
  }
  if (!PROVINCE_CODES.has(text.slice(1, 3))) throw new AppError('ID_NUMBER_DIVISION', { field: FIELD });
  const birthDate = birthDateFrom(text.slice(6, 14));
  if (birthDate === null) throw new AppError('ID_NUMBER_BIRTH_DATE', { field: FIELD });
  if (idCheckCharacter(text.slice(0, 17)) !== text[17]) {
    throw new AppError('ID_NUMBER_CHECKSUM', { field: FIELD });
  }
  return {
    normalized: text,
    idType: 'foreign_permanent',
    format: '2023',
    nationalityCode: text.slice(3, 6),
    birthDate,
    gender: Number(text[16]) % 2 === 1 ? 'male' : 'female',
  };
}
