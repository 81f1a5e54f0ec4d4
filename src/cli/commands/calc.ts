// `anju calc <subcommand>`: the pure rule calculators (ID numbers, retirement age, interest, subsidy …) on the command line,
// for staff checks and scripts. Each subcommand is a row of CALC_SUBCOMMANDS; output is a readable bilingual
// line, or with --json one JSON object. Exit codes: 0 done, 1 the input was refused, 2 usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isIsoDate, isIsoMonth } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import {
  parseForeignPermanentId,
  parseIdNumber,
  type ForeignPermanentIdInfo,
  type IdInfo,
} from '../../domain/identity.ts';
import {
  isRetirementGroup,
  retirementAge,
  retirementDate,
  retirementMonth,
  RETIREMENT_GROUPS,
} from '../../domain/retirement.ts';
import { calculateInterest, calculateSubsidy } from '../../domain/calculators.ts';
import {
  calculateAffordability,
  calculateQuota,
  calculateSchedule,
  type QuotaCalculation,
  type ScheduleCalculation,
  type ScheduleRow,
} from '../../domain/loans/calculators.ts';
import { REPAYMENT_METHOD_LABELS, isRepaymentMethod } from '../../domain/loans/schedule.ts';

export interface CalcIo {
  /** Writes one line of output (without its newline; the caller adds it). */
  stdout: (s: string) => void;
  /** The whole of standard input, for values better kept off the command line (ID numbers). */
  stdin?: () => Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

interface CalcSubcommand {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run: (parsed: ParsedArgs, io: CalcIo) => Promise<number>;
}

interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Thrown inside a subcommand for a usage mistake (missing option): prints the usage, exit 2. */
class UsageError extends Error {}

const JSON_OPTION = { json: { type: 'boolean' } } as const;

function printJson(io: CalcIo, value: unknown): void {
  io.stdout(JSON.stringify(value));
}

/** Every refusal prints the same shape, so scripts test `valid` and read `error.code`. */
function printRefusal(io: CalcIo, error: AppError, json: boolean): number {
  const body = error.toBody();
  if (json) {
    printJson(io, {
      valid: false,
      error: { code: body.code, message_zh: body.message_zh, message_en: body.message_en },
    });
  } else {
    io.stdout(`无效 invalid [${body.code}]: ${body.message_zh} / ${body.message_en}`);
  }
  return EXIT_REFUSED;
}

function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

// ---- id ------------------------------------------------------------------------------------------------

const GENDER_ZH = { male: '男', female: '女' } as const;

/** Foreign permanent resident IDs start with 9 (2023 format) or three letters (legacy); the rest are resident IDs. */
function looksForeign(text: string): boolean {
  const compact = text.replace(/[\s\u3000]/g, '');
  return /^[A-Za-z]{3}/.test(compact) || (compact.length === 18 && compact.startsWith('9'));
}

function idJson(info: IdInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    valid: true,
    normalized: info.normalized,
    birthDate: info.birthDate,
    gender: info.gender,
    divisionCode: info.divisionCode,
  };
  // Resident IDs print exactly the keys above; other documents say what they are.
  if (info.idType !== 'resident') out.idType = info.idType;
  return out;
}

function foreignIdJson(info: ForeignPermanentIdInfo): Record<string, unknown> {
  return {
    valid: true,
    normalized: info.normalized,
    birthDate: info.birthDate,
    gender: info.gender,
    idType: info.idType,
    format: info.format,
    nationalityCode: info.nationalityCode,
  };
}

function idLine(info: IdInfo | ForeignPermanentIdInfo): string {
  const birth = info.birthDate ?? '-';
  const gender = info.gender ? `${GENDER_ZH[info.gender]} ${info.gender}` : '-';
  const division = 'divisionCode' in info ? info.divisionCode : `国籍 nationality ${info.nationalityCode}`;
  return `有效 valid: ${info.normalized} · 出生 birth ${birth} · 性别 gender ${gender} · 地区 division ${division} · ${info.idType}`;
}

