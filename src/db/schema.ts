// Row types for Kysely, one interface per table (kept in step with migrations/*.sql).
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';
import type { TransferStage } from '../domain/transfer-stages.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** timestamptz NOT NULL without a default: required on insert. */
type TimestampRequired = ColumnType<Date, Date | string, Date | string>;
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
  at: TimestampRequired;
  business_date: DateCol | null;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  summary: Json;
  payload: string;
  /** Set by the sealer (migration 0012): null while the row waits to join the chain. */
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
  hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** The position in the chain, set by the sealer. */
  chain_seq: ColumnType<bigint | null, never, bigint | null>;
  /** xid8 of the writing transaction (column default), read as a decimal string; null on rows sealed before 0012. */
  xact_id: ColumnType<string | null, never, never>;
}

/** The sealed end of the audit chain: last_id is the last chain position (chain_seq). */
export interface AuditHeadTable {
  id: Generated<number>;
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
  /** The base part only: read balances from ledger_balances (migration 0012). */
  balance_fen: Int8Default;
}

/** A ledger account's balance stripe (migration 0012): postings add their deltas here. */
export interface LedgerBalanceDeltasTable {
  book: string;
  code: string;
  stripe: number;
  delta_fen: Int8Default;
}

/** The view ledger_balances: each ledger account with its balance (base + stripes), read-only. */
export interface LedgerBalancesView {
  book: string;
  code: string;
  name_zh: string;
  name_en: string;
  normal_side: 'debit' | 'credit';
  parent_code: string | null;
  is_open: boolean;
  balance_fen: bigint;
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
  expires_at: TimestampRequired;
  revoked_at: Date | null;
  client_ip: string | null;
  user_agent: string | null;
}

/** Why a login attempt failed (migration 0005); 'rate_limited' rows are refusals during a lock. */
export type LoginFailureReason = 'bad_credentials' | 'inactive' | 'otp_incorrect' | 'rate_limited';

export interface LoginAttemptsTable {
  id: Generated<bigint>;
  principal_key: string;
  client_ip: string | null;
  succeeded: boolean;
  at: Timestamp;
  /** Null for a success (migration 0005). */
  reason: LoginFailureReason | null;
}

export interface OtpChallengesTable {
  id: string;
  depositor_id: Int8;
  code_hash: string;
  expires_at: TimestampRequired;
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
  /** Unit accounts (migration 0014): the monthly base and amount the unit deposits, and the seal. */
  unit_monthly_base_fen: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  unit_monthly_amount_fen: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  seal_reason: ColumnType<string | null, string | null | undefined, string | null>;
  sealed_on: ColumnType<DateCol | null, DateCol | null | undefined, DateCol | null>;
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
  expires_at: TimestampRequired;
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
  /** Why a notification credited nothing (migration 0007). */
  detail: string | null;
  /** The deposit the notification made. */
  deposit_id: Int8 | null;
  /** A repeated delivery: the first row for its serial. */
  duplicate_of: Int8 | null;
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
  /** What a matched (or amount-mismatched) line was matched to (migration 0021, view bank_movements). */
  source_type: BankMovementSource | null;
  source_id: Int8 | null;
}

/** The kinds of booked bank movements a statement line is matched to (view bank_movements, 0021, 0024). */
export type BankMovementSource =
  | 'deposit'
  | 'loan_debit'
  | 'transfer_in'
  | 'payout_return'
  | 'payout'
  | 'loan_disbursement'
  | 'transfer_out'
  | 'transfer_in_return';

/** The view bank_movements (migration 0021): every movement the books record with a bank serial. Read only. */
export interface BankMovementsView {
  direction: 'in' | 'out';
  bank_serial: string;
  amount_fen: Int8;
  value_date: DateCol;
  source_type: BankMovementSource;
  source_id: Int8;
}

