-- Depositing (rules.md §3, §4, §12): payments and their month allocations, covered months, periodic
-- plans and bank debits, payment orders, bank notifications, statements and suspense, interest
-- accumulators, the business-day close, the outbox, and tax certificates.

-- The value date of an entry (the day the money arrived or left); interest counts from it.
ALTER TABLE journal_entries ADD COLUMN value_date date;

-- Interest accumulators (积数, rules.md §4.1), kept current by every posting to 201:
--   balance_days_fen = Σ over the days from the current rate segment's start to the interest year's end
--                      of the end-of-day balance, assuming no further movement (fen·days);
--   interest_carry   = Σ fen·days·rate% of rate segments already closed this interest year.
-- Interest to date d = (interest_carry + (balance_days_fen − balance_fen × days(d+1 … year end)) × rate) / 100 / 360.
ALTER TABLE accounts ADD COLUMN interest_year_end date;
ALTER TABLE accounts ADD COLUMN balance_days_fen bigint NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN interest_carry numeric(40, 6) NOT NULL DEFAULT 0;

-- Every payment credited to a member account.
CREATE TABLE deposits (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  value_date date NOT NULL,
  business_date date NOT NULL,
  channel text NOT NULL CHECK (channel IN ('debit', 'counter', 'portal', 'bank_transfer', 'suspense', 'transfer_in', 'conversion')),
  business_type char(2) NOT NULL DEFAULT '01',
  -- The bank's serial number: one bank payment is credited at most once.
  bank_serial text UNIQUE,
  deposit_period_id bigint,
  payment_order_id bigint,
  journal_entry_id bigint NOT NULL REFERENCES journal_entries (id),
  hpf_year integer NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposits_account ON deposits (account_id, value_date);
CREATE INDEX deposits_account_year ON deposits (account_id, hpf_year);

-- Months a payment covers (monthly: its month; quarterly: three; annual: twelve; flexible: the month paid).
CREATE TABLE deposit_allocations (
  deposit_id bigint NOT NULL REFERENCES deposits (id),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (deposit_id, month)
);

-- Covered months per account (rules.md §3.3), kept as payments are allocated so eligibility is one lookup.
CREATE TABLE account_months (
  account_id bigint NOT NULL REFERENCES accounts (id),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  allocated_fen bigint NOT NULL DEFAULT 0,
  lower_limit_fen bigint NOT NULL,
  covered boolean NOT NULL,
  -- Where the coverage came from: own deposits, or history transferred in / converted (§5.3, §5.4).
  source text NOT NULL DEFAULT 'deposit' CHECK (source IN ('deposit', 'transfer_in', 'conversion')),
  PRIMARY KEY (account_id, month)
);

-- Periodic plans (monthly / quarterly / annual): one row per period due.
CREATE TABLE deposit_periods (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  agreement_id bigint NOT NULL REFERENCES agreements (id),
  period_start date NOT NULL CHECK (extract(day FROM period_start) = 1),
  months smallint NOT NULL CHECK (months IN (1, 3, 12)),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  due_date date NOT NULL,
  last_retry_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('due', 'paid', 'missed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  last_attempt_on date,
  deposit_id bigint REFERENCES deposits (id),
  catch_up_allowed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, period_start)
);
CREATE INDEX deposit_periods_open ON deposit_periods (status, due_date) WHERE status = 'due';
ALTER TABLE deposits ADD FOREIGN KEY (deposit_period_id) REFERENCES deposit_periods (id);

-- Debit requests sent to the bank (代扣): one per period per attempt day.
CREATE TABLE debit_requests (
  id bigserial PRIMARY KEY,
  request_no text NOT NULL UNIQUE,
  period_id bigint NOT NULL REFERENCES deposit_periods (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  requested_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'succeeded', 'failed')),
  failure_code text,
  bank_serial text,
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  UNIQUE (period_id, requested_on)
);

