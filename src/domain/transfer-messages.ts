// The messages two centers exchange through the transfer platform (rules.md §5.4): the contact letter
// (联系函), status updates, the account information sheet (账户信息表) and the funds remittance. Every
// message has a message id (its idempotency key); ordered messages carry the sender's sequence number per
// transfer, so a receiver can hold one that overtook its predecessor. Pure parsing, no I/O.
import { isIsoDate, isIsoMonth, type IsoDate, type IsoMonth } from './dates.ts';
import { AppError } from './errors.ts';
import { yuanToFen, type Fen } from './money.ts';
import {
  isTransferStatusCode,
  type TransferBusinessType,
  type TransferStatusCode,
} from './transfer-codes.ts';

export type TransferMessageType = 'contact_letter' | 'status' | 'account_sheet' | 'funds';
export const TRANSFER_MESSAGE_TYPES: readonly TransferMessageType[] = [
  'contact_letter',
  'status',
  'account_sheet',
  'funds',
];

/** 联系函: sent by the new center (transfer in) to the old one. */
export interface ContactLetter {
  person: { idType: string; idNumber: string; name: string; phone: string };
  /** The account at the new center that receives the money. */
  newAccountNumber: string;
  newCenterCode: string;
  newCenterName: string;
  oldCenterCode: string;
  oldCenterName: string;
  oldAccountNumber: string;
  receivingBank: { bankName: string; accountNumber: string; accountName: string };
}

export interface StatusUpdate {
  status: TransferStatusCode;
  /** A refusal's reason code (TRANSFER_REFUSAL_REASONS) or free text from the peer. */
  reason?: string;
}

/** 账户信息表: the old center's account, sent with the money. Amounts are yuan strings. */
export interface AccountSheet {
  accountNumber: string;
  name: string;
  /** 本金 */
  principal: string;
  /** 当年利息 (settled to the transfer day) */
  interest: string;
  openDate: IsoDate;
  /** 缴至年月 */
  paidUpToMonth: IsoMonth;
  /** Covered months in a row ending with paidUpToMonth (counted as our history, §3.3). */
  continuousMonths: number;
  /** 近 6 个月是否连续缴存 */
  lastSixMonthsContinuous: boolean;
  /** 使用住房公积金贷款次数 */
  loansUsed: number;
  loanOutstanding: boolean;
  /** 是否存在骗提骗贷 */
  fraudFound: boolean;
}

/** The money, as the settlement system reports it: amount and its settlement serial. */
export interface FundsRemittance {
  amount: string;
  serial: string;
  valueDate: IsoDate;
}

interface EnvelopeBase {
  messageId: string;
  transferNo: string;
  /** The business type from the sender's side: 08 from the new center, 07 from the old one. */
  businessType: TransferBusinessType;
  fromCenter: string;
  toCenter: string;
  /** Ordered messages: 1, 2, … per transfer and sender; funds have none. */
  seq: number | null;
}

export type TransferMessage =
  | (EnvelopeBase & { type: 'contact_letter'; body: ContactLetter })
  | (EnvelopeBase & { type: 'status'; body: StatusUpdate })
  | (EnvelopeBase & { type: 'account_sheet'; body: AccountSheet })
  | (EnvelopeBase & { type: 'funds'; body: FundsRemittance });

const malformed = (field: string) => new AppError('TRANSFER_MESSAGE_MALFORMED', { field });

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(field);
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, prefix: string, max = 100): string {
  const value = o[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw malformed(prefix + key);
  return value;
}

function yuan(o: Record<string, unknown>, key: string, prefix: string): string {
  const value = text(o, key, prefix, 20);
  let fen: Fen;
  try {
    fen = yuanToFen(value);
  } catch {
    throw malformed(prefix + key);
  }
  if (fen < 0n) throw malformed(prefix + key);
  return value;
}

function flag(o: Record<string, unknown>, key: string, prefix: string): boolean {
  if (typeof o[key] !== 'boolean') throw malformed(prefix + key);
  return o[key];
}

function count(o: Record<string, unknown>, key: string, prefix: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1200)
    throw malformed(prefix + key);
  return value;
}