const idSubcommand: CalcSubcommand = {
  usage: 'anju calc id <number|-> [--json]',
  summary: '检查证件号码 check a resident ID, HK/Macao/Taiwan permit or foreign permanent ID (- reads stdin)',
  options: JSON_OPTION,
  allowPositionals: true,
  async run(parsed, io) {
    const json = parsed.values.json === true;
    if (parsed.positionals.length > 1) throw new UsageError('one ID number at a time');
    let input = parsed.positionals[0];
    if (input === undefined || input === '-') {
      // Reading stdin keeps the number out of shell history (ID numbers are personal data, rules.md §11).
      if (!io.stdin) throw new UsageError('an ID number is required');
      input = (await io.stdin()).split(/\r?\n/)[0] ?? '';
    }
    try {
      if (looksForeign(input)) {
        const info = parseForeignPermanentId(input);
        if (json) printJson(io, foreignIdJson(info));
        else io.stdout(idLine(info));
      } else {
        const info = parseIdNumber(input);
        if (json) printJson(io, idJson(info));
        else io.stdout(idLine(info));
      }
      return EXIT_OK;
    } catch (error) {
      if (error instanceof AppError) return printRefusal(io, error, json);
      throw error;
    }
  },
};

// ---- retirement ----------------------------------------------------------------------------------------

const retirementSubcommand: CalcSubcommand = {
  usage: `anju calc retirement --birth <YYYY-MM|YYYY-MM-DD> --group <${RETIREMENT_GROUPS.join('|')}> [--json]`,
  summary: '法定退休年龄 statutory retirement age, month (and date) after the 2025 reform (rules.md §10)',
  options: { ...JSON_OPTION, birth: { type: 'string' }, group: { type: 'string' } },
  async run(parsed, io) {
    const json = parsed.values.json === true;
    const birth = stringOption(parsed, 'birth');
    const group = stringOption(parsed, 'group');
    if (birth === undefined) throw new UsageError('--birth is required');
    if (group === undefined) throw new UsageError('--group is required');
    try {
      if (!isRetirementGroup(group)) {
        throw new AppError('RETIREMENT_GROUP_INVALID', { field: 'group', details: { value: group } });
      }
      const isDate = isIsoDate(birth);
      if (!isDate && !isIsoMonth(birth)) {
        throw new AppError('INVALID_MONTH', { field: 'birth', details: { value: birth } });
      }
      const birthMonth = birth.slice(0, 7);
      const age = retirementAge(birthMonth, group);
      const month = retirementMonth(birthMonth, group);
      const date = isDate ? retirementDate(birth, group) : undefined;
      if (json) {
        const out: Record<string, unknown> = { retirementAge: age, retirementMonth: month };
        if (date !== undefined) out.retirementDate = date;
        printJson(io, out);
      } else {
        const dateText = date !== undefined ? ` · 退休日期 retirement date ${date}` : '';
        io.stdout(
          `退休年龄 retirement age ${age.years}岁${age.months}个月 (${age.years} y ${age.months} m)` +
            ` · 退休月份 retirement month ${month}${dateText}`,
        );
      }
      return EXIT_OK;
    } catch (error) {
      if (error instanceof AppError) return printRefusal(io, error, json);
      throw error;
    }
  },
};

// ---- JSON input on stdin (interest, subsidy): the readers are shared with the API ---------------------

/** Reads one JSON object from stdin. */
async function readJson(io: CalcIo): Promise<unknown> {
  if (!io.stdin) throw new UsageError('a JSON object on stdin is required');
  const text = await io.stdin();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION_FAILED', { field: 'stdin', details: { reason: 'not JSON' } });
  }
}

/** Runs a JSON-in calculator: a refused input prints the shared refusal shape and exits 1. */
async function runJsonCalc(json: boolean, io: CalcIo, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof AppError) return printRefusal(io, error, json);
    throw error;
  }
}

