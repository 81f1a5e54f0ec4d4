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

describe('anju calc schedule (rules.md §6.4)', () => {
  const args = ['schedule', '--principal', '500000', '--annual-rate', '2.6', '--months', '360'];

  it('the rule-book example: 2,001.70 a month; month 1 interest 1,083.33, principal 918.37', async () => {
    const { code, out } = await calc([...args, '--method', 'equal-installment', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out[0]!) as {
      installments: Record<string, unknown>[];
      totalPayment: string;
      totalInterest: string;
    };
    expect(Object.keys(result)).toEqual(['installments', 'totalPayment', 'totalInterest']);
    expect(result.installments).toHaveLength(360);
    expect(result.installments[0]).toEqual({
      period: 1,
      payment: '2001.70',
      principal: '918.37',
      interest: '1083.33',
      balance: '499081.63',
    });
    expect(result.installments[359]).toEqual({
      period: 360,
      payment: '2000.84',
      principal: '1996.51',
      interest: '4.33',
      balance: '0.00',
    });
    expect(result.totalPayment).toBe('720611.14');
    expect(result.totalInterest).toBe('220611.14');
  });

  it('equal principal over 3 months from 2025-01-31: due on the 28th, the first 28 days / 30, with the note', async () => {
    expect(
      await calc([
        'schedule',
        '--principal',
        '500000',
        '--annual-rate',
        '2.6',
        '--months',
        '3',
        '--method',
        'equal-principal',
        '--disbursed',
        '2025-01-31',
        '--json',
      ]),
    ).toEqual({
      code: 0,
      out: [
        '{"installments":[' +
          '{"period":1,"dueDate":"2025-02-28","payment":"167677.78","principal":"166666.67","interest":"1011.11","balance":"333333.33"},' +
          '{"period":2,"dueDate":"2025-03-28","payment":"167388.89","principal":"166666.67","interest":"722.22","balance":"166666.66"},' +
          '{"period":3,"dueDate":"2025-04-28","payment":"167027.77","principal":"166666.66","interest":"361.11","balance":"0.00"}],' +
          '"totalPayment":"502094.44","totalInterest":"2094.44",' +
          '"note":{"firstPeriodDays":28,"zh":"首期利息按放款日至首个还款日的实际天数 ÷ 30 计算（本中心规则）","en":"First-period interest runs from disbursement by actual days / 30 of a month (center rule)"}}',
      ],
    });
  });

  it('prints the first rows, the last and the totals without --json', async () => {
    expect(await calc(args)).toEqual({
      code: 0,
      out: [
        '还款计划 schedule: 等额本息 equal installment · 本金 principal 500000 元 yuan · 年利率 annual rate 2.6% · 360 期 months',
        '  1 · 月供 payment 2001.70 · 本金 principal 918.37 · 利息 interest 1083.33 · 余额 balance 499081.63',
        '  2 · 月供 payment 2001.70 · 本金 principal 920.36 · 利息 interest 1081.34 · 余额 balance 498161.27',
        '  3 · 月供 payment 2001.70 · 本金 principal 922.35 · 利息 interest 1079.35 · 余额 balance 497238.92',
        '  … 356 期 more',
        '  360 · 月供 payment 2000.84 · 本金 principal 1996.51 · 利息 interest 4.33 · 余额 balance 0.00',
        '合计 total: 还款 payment 720611.14 元 yuan · 利息 interest 220611.14 元 yuan',
      ],
    });
  });

  it('refuses a bad term, rate, method, amount or date with the error JSON and exit code 1', async () => {
    const refused = async (extra: string[], base = args) => {
      const { code, out } = await calc([...base, ...extra, '--json']);
      expect(code).toBe(1);
      return (JSON.parse(out[0]!) as { valid: boolean; error: { code: string } }).error.code;
    };
    expect(
      await calc(['schedule', '--principal', '500000', '--annual-rate', '2.6', '--months', '361', '--json']),
    ).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"LOAN_TERM_INVALID","message_zh":"贷款期限无效，应为 1 至 360 个月的整数","message_en":"Invalid loan term; expected a whole number of months from 1 to 360"}}',
      ],
    });
    expect(
      await refused([], ['schedule', '--principal', '500000', '--annual-rate', '2.6', '--months', '12.5']),
    ).toBe('LOAN_TERM_INVALID');
    expect(
      await refused([], ['schedule', '--principal', '500000', '--annual-rate', '10.5', '--months', '12']),
    ).toBe('LOAN_RATE_OUT_OF_RANGE');
    expect(
      await refused([], ['schedule', '--principal', '500000', '--annual-rate', 'x', '--months', '12']),
    ).toBe('INVALID_RATE');
    expect(await refused(['--method', 'balloon'])).toBe('LOAN_METHOD_INVALID');
    expect(await refused(['--disbursed', '2025-02-30'])).toBe('INVALID_DATE');
    expect(
      await refused([], ['schedule', '--principal', '0', '--annual-rate', '2.6', '--months', '12']),
    ).toBe('AMOUNT_NOT_POSITIVE');
    expect(
      await refused([], ['schedule', '--principal', '1.001', '--annual-rate', '2.6', '--months', '12']),
    ).toBe('INVALID_AMOUNT');
  });

  it('is a usage error (exit 2) without --principal, --annual-rate or --months', async () => {
    expect((await calc(['schedule', '--annual-rate', '2.6', '--months', '12'])).code).toBe(2);
    expect((await calc(['schedule', '--principal', '1000', '--months', '12'])).code).toBe(2);
    expect((await calc(['schedule', '--principal', '1000', '--annual-rate', '2.6'])).code).toBe(2);
  });
});

