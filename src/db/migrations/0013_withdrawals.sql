-- Using the money (rules.md §5.1, §5.2): withdrawals (rent, free, closure), standing monthly rent
-- orders, the payout outbox, housing-security referrals and closure certificates.

-- One row per withdrawal. Money moves when the row reaches 'posted' (Dr 201 / Cr 21903 and a payout row,
-- in the same transaction); 'paid' once the bank confirmed the payout; 'returned' when the bank sent it
-- back (退票) and the money is on the member again. 'pending_review' moved nothing yet.
CREATE TABLE withdrawals (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  kind text NOT NULL CHECK (kind IN ('rent', 'free', 'closure')),
  -- JGJ/T 320 (rules.md §14): business type 11 部分提取 / 12 销户提取; reason 07 rent, 99 other.
  business_type text NOT NULL CHECK (business_type IN ('11', '12')),
  reason_code text NOT NULL CHECK (reason_code IN ('07', '99')),
  channel text NOT NULL CHECK (channel IN ('counter', 'self_service', 'standing_order')),
  status text NOT NULL CHECK (status IN ('pending_review', 'rejected', 'posted', 'paid', 'returned')),
  -- What leaves the account: for a closure the whole balance after interest and subsidy.
  amount_fen bigint NOT NULL CHECK (amount_fen > 0 OR (kind = 'closure' AND amount_fen = 0)),
  interest_fen bigint NOT NULL DEFAULT 0 CHECK (interest_fen >= 0),
  subsidy_fen bigint NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
  -- The calendar year a rent withdrawal counts against (rules.md §5.1: per person per calendar year).
  calendar_year integer NOT NULL,
  public_rental boolean NOT NULL DEFAULT false,
  landlord_name text,
  lease_address text,
  lease_start date,
  lease_end date,
  monthly_rent_fen bigint CHECK (monthly_rent_fen IS NULL OR monthly_rent_fen > 0),
  contract_no text,
  rent_order_id bigint,
  due_date date,
  review_reasons jsonb NOT NULL DEFAULT '[]',
  maker text NOT NULL,
  checker text,
  decision_note text,
  decided_at timestamptz,
  business_date date NOT NULL,
  journal_entry_id bigint REFERENCES journal_entries (id),
  returned_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'rent' OR (landlord_name IS NOT NULL AND lease_address IS NOT NULL AND lease_start IS NOT NULL
    AND lease_end IS NOT NULL AND monthly_rent_fen IS NOT NULL AND contract_no IS NOT NULL)),
  -- Nothing is posted before approval; a closure with nothing to pay is complete without an entry.
  CHECK (status NOT IN ('pending_review', 'rejected') OR journal_entry_id IS NULL),
  CHECK (status NOT IN ('posted', 'returned') OR journal_entry_id IS NOT NULL)
);
CREATE INDEX withdrawals_account ON withdrawals (account_id, created_at);
CREATE INDEX withdrawals_rent_year ON withdrawals (depositor_id, calendar_year) WHERE kind = 'rent';
CREATE INDEX withdrawals_review ON withdrawals (created_at) WHERE status = 'pending_review';
-- A standing order pays once per due date, whatever the reruns of the close.
CREATE UNIQUE INDEX withdrawals_rent_order_due ON withdrawals (rent_order_id, due_date) WHERE rent_order_id IS NOT NULL;
-- One closure per account.
CREATE UNIQUE INDEX withdrawals_one_closure ON withdrawals (account_id) WHERE kind = 'closure' AND status <> 'rejected';

-- Standing monthly rent orders (按月提取, rules.md §5.1): paid by the business-day close on pay_day.
CREATE TABLE rent_orders (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  status text NOT NULL CHECK (status IN ('active', 'ended')),
  monthly_amount_fen bigint NOT NULL CHECK (monthly_amount_fen > 0),
  pay_day smallint NOT NULL CHECK (pay_day BETWEEN 1 AND 28),
  next_due_date date NOT NULL,
  public_rental boolean NOT NULL DEFAULT false,
  landlord_name text NOT NULL,
  lease_address text NOT NULL,
  lease_start date NOT NULL,
  lease_end date NOT NULL,
  monthly_rent_fen bigint NOT NULL CHECK (monthly_rent_fen > 0),
  contract_no text NOT NULL,
  created_by text NOT NULL,
  created_on date NOT NULL,
  ended_on date,
  ended_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (lease_end >= lease_start)
);
CREATE UNIQUE INDEX rent_orders_one_active ON rent_orders (account_id) WHERE status = 'active';
CREATE INDEX rent_orders_due ON rent_orders (next_due_date) WHERE status = 'active';
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_rent_order_fk FOREIGN KEY (rent_order_id) REFERENCES rent_orders (id);

-- What the close did with each due order: paid, or why not (expected outcomes are data, not errors).
CREATE TABLE rent_order_runs (
  rent_order_id bigint NOT NULL REFERENCES rent_orders (id),
  due_date date NOT NULL,
  business_date date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('paid', 'cap_reached', 'no_balance', 'account_not_open', 'lease_ended')),
  withdrawal_id bigint REFERENCES withdrawals (id),
  amount_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (rent_order_id, due_date)
);

-- The payout outbox: written with the withdrawal's posting, sent after commit by the dispatcher. The
-- request number is derived from the id and never changes, so a resend is the same request to the bank.
CREATE TABLE payouts (
  id bigserial PRIMARY KEY,
  request_no text GENERATED ALWAYS AS ('PO' || lpad(id::text, 14, '0')) STORED UNIQUE,
  withdrawal_id bigint NOT NULL UNIQUE REFERENCES withdrawals (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  book text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  bank_name text NOT NULL,
  bank_card text NOT NULL,
  value_date date NOT NULL,
  -- pending: not yet sent · sent: handed to the bank, no answer yet (a resend asks again) · accepted:
  -- the bank took it · confirmed: money left the bank (Dr 21903 / Cr 101) · rejected: the bank refused it
  -- (money back on the member) · returned: paid and sent back (退票, money back on the member).
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'accepted', 'confirmed', 'rejected', 'returned')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  answered_at timestamptz,
  bank_serial text,
  confirmed_on date,
  confirm_entry_id bigint REFERENCES journal_entries (id),
  return_serial text UNIQUE,
  return_reason text,
  returned_on date,
  return_entry_id bigint REFERENCES journal_entries (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payouts_to_send ON payouts (next_attempt_at) WHERE status IN ('pending', 'sent');

-- Housing-security referral (rules.md §5.1, ours): depositors who asked to be listed.
CREATE TABLE housing_referrals (
  id bigserial PRIMARY KEY,
  depositor_id bigint NOT NULL UNIQUE REFERENCES depositors (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  queues text[] NOT NULL,
  household_size smallint NOT NULL CHECK (household_size BETWEEN 1 AND 20),
  requested_on date NOT NULL,
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Closure certificates (销户证明), checkable by code.
CREATE TABLE closure_certificates (
  id bigserial PRIMARY KEY,
  withdrawal_id bigint NOT NULL UNIQUE REFERENCES withdrawals (id),
  verification_code text NOT NULL UNIQUE,
  content jsonb NOT NULL,
  issued_on date NOT NULL,
  issued_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('withdrawal.min_consecutive_months', '6', '2023-09-13', 'approved', 'rules.md §5.1, §5.2', 'system', 'system', now()),
  ('withdrawal.review_threshold_fen', '5000000', '2023-09-13', 'approved', 'maker-checker above 50,000.00 (ours)', 'system', 'system', now());