export interface SuspenseItemsTable {
  id: Generated<bigint>;
  statement_line_id: Int8;
  amount_fen: Int8;
  value_date: DateCol;
  /** refunding: its payout to the payer is in flight (migration 0025). */
  status: 'open' | 'assigned' | 'refunding' | 'refunded';
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

/** A cut of the interest year's accumulators at a rate change (migration 0008); numeric rates as strings. */
export interface InterestRateSegmentsTable {
  starts_on: DateCol;
  hpf_year: number;
  old_rate_pct: string;
  rate_pct: string;
  accounts: number;
  applied_on: DateCol;
  applied_by: string;
  created_at: Timestamp;
}

export interface AccountInterestTable {
  account_id: Int8;
  hpf_year: number;
  settled_on: DateCol;
  interest_fen: Int8;
  kind: 'annual' | 'closure' | 'transfer_out' | 'conversion';
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

// ---- withdrawals (migration 0013) ----------------------------------------------------------------------

export interface WithdrawalsTable {
  id: Generated<bigint>;
  account_id: Int8;
  depositor_id: Int8;
  kind: 'rent' | 'free' | 'closure';
  business_type: '11' | '12';
  reason_code: '07' | '99';
  channel: 'counter' | 'self_service' | 'standing_order';
  status: 'pending_review' | 'rejected' | 'posted' | 'paid' | 'returned';
  amount_fen: Int8;
  interest_fen: Int8Default;
  subsidy_fen: Int8Default;
  calendar_year: number;
  public_rental: Generated<boolean>;
  landlord_name: string | null;
  lease_address: string | null;
  lease_start: DateCol | null;
  lease_end: DateCol | null;
  monthly_rent_fen: Int8 | null;
  contract_no: string | null;
  rent_order_id: Int8 | null;
  due_date: DateCol | null;
  review_reasons: ColumnType<unknown, string | undefined, string>;
  maker: string;
  checker: string | null;
  decision_note: string | null;
  decided_at: Date | null;
  business_date: DateCol;
  journal_entry_id: Int8 | null;
  returned_on: DateCol | null;
  created_at: Timestamp;
}

export interface RentOrdersTable {
  id: Generated<bigint>;
  account_id: Int8;
  depositor_id: Int8;
  status: 'active' | 'ended';
  monthly_amount_fen: Int8;
  pay_day: number;
  next_due_date: DateCol;
  public_rental: Generated<boolean>;
  landlord_name: string;
  lease_address: string;
  lease_start: DateCol;
  lease_end: DateCol;
  monthly_rent_fen: Int8;
  contract_no: string;
  created_by: string;
  created_on: DateCol;
  ended_on: DateCol | null;
  ended_reason: string | null;
  created_at: Timestamp;
}

export interface RentOrderRunsTable {
  rent_order_id: Int8;
  due_date: DateCol;
  business_date: DateCol;
  outcome: 'paid' | 'cap_reached' | 'no_balance' | 'account_not_open' | 'lease_ended';
  withdrawal_id: Int8 | null;
  amount_fen: Int8Default;
}

export type PayoutStatus = 'pending' | 'sent' | 'accepted' | 'confirmed' | 'rejected' | 'returned';

/** What a payout pays (migration 0022): a withdrawal, or the refund of a loan over-payment. */
export type PayoutPurpose = 'withdrawal' | 'loan_refund' | 'suspense_refund';

export interface PayoutsTable {
  id: Generated<bigint>;
  request_no: GeneratedAlways<string>;
  /** Set for a withdrawal's payout, null for a loan refund's (exactly one of the two, migration 0022). */
  withdrawal_id: Int8 | null;
  purpose: Generated<PayoutPurpose>;
  loan_refund_id: Int8 | null;
  /** Set for a suspense refund's payout (migration 0025): the payer is no member, account_id is null. */
  suspense_item_id: Int8 | null;
  account_id: Int8 | null;
  book: string;
  amount_fen: Int8;
  bank_name: string;
  bank_card: string;
  value_date: DateCol;
  status: PayoutStatus;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  sent_at: Date | null;
  answered_at: Date | null;
  bank_serial: string | null;
  confirmed_on: DateCol | null;
  confirm_entry_id: Int8 | null;
  return_serial: string | null;
  return_reason: string | null;
  returned_on: DateCol | null;
  return_entry_id: Int8 | null;
  created_at: Timestamp;
}

export interface HousingReferralsTable {
  id: Generated<bigint>;
  depositor_id: Int8;
  account_id: Int8;
  queues: string[];
  household_size: number;
  requested_on: DateCol;
  requested_by: string;
  created_at: Timestamp;
}

export interface ClosureCertificatesTable {
  id: Generated<bigint>;
  withdrawal_id: Int8;
  verification_code: string;
  content: Json;
  issued_on: DateCol;
  issued_by: string;
  created_at: Timestamp;
}

// Unit side and identity conversion (migration 0014).

export interface UnitImportsTable {
  id: Generated<bigint>;
  file_sha256: string;
  file_name: string;
  imported_by: string;
  business_date: DateCol;
  total_rows: number;
  created_rows: number;
  existing_rows: number;
  unmatched_rows: number;
  malformed_rows: number;
  report: Json;
  created_at: Timestamp;
}

export interface UnitRemittancesTable {
  id: Generated<bigint>;
  employer_id: Int8;
  month: DateCol;
  total_fen: Int8;
  value_date: DateCol;
  business_date: DateCol;
  journal_entry_id: Int8;
  created_by: string;
  created_at: Timestamp;
}

export interface UnitRemittanceLinesTable {
  remittance_id: Int8;
  account_id: Int8;
  amount_fen: Int8;
}

export interface ConversionsTable {
  id: Generated<bigint>;
  direction: 'to_unit' | 'to_flexible';
  depositor_id: Int8;
  from_account_id: Int8;
  to_account_id: Int8;
  principal_fen: Int8;
  interest_fen: Int8;
  amount_fen: Int8;
  months_carried: number;
  agreement_id: Int8 | null;
  periods_cancelled: ColumnType<number, number | undefined, number>;
  subsidy_forfeited: ColumnType<boolean, boolean | undefined, boolean>;
  subsidy_forfeited_fen: Int8Default;
  interest_entry_id: Int8 | null;
  pair_id: string | null;
  settlement_pair_id: string | null;
  business_date: DateCol;
  created_by: string;
  created_at: Timestamp;
}

// ---- cross-city transfers (migration 0015) -------------------------------------------------------------

/** Our progress on a transfer (text without a CHECK; the stages the transfer services write). */
export type { TransferStage };

export interface TransfersTable {
  id: Generated<bigint>;
  transfer_no: string;
  direction: 'in' | 'out';
  /** JGJ/T 320 from our side: 08 transfer in, 07 transfer out. */
  business_type: '07' | '08';
  account_id: Int8 | null;
  depositor_id: Int8 | null;
  peer_center_code: string;
  peer_center_name: string;
  peer_account_number: string;
  stage: TransferStage;
  platform_status: string | null;
  refusal_reason: string | null;
  contact_letter: Json;
  account_sheet: ColumnType<unknown, string | null | undefined, string | null>;
  principal_fen: Int8 | null;
  interest_fen: Int8 | null;
  funds_fen: Int8 | null;
  funds_serial: string | null;
  funds_value_date: DateCol | null;
  funds_entry_id: Int8 | null;
  credit_entry_id: Int8 | null;
  payout_entry_id: Int8 | null;
  confirm_entry_id: Int8 | null;
  /** Transfer-in money paid back to the old center (migration 0024): our serial, its entry, date and actor. */
  return_serial: string | null;
  return_entry_id: Int8 | null;
  returned_on: DateCol | null;
  returned_by: string | null;
  months_credited: Generated<number>;
  inbound_next_seq: Generated<number>;
  outbound_next_seq: Generated<number>;
  business_date: DateCol;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every platform message in both directions, unique by (direction, message_id). */
export interface TransferMessagesTable {
  id: Generated<bigint>;
  message_id: string;
  direction: 'inbound' | 'outbound';
  transfer_no: string;
  transfer_id: Int8 | null;
  type: string;
  seq: number | null;
  raw_body: string;
  body_sha256: string;
  signature: string;
  /** inbound: processed, held, rejected; outbound: pending, sent, failed. */
  state: 'processed' | 'held' | 'rejected' | 'pending' | 'sent' | 'failed';
  outcome: string | null;
  detail: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Timestamp;
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
  ledger_balance_deltas: LedgerBalanceDeltasTable;
  ledger_balances: LedgerBalancesView;
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
  bank_movements: BankMovementsView;
  suspense_items: SuspenseItemsTable;
  interest_accruals: InterestAccrualsTable;
  interest_settlements: InterestSettlementsTable;
  interest_rate_segments: InterestRateSegmentsTable;
  account_interest: AccountInterestTable;
  close_runs: CloseRunsTable;
  close_steps: CloseStepsTable;
  outbox: OutboxTable;
  tax_certificates: TaxCertificatesTable;
  withdrawals: WithdrawalsTable;
  rent_orders: RentOrdersTable;
  rent_order_runs: RentOrderRunsTable;
  payouts: PayoutsTable;
  housing_referrals: HousingReferralsTable;
  closure_certificates: ClosureCertificatesTable;
  unit_imports: UnitImportsTable;
  unit_remittances: UnitRemittancesTable;
  unit_remittance_lines: UnitRemittanceLinesTable;
  conversions: ConversionsTable;
  transfers: TransfersTable;
  transfer_messages: TransferMessagesTable;
  loans: LoansTable;
  loan_disbursements: LoanDisbursementsTable;
  loan_installments: LoanInstallmentsTable;
  loan_collections: LoanCollectionsTable;
  loan_debit_requests: LoanDebitRequestsTable;
  loan_repayments: LoanRepaymentsTable;
  loan_repayment_lines: LoanRepaymentLinesTable;
  loan_penalty_accruals: LoanPenaltyAccrualsTable;
  loan_defaulters: LoanDefaultersTable;
  loan_debit_batches: LoanDebitBatchesTable;
  loan_schedule_versions: LoanScheduleVersionsTable;
  loan_installment_history: LoanInstallmentHistoryTable;
  loan_prepayments: LoanPrepaymentsTable;
  loan_settlements: LoanSettlementsTable;
  loan_rate_history: LoanRateHistoryTable;
  loan_overpayment_refunds: LoanOverpaymentRefundsTable;
  loan_overpayment_refund_lines: LoanOverpaymentRefundLinesTable;
  pool_indicators: PoolIndicatorsTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type DepositorRow = Selectable<DepositorsTable>;
export type AgreementRow = Selectable<AgreementsTable>;
export type NewDepositor = Insertable<DepositorsTable>;

// ---- loans (migration 0016) ----------------------------------------------------------------------------

export type LoanStatus =
  | 'applied'
  | 'reviewed'
  | 'awaiting_manager'
  | 'approved'
  | 'contracted'
  | 'mortgaged'
  | 'disbursed'
  | 'settled'
  | 'rejected';

export interface LoansTable {
  id: Generated<bigint>;
  loan_number: GeneratedAlways<string>;
  depositor_id: Int8;
  account_id: Int8;
  spouse_depositor_id: Int8 | null;
  spouse_account_id: Int8 | null;
  spouse_name: string | null;
  spouse_id_masked: string | null;
  channel: 'counter' | 'portal';
  house_address: string;
  house_area_sqm: string;
  house_price_fen: Int8;
  home: 'first' | 'second';
  house_in_city: boolean;
  children: Generated<number>;
  seller_name: string;
  seller_bank_name: string;
  seller_bank_account: string;
  monthly_income_fen: Int8;
  monthly_debts_fen: Int8;
  income_evidence: string;
  requested_fen: Int8;
  term_months: number;
  method: 'equal-installment' | 'equal-principal';
  credit_report: Json;
  quota_fen: Int8;
  quota: Json;
  annual_rate_pct: string;
  rate_from: DateCol;
  status: LoanStatus;
  applied_on: DateCol;
  applied_by: string;
  reviewed_by: string | null;
  reviewed_on: DateCol | null;
  approved_by: string | null;
  approved_on: DateCol | null;
  needs_manager: Generated<boolean>;
  manager_approved_by: string | null;
  manager_approved_on: DateCol | null;
  rejected_by: string | null;
  rejected_step: string | null;
  rejection_reason: string | null;
  contract_no: string | null;
  contract_date: DateCol | null;
  contract_sha256: string | null;
  mortgage_certificate_no: string | null;
  mortgage_address: string | null;
  mortgage_area_sqm: string | null;
  mortgage_price_fen: Int8 | null;
  mortgage_recorded_on: DateCol | null;
  disbursed_on: DateCol | null;
  settled_on: DateCol | null;
  created_at: Generated<Date>;
  /** Repayment state (migration 0017): monthly balance offset (冲还贷) signed, and when it last changed. */
  balance_offset: Generated<boolean>;
  balance_offset_changed_on: DateCol | null;
  /** Penalty interest accrued and paid (loan level); penalty_through: the last day accrued. */
  penalty_accrued_fen: Int8Default;
  penalty_paid_fen: Int8Default;
  penalty_through: DateCol | null;
  days_past_due: Generated<number>;
  risk_class: Generated<LoanRiskClass>;
  missed_installments: Generated<number>;
  max_consecutive_missed: Generated<number>;
  enforcement_flagged_on: DateCol | null;
}

/** The five-level loan classification (五级分类, migration 0017). */
export type LoanRiskClass = '01' | '02' | '03' | '04' | '05';

export type LoanDisbursementStatus = 'pending' | 'sent' | 'accepted' | 'confirmed' | 'rejected';

export interface LoanDisbursementsTable {
  id: Generated<bigint>;
  request_no: GeneratedAlways<string>;
  loan_id: Int8;
  book: string;
  amount_fen: Int8;
  payee_name: string;
  bank_name: string;
  bank_account: string;
  value_date: DateCol;
  status: LoanDisbursementStatus;
  attempts: Generated<number>;
  last_error: string | null;
  entry_id: Int8;
  bank_serial: string | null;
  confirmed_on: DateCol | null;
  confirm_entry_id: Int8 | null;
  created_at: Generated<Date>;
}

export interface LoanInstallmentsTable {
  loan_id: Int8;
  period: number;
  due_date: DateCol;
  principal_fen: Int8;
  interest_fen: Int8;
  payment_fen: Int8;
  balance_fen: Int8;
  status: Generated<'scheduled' | 'paid' | 'overdue'>;
  /** What was paid of it, when it became overdue and when it was paid in full (migration 0017). */
  principal_paid_fen: Int8Default;
  interest_paid_fen: Int8Default;
  overdue_on: DateCol | null;
  paid_on: DateCol | null;
}

// ---- loan repayment (migrations 0017, 0019) -------------------------------------------------------------

/** One loan's collection on one due date: what was owed, taken from the HPF balance, asked of the bank. */
export interface LoanCollectionsTable {
  loan_id: Int8;
  due_date: DateCol;
  owed_fen: Int8;
  offset_fen: Int8;
  debit_fen: Int8;
  outcome: 'offset' | 'debit' | 'offset+debit' | 'no_card';
  created_at: Generated<Date>;
}

/** Bank debits for loan repayments (代扣还款); request_no is 'LR' + the id. */
export interface LoanDebitRequestsTable {
  id: Generated<bigint>;
  request_no: GeneratedAlways<string>;
  loan_id: Int8;
  account_number: string;
  bank_card: string;
  amount_fen: Int8;
  requested_on: DateCol;
  status: 'pending' | 'sent' | 'succeeded' | 'failed';
  failure_code: string | null;
  bank_serial: string | null;
  repayment_id: Int8 | null;
  created_at: Generated<Date>;
  answered_at: Date | null;
  /** The batch file the request went in (migration 0019). */
  batch_no: string | null;
}

/** Every repayment, whatever its channel; source_key makes it idempotent per loan. */
export interface LoanRepaymentsTable {
  id: Generated<bigint>;
  loan_id: Int8;
  channel: 'offset' | 'debit' | 'counter';
  business_type: '02' | '04' | '05';
  source_key: string;
  amount_fen: Int8;
  penalty_fen: Int8Default;
  overdue_interest_fen: Int8Default;
  overdue_principal_fen: Int8Default;
  interest_fen: Int8Default;
  principal_fen: Int8Default;
  /** Received beyond what was owed, held on 21909 for refund. */
  unapplied_fen: Int8Default;
  business_date: DateCol;
  entry_id: Int8;
  created_by: string;
  created_at: Generated<Date>;
}

/** How a repayment was applied (the waterfall), line by line; period is null for the penalty. */
export interface LoanRepaymentLinesTable {
  repayment_id: Int8;
  loan_id: Int8;
  seq: number;
  component: 'penalty' | 'interest' | 'principal';
  period: number | null;
  overdue: boolean;
  amount_fen: Int8;
}

/** Penalty interest, one row per loan and day. */
export interface LoanPenaltyAccrualsTable {
  loan_id: Int8;
  accrual_date: DateCol;
  base_fen: Int8;
  annual_rate_pct: string;
  penalty_fen: Int8;
  business_date: DateCol;
}

/** The defaulter list (失信名单): one row per loan. */
export interface LoanDefaultersTable {
  id: Generated<bigint>;
  depositor_id: Int8;
  loan_id: Int8;
  listed_on: DateCol;
  missed_installments: number;
  max_consecutive_missed: number;
  created_at: Generated<Date>;
}

/** One batch debit file per close (批量代扣, migration 0019); batch_no is the bank's idempotency key. */
export interface LoanDebitBatchesTable {
  batch_no: string;
  requested_on: DateCol;
  request_count: number;
  amount_fen: Int8;
  status: 'prepared' | 'sent' | 'rejected' | 'answered';
  failure_code: string | null;
  result_sha256: string | null;
  result_lines: number | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  answered_at: Date | null;
}

// ---- loan prepayment, settlement and repricing (migration 0018) ------------------------------------------

export type LoanFunding = 'hpf-balance' | 'bank';

export interface LoanScheduleVersionsTable {
  id: Generated<bigint>;
  loan_id: Int8;
  version: number;
  reason: 'prepayment' | 'settlement' | 'repricing';
  effective_on: DateCol;
  old_rate_pct: string;
  new_rate_pct: string;
  replaced_rows: number;
  replaced_principal_fen: Int8;
  new_rows: number;
  new_principal_fen: Int8;
  created_by: string;
  created_at: Generated<Date>;
}

export interface LoanInstallmentHistoryTable {
  version_id: Int8;
  loan_id: Int8;
  period: number;
  due_date: DateCol;
  principal_fen: Int8;
  interest_fen: Int8;
  payment_fen: Int8;
  balance_fen: Int8;
  status: string;
}

export interface LoanPrepaymentsTable {
  id: Generated<bigint>;
  loan_id: Int8;
  prepaid_on: DateCol;
  mode: 'keep-term' | 'keep-installment';
  funding: LoanFunding;
  business_type: '03' | '05+03';
  principal_fen: Int8;
  interest_fen: Int8;
  total_fen: Int8;
  accrued_from: DateCol;
  accrued_days: number;
  remaining_before_fen: Int8;
  remaining_after_fen: Int8;
  months_before: number;
  months_after: number;
  installment_before_fen: Int8;
  installment_after_fen: Int8;
  bank_reference: string | null;
  schedule_version_id: Int8;
  entry_id: Int8;
  created_by: string;
  created_at: Generated<Date>;
}

export interface LoanSettlementsTable {
  id: Generated<bigint>;
  certificate_no: GeneratedAlways<string>;
  loan_id: Int8;
  settled_on: DateCol;
  funding: LoanFunding;
  business_type: '06' | '05+06';
  principal_fen: Int8;
  interest_fen: Int8;
  total_fen: Int8;
  accrued_from: DateCol;
  accrued_days: number;
  bank_reference: string | null;
  mortgage_certificate_no: string | null;
  mortgage_release_note: string;
  content: Json;
  schedule_version_id: Int8;
  entry_id: Int8;
  created_by: string;
  created_at: Generated<Date>;
}

export interface LoanRateHistoryTable {
  loan_id: Int8;
  effective_on: DateCol;
  old_rate_pct: string;
  new_rate_pct: string;
  old_rate_from: DateCol;
  new_rate_from: DateCol;
  remaining_principal_fen: Int8;
  remaining_months: number;
  old_installment_fen: Int8;
  new_installment_fen: Int8;
  schedule_version_id: Int8 | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** A loan refund's standing (migration 0022): posted (in flight), paid, or back on 21909. */
export type LoanRefundStatus = 'posted' | 'paid' | 'rejected' | 'returned';

/** Refunds of loan over-payments held on 21909 (migration 0022). */
export interface LoanOverpaymentRefundsTable {
  id: Generated<bigint>;
  loan_id: Int8;
  amount_fen: Int8;
  status: LoanRefundStatus;
  business_date: DateCol;
  journal_entry_id: Int8;
  returned_on: DateCol | null;
  created_by: string;
  created_at: Generated<Date>;
}

/** How much of each repayment's over-payment a refund pays back. */
export interface LoanOverpaymentRefundLinesTable {
  refund_id: Int8;
  repayment_id: Int8;
  amount_fen: Int8;
}

// ---- liquidity (migration 0026) ------------------------------------------------------------------------

type Numeric = ColumnType<string | null, string | null, string | null>;
type Level = 'normal' | 'level1' | 'level2' | 'level3';

/** A pool's month-end liquidity figures and alert level (rules.md §8); numeric percents as strings. */
export interface PoolIndicatorsTable {
  book: string;
  /** The first day of the month. */
  month: DateCol;
  loan_balance_fen: Int8;
  deposit_balance_fen: Int8;
  bank_balance_fen: Int8;
  lent_fen: Int8;
  pending_loans_fen: Int8;
  net_flow_fen: Int8;
  periods_due: number;
  periods_paid: number;
  loan_ratio_pct: Numeric;
  usage_ratio_pct: Numeric;
  payment_rate_pct: Numeric;
  capacity_fen: Int8;
  indicated_level: Level;
  previous_level: Level;
  alert_level: Level;
  change: 'raised' | 'stepped_down' | 'held';
  computed_on: DateCol;
  computed_by: string;
}
