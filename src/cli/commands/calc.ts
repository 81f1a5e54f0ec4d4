// `anju calc <subcommand>`: the pure rule calculators (ID numbers, retirement age, interest, subsidy …) on the command line,
// for staff checks and scripts. Each subcommand is a row of CALC_SUBCOMMANDS; output is a readable bilingual
// line, or with --json one JSON object. Exit codes: 0 done, 1 the input was refused, 2 usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Decimal } from 'decimal.js';
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
import { balanceDays, interestFen } from '../../domain/interest.ts';
import { fenToYuanString, yuanToFen, type Fen } from '../../domain/money.ts';
import { depositSubsidy } from '../../domain/subsidy.ts';

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

// ---- JSON input on stdin (interest, subsidy) -------------------------------------------------------------

type JsonObject = Record<string, unknown>;

/** Reads one JSON object from stdin; the allowed keys are listed so a misspelt key is refused, not ignored. */
async function readJsonObject(io: CalcIo, allowed: readonly string[]): Promise<JsonObject> {
  if (!io.stdin) throw new UsageError('a JSON object on stdin is required');
  const text = await io.stdin();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', { field: 'stdin', details: { reason: 'not JSON' } });
  }
  return asObject(value, 'stdin', allowed);
}

function asObject(value: unknown, field: string, allowed: readonly string[]): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('VALIDATION_FAILED', { field, details: { reason: 'expected an object' } });
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new AppError('VALIDATION_FAILED', {
        field: `${field}.${key}`,
        details: { reason: 'unknown key' },
      });
  }
  return value as JsonObject;
}

function required(input: JsonObject, key: string): unknown {
  if (input[key] === undefined)
    throw new AppError('VALIDATION_FAILED', { field: key, details: { reason: 'required' } });
  return input[key];
}

function jsonDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIsoDate(value))
    throw new AppError('INVALID_DATE', { field, details: { value } });
  return value;
}

/** Money is a yuan string with at most two decimals, never a JSON number (a float). */
function jsonAmount(value: unknown, field: string, sign: 'any' | 'nonNegative' | 'positive'): Fen {
  if (typeof value !== 'string') throw new AppError('INVALID_AMOUNT', { field, details: { value } });
  const fen = yuanToFen(value, field);
  if (sign === 'positive' && fen <= 0n)
    throw new AppError('AMOUNT_NOT_POSITIVE', { field, details: { value } });
  if (sign === 'nonNegative' && fen < 0n)
    throw new AppError('AMOUNT_NEGATIVE', { field, details: { value } });
  return fen;
}

/** A rate in percent as a string ("1.5" = 1.5 %): exact decimals, never a float. */
function jsonRate(value: unknown, field: string): Decimal {
  if (typeof value !== 'string' || !/^\d{1,3}(\.\d{1,8})?$/.test(value)) {
    throw new AppError('INVALID_RATE', { field, details: { value } });
  }
  return new Decimal(value);
}

function jsonArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value))
    throw new AppError('VALIDATION_FAILED', { field, details: { reason: 'expected an array' } });
  return value;
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
      const input = await readJsonObject(io, ['from', 'to', 'openingBalance', 'annualRate', 'movements']);
      const from = jsonDate(required(input, 'from'), 'from');
      const to = jsonDate(required(input, 'to'), 'to');
      const openingBalanceFen =
        input.openingBalance === undefined
          ? 0n
          : jsonAmount(input.openingBalance, 'openingBalance', 'nonNegative');
      const rate = jsonRate(required(input, 'annualRate'), 'annualRate');
      // Movements are signed: a deposit positive, a withdrawal negative.
      const movements = jsonArray(input.movements ?? [], 'movements').map((m, i) => {
        const movement = asObject(m, `movements[${i}]`, ['date', 'amount']);
        return {
          date: jsonDate(required(movement, 'date'), `movements[${i}].date`),
          amountFen: jsonAmount(required(movement, 'amount'), `movements[${i}].amount`, 'any'),
        };
      });
      const days = balanceDays({ from, to, openingBalanceFen, movements });
      const interest = fenToYuanString(interestFen(days, rate));
      // fen·days / 100 = yuan·days, printed with two decimals like an amount.
      if (json) printJson(io, { balanceDays: fenToYuanString(days), interest });
      else
        io.stdout(
          `积数 balance-days ${fenToYuanString(days)} 元·天 yuan·days · 利息 interest ${interest} 元 yuan`,
        );
    });
  },
};