describe('anju calc affordability (rules.md §6.2 B)', () => {
  const args = [
    'affordability',
    '--income',
    '12000',
    '--debts',
    '1500',
    '--annual-rate',
    '2.6',
    '--months',
    '360',
  ];

  it('50 % × (12,000 − 1,500) = 5,250 a month: 1,311,387.51 equal installment, 1,061,799.23 equal principal', async () => {
    expect(await calc([...args, '--method', 'equal-installment', '--json'])).toEqual({
      code: 0,
      out: ['{"monthlyLimit":"5250.00","maxPrincipal":"1311387.51","installment":"5250.00"}'],
    });
    expect(await calc([...args, '--method', 'equal-principal', '--json'])).toEqual({
      code: 0,
      out: ['{"monthlyLimit":"5250.00","maxPrincipal":"1061799.23","installment":"5250.00"}'],
    });
  });

  it('the result fits and one yuan more does not (checked through calc schedule)', async () => {
    const first = async (principal: string) => {
      const { out } = await calc([
        'schedule',
        '--principal',
        principal,
        '--annual-rate',
        '2.6',
        '--months',
        '360',
        '--json',
      ]);
      return (JSON.parse(out[0]!) as { installments: { payment: string }[] }).installments[0]!.payment;
    };
    expect(await first('1311387.51')).toBe('5250.00');
    expect(await first('1311388.51')).toBe('5250.01');
  });

  it('prints a readable bilingual line without --json; debts default to 0', async () => {
    expect(
      await calc(['affordability', '--income', '10500', '--annual-rate', '2.6', '--months', '360']),
    ).toEqual({
      code: 0,
      out: [
        '月供上限 monthly limit 5250.00 元 yuan · 最高可贷 max principal 1311387.51 元 yuan · 月供 installment 5250.00 元 yuan (等额本息 equal installment)',
      ],
    });
  });

  it('refuses a negative income with exit code 1; --income is required (exit 2)', async () => {
    const { code, out } = await calc([
      'affordability',
      '--income=-1',
      '--annual-rate',
      '2.6',
      '--months',
      '360',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ valid: false, error: { code: 'AMOUNT_NEGATIVE' } });
    expect((await calc(['affordability', '--annual-rate', '2.6', '--months', '360'])).code).toBe(2);
  });
});

