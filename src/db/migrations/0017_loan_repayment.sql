-- Repayment in the business-day close (rules.md §6.5): monthly balance offset (冲还贷), the collection of
-- each installment on its due date (HPF balance first when the offset is signed, the rest by bank debit),
-- overdue (121 → 122, interest receivable, daily penalty interest, days past due, five-level class, the
-- collateral-enforcement and defaulter marks) and repayments applied penalty → overdue interest → overdue
-- principal (oldest first) → the current installment. Accounting: docs in
-- src/services/loans/repayment-store.ts.

-- The loan's repayment state. balance_offset: the borrower signed monthly offset from the FLEX balance.
-- penalty_*: penalty interest accrued and paid (loan level: the rule's base is the loan's whole overdue
-- principal + interest); penalty_through: the last day whose penalty is accrued. days_past_due and
-- risk_class as of the business date the last close opened (or the last repayment's date).
ALTER TABLE loans
  ADD COLUMN balance_offset boolean NOT NULL DEFAULT false,
  ADD COLUMN balance_offset_changed_on date,
  ADD COLUMN penalty_accrued_fen bigint NOT NULL DEFAULT 0 CHECK (penalty_accrued_fen >= 0),
  ADD COLUMN penalty_paid_fen bigint NOT NULL DEFAULT 0 CHECK (penalty_paid_fen >= 0),
  ADD COLUMN penalty_through date,
  ADD COLUMN days_past_due integer NOT NULL DEFAULT 0 CHECK (days_past_due >= 0),
  ADD COLUMN risk_class text NOT NULL DEFAULT '01' CHECK (risk_class IN ('01', '02', '03', '04', '05')),
  ADD COLUMN missed_installments integer NOT NULL DEFAULT 0,
  ADD COLUMN max_consecutive_missed integer NOT NULL DEFAULT 0,
  ADD COLUMN enforcement_flagged_on date,
  ADD CONSTRAINT loans_penalty_paid_le_accrued CHECK (penalty_paid_fen <= penalty_accrued_fen);

-- Per installment: what was paid of it, when it became overdue (its unpaid principal then moved to 122 and
-- its unpaid interest became receivable, 111) and when it was paid in full.
ALTER TABLE loan_installments
  ADD COLUMN principal_paid_fen bigint NOT NULL DEFAULT 0 CHECK (principal_paid_fen >= 0),
  ADD COLUMN interest_paid_fen bigint NOT NULL DEFAULT 0 CHECK (interest_paid_fen >= 0),
  ADD COLUMN overdue_on date,
  ADD COLUMN paid_on date,
  ADD CONSTRAINT loan_installments_paid_le_due
    CHECK (principal_paid_fen <= principal_fen AND interest_paid_fen <= interest_fen);
CREATE INDEX loan_installments_due_scheduled ON loan_installments (due_date) WHERE status = 'scheduled';
CREATE INDEX loan_installments_overdue ON loan_installments (loan_id) WHERE status = 'overdue';

-- A due date's collection of one loan (one row per loan and due date: the close's idempotency guard):
-- what was owed, taken from the HPF balance, and asked of the bank.
CREATE TABLE loan_collections (
  loan_id bigint NOT NULL REFERENCES loans (id),
  due_date date NOT NULL,
  owed_fen bigint NOT NULL CHECK (owed_fen >= 0),
  offset_fen bigint NOT NULL CHECK (offset_fen >= 0),
  debit_fen bigint NOT NULL CHECK (debit_fen >= 0),
  outcome text NOT NULL CHECK (outcome IN ('offset', 'debit', 'offset+debit', 'no_card')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (loan_id, due_date)
);

-- Bank debits for loan repayments (代扣还款), sent like periodic deposit debits (same gateway call, same
-- debit_result notification); the "LR" prefix routes the result to the loan handler.
CREATE TABLE loan_debit_requests (
  id bigserial PRIMARY KEY,
  request_no text GENERATED ALWAYS AS ('LR' || lpad(id::text, 14, '0')) STORED UNIQUE,
  loan_id bigint NOT NULL REFERENCES loans (id),
  account_number text NOT NULL,
  bank_card text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  requested_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'succeeded', 'failed')),
  failure_code text,
  bank_serial text,
  repayment_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  UNIQUE (loan_id, requested_on)
);
CREATE INDEX loan_debit_requests_open ON loan_debit_requests (requested_on) WHERE status IN ('pending', 'sent');

