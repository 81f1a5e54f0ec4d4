// `anju calc`: exact output and exit codes of the id, retirement, interest and subsidy calculators.
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

describe('anju calc interest (rules.md §4.1)', () => {
  const example = { from: '2024-07-01', to: '2025-06-30', openingBalance: '10000.00', annualRate: '1.5' };

  it('the rule-book example: 10,000.00 for the interest year → 3,650,000.00 yuan·days, 152.08', async () => {
    expect(await calc(['interest', '--json'], JSON.stringify(example))).toEqual({
      code: 0,
      out: ['{"balanceDays":"3650000.00","interest":"152.08"}'],
    });
  });

  it('a deposit counts from its day: 2,000.00 on 2024-10-01 adds 2,000 × 273 days', async () => {
    // 2024-10-01 … 2025-06-30 inclusive: 31+30+31+31+28+31+30+31+30 = 273 days.
    // 3,650,000 + 546,000 = 4,196,000.00 yuan·days; × 1.5 % / 360 = 174.8333… → 174.83.
    const input = { ...example, movements: [{ date: '2024-10-01', amount: '2000.00' }] };
    expect(await calc(['interest', '--json'], JSON.stringify(input))).toEqual({
      code: 0,
      out: ['{"balanceDays":"4196000.00","interest":"174.83"}'],
    });
  });

  it('a withdrawal is a negative movement and stops counting on its day', async () => {
    // 10,000 × 364 + 7,000 × 1 = 3,647,000.00; × 1.5 % / 360 = 151.958… → 151.96.
    const input = { ...example, movements: [{ date: '2025-06-30', amount: '-3000.00' }] };
    expect((await calc(['interest', '--json'], JSON.stringify(input))).out).toEqual([
      '{"balanceDays":"3647000.00","interest":"151.96"}',
    ]);
  });

  it('prints a readable bilingual line without --json', async () => {
    expect((await calc(['interest'], JSON.stringify(example))).out).toEqual([
      '积数 balance-days 3650000.00 元·天 yuan·days · 利息 interest 152.08 元 yuan',
    ]);
  });

  it('refuses bad input with the error JSON and exit code 1', async () => {
    const refused = async (input: unknown) => {
      const { code, out } = await calc(
        ['interest', '--json'],
        typeof input === 'string' ? input : JSON.stringify(input),
      );
      expect(code).toBe(1);
      return (JSON.parse(out[0]!) as { valid: boolean; error: { code: string } }).error.code;
    };
    expect(await calc(['interest', '--json'], JSON.stringify({ ...example, from: '2024-02-30' }))).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"INVALID_DATE","message_zh":"日期无效，应为 YYYY-MM-DD","message_en":"Invalid date; expected YYYY-MM-DD"}}',
      ],
    });
    expect(await refused({ ...example, openingBalance: '10000.001' })).toBe('INVALID_AMOUNT');
    expect(await refused({ ...example, openingBalance: 10000 })).toBe('INVALID_AMOUNT');
    expect(await refused({ ...example, openingBalance: '-1.00' })).toBe('AMOUNT_NEGATIVE');
    expect(await refused({ ...example, annualRate: 'abc' })).toBe('INVALID_RATE');
    expect(await refused({ ...example, movements: [{ date: '2025-07-01', amount: '1.00' }] })).toBe(
      'INTEREST_MOVEMENT_OUTSIDE_PERIOD',
    );
    expect(await refused({ ...example, movements: [{ date: '2025-01-01', amount: '-10000.01' }] })).toBe(
      'INTEREST_BALANCE_NEGATIVE',
    );
    expect(await refused({ ...example, to: '2024-06-30' })).toBe('INTEREST_PERIOD_INVALID');
    expect(await refused({ from: '2024-07-01', to: '2025-06-30' })).toBe('VALIDATION_FAILED');
    expect(await refused({ ...example, anualRate: '1.5' })).toBe('VALIDATION_FAILED');
    expect(await refused('not json')).toBe('VALIDATION_FAILED');
  });

  it('is a usage error (exit 2) without stdin', async () => {
    expect((await calc(['interest', '--json'])).code).toBe(2);
  });
});