// ---- interest ------------------------------------------------------------------------------------------

const interestSubcommand: CalcSubcommand = {
  usage:
    'anju calc interest [--json] < {"from":"YYYY-MM-DD","to":"YYYY-MM-DD","openingBalance":"0.00","annualRate":"1.5","movements":[{"date":"YYYY-MM-DD","amount":"-100.00"}]}',
  summary: '积数与利息 balance-days and interest, actual days / 360, both ends included (rules.md §4.1)',
  options: JSON_OPTION,
  async run(parsed, io) {
    const json = parsed.values.json === true;
    return runJsonCalc(json, io, async () => {
      const result = calculateInterest(await readJson(io));
      if (json) printJson(io, result);
      else
        io.stdout(
          `积数 balance-days ${result.balanceDays} 元·天 yuan·days · 利息 interest ${result.interest} 元 yuan`,
        );
    });
  },
};

// ---- subsidy -------------------------------------------------------------------------------------------

const subsidySubcommand: CalcSubcommand = {
  usage:
    'anju calc subsidy [--json] < {"closureDate":"YYYY-MM-DD","annualRate":"0.5","deposits":[{"date":"YYYY-MM-DD","amount":"1000.00"}],"cap":"10000.00"}',
  summary: '缴存补贴 deposit subsidy on closure: Σ amount × rate × days / 360, lifetime cap (rules.md §4.2)',
  options: JSON_OPTION,
  async run(parsed, io) {
    const json = parsed.values.json === true;
    return runJsonCalc(json, io, async () => {
      const result = calculateSubsidy(await readJson(io));
      if (json) {
        printJson(io, result);
      } else if (result.eligible) {
        const capped =
          result.uncapped !== undefined ? ` (封顶 capped; 未封顶 uncapped ${result.uncapped})` : '';
        io.stdout(`缴存补贴 subsidy ${result.subsidy} 元 yuan${capped} · 符合条件 eligible`);
      } else {
        const why = (result.reasons ?? [])
          .map((r) => `[${r.code}] ${r.message_zh} / ${r.message_en}`)
          .join('; ');
        io.stdout(`缴存补贴 subsidy ${result.subsidy} 元 yuan · 不符合条件 not eligible: ${why}`);
      }
    });
  },
};

// ---- loans: schedule, affordability, quota (rules.md §6.2–6.4); the readers are shared with the API ---

const LOAN_OPTIONS = {
  ...JSON_OPTION,
  'annual-rate': { type: 'string' },
  months: { type: 'string' },
  method: { type: 'string' },
} as const;

/** Whole months stay a JSON number; anything else reaches the reader as text and is refused there. */
function monthsValue(text: string): number | string {
  return /^\d{1,4}$/.test(text) ? Number(text) : text;
}

