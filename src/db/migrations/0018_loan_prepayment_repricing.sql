-- Prepayment, full settlement and repricing of disbursed loans (rules.md §6.3, §6.5). A change to the
-- schedule replaces the future installment rows in loan_installments in the same transaction; the rows it
-- replaced are kept in loan_installment_history under a loan_schedule_versions row, so every schedule a
-- borrower was ever shown can be reprinted. The prepayment limits are dated parameters.

-- One change of a loan's future schedule: version 1 is the first change (the disbursement schedule is
-- version 0 and is never a row here); the replaced rows are in loan_installment_history.
CREATE TABLE loan_schedule_versions (
  id bigserial PRIMARY KEY,
  loan_id bigint NOT NULL REFERENCES loans (id),
  version integer NOT NULL CHECK (version >= 1),
  reason text NOT NULL CHECK (reason IN ('prepayment', 'settlement', 'repricing')),
  effective_on date NOT NULL,
  -- The rate the replaced rows were computed at and the one the new rows run at.
  old_rate_pct numeric(8, 4) NOT NULL,
  new_rate_pct numeric(8, 4) NOT NULL,
  replaced_rows integer NOT NULL CHECK (replaced_rows >= 0),
  replaced_principal_fen bigint NOT NULL CHECK (replaced_principal_fen >= 0),
  new_rows integer NOT NULL CHECK (new_rows >= 0),
  new_principal_fen bigint NOT NULL CHECK (new_principal_fen >= 0),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (loan_id, version)
);

CREATE TABLE loan_installment_history (
  version_id bigint NOT NULL REFERENCES loan_schedule_versions (id),
  loan_id bigint NOT NULL REFERENCES loans (id),
  period integer NOT NULL,
  due_date date NOT NULL,
  principal_fen bigint NOT NULL,
  interest_fen bigint NOT NULL,
  payment_fen bigint NOT NULL,
  balance_fen bigint NOT NULL,
  status text NOT NULL,
  PRIMARY KEY (version_id, period)
);
CREATE INDEX loan_installment_history_loan ON loan_installment_history (loan_id, version_id);

-- A partial prepayment (提前还款, business type 03; 05+03 when taken from the HPF balance). The principal
-- repaid, plus the interest accrued on that principal since the last due date (actual days / 30 of a
-- month, the convention of rules.md §6.4's first period), which is not charged again in the next
-- installment. No fee (rules.md §6.5).
CREATE TABLE loan_prepayments (
  id bigserial PRIMARY KEY,
  loan_id bigint NOT NULL REFERENCES loans (id),
  prepaid_on date NOT NULL,
  mode text NOT NULL CHECK (mode IN ('keep-term', 'keep-installment')),
  funding text NOT NULL CHECK (funding IN ('hpf-balance', 'bank')),
  business_type text NOT NULL CHECK (business_type IN ('03', '05+03')),
  principal_fen bigint NOT NULL CHECK (principal_fen > 0),
  interest_fen bigint NOT NULL CHECK (interest_fen >= 0),
  total_fen bigint NOT NULL CHECK (total_fen = principal_fen + interest_fen),
  accrued_from date NOT NULL,
  accrued_days integer NOT NULL CHECK (accrued_days >= 0),
  remaining_before_fen bigint NOT NULL,
  remaining_after_fen bigint NOT NULL CHECK (remaining_after_fen > 0),
  months_before integer NOT NULL,
  months_after integer NOT NULL,
  installment_before_fen bigint NOT NULL,
  installment_after_fen bigint NOT NULL,
  bank_reference text,
  schedule_version_id bigint NOT NULL REFERENCES loan_schedule_versions (id),
  entry_id bigint NOT NULL REFERENCES journal_entries (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loan_prepayments_loan ON loan_prepayments (loan_id, prepaid_on);

-- The full settlement (结清, business type 06; 05+06 from the HPF balance): the remaining principal plus the
-- interest accrued on it since the last due date (actual days / 30). The loan becomes 'settled'; the
-- mortgage release (抵押注销) is noted, done by the borrower at the registry with the certificate.
CREATE TABLE loan_settlements (
  id bigserial PRIMARY KEY,
  certificate_no text GENERATED ALWAYS AS ('JQ' || lpad(id::text, 12, '0')) STORED UNIQUE,
  loan_id bigint NOT NULL UNIQUE REFERENCES loans (id),
  settled_on date NOT NULL,
  funding text NOT NULL CHECK (funding IN ('hpf-balance', 'bank')),
  business_type text NOT NULL CHECK (business_type IN ('06', '05+06')),
  principal_fen bigint NOT NULL CHECK (principal_fen > 0),
  interest_fen bigint NOT NULL CHECK (interest_fen >= 0),
  total_fen bigint NOT NULL CHECK (total_fen = principal_fen + interest_fen),
  accrued_from date NOT NULL,
  accrued_days integer NOT NULL CHECK (accrued_days >= 0),
  bank_reference text,
  mortgage_certificate_no text,
  mortgage_release_note text NOT NULL,
  -- What the certificate prints (fixed at settlement; a reprint shows the same).
  content jsonb NOT NULL,
  schedule_version_id bigint NOT NULL REFERENCES loan_schedule_versions (id),
  entry_id bigint NOT NULL REFERENCES journal_entries (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The rate a loan runs at, by date (rules.md §6.3): one row per repricing on a January 1, with the
-- installment before and after. The contract rate is the loan's own row (loans.rate_from).
CREATE TABLE loan_rate_history (
  loan_id bigint NOT NULL REFERENCES loans (id),
  effective_on date NOT NULL,
  old_rate_pct numeric(8, 4) NOT NULL,
  new_rate_pct numeric(8, 4) NOT NULL,
  old_rate_from date NOT NULL,
  new_rate_from date NOT NULL,
  remaining_principal_fen bigint NOT NULL,
  remaining_months integer NOT NULL,
  old_installment_fen bigint NOT NULL,
  new_installment_fen bigint NOT NULL,
  schedule_version_id bigint REFERENCES loan_schedule_versions (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (loan_id, effective_on)
);

INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('loan.prepayment.min_paid_installments', '12', '2023-09-13', 'approved', 'rules.md §6.5: prepayment after 12 installments (ours)', 'system', 'system', now()),
  ('loan.prepayment.min_amount_fen', '1000000', '2023-09-13', 'approved', 'rules.md §6.5: a partial prepayment of at least 10,000.00', 'system', 'system', now()),
  ('loan.prepayment.min_interval_months', '12', '2023-09-13', 'approved', 'rules.md §6.5: a partial prepayment at most once per 12 months', 'system', 'system', now());
