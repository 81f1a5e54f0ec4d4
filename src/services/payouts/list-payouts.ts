// The payouts for finance staff, newest first: withdrawals, loan over-payment refunds and suspense
// refunds to a payer (purpose, migrations 0022 and 0025), where each stands with the bank (pending, sent, accepted, confirmed, rejected, returned
// 退票), its serials and dates, filtered by status, kind (a withdrawal kind, loan_refund or
// suspense_refund), account number
// and value date, one page at a time. One statement: the page and the filtered total.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import type { PayoutPurpose, PayoutStatus } from '../../db/schema.ts';
import { maskBankCard } from '../../domain/agreement.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = [
  'pending',
  'sent',
  'accepted',
  'confirmed',
  'rejected',
  'returned',
];
export const PAYOUT_WITHDRAWAL_KINDS = ['rent', 'free', 'closure'] as const;
/** What a payout pays: a withdrawal of one of its kinds, a loan over-payment refund, a suspense refund. */
export const PAYOUT_KINDS = [...PAYOUT_WITHDRAWAL_KINDS, 'loan_refund', 'suspense_refund'] as const;

/** The states a bank return (退票) can be recorded in (settle-payout.ts putPayoutBackInTx). */
export const RETURNABLE_PAYOUT_STATUSES: readonly PayoutStatus[] = ['sent', 'accepted', 'confirmed'];

