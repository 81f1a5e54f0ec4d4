// rules.md §11: resident ID numbers, HK/Macao/Taiwan residence permits, foreign permanent resident IDs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { formatDate } from './dates.ts';
import { checkIdNumber, idCheckCharacter, parseForeignPermanentId, parseIdNumber } from './identity.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      expect(error.field).toBe('idNumber');
      return error.code;
    }
    throw error;
  }
  return undefined;
}

describe('resident ID number (GB 11643-1999)', () => {
  it('reads the worked example 11010519491231002X', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({
      normalized: '11010519491231002X',
      idType: 'resident',
      birthDate: '1949-12-31',
      gender: 'female',
      divisionCode: '110105',
    });
  });

  it('computes the check character with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over "10X98765432"', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('15020319900101123')).toBe('2');
  });

  it('reads an odd 17th digit as male', () => {
    const info = parseIdNumber('150203199001011232');
    expect(info.gender).toBe('male');
    expect(info.birthDate).toBe('1990-01-01');
    expect(info.divisionCode).toBe('150203');
  });

  it('accepts lower-case x and stores it upper-case', () => {
    expect(parseIdNumber('11010519491231002x').normalized).toBe('11010519491231002X');
  });

  it('trims spaces, including spaces inside a pasted number', () => {
    expect(parseIdNumber('  11010519491231002X ').normalized).toBe('11010519491231002X');
    expect(parseIdNumber('110105 19491231 002X').normalized).toBe('11010519491231002X');
  });

  it('converts a 15-digit legacy number by inserting "19" and adding the check character', () => {
    expect(parseIdNumber('110105491231002')).toEqual({
      normalized: '11010519491231002X',
      idType: 'resident',
      birthDate: '1949-12-31',
      gender: 'female',
      divisionCode: '110105',
    });
  });

  it('accepts a real leap day', () => {
    expect(parseIdNumber('820000200002290021').birthDate).toBe('2000-02-29');
  });

  it('reads 810000, 820000 and 830000 as Hong Kong, Macao and Taiwan residence permits', () => {
    expect(parseIdNumber('810000199001011230').idType).toBe('hk_macao_taiwan_permit');
    expect(parseIdNumber('820000200002290021').idType).toBe('hk_macao_taiwan_permit');
    expect(parseIdNumber('830000198510100011').idType).toBe('hk_macao_taiwan_permit');
  });

  it('refuses an empty number', () => {
    expect(codeOf(() => parseIdNumber(''))).toBe('ID_NUMBER_EMPTY');
    expect(codeOf(() => parseIdNumber('   '))).toBe('ID_NUMBER_EMPTY');
  });

  it('refuses wrong lengths and characters', () => {
    for (const bad of [
      '1101051949123100',
      '11010519491231002XX',
      '1101051949123100X2',
      '11010519491231002Y',
      '11010549123100X',
    ]) {
      expect(codeOf(() => parseIdNumber(bad))).toBe('ID_NUMBER_MALFORMED');
    }
  });

  it('refuses a wrong check character', () => {
    expect(codeOf(() => parseIdNumber('110105194912310021'))).toBe('ID_NUMBER_CHECKSUM');
  });

  it('refuses a birth date that is not a real date', () => {
    // 1949-02-30 and 1990-13-01 do not exist; 1899 is before the 1900 lower bound. Check characters are right.
    for (const first17 of ['11010519490230002', '15020319901301123', '11010518991231002']) {
      expect(codeOf(() => parseIdNumber(first17 + idCheckCharacter(first17)))).toBe('ID_NUMBER_BIRTH_DATE');
    }
    expect(codeOf(() => parseIdNumber('110105490230002'))).toBe('ID_NUMBER_BIRTH_DATE');
  });

  it('refuses a first two digits that are no province code', () => {
    for (const first17 of ['00010519491231002', '99010519491231002', '16010519491231002']) {
      expect(codeOf(() => parseIdNumber(first17 + idCheckCharacter(first17)))).toBe('ID_NUMBER_DIVISION');
    }
  });

  it('never puts the number itself into the error', () => {
    const result = checkIdNumber('110105194912310021');
    expect(result.valid).toBe(false);
    if (!result.valid) expect(JSON.stringify(result.error.toBody())).not.toContain('1101051949');
  });

  it('checkIdNumber returns a result instead of throwing', () => {
    const ok = checkIdNumber('11010519491231002X');
    expect(ok.valid && ok.info.birthDate).toBe('1949-12-31');
    const bad = checkIdNumber('110105194912310021');
    expect(bad.valid === false && bad.error.code).toBe('ID_NUMBER_CHECKSUM');
    expect(bad.valid === false && bad.error.field).toBe('idNumber');
  });

  it('property: every well-formed number round-trips, and any single changed character is refused', () => {
    const birth = fc
      .date({
        min: new Date(Date.UTC(1900, 0, 1)),
        max: new Date(Date.UTC(2099, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()).replaceAll('-', ''));
    const division = fc.constantFrom('110105', '150202', '150207', '310101', '440305', '650102');
    const sequence = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));
    fc.assert(
      fc.property(
        division,
        birth,
        sequence,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (d, b, s, pos, delta) => {
          const first17 = d + b + s;
          const id = first17 + idCheckCharacter(first17);
          const info = parseIdNumber(id);
          expect(info.normalized).toBe(id);
          expect(info.gender).toBe(Number(s[2]) % 2 === 1 ? 'male' : 'female');
          // Change one character to another of its alphabet (digits, or the check alphabet at the end).
          const alphabet = pos === 17 ? CHECK_ALPHABET : DIGITS;
          const current = alphabet.indexOf(id[pos]!);
          const replaced = alphabet[(current + delta) % alphabet.length]!;
          if (replaced === id[pos]) return;
          const changed = id.slice(0, pos) + replaced + id.slice(pos + 1);
          expect(checkIdNumber(changed).valid).toBe(false);
        },
      ),
    );
  });
});

