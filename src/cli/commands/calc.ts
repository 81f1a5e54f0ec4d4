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

// ---- the table -----------------------------------------------------------------------------------------

/** The calc subcommands; add a row to add one (interest, subsidy, schedule …). */
export const CALC_SUBCOMMANDS: Record<string, CalcSubcommand> = {
  id: idSubcommand,
  retirement: retirementSubcommand,
  interest: interestSubcommand,
  subsidy: subsidySubcommand,
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
