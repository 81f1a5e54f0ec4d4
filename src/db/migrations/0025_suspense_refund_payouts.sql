-- Refunding suspense (挂账退回) through the payout outbox. Until now a refund booked Dr 21902 / Cr 101 at
-- once and nothing asked the bank to pay: the books said the money had left while it had not. Now the
-- refund is a payout like a withdrawal's, to the payer's card that staff enter: Dr 21902 / Cr 21903 when
-- it is made (the item is refunding), Dr 21903 / Cr 101 when the bank confirms it (refunded); a refusal
-- or a return (退票) puts the money back in suspense and the item is open again, to assign or refund.
-- Accounting and states: src/services/reconciliation/resolve-suspense-item.ts, src/services/payouts/.

ALTER TABLE suspense_items DROP CONSTRAINT suspense_items_status_check;
ALTER TABLE suspense_items
  ADD CONSTRAINT suspense_items_status_check CHECK (status IN ('open', 'assigned', 'refunding', 'refunded'));

-- A suspense refund pays no member account: the payer is outside the pool.
ALTER TABLE payouts
  ALTER COLUMN account_id DROP NOT NULL,
  ADD COLUMN suspense_item_id bigint REFERENCES suspense_items (id),
  DROP CONSTRAINT payouts_purpose_check,
  DROP CONSTRAINT payouts_one_purpose;
ALTER TABLE payouts
  ADD CONSTRAINT payouts_purpose_check CHECK (purpose IN ('withdrawal', 'loan_refund', 'suspense_refund')),
  ADD CONSTRAINT payouts_one_purpose CHECK (
    (purpose = 'withdrawal' AND withdrawal_id IS NOT NULL AND loan_refund_id IS NULL
      AND suspense_item_id IS NULL AND account_id IS NOT NULL)
    OR (purpose = 'loan_refund' AND loan_refund_id IS NOT NULL AND withdrawal_id IS NULL
      AND suspense_item_id IS NULL AND account_id IS NOT NULL)
    OR (purpose = 'suspense_refund' AND suspense_item_id IS NOT NULL AND withdrawal_id IS NULL
      AND loan_refund_id IS NULL AND account_id IS NULL)
  );
-- One refund of an item in flight at a time; a refused or returned one leaves room for the next.
CREATE UNIQUE INDEX payouts_one_live_suspense_refund ON payouts (suspense_item_id)
  WHERE suspense_item_id IS NOT NULL AND status NOT IN ('rejected', 'returned');
