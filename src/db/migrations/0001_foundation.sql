-- Foundation: business date, districts, dated parameters, audit chain, idempotency keys.
-- Never edit a merged migration; add a new numbered file.

CREATE TABLE business_calendar (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  business_date date NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE districts (
  code text PRIMARY KEY,
  name_zh text NOT NULL,
  name_en text NOT NULL
);
INSERT INTO districts (code, name_zh, name_en) VALUES
  ('150202', '东河区', 'Donghe District'),
  ('150203', '昆都仑区', 'Kundulun District'),
  ('150204', '青山区', 'Qingshan District'),
  ('150205', '石拐区', 'Shiguai District'),
  ('150206', '白云鄂博矿区', 'Bayan Obo Mining District'),
  ('150207', '九原区', 'Jiuyuan District'),
  ('150221', '土默特右旗', 'Tumed Right Banner'),
  ('150222', '固阳县', 'Guyang County'),
  ('150223', '达尔罕茂明安联合旗', 'Darhan Muminggan United Banner'),
  ('150271', '稀土高新技术产业开发区', 'Rare Earth High-Tech Zone');

-- Dated parameters (rules.md: every number is a dated parameter). A value takes effect only once a
-- different user approves it (maker-checker); rejected and superseded proposals stay as history.
CREATE TABLE parameters (
  id bigserial PRIMARY KEY,
  key text NOT NULL,
  value text NOT NULL,
  effective_from date NOT NULL,
  effective_to date,
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'superseded')),
  reason text NOT NULL DEFAULT '',
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  CHECK (effective_to IS NULL OR effective_to >= effective_from),
  CHECK (status = 'proposed' OR decided_by IS NOT NULL)
);
CREATE UNIQUE INDEX parameters_one_approved_per_day ON parameters (key, effective_from) WHERE status = 'approved';
CREATE INDEX parameters_key_status ON parameters (key, status, effective_from DESC);

INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('eligibility.min_age_years', '16', '2023-09-13', 'approved', 'rules.md §1', 'system', 'system', now()),
  ('deposit.monthly_lower_limit_fen', '19800', '2023-07-01', 'approved', 'rules.md §3.1', 'system', 'system', now()),
  ('deposit.monthly_upper_limit_fen', '610400', '2023-07-01', 'approved', 'rules.md §3.1', 'system', 'system', now()),
  ('deposit.monthly_lower_limit_fen', '19800', '2024-07-01', 'approved', 'rules.md §3.1', 'system', 'system', now()),
  ('deposit.monthly_upper_limit_fen', '657400', '2024-07-01', 'approved', 'rules.md §3.1', 'system', 'system', now()),
  ('deposit.catch_up_enabled', 'false', '2023-09-13', 'approved', 'rules.md §3.2', 'system', 'system', now()),
  ('agreement.amendments_per_hpf_year', '1', '2023-09-13', 'approved', 'rules.md §2 (ours)', 'system', 'system', now()),
  ('interest.annual_rate_pct', '1.50', '2016-02-21', 'approved', 'rules.md §4.1', 'system', 'system', now()),
  ('subsidy.annual_rate_pct', '0.5', '2023-09-13', 'approved', 'rules.md §4.2', 'system', 'system', now()),
  ('subsidy.lifetime_cap_fen', '1000000', '2023-09-13', 'approved', 'rules.md §4.2', 'system', 'system', now()),
  ('rent.annual_cap_fen', '1400000', '2023-09-13', 'approved', 'rules.md §5.1', 'system', 'system', now()),
  ('loan.rate.first_home_le5_pct', '2.35', '2024-05-18', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.first_home_gt5_pct', '2.85', '2024-05-18', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.second_home_le5_pct', '2.775', '2024-05-18', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.second_home_gt5_pct', '3.325', '2024-05-18', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.first_home_le5_pct', '2.10', '2025-05-08', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.first_home_gt5_pct', '2.60', '2025-05-08', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.second_home_le5_pct', '2.525', '2025-05-08', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.rate.second_home_gt5_pct', '3.075', '2025-05-08', 'approved', 'rules.md §6.3', 'system', 'system', now()),
  ('loan.cap_single_fen', '60000000', '2023-09-13', 'approved', 'rules.md §6.2 D', 'system', 'system', now()),
  ('loan.cap_couple_fen', '80000000', '2023-09-13', 'approved', 'rules.md §6.2 D', 'system', 'system', now()),
  ('liquidity.reserve_pct', '5', '2023-09-13', 'approved', 'rules.md §8', 'system', 'system', now());

-- Audit trail: every state change writes one row in the same transaction, chained by SHA-256.
-- `payload` is the exact canonical JSON that was hashed: hash = sha256(prev_hash || payload).
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  business_date date,
  actor text NOT NULL,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  summary jsonb NOT NULL,
  payload text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);

-- The chain's head: one row, locked by each writer so the chain stays linear under concurrency.
CREATE TABLE audit_head (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  last_id bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, repeat('0', 64));

-- Idempotent commands: the first result of a key is kept; the same key with another payload is refused.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
