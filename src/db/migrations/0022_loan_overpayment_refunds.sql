-- Refunding loan over-payments (rules.md §6.5, ours): money a loan received beyond what it owed (a bank
-- debit result that arrives after the installment was paid at the counter) is held on 21909 贷款多收待退款项
-- (migration 0017, loan_repayments.unapplied_fen) until finance staff refund it to the borrower's bank card.
-- The refund goes through the payout outbox (migration 0013) like a withdrawal: Dr 21909 / Cr 21903 with
-- its payout row when it is created, Dr 21903 / Cr 101 when the bank confirms it; a refusal or a return
-- (退票) puts the money back on 21909 and the over-payment is refundable again. Accounting and states:
-- src/services/loans/refund-loan-overpayment.ts and src/services/payouts/settle-payout.ts.

-- One row per refund. posted: Dr 21909 / Cr 21903 written with its payout (in flight) · paid: the bank
-- confirmed the payout · rejected: the bank refused it · returned: paid, then sent back (退票). Rejected
-- and returned refunds no longer count: their money is on 21909 again.
CREATE TABLE loan_overpayment_refunds (
  id bigserial PRIMARY KEY,
  loan_id bigint NOT NULL REFERENCES loans (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL CHECK (status IN ('posted', 'paid', 'rejected', 'returned')),
  business_date date NOT NULL,
  journal_entry_id bigint NOT NULL REFERENCES journal_entries (id),
  returned_on date,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status IN ('rejected', 'returned')) = (returned_on IS NOT NULL))
);
CREATE INDEX loan_overpayment_refunds_loan ON loan_overpayment_refunds (loan_id, id);

-- Which repayments' over-payment a refund pays back, and how much of each (oldest first). Per repayment,
-- Σ lines of refunds posted or paid ≤ unapplied_fen (checked under the loan's row lock).
CREATE TABLE loan_overpayment_refund_lines (
  refund_id bigint NOT NULL REFERENCES loan_overpayment_refunds (id),
  repayment_id bigint NOT NULL REFERENCES loan_repayments (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (refund_id, repayment_id)
);
CREATE INDEX loan_overpayment_refund_lines_repayment ON loan_overpayment_refund_lines (repayment_id);

-- A payout now pays a withdrawal or a loan over-payment refund: exactly one of them. Existing rows (and
-- every withdrawal, which does not name a purpose) are withdrawals.
ALTER TABLE payouts
  ALTER COLUMN withdrawal_id DROP NOT NULL,
  ADD COLUMN purpose text NOT NULL DEFAULT 'withdrawal' CHECK (purpose IN ('withdrawal', 'loan_refund')),
  ADD COLUMN loan_refund_id bigint UNIQUE REFERENCES loan_overpayment_refunds (id),
  ADD CONSTRAINT payouts_one_purpose CHECK (
    (purpose = 'withdrawal' AND withdrawal_id IS NOT NULL AND loan_refund_id IS NULL)
    OR (purpose = 'loan_refund' AND loan_refund_id IS NOT NULL AND withdrawal_id IS NULL)
  );
