// Row types for Kysely, one interface per table (kept in step with migrations/*.sql).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // DATE columns are read as "YYYY-MM-DD" strings (see connection.ts)
type Int8 = ColumnType<bigint, bigint | number, bigint | number>;
type Int8Default = ColumnType<bigint, bigint | number | undefined, bigint | number>;
type Json = ColumnType<unknown, string, string>;

export interface BusinessCalendarTable {
  id: Generated<number>;
  business_date: DateCol;
  updated_at: Timestamp;
}

export interface DistrictsTable {
  code: string;
  name_zh: string;
  name_en: string;
}

export interface ParametersTable {
  id: Generated<bigint>;
  key: string;
  value: string;
  effective_from: DateCol;
  effective_to: DateCol | null;
  status: 'proposed' | 'approved' | 'rejected' | 'superseded';
  reason: Generated<string>;
  proposed_by: string;
  proposed_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  at: Timestamp;
  business_date: DateCol | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  summary: Json;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_id: Int8;
  last_hash: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  response: Json;
  created_at: Timestamp;
}

export interface BooksTable {
  code: 'FLEX' | 'MANDATORY';
  name_zh: string;
  name_en: string;
}

export interface LedgerAccountsTable {
  book: string;
  code: string;
  name_zh: string;
  name_en: string;
  normal_side: 'debit' | 'credit';
  parent_code: string | null;
  is_open: Generated<boolean>;
  balance_fen: Int8Default;
}

export interface JournalEntriesTable {
  id: Generated<bigint>;
  book: string;
  business_date: DateCol;
  entry_type: string;
  memo: Generated<string>;
  source_type: string | null;
  source_id: string | null;
  pair_id: string | null;
  reverses_entry_id: bigint | null;
  value_date: DateCol | null;
  created_by: string;
  created_at: Timestamp;
}

export interface PostingsTable {
  id: Generated<bigint>;
  entry_id: Int8;
  book: string;
  account_code: string;
  side: 'D' | 'C';
  amount_fen: Int8;
  member_account_id: Int8 | null;
}

