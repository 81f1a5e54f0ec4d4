-- Every deposit reads the account's signed agreement (credit-deposit.ts: agreements by account_id), and so do
-- the periodic debits, the loan collection and the rent orders; agreements had no index on account_id, so
-- each of those reads scanned the whole table (pg_stat_user_tables after bench/deposit-notifications.ts:
-- 12,766 sequential scans reading 19 million rows for 12,761 deposits over 3,000 accounts). An account has
-- at most one signed agreement.
CREATE INDEX agreements_account ON agreements (account_id) WHERE status = 'signed';
