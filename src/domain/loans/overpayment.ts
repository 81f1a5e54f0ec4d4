// Loan money received beyond what a loan owed (rules.md §6.5; ours): held on 21909 until refunded to the
// borrower. Per repayment: what is refundable now, its refund status, and how a refund is spread over the
// repayments holding money (oldest first).
import type { Fen } from '../money.ts';

/**
 * none: nothing over-paid · held: over-paid, nothing refunded or in flight · refunding: a refund is with the
 * bank · partly_refunded: some refunded, the rest still held · refunded: all of it paid back.
 */
export type OverpaymentRefundStatus = 'none' | 'held' | 'refunding' | 'partly_refunded' | 'refunded';

export interface Overpayment {
  /** Received beyond what was owed (loan_repayments.unapplied_fen). */
  unappliedFen: Fen;
  /** Paid back: refunds the bank confirmed. */
  refundedFen: Fen;
  /** In flight: refunds written and not yet answered for good by the bank. */
  refundingFen: Fen;
}

/** What can still be refunded: neither paid back nor in flight (a refused or returned refund counts again). */
export function refundableFen(o: Overpayment): Fen {
  return o.unappliedFen - o.refundedFen - o.refundingFen;
}

export function overpaymentRefundStatus(o: Overpayment): OverpaymentRefundStatus {
  if (o.unappliedFen === 0n) return 'none';
  if (o.refundingFen > 0n) return 'refunding';
  if (o.refundedFen === o.unappliedFen) return 'refunded';
  return o.refundedFen > 0n ? 'partly_refunded' : 'held';
}

/**
 * Spreads a refund over the repayments holding money, oldest first, each taking at most its refundable
 * part. The caller has checked that the amount is above zero and at most Σ refundable.
 */
export function allocateRefund<T extends { refundableFen: Fen }>(
  amountFen: Fen,
  held: readonly T[],
): Array<{ item: T; amountFen: Fen }> {
  let left = amountFen;
  const lines: Array<{ item: T; amountFen: Fen }> = [];
  for (const item of held) {
    if (left === 0n) break;
    if (item.refundableFen <= 0n) continue;
    const take = item.refundableFen < left ? item.refundableFen : left;
    lines.push({ item, amountFen: take });
    left -= take;
  }
  return lines;
}