-- Every repayment, whatever its channel: offset (business type 05), bank debit or counter (02, or 04 when
-- it pays anything overdue). source_key makes it idempotent: 'offset:<due date>', 'debit:<request no>',
-- 'counter:<client key>'. unapplied_fen: money received beyond what was owed (a late debit result after
-- the installment was paid otherwise), held in 21909 for refund.
CREATE TABLE loan_repayments (
  id bigserial PRIMARY KEY,
  loan_id bigint NOT NULL REFERENCES loans (id),
  channel text NOT NULL CHECK (channel IN ('offset', 'debit', 'counter')),
  business_type text NOT NULL CHECK (business_type IN ('02', '04', '05')),
  source_key text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  penalty_fen bigint NOT NULL DEFAULT 0,
  overdue_interest_fen bigint NOT NULL DEFAULT 0,
  overdue_principal_fen bigint NOT NULL DEFAULT 0,
  interest_fen bigint NOT NULL DEFAULT 0,
  principal_fen bigint NOT NULL DEFAULT 0,
  unapplied_fen bigint NOT NULL DEFAULT 0,
  business_date date NOT NULL,
  entry_id bigint NOT NULL REFERENCES journal_entries (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (loan_id, source_key),
  CHECK (amount_fen = penalty_fen + overdue_interest_fen + overdue_principal_fen + interest_fen + principal_fen
    + unapplied_fen)
);
CREATE INDEX loan_repayments_loan ON loan_repayments (loan_id, id);
ALTER TABLE loan_debit_requests ADD FOREIGN KEY (repayment_id) REFERENCES loan_repayments (id);

-- How each repayment was applied (the waterfall), line by line: penalty (loan level, period NULL), then
-- interest and principal of each installment.
CREATE TABLE loan_repayment_lines (
  repayment_id bigint NOT NULL REFERENCES loan_repayments (id),
  loan_id bigint NOT NULL,
  seq integer NOT NULL,
  component text NOT NULL CHECK (component IN ('penalty', 'interest', 'principal')),
  period integer,
  overdue boolean NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (repayment_id, seq)
);
CREATE INDEX loan_repayment_lines_loan ON loan_repayment_lines (loan_id, period);

-- Penalty interest, one row per loan and day (rules.md §6.5): base = overdue principal + overdue interest
-- unpaid at the start of the day; penalty = round_half_up(base × annual rate / 360 × 1.5) fen.
CREATE TABLE loan_penalty_accruals (
  loan_id bigint NOT NULL REFERENCES loans (id),
  accrual_date date NOT NULL,
  base_fen bigint NOT NULL CHECK (base_fen > 0),
  annual_rate_pct numeric(8, 4) NOT NULL,
  penalty_fen bigint NOT NULL CHECK (penalty_fen >= 0),
  business_date date NOT NULL,
  PRIMARY KEY (loan_id, accrual_date)
);

-- The defaulter list (失信名单): a borrower marked when a loan reaches 3 consecutive or 6 cumulative missed
-- installments (rules.md §6.5); the loan is marked for collateral enforcement the same day.
CREATE TABLE loan_defaulters (
  id bigserial PRIMARY KEY,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  loan_id bigint NOT NULL UNIQUE REFERENCES loans (id),
  listed_on date NOT NULL,
  missed_installments integer NOT NULL,
  max_consecutive_missed integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loan_defaulters_depositor ON loan_defaulters (depositor_id);

-- 21909: money received for a loan beyond what it owed, held for refund (ours; a local sub-account of 219).
INSERT INTO ledger_accounts (book, code, name_zh, name_en, normal_side, parent_code)
SELECT b.code, '21909', '贷款多收待退款项', 'Loan overpayments to refund', 'credit', '219' FROM books b;
INSERT INTO ledger_balance_deltas (book, code, stripe)
SELECT b.code, '21909', s.stripe FROM books b CROSS JOIN generate_series(0, 15) AS s (stripe);