describe('anju calc subsidy (rules.md §4.2)', () => {
  const example = {
    closureDate: '2025-09-01',
    annualRate: '0.5',
    deposits: [{ date: '2024-08-01', amount: '1000.00' }],
  };

  it('1,000.00 credited 2024-08-01, closed 2025-09-01: 1,000 × 0.5 % × 396 / 360 = 5.50', async () => {
    expect(await calc(['subsidy', '--json'], JSON.stringify(example))).toEqual({
      code: 0,
      out: ['{"subsidy":"5.50","eligible":true}'],
    });
  });

  it('less than a year since the first deposit: not eligible, with the reason', async () => {
    expect(
      await calc(['subsidy', '--json'], JSON.stringify({ ...example, closureDate: '2025-07-31' })),
    ).toEqual({
      code: 0,
      out: [
        '{"subsidy":"0.00","eligible":false,"reasons":[{"code":"SUBSIDY_LESS_THAN_ONE_YEAR","message_zh":"首次缴存至销户不满一年，不能享受缴存补贴","message_en":"Less than one year from the first deposit to closure: no deposit subsidy"}]}',
      ],
    });
  });

  it('the cap defaults to 10,000.00 and can be given; an account once used is not eligible', async () => {
    const big = {
      ...example,
      closureDate: '2026-10-10',
      deposits: [{ date: '2024-08-01', amount: '1000000.00' }],
    };
    expect((await calc(['subsidy', '--json'], JSON.stringify(big))).out).toEqual([
      '{"subsidy":"10000.00","eligible":true,"uncapped":"11111.11"}',
    ]);
    expect((await calc(['subsidy', '--json'], JSON.stringify({ ...big, cap: '5000.00' }))).out).toEqual([
      '{"subsidy":"5000.00","eligible":true,"uncapped":"11111.11"}',
    ]);
    const used = await calc(['subsidy', '--json'], JSON.stringify({ ...example, used: { loan: true } }));
    expect(JSON.parse(used.out[0]!)).toMatchObject({
      subsidy: '0.00',
      eligible: false,
      reasons: [{ code: 'SUBSIDY_USED_LOAN' }],
    });
  });

  it('prints a readable bilingual line without --json', async () => {
    expect((await calc(['subsidy'], JSON.stringify(example))).out).toEqual([
      '缴存补贴 subsidy 5.50 元 yuan · 符合条件 eligible',
    ]);
  });

  it('refuses a bad date, an amount with 3 decimals and a negative amount with the error JSON, exit 1', async () => {
    const refused = async (input: unknown) => {
      const { code, out } = await calc(['subsidy', '--json'], JSON.stringify(input));
      expect(code).toBe(1);
      return (JSON.parse(out[0]!) as { valid: boolean; error: { code: string } }).error.code;
    };
    expect(await refused({ ...example, closureDate: '2025-13-01' })).toBe('INVALID_DATE');
    expect(await refused({ ...example, deposits: [{ date: '2024-08-01', amount: '1000.001' }] })).toBe(
      'INVALID_AMOUNT',
    );
    expect(
      await calc(
        ['subsidy', '--json'],
        JSON.stringify({ ...example, deposits: [{ date: '2024-08-01', amount: '-1000.00' }] }),
      ),
    ).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"AMOUNT_NOT_POSITIVE","message_zh":"金额必须大于零","message_en":"The amount must be greater than zero"}}',
      ],
    });
    expect(await refused({ ...example, cap: '-1.00' })).toBe('AMOUNT_NEGATIVE');
    expect(await refused({ ...example, deposits: [{ date: '2025-09-02', amount: '1.00' }] })).toBe(
      'SUBSIDY_DEPOSIT_AFTER_CLOSURE',
    );
    expect(await refused({ closureDate: '2025-09-01', annualRate: '0.5' })).toBe('VALIDATION_FAILED');
  });
});

describe('anju calc', () => {
  it('an unknown subcommand prints the usage and exits 2', async () => {
    const { code, out } = await calc(['mortgage']);
    expect(code).toBe(2);
    expect(out.join('\n')).toContain('unknown subcommand: mortgage');
    expect(out.join('\n')).toContain('anju calc id <number|-> [--json]');
    expect(out.join('\n')).toContain('anju calc retirement');
    expect(out.join('\n')).toContain('anju calc interest');
    expect(out.join('\n')).toContain('anju calc subsidy');
  });

  it('no subcommand exits 2; help exits 0', async () => {
    expect((await calc([])).code).toBe(2);
    expect((await calc(['help'])).code).toBe(0);
    expect((await calc(['toString'])).code).toBe(2);
  });
});