describe('anju calc quota (rules.md §6.2)', () => {
  const input = {
    applicantBalance: '50000.00',
    consecutiveMonths: 24,
    coveredMonthsLast12: 12,
    income: '12000.00',
    debts: '1500.00',
    price: '1000000.00',
    home: 'first',
    annualRate: '2.6',
    months: 360,
  };

  it('explains every factor and candidate; D binds at 600,000', async () => {
    const { code, out } = await calc(['quota', '--json'], JSON.stringify(input));
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual({
      quota: '600000.00',
      binding: { code: 'D', label_zh: '最高贷款额度', label_en: 'Cap', amount: '600000.00' },
      candidates: [
        { code: 'A', label_zh: '存贷挂钩额度', label_en: 'Deposit-linked', amount: '1200000.00' },
        { code: 'B', label_zh: '还款能力额度', label_en: 'Repayment capacity', amount: '1311387.51' },
        {
          code: 'C',
          label_zh: '房价额度（扣除最低首付）',
          label_en: 'House price less the minimum down payment',
          amount: '800000.00',
        },
        { code: 'D', label_zh: '最高贷款额度', label_en: 'Cap', amount: '600000.00' },
      ],
      factors: {
        deposit: {
          applicantBalance: '50000.00',
          spouseBalance: '0.00',
          totalBalance: '50000.00',
          multiple: '20',
          duration: { consecutiveMonths: 24, band: '24–35', coefficient: '1.2' },
          stability: { coveredMonths: 12, windowMonths: 12, coefficient: '1.0' },
          liquidity: { alertLevel: 'normal', coefficient: '1.0' },
          credit: { grade: 'B', coefficient: '1.0' },
        },
        repayment: {
          income: '12000.00',
          debts: '1500.00',
          sharePct: '50',
          monthlyLimit: '5250.00',
          annualRate: '2.6',
          rateSource: { input: true },
          months: 360,
          method: 'equal-installment',
          installment: '5250.00',
        },
        price: { price: '1000000.00', home: 'first', downPaymentPct: '20', loanToValuePct: '80' },
        cap: { base: '600000.00', spouseDepositor: false, children: 0, bonusPct: '0', cap: '600000.00' },
      },
      term: { months: 360, maximumMonths: 360 },
      roundedDownTo: '1000.00',
      installment: '2402.04',
    });
  });

  it('the rate from the table on the contract date and the term cut by age: a man born 1970-06-15', async () => {
    const { annualRate: _rate, months: _months, ...rest } = input;
    const body = {
      ...rest,
      contractDate: '2026-01-20',
      birthDate: '1970-06-15',
      retirementGroup: 'male',
      children: 2,
    };
    const result = JSON.parse((await calc(['quota', '--json'], JSON.stringify(body))).out[0]!) as Record<
      string,
      unknown
    >;
    expect(result).toMatchObject({
      quota: '590000.00',
      binding: { code: 'B', amount: '590285.38' },
      factors: {
        repayment: {
          annualRate: '2.6',
          rateSource: { table: '2025-05-08', column: 'firstHomeOver5Years' },
          months: 129,
        },
        cap: { bonusPct: '10', cap: '660000.00' },
      },
      term: {
        months: 129,
        maximumMonths: 129,
        retirementAge: { years: 61, months: 5 },
        latestMaturity: '2036-11-15',
      },
    });
  });

  it('prints the explanation without --json', async () => {
    const { code, out } = await calc(['quota'], JSON.stringify(input));
    expect(code).toBe(0);
    expect(out[0]).toBe(
      '贷款额度 quota 600000.00 元 yuan (向下取整至 rounded down to 1000.00) · 约束项 binding D 最高贷款额度 / Cap',
    );
    expect(out).toContain(
      '  A = 50000.00 × 20 × 期限 duration 1.2 (24–35) × 稳定 stability 1.0 (12/12) × 流动性 liquidity 1.0 (normal) × 信用 credit 1.0 (B)',
    );
  });

  it('refuses credit grade D, too few months, a term past the age limit, an unknown key (exit 1)', async () => {
    const refused = async (body: unknown) => {
      const { code, out } = await calc(['quota', '--json'], JSON.stringify(body));
      expect(code).toBe(1);
      return (JSON.parse(out[0]!) as { valid: boolean; error: { code: string } }).error.code;
    };
    expect(await calc(['quota', '--json'], JSON.stringify({ ...input, creditGrade: 'D' }))).toEqual({
      code: 1,
      out: [
        '{"valid":false,"error":{"code":"LOAN_CREDIT_GRADE_NOT_ELIGIBLE","message_zh":"信用等级为 D，不能申请住房公积金贷款","message_en":"Credit grade D: not eligible for an HPF loan"}}',
      ],
    });
    expect(await refused({ ...input, consecutiveMonths: 5 })).toBe('LOAN_CONSECUTIVE_MONTHS_TOO_FEW');
    expect(
      await refused({
        ...input,
        contractDate: '2026-01-20',
        birthDate: '1970-06-15',
        retirementGroup: 'male',
      }),
    ).toBe('LOAN_TERM_BEYOND_AGE_LIMIT');
    expect(await refused({ ...input, alertLevel: 'red' })).toBe('LOAN_ALERT_LEVEL_INVALID');
    expect(await refused({ ...input, creditGrade: 'E' })).toBe('LOAN_CREDIT_GRADE_INVALID');
    expect(await refused({ ...input, price: 1000000 })).toBe('INVALID_AMOUNT');
    expect(await refused({ ...input, prise: '1.00' })).toBe('VALIDATION_FAILED');
    const { annualRate: _rate, ...noRate } = input;
    expect(await refused(noRate)).toBe('VALIDATION_FAILED');
    expect(await refused({ ...noRate, contractDate: '2024-01-01' })).toBe('LOAN_RATE_NOT_IN_FORCE');
  });

  it('is a usage error (exit 2) without stdin', async () => {
    expect((await calc(['quota', '--json'])).code).toBe(2);
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