// ---- subsidy -------------------------------------------------------------------------------------------

const DEFAULT_SUBSIDY_CAP = '10000.00';

const subsidySubcommand: CalcSubcommand = {
  usage:
    'anju calc subsidy [--json] < {"closureDate":"YYYY-MM-DD","annualRate":"0.5","deposits":[{"date":"YYYY-MM-DD","amount":"1000.00"}],"cap":"10000.00"}',
  summary: '缴存补贴 deposit subsidy on closure: Σ amount × rate × days / 360, lifetime cap (rules.md §4.2)',
  options: JSON_OPTION,
  async run(parsed, io) {
    const json = parsed.values.json === true;
    return runJsonCalc(json, io, async () => {
      const input = await readJsonObject(io, [
        'closureDate',
        'annualRate',
        'deposits',
        'cap',
        'alreadyPaid',
        'firstDepositDate',
        'used',
      ]);
      const closureDate = jsonDate(required(input, 'closureDate'), 'closureDate');
      const annualRatePct = jsonRate(required(input, 'annualRate'), 'annualRate');
      const deposits = jsonArray(required(input, 'deposits'), 'deposits').map((d, i) => {
        const deposit = asObject(d, `deposits[${i}]`, ['date', 'amount']);
        return {
          date: jsonDate(required(deposit, 'date'), `deposits[${i}].date`),
          amountFen: jsonAmount(required(deposit, 'amount'), `deposits[${i}].amount`, 'positive'),
        };
      });
      const capFen = jsonAmount(input.cap ?? DEFAULT_SUBSIDY_CAP, 'cap', 'nonNegative');
      const alreadyPaidFen =
        input.alreadyPaid === undefined ? 0n : jsonAmount(input.alreadyPaid, 'alreadyPaid', 'nonNegative');
      // The first deposit defaults to the earliest one given.
      const firstDepositDate =
        input.firstDepositDate === undefined
          ? (deposits.map((d) => d.date).sort()[0] ?? null)
          : jsonDate(input.firstDepositDate, 'firstDepositDate');
      const usedInput =
        input.used === undefined
          ? {}
          : asObject(input.used, 'used', ['withdrawal', 'loan', 'transferOut', 'conversion']);
      const flag = (key: string): boolean => {
        const value = usedInput[key] ?? false;
        if (typeof value !== 'boolean')
          throw new AppError('VALIDATION_FAILED', { field: `used.${key}`, details: { value } });
        return value;
      };
      const used = {
        withdrawal: flag('withdrawal'),
        loan: flag('loan'),
        transferOut: flag('transferOut'),
        conversion: flag('conversion'),
      };
      const result = depositSubsidy({
        closureDate,
        annualRatePct,
        capFen,
        alreadyPaidFen,
        deposits,
        firstDepositDate,
        used,
      });
      const subsidy = fenToYuanString(result.subsidyFen);
      if (json) {
        const out: Record<string, unknown> = { subsidy, eligible: result.eligible };
        if (!result.eligible) out.reasons = result.reasons;
        printJson(io, out);
      } else if (result.eligible) {
        const capped = result.capped
          ? ` (封顶 capped; 未封顶 uncapped ${fenToYuanString(result.uncappedFen)})`
          : '';
        io.stdout(`缴存补贴 subsidy ${subsidy} 元 yuan${capped} · 符合条件 eligible`);
      } else {
        const why = result.reasons.map((r) => `[${r.code}] ${r.message_zh} / ${r.message_en}`).join('; ');
        io.stdout(`缴存补贴 subsidy ${subsidy} 元 yuan · 不符合条件 not eligible: ${why}`);
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
