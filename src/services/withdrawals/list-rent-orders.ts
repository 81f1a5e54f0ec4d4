// The standing monthly rent orders of one account (按月提取, rules.md §5.1), newest first, each with what
// the close did last: the last month paid and the last run that paid nothing (and why). One statement for
// the whole list; the depositor sees only their own account, a district viewer only their district.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';

export interface RentOrderJson extends Record<string, unknown> {
  rentOrderId: string;
  accountId: string;
  status: 'active' | 'ended';
  monthlyAmount: string;
  payDay: number;
  /** The next month the close pays; null once the order ended. */
  nextDueDate: string | null;
  publicRental: boolean;
  landlordName: string;
  leaseAddress: string;
  leaseStart: string;
  leaseEnd: string;
  monthlyRent: string;
  contractNo: string;
  createdBy: string;
  createdOn: string;
  endedOn: string | null;
  /** lease_ended (the close) or cancelled (cancel-rent-order.ts). */
  endedReason: string | null;
  paidMonths: number;
  paidTotal: string;
  lastPaid: { dueDate: string; businessDate: string; amount: string; withdrawalId: string } | null;
  /** The latest run when it paid nothing: cap_reached, no_balance, account_not_open or lease_ended. */
  lastUnpaid: { dueDate: string; outcome: string } | null;
}

export async function listRentOrders(
  db: DbOrTx,
  actor: Actor,
  accountIdText: string | bigint,
): Promise<{ accountId: string; items: RentOrderJson[] }> {
  const accountId = BigInt(accountIdText);
  await assertAccountVisible(db, actor, accountId);
  const rows = await sql<{
    id: bigint;
    status: 'active' | 'ended';
    monthly_amount_fen: bigint;
    pay_day: number;
    next_due_date: string;
    public_rental: boolean;
    landlord_name: string;
    lease_address: string;
    lease_start: string;
    lease_end: string;
    monthly_rent_fen: bigint;
    contract_no: string;
    created_by: string;
    created_on: string;
    ended_on: string | null;
    ended_reason: string | null;
    paid_months: number;
    paid_fen: bigint;
    last_paid_due: string | null;
    last_paid_on: string | null;
    last_paid_fen: bigint | null;
    last_paid_withdrawal: bigint | null;
    latest_due: string | null;
    latest_outcome: string | null;
  }>`
    SELECT o.id, o.status, o.monthly_amount_fen, o.pay_day, o.next_due_date, o.public_rental, o.landlord_name,
      o.lease_address, o.lease_start, o.lease_end, o.monthly_rent_fen, o.contract_no, o.created_by, o.created_on,
      o.ended_on, o.ended_reason,
      COALESCE(paid.months, 0)::int AS paid_months, COALESCE(paid.total, 0)::bigint AS paid_fen,
      last_paid.due_date AS last_paid_due, last_paid.business_date AS last_paid_on,
      last_paid.amount_fen AS last_paid_fen, last_paid.withdrawal_id AS last_paid_withdrawal,
      latest.due_date AS latest_due, latest.outcome AS latest_outcome
    FROM rent_orders o
    LEFT JOIN LATERAL (
      SELECT count(*) AS months, SUM(r.amount_fen) AS total FROM rent_order_runs r
      WHERE r.rent_order_id = o.id AND r.outcome = 'paid'
    ) paid ON true
    LEFT JOIN LATERAL (
      SELECT r.due_date, r.business_date, r.amount_fen, r.withdrawal_id FROM rent_order_runs r
      WHERE r.rent_order_id = o.id AND r.outcome = 'paid' ORDER BY r.due_date DESC LIMIT 1
    ) last_paid ON true
    LEFT JOIN LATERAL (
      SELECT r.due_date, r.outcome FROM rent_order_runs r
      WHERE r.rent_order_id = o.id ORDER BY r.due_date DESC LIMIT 1
    ) latest ON true
    WHERE o.account_id = ${accountId}
    ORDER BY o.id DESC`.execute(db);
  return {
    accountId: String(accountId),
    items: rows.rows.map((r) => ({
      rentOrderId: String(r.id),
      accountId: String(accountId),
      status: r.status,
      monthlyAmount: fenToYuanString(r.monthly_amount_fen),
      payDay: r.pay_day,
      nextDueDate: r.status === 'active' ? r.next_due_date : null,
      publicRental: r.public_rental,
      landlordName: r.landlord_name,
      leaseAddress: r.lease_address,
      leaseStart: r.lease_start,
      leaseEnd: r.lease_end,
      monthlyRent: fenToYuanString(r.monthly_rent_fen),
      contractNo: r.contract_no,
      createdBy: r.created_by,
      createdOn: r.created_on,
      endedOn: r.ended_on,
      endedReason: r.ended_reason,
      paidMonths: r.paid_months,
      paidTotal: fenToYuanString(r.paid_fen),
      lastPaid:
        r.last_paid_due && r.last_paid_on && r.last_paid_fen !== null && r.last_paid_withdrawal !== null
          ? {
              dueDate: r.last_paid_due,
              businessDate: r.last_paid_on,
              amount: fenToYuanString(r.last_paid_fen),
              withdrawalId: String(r.last_paid_withdrawal),
            }
          : null,
      lastUnpaid:
        r.latest_due && r.latest_outcome && r.latest_outcome !== 'paid'
          ? { dueDate: r.latest_due, outcome: r.latest_outcome }
          : null,
    })),
  };
}