export interface ListPayoutsInput {
  db: DbOrTx;
  actor: Actor;
  status?: PayoutStatus;
  kind?: (typeof PAYOUT_KINDS)[number];
  accountNumber?: string;
  /** Value dates from and to (inclusive), YYYY-MM-DD. */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export interface PayoutJson extends Record<string, unknown> {
  payoutId: string;
  requestNo: string;
  purpose: PayoutPurpose;
  /** The withdrawal paid (purpose withdrawal), else null. */
  withdrawalId: string | null;
  /** A loan refund's loan and refund (purpose loan_refund), else null. */
  loanId: string | null;
  loanNumber: string | null;
  loanRefundId: string | null;
  /** The withdrawal's kind, loan_refund or suspense_refund. */
  kind: string;
  /** How the withdrawal was asked for; null for a refund. */
  channel: string | null;
  /** A suspense refund's item and the bank serial of the money it sends back, else null. */
  suspenseItemId: string | null;
  suspenseSerial: string | null;
  /** The member paid; null for a suspense refund (the payer, named by the bank line, is no member). */
  accountId: string | null;
  accountNumber: string | null;
  depositorId: string | null;
  name: string;
  amount: string;
  bankName: string;
  bankCard: string;
  valueDate: string;
  status: PayoutStatus;
  returnable: boolean;
  attempts: number;
  lastError: string | null;
  bankSerial: string | null;
  confirmedOn: string | null;
  returnSerial: string | null;
  returnReason: string | null;
  returnedOn: string | null;
}

export async function listPayouts(
  input: ListPayoutsInput,
): Promise<{ items: PayoutJson[]; total: number; hasMore: boolean }> {
  const { db, actor } = input;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  if (input.status !== undefined && !PAYOUT_STATUSES.includes(input.status)) {
    throw new AppError('VALIDATION_FAILED', { field: 'status' });
  }
  if (input.kind !== undefined && !PAYOUT_KINDS.includes(input.kind)) {
    throw new AppError('VALIDATION_FAILED', { field: 'kind' });
  }
  if (input.from && input.to && input.from > input.to) throw new AppError('INVALID_DATE', { field: 'to' });
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const offset = Math.max(input.offset ?? 0, 0);
  const scope = districtScopeOf(actor);
  const accountNumber = input.accountNumber?.trim();
  const filters = sql`true
    ${input.status ? sql`AND p.status = ${input.status}` : sql``}
    ${
      input.kind === 'loan_refund' || input.kind === 'suspense_refund'
        ? sql`AND p.purpose = ${input.kind}`
        : input.kind
          ? sql`AND w.kind = ${input.kind}`
          : sql``
    }
    ${accountNumber ? sql`AND a.account_number = ${accountNumber}` : sql``}
    ${input.from ? sql`AND p.value_date >= ${input.from}::date` : sql``}
    ${input.to ? sql`AND p.value_date <= ${input.to}::date` : sql``}
    ${scope === null ? sql`` : sql`AND a.district_code = ${scope}`}`;
  const rows = await sql<{
    id: bigint;
    request_no: string;
    purpose: PayoutPurpose;
    withdrawal_id: bigint | null;
    loan_id: bigint | null;
    loan_number: string | null;
    loan_refund_id: bigint | null;
    kind: string;
    channel: string | null;
    suspense_item_id: bigint | null;
    suspense_serial: string | null;
    account_id: bigint | null;
    account_number: string | null;
    depositor_id: bigint | null;
    name: string;
    amount_fen: bigint;
    bank_name: string;
    bank_card: string;
    value_date: string;
    status: PayoutStatus;
    attempts: number;
    last_error: string | null;
    bank_serial: string | null;
    confirmed_on: string | null;
    return_serial: string | null;
    return_reason: string | null;
    returned_on: string | null;
    total: number;
  }>`
    SELECT p.id, p.request_no, p.purpose, p.withdrawal_id, l.id AS loan_id, l.loan_number, p.loan_refund_id,
      COALESCE(w.kind, p.purpose) AS kind, w.channel, p.suspense_item_id, sl.bank_serial AS suspense_serial,
      p.account_id, a.account_number, COALESCE(w.depositor_id, l.depositor_id) AS depositor_id,
      COALESCE(d.name, sl.counterparty, '') AS name, p.amount_fen, p.bank_name, p.bank_card, p.value_date, p.status, p.attempts, p.last_error,
      p.bank_serial, p.confirmed_on, p.return_serial, p.return_reason, p.returned_on,
      (count(*) OVER ())::int AS total
    FROM payouts p
    LEFT JOIN withdrawals w ON w.id = p.withdrawal_id
    LEFT JOIN loan_overpayment_refunds f ON f.id = p.loan_refund_id
    LEFT JOIN loans l ON l.id = f.loan_id
    LEFT JOIN suspense_items si ON si.id = p.suspense_item_id
    LEFT JOIN bank_statement_lines sl ON sl.id = si.statement_line_id
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN depositors d ON d.id = COALESCE(w.depositor_id, l.depositor_id)
    WHERE ${filters}
    ORDER BY p.id DESC
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  // A page past the end has no row to carry the total: count alone then.
  const total =
    rows.rows[0]?.total ??
    (offset === 0
      ? 0
      : Number(
          (
            await sql<{ n: number }>`
              SELECT count(*)::int AS n FROM payouts p
              LEFT JOIN withdrawals w ON w.id = p.withdrawal_id
              LEFT JOIN accounts a ON a.id = p.account_id
              WHERE ${filters}`.execute(db)
          ).rows[0]?.n ?? 0,
        ));
  return {
    items: rows.rows.map((r) => ({
      payoutId: String(r.id),
      requestNo: r.request_no,
      purpose: r.purpose,
      withdrawalId: r.withdrawal_id === null ? null : String(r.withdrawal_id),
      loanId: r.loan_id === null ? null : String(r.loan_id),
      loanNumber: r.loan_number,
      loanRefundId: r.loan_refund_id === null ? null : String(r.loan_refund_id),
      kind: r.kind,
      channel: r.channel,
      suspenseItemId: r.suspense_item_id === null ? null : String(r.suspense_item_id),
      suspenseSerial: r.suspense_serial,
      accountId: r.account_id === null ? null : String(r.account_id),
      accountNumber: r.account_number,
      depositorId: r.depositor_id === null ? null : String(r.depositor_id),
      name: r.name,
      amount: fenToYuanString(r.amount_fen),
      bankName: r.bank_name,
      bankCard: maskBankCard(r.bank_card),
      valueDate: r.value_date,
      status: r.status,
      returnable: RETURNABLE_PAYOUT_STATUSES.includes(r.status),
      attempts: r.attempts,
      lastError: r.last_error,
      bankSerial: r.bank_serial,
      confirmedOn: r.confirmed_on,
      returnSerial: r.return_serial,
      returnReason: r.return_reason,
      returnedOn: r.returned_on,
    })),
    total,
    hasMore: offset + rows.rows.length < total,
  };
}