function parseLetter(b: Record<string, unknown>): ContactLetter {
  const person = object(b.person, 'body.person');
  const bank = object(b.receivingBank, 'body.receivingBank');
  const p = 'body.';
  return {
    person: {
      idType: text(person, 'idType', 'body.person.', 40),
      idNumber: text(person, 'idNumber', 'body.person.', 40),
      name: text(person, 'name', 'body.person.'),
      phone: text(person, 'phone', 'body.person.', 20),
    },
    newAccountNumber: text(b, 'newAccountNumber', p, 40),
    newCenterCode: text(b, 'newCenterCode', p, 20),
    newCenterName: text(b, 'newCenterName', p),
    oldCenterCode: text(b, 'oldCenterCode', p, 20),
    oldCenterName: text(b, 'oldCenterName', p),
    oldAccountNumber: text(b, 'oldAccountNumber', p, 40),
    receivingBank: {
      bankName: text(bank, 'bankName', 'body.receivingBank.'),
      accountNumber: text(bank, 'accountNumber', 'body.receivingBank.', 40),
      accountName: text(bank, 'accountName', 'body.receivingBank.'),
    },
  };
}

function parseSheet(b: Record<string, unknown>): AccountSheet {
  const p = 'body.';
  const openDate = text(b, 'openDate', p, 10);
  if (!isIsoDate(openDate)) throw malformed('body.openDate');
  const paidUpToMonth = text(b, 'paidUpToMonth', p, 7);
  if (!isIsoMonth(paidUpToMonth)) throw malformed('body.paidUpToMonth');
  return {
    accountNumber: text(b, 'accountNumber', p, 40),
    name: text(b, 'name', p),
    principal: yuan(b, 'principal', p),
    interest: yuan(b, 'interest', p),
    openDate,
    paidUpToMonth,
    continuousMonths: count(b, 'continuousMonths', p),
    lastSixMonthsContinuous: flag(b, 'lastSixMonthsContinuous', p),
    loansUsed: count(b, 'loansUsed', p),
    loanOutstanding: flag(b, 'loanOutstanding', p),
    fraudFound: flag(b, 'fraudFound', p),
  };
}

/** Parses a (signature-verified) message; anything off-protocol is TRANSFER_MESSAGE_MALFORMED. */
export function parseTransferMessage(rawBody: string): TransferMessage {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    throw malformed('body');
  }
  const v = object(value, 'body');
  const messageId = text(v, 'messageId', '', 64);
  const transferNo = text(v, 'transferNo', '', 64);
  if (v.businessType !== '07' && v.businessType !== '08') throw malformed('businessType');
  const type = v.type;
  if (typeof type !== 'string' || !(TRANSFER_MESSAGE_TYPES as string[]).includes(type))
    throw malformed('type');
  const seq = v.seq === null || v.seq === undefined ? null : v.seq;
  if (seq !== null && (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1)) throw malformed('seq');
  if ((type === 'funds') !== (seq === null)) throw malformed('seq');
  const base: EnvelopeBase = {
    messageId,
    transferNo,
    businessType: v.businessType,
    fromCenter: text(v, 'fromCenter', '', 20),
    toCenter: text(v, 'toCenter', '', 20),
    seq,
  };
  const b = object(v.body, 'body');
  switch (type as TransferMessageType) {
    case 'contact_letter':
      return { ...base, type: 'contact_letter', body: parseLetter(b) };
    case 'status': {
      if (!isTransferStatusCode(b.status)) throw malformed('body.status');
      const reason = b.reason === undefined ? undefined : text(b, 'reason', 'body.', 200);
      return { ...base, type: 'status', body: { status: b.status, ...(reason ? { reason } : {}) } };
    }
    case 'account_sheet':
      return { ...base, type: 'account_sheet', body: parseSheet(b) };
    case 'funds': {
      const amount = yuan(b, 'amount', 'body.');
      if (yuanToFen(amount) <= 0n) throw malformed('body.amount');
      const valueDate = text(b, 'valueDate', 'body.', 10);
      if (!isIsoDate(valueDate)) throw malformed('body.valueDate');
      return { ...base, type: 'funds', body: { amount, serial: text(b, 'serial', 'body.', 64), valueDate } };
    }
  }
}

/** The wire form of a message: JSON with a fixed key order, so the signed bytes are reproducible. */
export function serializeTransferMessage(message: TransferMessage): string {
  return JSON.stringify({
    messageId: message.messageId,
    transferNo: message.transferNo,
    businessType: message.businessType,
    type: message.type,
    seq: message.seq,
    fromCenter: message.fromCenter,
    toCenter: message.toCenter,
    body: message.body,
  });
}