const DIGITS = '0123456789';
const CHECK_ALPHABET = '0123456789X';

describe('foreign permanent resident ID', () => {
  it('reads the 2023 format: 9, province, nationality, birth date, sequence, MOD 11-2 check', () => {
    expect(parseForeignPermanentId('911840199001011256')).toEqual({
      normalized: '911840199001011256',
      idType: 'foreign_permanent',
      format: '2023',
      nationalityCode: '840',
      birthDate: '1990-01-01',
      gender: 'male',
    });
    expect(parseForeignPermanentId('931840198512310046').gender).toBe('female');
    expect(parseForeignPermanentId('91184019900101123x').normalized).toBe('91184019900101123X');
  });

  it('refuses a 2023-format number with a wrong check character or date', () => {
    expect(codeOf(() => parseForeignPermanentId('911840199001011257'))).toBe('ID_NUMBER_CHECKSUM');
    const badDate = '91184019900230125';
    expect(codeOf(() => parseForeignPermanentId(badDate + idCheckCharacter(badDate)))).toBe(
      'ID_NUMBER_BIRTH_DATE',
    );
  });

  it('accepts the legacy format (3 letters and 12 digits) by shape, upper-casing the letters', () => {
    expect(parseForeignPermanentId(' usa110090010100 ')).toEqual({
      normalized: 'USA110090010100',
      idType: 'foreign_permanent',
      format: 'legacy',
      nationalityCode: 'USA',
      birthDate: null,
      gender: null,
    });
  });

  it('refuses anything else', () => {
    expect(codeOf(() => parseForeignPermanentId(''))).toBe('ID_NUMBER_EMPTY');
    for (const bad of ['11010519491231002X', 'US1100900101001', 'USA11009001010', '9118401990010112']) {
      expect(codeOf(() => parseForeignPermanentId(bad))).toBe('FOREIGN_ID_MALFORMED');
    }
  });
});
