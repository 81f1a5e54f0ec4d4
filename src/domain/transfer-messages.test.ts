// The platform message format (rules.md §5.4): what parses, what is refused, and the code lists.
import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.ts';
import { isTransferStatusCode, TRANSFER_STATUS_CODES } from './transfer-codes.ts';
import { parseTransferMessage, serializeTransferMessage, type TransferMessage } from './transfer-messages.ts';

const sheet: TransferMessage = {
  messageId: 'M1',
  transferNo: 'T1',
  businessType: '07',
  type: 'account_sheet',
  seq: 2,
  fromCenter: '110000',
  toCenter: '150200',
  body: {
    accountNumber: 'BJ1',
    name: '张三',
    principal: '12000.00',
    interest: '45.67',
    openDate: '2019-06-01',
    paidUpToMonth: '2025-02',
    continuousMonths: 24,
    lastSixMonthsContinuous: true,
    loansUsed: 0,
    loanOutstanding: false,
    fraudFound: false,
  },
};

function fieldOf(raw: string): string | undefined {
  try {
    parseTransferMessage(raw);
    return undefined;
  } catch (error) {
    return isAppError(error) && error.code === 'TRANSFER_MESSAGE_MALFORMED' ? error.field : 'other';
  }
}

describe('transfer platform messages', () => {
  it('round-trips a message through its wire form', () => {
    expect(parseTransferMessage(serializeTransferMessage(sheet))).toEqual(sheet);
  });

  it('keeps the platform status codes and business types of §5.4', () => {
    expect(TRANSFER_STATUS_CODES).toEqual(['00', '01', '02', '05', '06', '08', '13', '20', '40']);
    expect(isTransferStatusCode('13')).toBe(true);
    expect(isTransferStatusCode('03')).toBe(false);
  });

  it('refuses malformed messages, naming the field', () => {
    const wire = JSON.parse(serializeTransferMessage(sheet)) as Record<string, unknown>;
    const body = wire.body as Record<string, unknown>;
    const raw = (patch: Record<string, unknown>, bodyPatch: Record<string, unknown> = {}) =>
      JSON.stringify({ ...wire, ...patch, body: { ...body, ...bodyPatch } });
    expect(fieldOf('not json')).toBe('body');
    expect(fieldOf(raw({ businessType: '09' }))).toBe('businessType');
    expect(fieldOf(raw({ type: 'letter' }))).toBe('type');
    expect(fieldOf(raw({ seq: 0 }))).toBe('seq');
    expect(fieldOf(raw({ seq: null }))).toBe('seq');
    expect(fieldOf(raw({}, { principal: '12.345' }))).toBe('body.principal');
    expect(fieldOf(raw({}, { paidUpToMonth: '2025-13' }))).toBe('body.paidUpToMonth');
    expect(fieldOf(raw({}, { fraudFound: 'no' }))).toBe('body.fraudFound');
    // Funds carry no sequence, and a positive amount.
    const funds = {
      type: 'funds',
      seq: null,
      body: { amount: '0.00', serial: 'S1', valueDate: '2025-03-03' },
    };
    expect(fieldOf(JSON.stringify({ ...wire, ...funds }))).toBe('body.amount');
    expect(fieldOf(JSON.stringify({ ...wire, ...funds, seq: 3 }))).toBe('seq');
  });
});
