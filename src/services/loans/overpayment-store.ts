// Reading a loan's over-payments held on 21909 and their refunds (migration 0022): per repayment with money
// received beyond what was owed, what of it is refunded, in flight and refundable; and each refund with its
// payout. Used by the refund (under the loan's row lock) and by the repayment view.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import type { LoanRefundStatus, PayoutStatus } from '../../db/schema.ts';
import {
  overpaymentRefundStatus,
  refundableFen,
  type OverpaymentRefundStatus,
} from '../../domain/loans/overpayment.ts';
import type { Fen } from '../../domain/money.ts';

export interface RepaymentOverpayment {
  repaymentId: bigint;
  unappliedFen: Fen;
  refundedFen: Fen;
  refundingFen: Fen;
  refundableFen: Fen;
  refundStatus: OverpaymentRefundStatus;
}

/** The loan's repayments that received more than was owed, oldest first. */
export async function overpaymentsOf(db: DbOrTx, loanId: bigint): Promise<RepaymentOverpayment[]> {
  const rows = await sql<{ id: bigint; unapplied_fen: bigint; refunded: bigint; refunding: bigint }>`
    SELECT r.id, r.unapplied_fen,
      COALESCE(SUM(x.amount_fen) FILTER (WHERE f.status = 'paid'), 0)::bigint AS refunded,
      COALESCE(SUM(x.amount_fen) FILTER (WHERE f.status = 'posted'), 0)::bigint AS refunding
    FROM loan_repayments r
      LEFT JOIN loan_overpayment_refund_lines x ON x.repayment_id = r.id
      LEFT JOIN loan_overpayment_refunds f ON f.id = x.refund_id
    WHERE r.loan_id = ${loanId} AND r.unapplied_fen > 0
    GROUP BY r.id, r.unapplied_fen
    ORDER BY r.id`.execute(db);
  return rows.rows.map((r) => {
    const o = {
      unappliedFen: BigInt(r.unapplied_fen),
      refundedFen: BigInt(r.refunded),
      refundingFen: BigInt(r.refunding),
    };
    return {
      repaymentId: BigInt(r.id),
      ...o,
      refundableFen: refundableFen(o),
      refundStatus: overpaymentRefundStatus(o),
    };
  });
}

export interface LoanRefundRecord {
  refundId: bigint;
  amountFen: Fen;
  status: LoanRefundStatus;
  businessDate: string;
  returnedOn: string | null;
  createdBy: string;
  payoutId: bigint;
  requestNo: string;
  payoutStatus: PayoutStatus;
  bankName: string;
  bankCard: string;
  bankSerial: string | null;
  returnReason: string | null;
  repaymentIds: bigint[];
}

/** The loan's refunds, oldest first, each with its payout and the repayments it pays back. */
export async function refundsOf(db: DbOrTx, loanId: bigint): Promise<LoanRefundRecord[]> {
  const rows = await sql<{
    id: bigint;
    amount_fen: bigint;
    status: LoanRefundStatus;
    business_date: string;
    returned_on: string | null;
    created_by: string;
    payout_id: bigint;
    request_no: string;
    payout_status: PayoutStatus;
    bank_name: string;
    bank_card: string;
    bank_serial: string | null;
    return_reason: string | null;
    repayment_ids: string[];
  }>`
    SELECT f.id, f.amount_fen, f.status, f.business_date, f.returned_on, f.created_by, p.id AS payout_id,
      p.request_no, p.status AS payout_status, p.bank_name, p.bank_card, p.bank_serial, p.return_reason,
      ARRAY(SELECT x.repayment_id::text FROM loan_overpayment_refund_lines x WHERE x.refund_id = f.id
        ORDER BY x.repayment_id) AS repayment_ids
    FROM loan_overpayment_refunds f JOIN payouts p ON p.loan_refund_id = f.id
    WHERE f.loan_id = ${loanId}
    ORDER BY f.id`.execute(db);
  return rows.rows.map((r) => ({
    refundId: BigInt(r.id),
    amountFen: BigInt(r.amount_fen),
    status: r.status,
    businessDate: r.business_date,
    returnedOn: r.returned_on,
    createdBy: r.created_by,
    payoutId: BigInt(r.payout_id),
    requestNo: r.request_no,
    payoutStatus: r.payout_status,
    bankName: r.bank_name,
    bankCard: r.bank_card,
    bankSerial: r.bank_serial,
    returnReason: r.return_reason,
    repaymentIds: r.repayment_ids.map((id) => BigInt(id)),
  }));
}
