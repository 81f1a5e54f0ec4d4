-- Cross-city transfers (异地转移接续, rules.md §5.4) through the national transfer platform: one row per
-- transfer (in: we are the new center; out: we are the old one), and every platform message in both
-- directions, keyed by its message id so a repeat changes nothing.

-- 21904: transfer-in money that arrived before (or without) its account sheet; cleared into 201 on match.
INSERT INTO ledger_accounts (book, code, name_zh, name_en, normal_side, parent_code)
SELECT b.code, '21904', '转移接续待匹配款项', 'Transfer-in funds awaiting their account sheet', 'credit', '219'
FROM books b
ON CONFLICT DO NOTHING;
INSERT INTO ledger_balance_deltas (book, code, stripe)
SELECT b.code, '21904', s.stripe FROM books b CROSS JOIN generate_series(0, 15) AS s (stripe)
ON CONFLICT DO NOTHING;

CREATE TABLE transfers (
  id bigserial PRIMARY KEY,
  -- The platform business number, shared by both centers (the new center creates it with the letter).
  transfer_no text NOT NULL UNIQUE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  -- JGJ/T 320 business type from our side: 08 transfer in, 07 transfer out.
  business_type text NOT NULL CHECK (business_type IN ('07', '08')),
  -- Empty only for a letter naming no account of ours (answered with a refusal).
  account_id bigint REFERENCES accounts (id),
  depositor_id bigint REFERENCES depositors (id),
  peer_center_code text NOT NULL,
  peer_center_name text NOT NULL,
  peer_account_number text NOT NULL,
  -- Our progress: letter_pending, letter_sent, sheet_received, funds_received, credited (in);
  -- paid_out, done (out); refused, failed (both).
  stage text NOT NULL,
  -- The last platform status code exchanged (00 01 02 05 06 08 13 20 40).
  platform_status text,
  refusal_reason text,
  contact_letter jsonb NOT NULL,
  account_sheet jsonb,
  principal_fen bigint,
  interest_fen bigint,
  funds_fen bigint,
  funds_serial text,
  funds_value_date date,
  funds_entry_id bigint REFERENCES journal_entries (id),
  credit_entry_id bigint REFERENCES journal_entries (id),
  payout_entry_id bigint REFERENCES journal_entries (id),
  confirm_entry_id bigint REFERENCES journal_entries (id),
  months_credited integer NOT NULL DEFAULT 0,
  -- The next sequence number expected from the peer / to be given to our next ordered message.
  inbound_next_seq integer NOT NULL DEFAULT 1,
  outbound_next_seq integer NOT NULL DEFAULT 1,
  business_date date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfers_depositor ON transfers (depositor_id);
CREATE INDEX transfers_stage ON transfers (stage, id);
-- One transfer in progress per account at a time.
CREATE UNIQUE INDEX transfers_one_open_per_account ON transfers (account_id)
  WHERE stage NOT IN ('credited', 'done', 'refused', 'failed') AND account_id IS NOT NULL;

CREATE TABLE transfer_messages (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  transfer_no text NOT NULL,
  transfer_id bigint REFERENCES transfers (id),
  type text NOT NULL,
  -- Ordered messages carry the sender's sequence number; funds do not (they may come at any time).
  seq integer,
  raw_body text NOT NULL,
  body_sha256 text NOT NULL,
  signature text NOT NULL,
  -- inbound: processed, held (waiting for its predecessor), rejected; outbound: pending, sent, failed.
  state text NOT NULL CHECK (state IN ('processed', 'held', 'rejected', 'pending', 'sent', 'failed')),
  outcome text,
  detail text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (direction, message_id)
);
CREATE INDEX transfer_messages_held ON transfer_messages (transfer_no, seq) WHERE state = 'held';
CREATE INDEX transfer_messages_pending ON transfer_messages (id) WHERE state = 'pending';
