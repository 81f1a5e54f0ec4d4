// The bank's daily statement (对账单) and how its lines are matched (ours, rules.md §7: the books agree
// with the bank to the fen): the CSV layout, line validation, and the match of a line to a deposit.
import { parseCsv } from './csv.ts';
import { isIsoDate, type IsoDate } from './dates.ts';
import { AppError } from './errors.ts';
import { yuanToFen, type Fen } from './money.ts';

/** The statement's columns, in order, as the header row names them. */
export const STATEMENT_COLUMNS = [
  'serial',
  'value_date',
  'direction',
  'amount',
  'counterparty',
  'memo',
] as const;

export interface StatementLine {
  /** 1-based line number in the file (the header is line 1). */
  lineNo: number;
  serial: string;
  valueDate: IsoDate;
  direction: 'in' | 'out';
  amountFen: Fen;
  counterparty: string;
  memo: string;
}

export interface StatementProblem {
  line: number;
  field: string;
  value?: string;
}

/** How many problems a refusal lists (a broken file can have thousands). */
const MAX_PROBLEMS = 20;

/**
 * Parses a statement file. The whole file is refused (BANK_STATEMENT_MALFORMED, with the first problems
 * by line and column) when the header is not the expected one, a line has the wrong number of cells, a
 * serial is empty or repeated, a date is not a real date, the direction is not in/out, or an amount is
 * not a positive yuan amount with at most two decimals. Blank lines are skipped.
 */
export function parseBankStatement(text: string): StatementLine[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows[0]?.map((c) => c.trim().toLowerCase());
  if (!header || header.join(',') !== STATEMENT_COLUMNS.join(',')) {
    throw new AppError('BANK_STATEMENT_MALFORMED', {
      field: 'header',
      details: { expected: STATEMENT_COLUMNS.join(','), problems: [{ line: 1, field: 'header' }] },
    });
  }
  const problems: StatementProblem[] = [];
  const lines: StatementLine[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((cells, i) => {
    const lineNo = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    if (cells.length !== STATEMENT_COLUMNS.length) {
      problems.push({ line: lineNo, field: 'columns', value: String(cells.length) });
      return;
    }
    const [serial, valueDate, direction, amount, counterparty, memo] = cells.map((c) => c.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const before = problems.length;
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(serial))
      problems.push({ line: lineNo, field: 'serial', value: serial });
    if (!isIsoDate(valueDate)) problems.push({ line: lineNo, field: 'value_date', value: valueDate });
    if (direction !== 'in' && direction !== 'out')
      problems.push({ line: lineNo, field: 'direction', value: direction });
    let amountFen = 0n;
    try {
      amountFen = yuanToFen(amount);
    } catch {
      // reported below
    }
    if (amountFen <= 0n) problems.push({ line: lineNo, field: 'amount', value: amount });
    const key = `${serial}:${direction}`;
    if (seen.has(key)) problems.push({ line: lineNo, field: 'serial', value: `${serial} (repeated)` });
    seen.add(key);
    if (problems.length > before) return;
    lines.push({
      lineNo,
      serial,
      valueDate,
      direction: direction as 'in' | 'out',
      amountFen,
      counterparty: counterparty.slice(0, 200),
      memo: memo.slice(0, 500),
    });
  });
  if (problems.length > 0) {
    throw new AppError('BANK_STATEMENT_MALFORMED', {
      field: `line ${problems[0]!.line}: ${problems[0]!.field}`,
      details: { problems: problems.slice(0, MAX_PROBLEMS), total: problems.length },
    });
  }
  return lines;
}

/**
 * The statement's date: the one given, else the latest value date in it. An empty statement needs the
 * date given.
 */
export function statementDateOf(lines: readonly StatementLine[], given?: IsoDate | null): IsoDate {
  if (given) {
    if (!isIsoDate(given))
      throw new AppError('INVALID_DATE', { field: 'statementDate', details: { value: given } });
    return given;
  }
  if (lines.length === 0)
    throw new AppError('BANK_STATEMENT_MALFORMED', {
      field: 'statementDate',
      details: { reason: 'empty statement without a date' },
    });
  return lines.reduce((max, l) => (l.valueDate > max ? l.valueDate : max), lines[0]!.valueDate);
}

/**
 * What a statement line is against the books, given the movement they record with the line's serial and
 * direction (a deposit, a loan repayment the bank debited, transfer-in funds, a payout sent back; a payout,
 * a loan disbursement, transfer-out funds), or null when they record none:
 * - matched: booked with the same amount;
 * - amount_mismatch: booked with another amount (listed for staff, nothing posted);
 * - unbooked_in: money in the bank nobody booked (→ suspense, Dr 101 / Cr 21902);
 * - unbooked_out: money out of the bank the books do not show (listed for staff, nothing posted).
 */
export type LineMatch = 'matched' | 'amount_mismatch' | 'unbooked_in' | 'unbooked_out';

export function matchStatementLine(
  line: Pick<StatementLine, 'direction' | 'amountFen'>,
  bookedAmountFen: Fen | null,
): LineMatch {
  if (bookedAmountFen === null) return line.direction === 'in' ? 'unbooked_in' : 'unbooked_out';
  return bookedAmountFen === line.amountFen ? 'matched' : 'amount_mismatch';
}
