-- Deposit-linked housing loans (rules.md §6): the application and its workflow (apply → review → approve →
-- contract → mortgage → disbursement), the disbursement to the seller through the bank (an outbox row sent
-- after commit, request number = the row's number, never twice) and the fixed schedule of installments.
-- Loan rates (§6.3, seeded by 0001) and the manager-approval threshold are dated parameters.

CREATE TABLE loans (
  id bigserial PRIMARY KEY,
  loan_number text GENERATED ALWAYS AS ('LN' || lpad(id::text, 12, '0')) STORED UNIQUE,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  -- The spouse co-applicant (co-borrower): a depositor here (ids set) or not (name and masked ID only).
  spouse_depositor_id bigint REFERENCES depositors (id),
  spouse_account_id bigint REFERENCES accounts (id),
  spouse_name text,
  spouse_id_masked text,
  channel text NOT NULL CHECK (channel IN ('counter', 'portal')),
  -- The house (the mortgage collateral once registered).
  house_address text NOT NULL,
  house_area_sqm numeric(10, 2) NOT NULL CHECK (house_area_sqm > 0),
  house_price_fen bigint NOT NULL CHECK (house_price_fen > 0),
  home text NOT NULL CHECK (home IN ('first', 'second')),
  house_in_city boolean NOT NULL,
  children integer NOT NULL DEFAULT 0 CHECK (children >= 0),
  seller_name text NOT NULL,
  seller_bank_name text NOT NULL,
  seller_bank_account text NOT NULL,
  -- Income evidence entered by staff (rules.md §6.2 B).
  monthly_income_fen bigint NOT NULL CHECK (monthly_income_fen >= 0),
  monthly_debts_fen bigint NOT NULL CHECK (monthly_debts_fen >= 0),
  income_evidence text NOT NULL,
  requested_fen bigint NOT NULL CHECK (requested_fen > 0),
  term_months integer NOT NULL CHECK (term_months BETWEEN 1 AND 360),
  method text NOT NULL CHECK (method IN ('equal-installment', 'equal-principal')),
  credit_report jsonb NOT NULL,
  quota_fen bigint NOT NULL,
  quota jsonb NOT NULL,
  annual_rate_pct numeric(8, 4) NOT NULL,
  rate_from date NOT NULL,
  -- applied → reviewed → approved (→ awaiting_manager → approved above the threshold) → contracted →
  -- mortgaged → disbursed → settled; rejected at any step before disbursement.
  status text NOT NULL CHECK (status IN ('applied', 'reviewed', 'awaiting_manager', 'approved', 'contracted',
                                         'mortgaged', 'disbursed', 'settled', 'rejected')),
  applied_on date NOT NULL,
  applied_by text NOT NULL,
  reviewed_by text,
  reviewed_on date,
  approved_by text,
  approved_on date,
  needs_manager boolean NOT NULL DEFAULT false,
  manager_approved_by text,
  manager_approved_on date,
  rejected_by text,
  rejected_step text,
  rejection_reason text,
  contract_no text UNIQUE,
  contract_date date,
  contract_sha256 text,
  mortgage_certificate_no text UNIQUE,
  mortgage_address text,
  mortgage_area_sqm numeric(10, 2),
  mortgage_price_fen bigint,
  mortgage_recorded_on date,
  disbursed_on date,
  settled_on date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loans_depositor ON loans (depositor_id);
CREATE INDEX loans_spouse ON loans (spouse_depositor_id) WHERE spouse_depositor_id IS NOT NULL;

-- The disbursement to the seller: written with Dr 121 / Cr 21903 in the loan's transaction, sent after
-- commit (pending → sent under the row lock); confirmed → Dr 21903 / Cr 101; refused by the bank →
-- Dr 21903 / Cr 121 and the loan back to 'mortgaged'. At most one live (not rejected) per loan.
CREATE TABLE loan_disbursements (
  id bigserial PRIMARY KEY,
  request_no text GENERATED ALWAYS AS ('LD' || lpad(id::text, 14, '0')) STORED UNIQUE,
  loan_id bigint NOT NULL REFERENCES loans (id),
  book text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  payee_name text NOT NULL,
  bank_name text NOT NULL,
  bank_account text NOT NULL,
  value_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'accepted', 'confirmed', 'rejected')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  entry_id bigint NOT NULL REFERENCES journal_entries (id),
  bank_serial text,
  confirmed_on date,
  confirm_entry_id bigint REFERENCES journal_entries (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX loan_disbursements_live ON loan_disbursements (loan_id) WHERE status <> 'rejected';

-- The schedule fixed at disbursement (rules.md §6.4): every period with its due date and amounts.
CREATE TABLE loan_installments (
  loan_id bigint NOT NULL REFERENCES loans (id),
  period integer NOT NULL CHECK (period >= 1),
  due_date date NOT NULL,
  principal_fen bigint NOT NULL CHECK (principal_fen >= 0),
  interest_fen bigint NOT NULL CHECK (interest_fen >= 0),
  payment_fen bigint NOT NULL,
  balance_fen bigint NOT NULL CHECK (balance_fen >= 0),
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'paid', 'overdue')),
  PRIMARY KEY (loan_id, period)
);

-- The loan rates (rules.md §6.3) are the dated parameters loan.rate.* seeded by 0001.
INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('loan.manager_approval_threshold_fen', '50000000', '2023-09-13', 'approved', 'a manager also approves above 500,000.00 (ours)', 'system', 'system', now());
