-- The unit side in its minimal real form and identity conversion (rules.md §5.3, docs/decisions/0005):
-- unit account terms and seal reasons, unit-file imports, monthly unit remittances, and conversions
-- between a flexible and a unit account.

-- Unit accounts: the monthly base and amount the unit deposits (optional), and why an account is sealed.
ALTER TABLE accounts ADD COLUMN unit_monthly_base_fen bigint CHECK (unit_monthly_base_fen IS NULL OR unit_monthly_base_fen > 0);
ALTER TABLE accounts ADD COLUMN unit_monthly_amount_fen bigint CHECK (unit_monthly_amount_fen IS NULL OR unit_monthly_amount_fen > 0);
ALTER TABLE accounts ADD COLUMN seal_reason text;
ALTER TABLE accounts ADD COLUMN sealed_on date;
CREATE INDEX accounts_employer ON accounts (employer_id) WHERE employer_id IS NOT NULL;

-- The interest paid out of an account when it is converted (rules.md §4.1, §5.3).
ALTER TABLE account_interest DROP CONSTRAINT account_interest_kind_check;
ALTER TABLE account_interest ADD CONSTRAINT account_interest_kind_check
  CHECK (kind IN ('annual', 'closure', 'transfer_out', 'conversion'));

-- Unit files (employer + employees): a file is applied once (by its SHA-256), the report kept.
CREATE TABLE unit_imports (
  id bigserial PRIMARY KEY,
  file_sha256 text NOT NULL UNIQUE,
  file_name text NOT NULL,
  imported_by text NOT NULL,
  business_date date NOT NULL,
  total_rows integer NOT NULL,
  created_rows integer NOT NULL,
  existing_rows integer NOT NULL,
  unmatched_rows integer NOT NULL,
  malformed_rows integer NOT NULL,
  report jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A unit's monthly remittance (汇缴, business type 01) for its employees: one per unit and month,
-- one MANDATORY entry (Dr 101 / Cr 201 per account), one line per account.
CREATE TABLE unit_remittances (
  id bigserial PRIMARY KEY,
  employer_id bigint NOT NULL REFERENCES employers (id),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  total_fen bigint NOT NULL CHECK (total_fen > 0),
  value_date date NOT NULL,
  business_date date NOT NULL,
  journal_entry_id bigint NOT NULL REFERENCES journal_entries (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (employer_id, month)
);

CREATE TABLE unit_remittance_lines (
  remittance_id bigint NOT NULL REFERENCES unit_remittances (id),
  account_id bigint NOT NULL REFERENCES accounts (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (remittance_id, account_id)
);
CREATE INDEX unit_remittance_lines_account ON unit_remittance_lines (account_id);

-- Identity conversions (身份转换, rules.md §5.3): the whole balance with its interest to date and the
-- covered months move from one account to the other; the source account ends (state 03, merged).
CREATE TABLE conversions (
  id bigserial PRIMARY KEY,
  direction text NOT NULL CHECK (direction IN ('to_unit', 'to_flexible')),
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  from_account_id bigint NOT NULL UNIQUE REFERENCES accounts (id),
  to_account_id bigint NOT NULL REFERENCES accounts (id),
  -- What moved: principal (the balance before the interest) + interest to date = amount.
  principal_fen bigint NOT NULL CHECK (principal_fen >= 0),
  interest_fen bigint NOT NULL CHECK (interest_fen >= 0),
  amount_fen bigint NOT NULL CHECK (amount_fen = principal_fen + interest_fen),
  months_carried integer NOT NULL,
  -- Flexible → unit: the agreement ended, its pending periods cancelled, the subsidy forfeited (§4.2).
  agreement_id bigint REFERENCES agreements (id),
  periods_cancelled integer NOT NULL DEFAULT 0,
  subsidy_forfeited boolean NOT NULL DEFAULT false,
  -- The subsidy the person would have had on a closure that day (what was forfeited), for the record.
  subsidy_forfeited_fen bigint NOT NULL DEFAULT 0,
  interest_entry_id bigint REFERENCES journal_entries (id),
  pair_id uuid,
  settlement_pair_id uuid,
  business_date date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((amount_fen = 0) = (pair_id IS NULL))
);
CREATE INDEX conversions_depositor ON conversions (depositor_id);
