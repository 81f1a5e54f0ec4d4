-- Double-entry books (rules.md §7): two pools, each its own book; chart of accounts per book;
-- journal entries with postings; running balances kept in the normal side's sign.

CREATE TABLE books (
  code text PRIMARY KEY CHECK (code IN ('FLEX', 'MANDATORY')),
  name_zh text NOT NULL,
  name_en text NOT NULL
);
INSERT INTO books (code, name_zh, name_en) VALUES
  ('FLEX', '灵活缴存资金池', 'Flexible deposit pool'),
  ('MANDATORY', '强制缴存资金池', 'Mandatory (unit) deposit pool');

CREATE TABLE ledger_accounts (
  book text NOT NULL REFERENCES books (code),
  code text NOT NULL,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
  parent_code text,
  is_open boolean NOT NULL DEFAULT true,
  -- Balance on the normal side: debits − credits for debit-normal accounts, credits − debits otherwise.
  balance_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (book, code)
);

INSERT INTO ledger_accounts (book, code, name_zh, name_en, normal_side, parent_code)
SELECT b.code, a.code, a.name_zh, a.name_en, a.normal_side, a.parent_code
FROM books b CROSS JOIN (VALUES
  ('101', '住房公积金存款', 'HPF bank deposits', 'debit', NULL),
  ('10101', '银行在途资金（清算）', 'Bank clearing: money in transit', 'debit', '101'),
  ('111', '应收利息', 'Interest receivable', 'debit', NULL),
  ('119', '其他应收款', 'Other receivables', 'debit', NULL),
  ('11901', '资金调剂应收款', 'Inter-pool receivable', 'debit', '119'),
  ('121', '委托贷款', 'Entrusted loans', 'debit', NULL),
  ('122', '逾期贷款', 'Overdue loans', 'debit', NULL),
  ('201', '住房公积金', 'Members'' HPF balances', 'credit', NULL),
  ('211', '应付利息', 'Interest payable', 'credit', NULL),
  ('219', '其他应付款', 'Other payables', 'credit', NULL),
  ('21901', '资金调剂应付款', 'Inter-pool payable', 'credit', '219'),
  ('21902', '待查明款项（挂账）', 'Suspense: unidentified receipts', 'credit', '219'),
  ('21903', '待付款项（清算）', 'Payouts in transit', 'credit', '219'),
  ('301', '贷款风险准备', 'Loan risk reserve', 'credit', NULL),
  ('311', '增值收益', 'Value-added income', 'credit', NULL),
  ('401', '业务收入', 'Operating income', 'credit', NULL),
  ('40101', '存款利息收入', 'Deposit interest income', 'credit', '401'),
  ('40103', '委托贷款利息收入', 'Loan interest income', 'credit', '401'),
  ('40104', '资金调剂利息收入', 'Inter-pool interest income', 'credit', '401'),
  ('411', '业务支出', 'Operating expenses', 'debit', NULL),
  ('41101', '住房公积金利息支出', 'Deposit interest expense', 'debit', '411'),
  ('41102', '缴存补贴支出', 'Deposit subsidy expense', 'debit', '411'),
  ('41103', '公转商贴息支出', 'Subsidized commercial loan expense', 'debit', '411'),
  ('41104', '资金调剂利息支出', 'Inter-pool interest expense', 'debit', '411')
) AS a (code, name_zh, name_en, normal_side, parent_code);

CREATE TABLE journal_entries (
  id bigserial PRIMARY KEY,
  book text NOT NULL REFERENCES books (code),
  business_date date NOT NULL,
  entry_type text NOT NULL,
  memo text NOT NULL DEFAULT '',
  source_type text,
  source_id text,
  -- An inter-pool movement is two entries, one per book, sharing a pair id.
  pair_id uuid,
  reverses_entry_id bigint UNIQUE REFERENCES journal_entries (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_entries_date ON journal_entries (book, business_date);
CREATE INDEX journal_entries_source ON journal_entries (source_type, source_id);

CREATE TABLE postings (
  id bigserial PRIMARY KEY,
  entry_id bigint NOT NULL REFERENCES journal_entries (id),
  book text NOT NULL,
  account_code text NOT NULL,
  side char(1) NOT NULL CHECK (side IN ('D', 'C')),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  -- Set on postings to 201: the member account whose balance moves with it.
  member_account_id bigint,
  FOREIGN KEY (book, account_code) REFERENCES ledger_accounts (book, code)
);
CREATE INDEX postings_entry ON postings (entry_id);
CREATE INDEX postings_account ON postings (book, account_code);
CREATE INDEX postings_member ON postings (member_account_id) WHERE member_account_id IS NOT NULL;
