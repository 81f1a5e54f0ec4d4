// The bank, as Anju sees it: debit and payout requests, payment pages for portal orders, and the
// notifications the bank sends back (credits, debit results). One interface, two transports: the
// in-process simulator (demo, close, tests) and HTTP (HttpBankGateway against the simulator server).
import { AppError } from '../../domain/errors.ts';
import { isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { yuanToFen, type Fen } from '../../domain/money.ts';
import type { DebitBatch, SignedBankFile } from './debit-batch-files.ts';

/** A request to take a periodic amount from the depositor's card (代扣). The result comes as a notification. */
export interface DebitRequest {
  /** Anju's number for this attempt (debit_requests.request_no); the bank echoes it in the result. */
  requestNo: string;
  accountNumber: string;
  bankCard: string;
  amountFen: Fen;
  valueDate: IsoDate;
}

/** A request to pay money out to a depositor's card (withdrawals, refunds: later issues). Same shape. */
export type PayoutRequest = DebitRequest;

/**
 * The bank's immediate answer to a request. `accepted` only means the bank took the request: whether the
 * money moved arrives later as a `debit_result` notification. `rejected` is final (e.g. card closed).
 */
export type BankAnswer = { status: 'accepted' } | { status: 'rejected'; code: string };

export interface BankGateway {
  requestDebit(request: DebitRequest): Promise<BankAnswer>;
  requestPayout(request: PayoutRequest): Promise<BankAnswer>;
  /** The bank's page where the depositor pays a portal order (网银/收银台). */
  createPaymentPage(input: { orderNo: string; amountFen: Fen }): Promise<{ payUrl: string }>;
  /**
   * Hands the bank a batch of debits as one request file (批量代扣, debit-batch-files.ts). `accepted` means
   * the bank took the file; the results come as one result file. The bank acts on a batch number once (a
   * resend gets the first answer) and on a request number once, whichever batch carries it.
   */
  submitDebitBatch(batch: DebitBatch): Promise<BankAnswer>;
  /** The batch's signed result file (回盘) once the bank has produced it; null while it has not. */
  fetchDebitBatchResult(batchNo: string): Promise<SignedBankFile | null>;
}

/** payout_result / payout_return: a payout's outcome and a returned payment (退票), src/services/payouts/. */
export type BankNotificationKind = 'credit' | 'debit_result' | 'payout_result' | 'payout_return';

/**
 * What the bank POSTs to /api/v1/bank/notifications, as JSON, signed in the `x-bank-signature` header
 * (HMAC-SHA256 hex over the exact raw body, see signing.ts). `serial` is the bank's transaction serial:
 * unique per money movement, so it is the idempotency key of the notification.
 */
export interface BankNotification {
  serial: string;
  kind: BankNotificationKind;
  /** A credit for a portal payment order. */
  orderNo?: string;
  /** A debit result: Anju's request number. */
  requestNo?: string;
  accountNumber?: string;
  /** Yuan with at most two decimals, as a string ("600.00"). */
  amount: string;
  valueDate: IsoDate;
  status: 'success' | 'failed';
  failureCode?: string;
}

/** The header that carries the signature, in both directions. */
export const BANK_SIGNATURE_HEADER = 'x-bank-signature';

/** A notification checked for shape, with the amount in fen. */
/**
 * A notification checked for shape, with the amount in fen. `kind` may be one this version does not know
 * (a bank adding a message type): such a notification is recorded as unmatched, not refused, so the bank
 * stops resending it and any money in it is found by reconciliation.
 */
export interface ParsedBankNotification extends Omit<BankNotification, 'kind'> {
  kind: BankNotificationKind | (string & NonNullable<unknown>);
  amountFen: Fen;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field });
  }
  return value;
}

/** Parses a (signature-verified) notification body; anything off-protocol is BANK_NOTIFICATION_MALFORMED. */
export function parseBankNotification(rawBody: string): ParsedBankNotification {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'body' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'body' });
  }
  const v = value as Record<string, unknown>;
  const serial = optionalText(v.serial, 'serial');
  if (!serial) throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'serial' });
  if (typeof v.kind !== 'string' || !/^[a-z_]{1,32}$/.test(v.kind)) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'kind' });
  }
  if (v.status !== 'success' && v.status !== 'failed') {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'status' });
  }
  if (typeof v.amount !== 'string') throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'amount' });
  let amountFen: Fen;
  try {
    amountFen = yuanToFen(v.amount);
  } catch {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'amount' });
  }
  if (amountFen <= 0n) throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'amount' });
  if (typeof v.valueDate !== 'string' || !isIsoDate(v.valueDate)) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'valueDate' });
  }
  const parsed: ParsedBankNotification = {
    serial,
    kind: v.kind,
    amount: v.amount,
    amountFen,
    valueDate: v.valueDate,
    status: v.status,
  };
  const orderNo = optionalText(v.orderNo, 'orderNo');
  const requestNo = optionalText(v.requestNo, 'requestNo');
  const accountNumber = optionalText(v.accountNumber, 'accountNumber');
  const failureCode = optionalText(v.failureCode, 'failureCode');
  if (orderNo !== undefined) parsed.orderNo = orderNo;
  if (requestNo !== undefined) parsed.requestNo = requestNo;
  if (accountNumber !== undefined) parsed.accountNumber = accountNumber;
  if (failureCode !== undefined) parsed.failureCode = failureCode;
  if (parsed.kind === 'debit_result' && !parsed.requestNo) {
    throw new AppError('BANK_NOTIFICATION_MALFORMED', { field: 'requestNo' });
  }
  return parsed;
}
