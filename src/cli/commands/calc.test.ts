// `anju calc`: exact output and exit codes of the id and retirement calculators.
import { describe, expect, it } from 'vitest';
import { runCalc, type CalcIo } from './calc.ts';

async function calc(argv: string[], stdin?: string): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: CalcIo = { stdout: (s) => out.push(s) };
  if (stdin !== undefined) io.stdin = async () => stdin;
  const code = await runCalc(argv, io);
  return { code, out };
}

describe('anju calc id', () => {
  it('prints the worked example as exact JSON', async () => {
    expect(await calc(['id', '11010519491231002X', '--json'])).toEqual({
      code: 0,
      out: [
        '{"valid":true,"normalized":"11010519491231002X","birthDate":"1949-12-31","gender":"female","divisionCode":"110105"}',
      ],
    });
  });

  it('normalizes a legacy 15-digit number and a lower-case x', async () => {
    const expected =
      '{"valid":true,"normalized":"11010519491231002X","birthDate":"1949-12-31","gender":"female","divisionCode":"110105"}';
    expect((await calc(['id', '110105491231002', '--json'])).out).toEqual([expected]);
    expect((await calc(['id', '--json', '11010519491231002x'])).out).toEqual([expected]);
  });

  it('adds idType for a residence permit', async () => {
    expect((await calc(['id', '810000199001011230', '--json'])).out).toEqual([
      '{"valid":true,"normalized":"810000199001011230","birthDate":"1990-01-01","gender":"male","divisionCode":"810000","idType":"hk_macao_taiwan_permit"}',
    ]);
  });

  it('checks a foreign permanent resident ID', async () => {
    expect((await calc(['id', '911840199001011256', '--json'])).out).toEqual([
      '{"valid":true,"normalized":"911840199001011256","birthDate":"1990-01-01","gender":"male","idType":"foreign_permanent","format":"2023","nationalityCode":"840"}',
    ]);
  });

  it('refuses a wrong check character with the error JSON and exit code 1', async () => {
    expect(await calc(['id', '110105194912310021', '--json'])).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"ID_NUMBER_CHECKSUM","message_zh":"证件号码校验位错误，请核对号码","message_en":"Invalid ID number: the check character does not match; please check the number"}}',
      ],
    });
  });

  it('refuses a malformed number with exit code 1', async () => {
    const { code, out } = await calc(['id', '12345', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ valid: false, error: { code: 'ID_NUMBER_MALFORMED' } });
  });

  it('prints a readable bilingual line without --json', async () => {
    expect(await calc(['id', '11010519491231002X'])).toEqual({
      code: 0,
      out: [
        '有效 valid: 11010519491231002X · 出生 birth 1949-12-31 · 性别 gender 女 female · 地区 division 110105 · resident',
      ],
    });
    expect(await calc(['id', '110105194912310021'])).toEqual({
      code: 1,
      out: [
        '无效 invalid [ID_NUMBER_CHECKSUM]: 证件号码校验位错误，请核对号码 / Invalid ID number: the check character does not match; please check the number',
      ],
    });
  });

  it('reads the number from stdin with "-" or when none is given (keeps it out of shell history)', async () => {
    const expected =
      '{"valid":true,"normalized":"11010519491231002X","birthDate":"1949-12-31","gender":"female","divisionCode":"110105"}';
    expect(await calc(['id', '-', '--json'], '11010519491231002X\n')).toEqual({ code: 0, out: [expected] });
    expect(await calc(['id', '--json'], '11010519491231002X\n')).toEqual({ code: 0, out: [expected] });
  });

  it('is a usage error (exit 2) with no number and no stdin, or an unknown option', async () => {
    expect((await calc(['id', '--json'])).code).toBe(2);
    expect((await calc(['id', '11010519491231002X', '--yaml'])).code).toBe(2);
    expect((await calc(['id', '11010519491231002X', '11010519491231002X'])).code).toBe(2);
  });
});

describe('anju calc retirement', () => {
  it('prints age and month as exact JSON (a man born 1970-06)', async () => {
    expect(await calc(['retirement', '--birth', '1970-06', '--group', 'male', '--json'])).toEqual({
      code: 0,
      out: ['{"retirementAge":{"years":61,"months":5},"retirementMonth":"2031-11"}'],
    });
  });

  it('the rule-book example and the women groups', async () => {
    expect((await calc(['retirement', '--birth=1965-01', '--group=male', '--json'])).out).toEqual([
      '{"retirementAge":{"years":60,"months":1},"retirementMonth":"2025-02"}',
    ]);
    expect((await calc(['retirement', '--birth', '1984-11', '--group', 'female50', '--json'])).out).toEqual([
      '{"retirementAge":{"years":55,"months":0},"retirementMonth":"2039-11"}',
    ]);
    expect((await calc(['retirement', '--birth', '1970-01', '--group', 'female55', '--json'])).out).toEqual([
      '{"retirementAge":{"years":55,"months":1},"retirementMonth":"2025-02"}',
    ]);
  });

  it('adds the retirement date when given a full birth date', async () => {
    expect((await calc(['retirement', '--birth', '1970-06-15', '--group', 'male', '--json'])).out).toEqual([
      '{"retirementAge":{"years":61,"months":5},"retirementMonth":"2031-11","retirementDate":"2031-11-15"}',
    ]);
  });

  it('prints a readable bilingual line without --json', async () => {
    expect((await calc(['retirement', '--birth', '1970-06', '--group', 'male'])).out).toEqual([
      '退休年龄 retirement age 61岁5个月 (61 y 5 m) · 退休月份 retirement month 2031-11',
    ]);
  });

  it('refuses a bad month or group with the error JSON and exit code 1', async () => {
    expect(await calc(['retirement', '--birth', '1970-13', '--group', 'male', '--json'])).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"INVALID_MONTH","message_zh":"月份无效，应为 YYYY-MM","message_en":"Invalid month; expected YYYY-MM"}}',
      ],
    });
    expect(await calc(['retirement', '--birth', '1970-06', '--group', 'female', '--json'])).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"RETIREMENT_GROUP_INVALID","message_zh":"退休年龄类别无效，应为 male、female55 或 female50","message_en":"Invalid retirement group; expected male, female55 or female50"}}',
      ],
    });
  });

  it('is a usage error (exit 2) without --birth or --group', async () => {
    expect((await calc(['retirement', '--group', 'male'])).code).toBe(2);
    expect((await calc(['retirement', '--birth', '1970-06'])).code).toBe(2);
  });
});

describe('anju calc', () => {
  it('an unknown subcommand prints the usage and exits 2', async () => {
    const { code, out } = await calc(['mortgage']);
    expect(code).toBe(2);
    expect(out.join('\n')).toContain('unknown subcommand: mortgage');
    expect(out.join('\n')).toContain('anju calc id <number|-> [--json]');
    expect(out.join('\n')).toContain('anju calc retirement');
  });

  it('no subcommand exits 2; help exits 0', async () => {
    expect((await calc([])).code).toBe(2);
    expect((await calc(['help'])).code).toBe(0);
    expect((await calc(['toString'])).code).toBe(2);
  });
});