function requiredOption(parsed: ParsedArgs, name: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** The common loan options as the JSON the API takes (method defaults to equal-installment there). */
function loanBody(parsed: ParsedArgs): Record<string, unknown> {
  const body: Record<string, unknown> = {
    annualRate: requiredOption(parsed, 'annual-rate'),
    months: monthsValue(requiredOption(parsed, 'months')),
  };
  const method = stringOption(parsed, 'method');
  if (method !== undefined) body.method = method;
  return body;
}

function methodLabel(method: string | undefined): string {
  const key = method ?? 'equal-installment';
  if (!isRepaymentMethod(key)) return key;
  return `${REPAYMENT_METHOD_LABELS[key].zh} ${REPAYMENT_METHOD_LABELS[key].en.toLowerCase()}`;
}

function scheduleLine(row: ScheduleRow): string {
  const due = row.dueDate !== undefined ? ` ${row.dueDate}` : '';
  return `  ${row.period}${due} · 月供 payment ${row.payment} · 本金 principal ${row.principal} · 利息 interest ${row.interest} · 余额 balance ${row.balance}`;
}

/** The readable schedule: the first rows, the last one and the totals. */
function printSchedule(io: CalcIo, result: ScheduleCalculation, heading: string): void {
  const rows = result.installments;
  io.stdout(heading);
  const shown = rows.length <= 4 ? rows : [...rows.slice(0, 3), undefined, rows.at(-1)!];
  for (const row of shown)
    io.stdout(row === undefined ? `  … ${rows.length - 4} 期 more` : scheduleLine(row));
  io.stdout(
    `合计 total: 还款 payment ${result.totalPayment} 元 yuan · 利息 interest ${result.totalInterest} 元 yuan`,
  );
  if (result.note !== undefined) {
    io.stdout(`注 note (${result.note.firstPeriodDays} 天 days): ${result.note.zh} / ${result.note.en}`);
  }
}

const scheduleSubcommand: CalcSubcommand = {
  usage:
    'anju calc schedule --principal <yuan> --annual-rate <%> --months <1-360> [--method equal-installment|equal-principal] [--disbursed YYYY-MM-DD] [--json]',
  summary: '还款计划 repayment schedule, 等额本息 / 等额本金, half-up to the fen (rules.md §6.4)',
  options: { ...LOAN_OPTIONS, principal: { type: 'string' }, disbursed: { type: 'string' } },
  async run(parsed, io) {
    const json = parsed.values.json === true;
    const body: Record<string, unknown> = {
      principal: requiredOption(parsed, 'principal'),
      ...loanBody(parsed),
    };
    const disbursed = stringOption(parsed, 'disbursed');
    if (disbursed !== undefined) body.disbursed = disbursed;
    return runJsonCalc(json, io, async () => {
      const result = calculateSchedule(body);
      if (json) printJson(io, result);
      else
        printSchedule(
          io,
          result,
          `还款计划 schedule: ${methodLabel(stringOption(parsed, 'method'))} · 本金 principal ${String(body.principal)} 元 yuan` +
            ` · 年利率 annual rate ${String(body.annualRate)}% · ${result.installments.length} 期 months`,
        );
    });
  },
};

const affordabilitySubcommand: CalcSubcommand = {
  usage:
    'anju calc affordability --income <yuan> [--debts <yuan>] --annual-rate <%> --months <1-360> [--method equal-installment|equal-principal] [--json]',
  summary: '还款能力 the largest principal whose installment ≤ 50 % × (income − debts) (rules.md §6.2 B)',
  options: { ...LOAN_OPTIONS, income: { type: 'string' }, debts: { type: 'string' } },
  async run(parsed, io) {
    const json = parsed.values.json === true;
    const body: Record<string, unknown> = { income: requiredOption(parsed, 'income'), ...loanBody(parsed) };
    const debts = stringOption(parsed, 'debts');
    if (debts !== undefined) body.debts = debts;
    return runJsonCalc(json, io, async () => {
      const result = calculateAffordability(body);
      if (json) printJson(io, result);
      else
        io.stdout(
          `月供上限 monthly limit ${result.monthlyLimit} 元 yuan · 最高可贷 max principal ${result.maxPrincipal} 元 yuan` +
            ` · 月供 installment ${result.installment} 元 yuan (${methodLabel(stringOption(parsed, 'method'))})`,
        );
    });
  },
};

function printQuota(io: CalcIo, q: QuotaCalculation): void {
  const f = q.factors;
  io.stdout(
    `贷款额度 quota ${q.quota} 元 yuan (向下取整至 rounded down to ${q.roundedDownTo}) · ` +
      `约束项 binding ${q.binding.code} ${q.binding.label_zh} / ${q.binding.label_en}`,
  );
  for (const c of q.candidates) io.stdout(`  ${c.code} ${c.label_zh} / ${c.label_en}: ${c.amount}`);
  const d = f.deposit;
  io.stdout(
    `  A = ${d.totalBalance} × ${d.multiple} × 期限 duration ${d.duration.coefficient} (${d.duration.band})` +
      ` × 稳定 stability ${d.stability.coefficient} (${d.stability.coveredMonths}/${d.stability.windowMonths})` +
      ` × 流动性 liquidity ${d.liquidity.coefficient} (${d.liquidity.alertLevel})` +
      ` × 信用 credit ${d.credit.coefficient} (${d.credit.grade})`,
  );
  const r = f.repayment;
  io.stdout(
    `  B: ${r.sharePct}% × (${r.income} − ${r.debts}) = ${r.monthlyLimit}/月 month · ${r.annualRate}% · ${r.months} 期 months · ${methodLabel(r.method)}`,
  );
  io.stdout(`  C: ${f.price.price} × ${f.price.loanToValuePct}% (${f.price.home} home)`);
  io.stdout(`  D: ${f.cap.base} + ${f.cap.bonusPct}% = ${f.cap.cap}`);
  io.stdout(
    `  月供 installment ${q.installment} 元 yuan · 最长期限 maximum term ${q.term.maximumMonths} 期 months`,
  );
}

const quotaSubcommand: CalcSubcommand = {
  usage:
    'anju calc quota [--json] < {"applicantBalance":"50000.00","consecutiveMonths":24,"coveredMonthsLast12":12,"income":"12000.00","debts":"1500.00","price":"1000000.00","home":"first","annualRate":"2.6","months":360}',
  summary:
    '贷款额度 loan quota = min(A deposit-linked, B repayment, C price, D cap), down to 1,000 yuan, explained (rules.md §6.2)',
  options: JSON_OPTION,
  async run(parsed, io) {
    const json = parsed.values.json === true;
    return runJsonCalc(json, io, async () => {
      const result = calculateQuota(await readJson(io));
      if (json) printJson(io, result);
      else printQuota(io, result);
    });
  },
};

// ---- the table -----------------------------------------------------------------------------------------

/** The calc subcommands; add a row to add one (interest, subsidy, schedule …). */
export const CALC_SUBCOMMANDS: Record<string, CalcSubcommand> = {
  id: idSubcommand,
  retirement: retirementSubcommand,
  interest: interestSubcommand,
  subsidy: subsidySubcommand,
  schedule: scheduleSubcommand,
  affordability: affordabilitySubcommand,
  quota: quotaSubcommand,
};

export function calcUsage(): string {
  const lines = ['用法 usage: anju calc <subcommand> [options]', ''];
  for (const [name, sub] of Object.entries(CALC_SUBCOMMANDS)) {
    lines.push(`  ${sub.usage}`, `      ${name}: ${sub.summary}`);
  }
  return lines.join('\n');
}

/** Runs `anju calc …` with argv after "calc"; returns the exit code. */
export async function runCalc(argv: string[], io: CalcIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(calcUsage());
    return EXIT_OK;
  }
  const sub =
    name === undefined
      ? undefined
      : Object.hasOwn(CALC_SUBCOMMANDS, name)
        ? CALC_SUBCOMMANDS[name]
        : undefined;
  if (!sub) {
    if (name !== undefined) io.stdout(`未知的子命令 unknown subcommand: ${name}`);
    io.stdout(calcUsage());
    return EXIT_USAGE;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: sub.options,
      allowPositionals: sub.allowPositionals ?? false,
      strict: true,
    });
    return await sub.run({ values: values as ParsedArgs['values'], positionals }, io);
  } catch (error) {
    // parseArgs reports unknown options and missing values as TypeErrors with an ERR_PARSE_ARGS_* code.
    const code = (error as { code?: unknown }).code;
    const parseError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof UsageError) && !parseError) throw error;
    io.stdout(`用法错误 usage error: ${(error as Error).message}`);
    io.stdout(`用法 usage: ${sub.usage}`);
    return EXIT_USAGE;
  }
}