export interface StaffUsersTable {
  id: Generated<bigint>;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  district_code: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface DepositorsTable {
  id: Generated<bigint>;
  id_type: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  id_number_hash: string;
  id_number_enc: string;
  id_number_masked: string;
  name: string;
  gender: 'male' | 'female';
  birth_date: DateCol;
  retirement_group: 'male' | 'female55' | 'female50';
  phone: string;
  district_code: string;
  address: Generated<string>;
  employment_form: 'individual_business' | 'part_time' | 'new_forms' | 'self_employed';
  occupation: Generated<string>;
  civil_capacity_declared: boolean;
  no_unit_account_elsewhere_declared: boolean;
  flexible_verified: Generated<boolean>;
  flexible_verified_source: string | null;
  password_hash: string | null;
  registered_channel: 'counter' | 'self_service' | 'import';
  registered_by: string;
  registered_on: DateCol;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<bigint>;
  token_hash: string;
  principal_type: 'staff' | 'depositor';
  principal_id: Int8;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
  client_ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<bigint>;
  principal_key: string;
  client_ip: string | null;
  succeeded: boolean;
  at: Timestamp;
}

export interface OtpChallengesTable {
  id: string;
  depositor_id: Int8;
  code_hash: string;
  expires_at: Timestamp;
  attempts: Generated<number>;
  consumed_at: Date | null;
  created_at: Timestamp;
}

export interface EmployersTable {
  id: Generated<bigint>;
  code: string;
  name: string;
  district_code: string | null;
  created_at: Timestamp;
}

export type AccountState = '01' | '02' | '03' | '04' | '05' | '06' | '99';

export interface AccountsTable {
  id: Generated<bigint>;
  account_number: string;
  depositor_id: Int8;
  pool: 'FLEX' | 'MANDATORY';
  kind: 'flexible' | 'unit';
  employer_id: Int8 | null;
  state: AccountState;
  state_before_freeze: AccountState | null;
  freeze_reason: string | null;
  freeze_document_no: string | null;
  balance_fen: Int8Default;
  carried_over_fen: Int8Default;
  current_year_fen: Int8Default;
  district_code: string;
  opened_on: DateCol;
  closed_on: DateCol | null;
  created_at: Timestamp;
  interest_year_end: DateCol | null;
  balance_days_fen: Int8Default;
  /** numeric: read as a decimal string */
  interest_carry: ColumnType<string, string | undefined, string>;
}

export interface TermsVersionsTable {
  id: Generated<number>;
  version: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  effective_from: DateCol;
  created_at: Timestamp;
}

export interface AgreementsTable {
  id: Generated<bigint>;
  agreement_number: string;
  depositor_id: Int8;
  account_id: Int8 | null;
  terms_version_id: number;
  deposit_mode: 'monthly' | 'quarterly' | 'annual' | 'flexible';
  monthly_amount_fen: Int8 | null;
  bank_name: string;
  bank_card: string;
  debit_day: number | null;
  consent_data_check: boolean;
  status: 'draft' | 'signed' | 'ended';
  signed_text: string;
  signed_text_sha256: string;
  signed_at: Date | null;
  signed_on: DateCol | null;
  signer_name: string | null;
  signer_ip: string | null;
  signer_user_agent: string | null;
  signed_channel: 'counter' | 'self_service' | null;
  ended_on: DateCol | null;
  ended_reason: string | null;
  created_at: Timestamp;
  next_period_start: DateCol | null;
  next_due_date: DateCol | null;
}

export interface AgreementAmendmentsTable {
  id: Generated<bigint>;
  agreement_id: Int8;
  hpf_year: number;
  business_date: DateCol;
  old_deposit_mode: string;
  new_deposit_mode: string;
  old_monthly_amount_fen: Int8 | null;
  new_monthly_amount_fen: Int8 | null;
  old_debit_day: number | null;
  new_debit_day: number | null;
  actor: string;
  created_at: Timestamp;
}

export interface SiImportsTable {
  id: Generated<bigint>;
  file_sha256: string;
  file_name: string;
  imported_by: string;
  business_date: DateCol;
  total_rows: number;
  matched_rows: number;
  unmatched_rows: number;
  malformed_rows: number;
  report: Json;
  created_at: Timestamp;
}

export type DepositChannel =
  'debit' | 'counter' | 'portal' | 'bank_transfer' | 'suspense' | 'transfer_in' | 'conversion';

export interface DepositsTable {
  id: Generated<bigint>;
  account_id: Int8;
  amount_fen: Int8;
  value_date: DateCol;
  business_date: DateCol;
  channel: DepositChannel;
  business_type: Generated<string>;
  bank_serial: string | null;
  deposit_period_id: Int8 | null;
  payment_order_id: Int8 | null;
  journal_entry_id: Int8;
  hpf_year: number;
  created_by: string;
  created_at: Timestamp;
}

export interface DepositAllocationsTable {
  deposit_id: Int8;
  month: DateCol;
  amount_fen: Int8;
}

export interface AccountMonthsTable {
  account_id: Int8;
  month: DateCol;
  allocated_fen: Int8Default;
  lower_limit_fen: Int8;
  covered: boolean;
  source: Generated<'deposit' | 'transfer_in' | 'conversion'>;
}

export interface DepositPeriodsTable {
  id: Generated<bigint>;
  account_id: Int8;
  agreement_id: Int8;
  period_start: DateCol;
  months: number;
  amount_fen: Int8;
  due_date: DateCol;
  last_retry_date: DateCol;
  status: 'due' | 'paid' | 'missed' | 'cancelled';
  attempts: Generated<number>;
  last_attempt_on: DateCol | null;
  deposit_id: Int8 | null;
  catch_up_allowed: Generated<boolean>;
  created_at: Timestamp;
}

export interface DebitRequestsTable {
  id: Generated<bigint>;
  request_no: string;
  period_id: Int8;
  account_id: Int8;
  amount_fen: Int8;
  requested_on: DateCol;
  status: 'pending' | 'sent' | 'succeeded' | 'failed';
  failure_code: string | null;
  bank_serial: string | null;
  created_at: Timestamp;
  answered_at: Date | null;
}

export interface PaymentOrdersTable {
  id: Generated<bigint>;
  order_no: string;
  account_id: Int8;
  amount_fen: Int8;
  deposit_period_id: Int8 | null;
  status: 'open' | 'paid' | 'cancelled' | 'expired';
  created_on: DateCol;
  expires_at: Timestamp;
  deposit_id: Int8 | null;
  created_by: string;
  created_at: Timestamp;
}

export interface BankNotificationsTable {
  id: Generated<bigint>;
  bank_serial: string;
  kind: string;
  payload: Json;
  signature: string;
  signature_valid: boolean;
  outcome: string;
  received_at: Timestamp;
}

export interface BankStatementsTable {
  id: Generated<bigint>;
  statement_date: DateCol;
  file_sha256: string;
  file_name: string;
  line_count: number;
  imported_by: string;
  created_at: Timestamp;
}

export interface BankStatementLinesTable {
  id: Generated<bigint>;
  statement_id: Int8;
  line_no: number;
  bank_serial: string;
  value_date: DateCol;
  direction: 'in' | 'out';
  amount_fen: Int8;
  counterparty: Generated<string>;
  memo: Generated<string>;
  match_status: 'matched' | 'unmatched' | 'suspense' | 'resolved';
  deposit_id: Int8 | null;
}

export interface SuspenseItemsTable {
  id: Generated<bigint>;
  statement_line_id: Int8;
  amount_fen: Int8;
  value_date: DateCol;
  status: 'open' | 'assigned' | 'refunded';
  journal_entry_id: Int8;
  resolution_entry_id: Int8 | null;
  deposit_id: Int8 | null;
  resolved_by: string | null;
  resolved_on: DateCol | null;
  note: string | null;
}

export interface InterestAccrualsTable {
  book: string;
  month: DateCol;
  amount_fen: Int8;
  cumulative_fen: Int8;
  journal_entry_id: Int8 | null;
}

export interface InterestSettlementsTable {
  book: string;
  hpf_year: number;
  settled_on: DateCol;
  accounts: number;
  total_fen: Int8;
  accrued_fen: Int8;
  journal_entry_id: Int8 | null;
}

export interface AccountInterestTable {
  account_id: Int8;
  hpf_year: number;
  settled_on: DateCol;
  interest_fen: Int8;
  kind: 'annual' | 'closure' | 'transfer_out';
}

export interface CloseRunsTable {
  business_date: DateCol;
  status: 'running' | 'done';
  started_at: Timestamp;
  finished_at: Date | null;
  started_by: string;
}

export interface CloseStepsTable {
  business_date: DateCol;
  step: string;
  position: number;
  status: 'pending' | 'done';
  progress: ColumnType<unknown, string | undefined, string>;
  finished_at: Date | null;
}

export interface OutboxTable {
  id: Generated<bigint>;
  topic: string;
  dedupe_key: string;
  payload: Json;
  status: 'pending' | 'done' | 'failed';
  attempts: Generated<number>;
  available_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  done_at: Date | null;
}

export interface TaxCertificatesTable {
  id: Generated<bigint>;
  depositor_id: Int8;
  year: number;
  verification_code: string;
  content: Json;
  issued_on: DateCol;
  issued_by: string;
  created_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface Database {
  business_calendar: BusinessCalendarTable;
  districts: DistrictsTable;
  parameters: ParametersTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  idempotency_keys: IdempotencyKeysTable;
  books: BooksTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  staff_users: StaffUsersTable;
  depositors: DepositorsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  otp_challenges: OtpChallengesTable;
  employers: EmployersTable;
  accounts: AccountsTable;
  terms_versions: TermsVersionsTable;
  agreements: AgreementsTable;
  agreement_amendments: AgreementAmendmentsTable;
  si_imports: SiImportsTable;
  schema_migrations: SchemaMigrationsTable;
  deposits: DepositsTable;
  deposit_allocations: DepositAllocationsTable;
  account_months: AccountMonthsTable;
  deposit_periods: DepositPeriodsTable;
  debit_requests: DebitRequestsTable;
  payment_orders: PaymentOrdersTable;
  bank_notifications: BankNotificationsTable;
  bank_statements: BankStatementsTable;
  bank_statement_lines: BankStatementLinesTable;
  suspense_items: SuspenseItemsTable;
  interest_accruals: InterestAccrualsTable;
  interest_settlements: InterestSettlementsTable;
  account_interest: AccountInterestTable;
  close_runs: CloseRunsTable;
  close_steps: CloseStepsTable;
  outbox: OutboxTable;
  tax_certificates: TaxCertificatesTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type DepositorRow = Selectable<DepositorsTable>;
export type AgreementRow = Selectable<AgreementsTable>;
export type NewDepositor = Insertable<DepositorsTable>;
