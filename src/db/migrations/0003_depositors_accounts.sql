-- Staff, depositors, sessions, employers, member accounts, agreements and the social-insurance import.

CREATE TABLE staff_users (
  id bigserial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['teller', 'reviewer', 'finance', 'risk', 'manager', 'district_viewer', 'admin']::text[] AND cardinality(roles) > 0),
  district_code text REFERENCES districts (code),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT ('district_viewer' = ANY (roles)) OR district_code IS NOT NULL)
);

CREATE TABLE depositors (
  id bigserial PRIMARY KEY,
  id_type text NOT NULL CHECK (id_type IN ('resident', 'hk_macao_taiwan_permit', 'foreign_permanent')),
  -- ID numbers are personal data: an HMAC for lookups, AES-GCM ciphertext, and a masked form for screens.
  id_number_hash text NOT NULL UNIQUE,
  id_number_enc text NOT NULL,
  id_number_masked text NOT NULL,
  name text NOT NULL,
  gender text NOT NULL CHECK (gender IN ('male', 'female')),
  birth_date date NOT NULL,
  retirement_group text NOT NULL CHECK (retirement_group IN ('male', 'female55', 'female50')),
  phone text NOT NULL,
  district_code text NOT NULL REFERENCES districts (code),
  address text NOT NULL DEFAULT '',
  employment_form text NOT NULL CHECK (employment_form IN ('individual_business', 'part_time', 'new_forms', 'self_employed')),
  occupation text NOT NULL DEFAULT '',
  civil_capacity_declared boolean NOT NULL,
  no_unit_account_elsewhere_declared boolean NOT NULL,
  flexible_verified boolean NOT NULL DEFAULT false,
  flexible_verified_source text,
  password_hash text,
  registered_channel text NOT NULL CHECK (registered_channel IN ('counter', 'self_service', 'import')),
  registered_by text NOT NULL,
  registered_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX depositors_district ON depositors (district_code);
CREATE INDEX depositors_name ON depositors (name);

CREATE TABLE sessions (
  id bigserial PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  principal_type text NOT NULL CHECK (principal_type IN ('staff', 'depositor')),
  principal_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  client_ip text,
  user_agent text
);

CREATE TABLE login_attempts (
  id bigserial PRIMARY KEY,
  principal_key text NOT NULL,
  client_ip text,
  succeeded boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_key_at ON login_attempts (principal_key, at DESC);

-- One-time codes for depositor login (sent by SMS; simulated in the demo).
CREATE TABLE otp_challenges (
  id uuid PRIMARY KEY,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  code_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  consumed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE employers (
  id bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  district_code text REFERENCES districts (code),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE account_number_seq START 1;

-- Member accounts. State codes (JGJ/T 320): 01 normal, 02 sealed, 03 merged, 04 closed by transfer out,
-- 05 closed by withdrawal, 06 frozen, 99 other.
CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  account_number text NOT NULL UNIQUE,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  pool text NOT NULL REFERENCES books (code),
  kind text NOT NULL CHECK (kind IN ('flexible', 'unit')),
  employer_id bigint REFERENCES employers (id),
  state char(2) NOT NULL CHECK (state IN ('01', '02', '03', '04', '05', '06', '99')),
  state_before_freeze char(2),
  freeze_reason text,
  freeze_document_no text,
  balance_fen bigint NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
  -- The data standard's two balance parts: carried over from past years and collected this year.
  carried_over_fen bigint NOT NULL DEFAULT 0,
  current_year_fen bigint NOT NULL DEFAULT 0,
  district_code text NOT NULL REFERENCES districts (code),
  opened_on date NOT NULL,
  closed_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'flexible' AND pool = 'FLEX') OR (kind = 'unit' AND pool = 'MANDATORY')),
  CHECK (kind = 'flexible' OR employer_id IS NOT NULL)
);
-- At most one open flexible account per person (rules.md §1).
CREATE UNIQUE INDEX accounts_one_open_flexible ON accounts (depositor_id)
  WHERE kind = 'flexible' AND state NOT IN ('03', '04', '05');
CREATE INDEX accounts_depositor ON accounts (depositor_id);
CREATE INDEX accounts_district ON accounts (district_code);

ALTER TABLE postings ADD FOREIGN KEY (member_account_id) REFERENCES accounts (id);

CREATE TABLE terms_versions (
  id serial PRIMARY KEY,
  version text NOT NULL UNIQUE,
  title_zh text NOT NULL,
  title_en text NOT NULL,
  body_zh text NOT NULL,
  body_en text NOT NULL,
  effective_from date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO terms_versions (version, title_zh, title_en, body_zh, body_en, effective_from) VALUES (
  '2023.1',
  '包头市灵活就业人员住房公积金缴存使用协议',
  'Baotou Housing Provident Fund Agreement for Flexible-Employment Workers',
  E'甲方：包头市住房公积金管理中心\n乙方：{{name}}（证件号码 {{idNumberMasked}}）\n\n依据《包头市灵活就业人员参加住房公积金制度试点工作实施方案》（包府办发〔2023〕129号），双方自愿订立本协议。\n\n第一条 缴存方式：{{depositModeZh}}；约定月缴存额：{{monthlyAmount}} 元；扣款银行卡：{{bankCard}}；扣款日：每月 {{debitDay}} 日。\n第二条 乙方按中心每年公布的缴存上、下限缴存；定期缴存未按期缴纳的视为断缴，按中心规定处理。\n第三条 缴存资金自存入之日起按一年期定期存款基准利率计息，每年6月30日结息。\n第四条 乙方符合条件的，可按规定办理租房提取、灵活提取、销户提取及住房公积金贷款；一年以上未使用账户资金的，销户时按规定给予缴存补贴。\n第五条 乙方同意中心向人社、税务、不动产登记、征信等部门核验其相关信息：{{consentZh}}。\n第六条 缴存方式或金额每个公积金年度（7月1日至次年6月30日）可变更一次。\n第七条 乙方销户、转移出本市或转为单位缴存的，本协议终止。\n第八条 乙方声明：具有完全民事行为能力，未在任何城市参加单位住房公积金缴存，所提供信息真实有效。',
  E'Party A: Baotou Housing Provident Fund Management Center\nParty B: {{name}} (ID {{idNumberMasked}})\n\nUnder the Baotou pilot plan for flexible-employment workers (Baofubanfa [2023] No. 129), both parties agree as follows.\n\n1. Deposit mode: {{depositModeEn}}; agreed monthly amount: {{monthlyAmount}} yuan; bank card for debits: {{bankCard}}; debit day: day {{debitDay}} of each month.\n2. Party B deposits within the limits the Center publishes each year; a periodic deposit not paid in time is a missed period.\n3. Deposits earn interest at the one-year fixed-deposit benchmark rate from the day they arrive; interest is settled every June 30.\n4. Party B may withdraw for rent, withdraw freely, close the account, and borrow as the rules allow; a depositor who has not used the account for a year receives a deposit subsidy on closure.\n5. Party B consents to the Center verifying their data with the social-insurance, tax, housing-registry and credit authorities: {{consentEn}}.\n6. The deposit mode or amount may change once per HPF year (July 1 to June 30).\n7. This agreement ends on closure, transfer out of the city, or conversion to a unit account.\n8. Party B declares full civil capacity, no unit HPF account in any city, and that the information given is true.',
  '2023-09-13'
);

-- The agreement each depositor signs before the first deposit (rules.md §2). `signed_text` is the exact
-- text shown (terms rendered with the depositor's details) and `signed_text_sha256` its hash.
CREATE TABLE agreements (
  id bigserial PRIMARY KEY,
  agreement_number text NOT NULL UNIQUE,
  depositor_id bigint NOT NULL REFERENCES depositors (id),
  account_id bigint REFERENCES accounts (id),
  terms_version_id integer NOT NULL REFERENCES terms_versions (id),
  deposit_mode text NOT NULL CHECK (deposit_mode IN ('monthly', 'quarterly', 'annual', 'flexible')),
  monthly_amount_fen bigint CHECK (monthly_amount_fen > 0),
  bank_name text NOT NULL,
  bank_card text NOT NULL,
  debit_day smallint CHECK (debit_day BETWEEN 1 AND 28),
  consent_data_check boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'signed', 'ended')),
  signed_text text NOT NULL,
  signed_text_sha256 text NOT NULL,
  signed_at timestamptz,
  signed_on date,
  signer_name text,
  signer_ip text,
  signer_user_agent text,
  signed_channel text CHECK (signed_channel IN ('counter', 'self_service')),
  ended_on date,
  ended_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((deposit_mode = 'flexible') = (monthly_amount_fen IS NULL)),
  CHECK ((deposit_mode = 'flexible') = (debit_day IS NULL)),
  CHECK (status = 'draft' OR signed_at IS NOT NULL)
);
CREATE INDEX agreements_depositor ON agreements (depositor_id);
CREATE UNIQUE INDEX agreements_one_live_per_depositor ON agreements (depositor_id) WHERE status IN ('draft', 'signed');
CREATE SEQUENCE agreement_number_seq START 1;

-- Changes of deposit mode or amount: at most one per agreement per HPF year (rules.md §2, ours).
CREATE TABLE agreement_amendments (
  id bigserial PRIMARY KEY,
  agreement_id bigint NOT NULL REFERENCES agreements (id),
  hpf_year integer NOT NULL,
  business_date date NOT NULL,
  old_deposit_mode text NOT NULL,
  new_deposit_mode text NOT NULL,
  old_monthly_amount_fen bigint,
  new_monthly_amount_fen bigint,
  old_debit_day smallint,
  new_debit_day smallint,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreement_amendments_year ON agreement_amendments (agreement_id, hpf_year);

-- Social-insurance (人社) pension records imports; a file is applied once (by its SHA-256).
CREATE TABLE si_imports (
  id bigserial PRIMARY KEY,
  file_sha256 text NOT NULL UNIQUE,
  file_name text NOT NULL,
  imported_by text NOT NULL,
  business_date date NOT NULL,
  total_rows integer NOT NULL,
  matched_rows integer NOT NULL,
  unmatched_rows integer NOT NULL,
  malformed_rows integer NOT NULL,
  report jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