-- Self-service payment orders (portal → bank page → notification → credit).
CREATE TABLE payment_orders (
  id bigserial PRIMARY KEY,
  order_no text NOT NULL UNIQUE,
  account_id bigint NOT NULL REFERENCES accounts (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  deposit_period_id bigint REFERENCES deposit_periods (id),
  status text NOT NULL CHECK (status IN ('open', 'paid', 'cancelled', 'expired')),
  created_on date NOT NULL,
  expires_at timestamptz NOT NULL,
  deposit_id bigint REFERENCES deposits (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE deposits ADD FOREIGN KEY (payment_order_id) REFERENCES payment_orders (id);

-- Every notification the bank sent, verified or not, with what became of it.
CREATE TABLE bank_notifications (
  id bigserial PRIMARY KEY,
  bank_serial text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  signature text NOT NULL,
  signature_valid boolean NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_notifications_serial ON bank_notifications (bank_serial);

-- The bank's daily statements (对账) and their lines.
CREATE TABLE bank_statements (
  id bigserial PRIMARY KEY,
  statement_date date NOT NULL,
  file_sha256 text NOT NULL UNIQUE,
  file_name text NOT NULL,
  line_count integer NOT NULL,
  imported_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bank_statement_lines (
  id bigserial PRIMARY KEY,
  statement_id bigint NOT NULL REFERENCES bank_statements (id),
  line_no integer NOT NULL,
  bank_serial text NOT NULL,
  value_date date NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  counterparty text NOT NULL DEFAULT '',
  memo text NOT NULL DEFAULT '',
  match_status text NOT NULL CHECK (match_status IN ('matched', 'unmatched', 'suspense', 'resolved')),
  deposit_id bigint REFERENCES deposits (id),
  UNIQUE (statement_id, line_no)
);
CREATE UNIQUE INDEX bank_statement_lines_serial ON bank_statement_lines (bank_serial, direction);

-- Money in the bank that no deposit explains (挂账, ledger 21902) until staff assign or refund it.
CREATE TABLE suspense_items (
  id bigserial PRIMARY KEY,
  statement_line_id bigint NOT NULL UNIQUE REFERENCES bank_statement_lines (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  value_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'assigned', 'refunded')),
  journal_entry_id bigint NOT NULL REFERENCES journal_entries (id),
  resolution_entry_id bigint REFERENCES journal_entries (id),
  deposit_id bigint REFERENCES deposits (id),
  resolved_by text,
  resolved_on date,
  note text
);

-- Interest: month-end accruals per book and the June 30 settlement per book and year.
CREATE TABLE interest_accruals (
  book text NOT NULL REFERENCES books (code),
  month date NOT NULL,
  amount_fen bigint NOT NULL,
  cumulative_fen bigint NOT NULL,
  journal_entry_id bigint REFERENCES journal_entries (id),
  PRIMARY KEY (book, month)
);

CREATE TABLE interest_settlements (
  book text NOT NULL REFERENCES books (code),
  hpf_year integer NOT NULL,
  settled_on date NOT NULL,
  accounts integer NOT NULL,
  total_fen bigint NOT NULL,
  accrued_fen bigint NOT NULL,
  journal_entry_id bigint REFERENCES journal_entries (id),
  PRIMARY KEY (book, hpf_year)
);

-- The interest each account received, for statements.
CREATE TABLE account_interest (
  account_id bigint NOT NULL REFERENCES accounts (id),
  hpf_year integer NOT NULL,
  settled_on date NOT NULL,
  interest_fen bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('annual', 'closure', 'transfer_out')),
  PRIMARY KEY (account_id, hpf_year, kind)
);

-- The business-day close (日终): one run per business date, its steps with recorded progress so a run
-- killed anywhere resumes without posting twice.
CREATE TABLE close_runs (
  business_date date PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('running', 'done')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  started_by text NOT NULL
);

CREATE TABLE close_steps (
  business_date date NOT NULL REFERENCES close_runs (business_date),
  step text NOT NULL,
  position integer NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'done')),
  progress jsonb NOT NULL DEFAULT '{}',
  finished_at timestamptz,
  PRIMARY KEY (business_date, step)
);

-- Side effects after commit (bank requests, notifications): written in the business transaction,
-- delivered by a worker, each at most once per dedupe key.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  dedupe_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (available_at) WHERE status = 'pending';

-- Calendar-year deposit certificates for the tax deduction (rules.md §12), checkable by code.
CREATE TABLE tax_certificates (
  id bigserial PRIMARY KEY,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  year integer NOT NULL,
  verification_code text NOT NULL UNIQUE,
  content jsonb NOT NULL,
  issued_on date NOT NULL,
  issued_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tax_certificates_depositor ON tax_certificates (depositor_id, year);

INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('tax.monthly_deduction_cap_fen', '610400', '2024-01-01', 'approved', 'rules.md §12: avg wage × 3 × 24%', 'system', 'system', now()),
  ('tax.monthly_deduction_cap_fen', '657400', '2025-01-01', 'approved', 'rules.md §12: avg wage × 3 × 24%', 'system', 'system', now()),
  ('payment_order.valid_minutes', '30', '2023-09-13', 'approved', 'portal payment orders (ours)', 'system', 'system', now());
