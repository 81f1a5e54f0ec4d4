// The batch debit files exchanged with the bank (批量代扣): Anju's request file (one line per debit) and
// the bank's result file (回盘, one line per request the bank answered; a request it could not process has
// no line). Plain CSV, UTF-8, a header record then detail records; every field is [0-9A-Za-z_.-], so no
// quoting. The result file is signed like a notification (HMAC over the exact bytes, signing.ts).
import { AppError } from '../../domain/errors.ts';
import { isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, yuanToFen, type Fen } from '../../domain/money.ts';

/** One debit of a batch: what requestDebit sends for a single debit, without the value date. */
export interface DebitBatchLine {
  requestNo: string;
  accountNumber: string;
  bankCard: string;
  amountFen: Fen;
}

/** A batch of debits for one value date; `batchNo` is unique, and the bank acts on a batch number once. */
export interface DebitBatch {
  batchNo: string;
  valueDate: IsoDate;
  lines: DebitBatchLine[];
}

/** One answered request of a result file. `serial` is the bank's serial of the movement (or of the refusal). */
export interface DebitResultLine {
  requestNo: string;
  status: 'success' | 'failed';
  failureCode?: string;
  serial: string;
  amountFen: Fen;
}

export interface DebitResultFile {
  batchNo: string;
  valueDate: IsoDate;
  lines: DebitResultLine[];
}

/** A file as the bank sends it: the exact text and its signature (hex HMAC-SHA256). */
export interface SignedBankFile {
  content: string;
  signature: string;
}

const FIELD = /^[0-9A-Za-z_.-]{1,64}$/;

function field(value: string | undefined, name: string, line: number, optional = false): string {
  if (optional && (value === undefined || value === '')) return '';
  if (value === undefined || !FIELD.test(value)) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: name, details: { line } });
  }
  return value;
}

function amountOf(value: string | undefined, line: number): Fen {
  try {
    const fen = yuanToFen(field(value, 'amount', line));
    if (fen > 0n) return fen;
  } catch {
    // reported below
  }
  throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'amount', details: { line } });
}

function header(records: string[][], kind: string): { batchNo: string; valueDate: IsoDate; count: number } {
  const h = records[0];
  if (!h || h[0] !== kind || h.length < 4 || !isIsoDate(h[2] ?? '') || !/^\d{1,9}$/.test(h[3] ?? '')) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'header', details: { line: 1 } });
  }
  const count = Number(h[3]);
  if (count !== records.length - 1) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'count', details: { line: 1 } });
  }
  return { batchNo: field(h[1], 'batchNo', 1), valueDate: h[2]!, count };
}

function records(content: string): string[][] {
  return content
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0)
    .map((l) => l.split(','));
}

/** The request file: `H,batchNo,valueDate,count,total` then `D,requestNo,accountNumber,bankCard,amount`. */
export function formatDebitBatchFile(batch: DebitBatch): string {
  const total = batch.lines.reduce((s, l) => s + l.amountFen, 0n);
  const out = [`H,${batch.batchNo},${batch.valueDate},${batch.lines.length},${fenToYuanString(total)}`];
  for (const l of batch.lines) {
    out.push(`D,${l.requestNo},${l.accountNumber},${l.bankCard},${fenToYuanString(l.amountFen)}`);
  }
  return out.join('\n') + '\n';
}

export function parseDebitBatchFile(content: string): DebitBatch {
  const rs = records(content);
  const h = header(rs, 'H');
  const lines = rs.slice(1).map((r, i): DebitBatchLine => {
    if (r[0] !== 'D' || r.length !== 5) {
      throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'line', details: { line: i + 2 } });
    }
    return {
      requestNo: field(r[1], 'requestNo', i + 2),
      accountNumber: field(r[2], 'accountNumber', i + 2),
      bankCard: field(r[3], 'bankCard', i + 2),
      amountFen: amountOf(r[4], i + 2),
    };
  });
  return { batchNo: h.batchNo, valueDate: h.valueDate, lines };
}

/** The result file: `RH,batchNo,valueDate,count` then `R,requestNo,status,failureCode,serial,amount`. */
export function formatDebitResultFile(file: DebitResultFile): string {
  const out = [`RH,${file.batchNo},${file.valueDate},${file.lines.length}`];
  for (const l of file.lines) {
    out.push(
      `R,${l.requestNo},${l.status},${l.failureCode ?? ''},${l.serial},${fenToYuanString(l.amountFen)}`,
    );
  }
  return out.join('\n') + '\n';
}

/** Parses a (signature-verified) result file; anything off-protocol is BANK_NOTIFICATION_MALFORMED. */
export function parseDebitResultFile(content: string): DebitResultFile {
  const rs = records(content);
  const h = header(rs, 'RH');
  const seen = new Set<string>();
  const lines = rs.slice(1).map((r, i): DebitResultLine => {
    const n = i + 2;
    if (r[0] !== 'R' || r.length !== 6 || (r[2] !== 'success' && r[2] !== 'failed')) {
      throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'line', details: { line: n } });
    }
    const requestNo = field(r[1], 'requestNo', n);
    if (seen.has(requestNo)) {
      throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'requestNo', details: { line: n } });
    }
    seen.add(requestNo);
    const failureCode = field(r[3], 'failureCode', n, true);
    const line: DebitResultLine = {
      requestNo,
      status: r[2],
      serial: field(r[4], 'serial', n),
      amountFen: amountOf(r[5], n),
    };
    if (failureCode) line.failureCode = failureCode;
    return line;
  });
  return { batchNo: h.batchNo, valueDate: h.valueDate, lines };
}
