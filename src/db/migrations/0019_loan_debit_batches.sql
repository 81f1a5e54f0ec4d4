-- Loan repayment debits as one batch exchange with the bank per close (批量代扣, rules.md §6.5): the close
-- hands the bank one debit request file and applies the bank's one signed result file (回盘) set-based.
-- batch_no is the bank's idempotency key for the file (a batch re-sent after a crash moves nothing again),
-- as request_no is for each line. result_sha256: the result file applied (a second copy changes nothing).
CREATE TABLE loan_debit_batches (
  batch_no text PRIMARY KEY,
  requested_on date NOT NULL,
  request_count integer NOT NULL CHECK (request_count > 0),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL CHECK (status IN ('prepared', 'sent', 'rejected', 'answered')),
  failure_code text,
  result_sha256 text,
  result_lines integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  answered_at timestamptz
);
CREATE INDEX loan_debit_batches_date ON loan_debit_batches (requested_on);

ALTER TABLE loan_debit_requests ADD COLUMN batch_no text REFERENCES loan_debit_batches (batch_no);
CREATE INDEX loan_debit_requests_batch ON loan_debit_requests (batch_no);
