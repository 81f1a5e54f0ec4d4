import { describe, expect, it } from 'vitest';
import { allocateRefund, overpaymentRefundStatus, refundableFen } from './overpayment.ts';

describe('loan over-payments held for refund', () => {
  it('counts refunds paid and in flight against what was over-paid', () => {
    const o = { unappliedFen: 10000n, refundedFen: 3000n, refundingFen: 2000n };
    expect(refundableFen(o)).toBe(5000n);
    expect(overpaymentRefundStatus(o)).toBe('refunding');
  });

  it('names each standing', () => {
    const status = (unappliedFen: bigint, refundedFen: bigint, refundingFen = 0n) =>
      overpaymentRefundStatus({ unappliedFen, refundedFen, refundingFen });
    expect(status(0n, 0n)).toBe('none');
    expect(status(500n, 0n)).toBe('held');
    expect(status(500n, 0n, 500n)).toBe('refunding');
    expect(status(500n, 200n)).toBe('partly_refunded');
    expect(status(500n, 500n)).toBe('refunded');
  });

  it('spreads a refund oldest first, skipping repayments with nothing refundable', () => {
    const held = [
      { id: 1, refundableFen: 0n },
      { id: 2, refundableFen: 700n },
      { id: 3, refundableFen: 500n },
    ];
    expect(allocateRefund(900n, held).map((l) => [l.item.id, l.amountFen])).toEqual([
      [2, 700n],
      [3, 200n],
    ]);
    expect(allocateRefund(700n, held).map((l) => [l.item.id, l.amountFen])).toEqual([[2, 700n]]);
  });
});
