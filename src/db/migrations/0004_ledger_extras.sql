-- Ledger extras (rules.md §7): the database backs the member-posting rule of validateEntry, and the
-- small, constantly rewritten ledger_accounts table is vacuumed often.

-- A posting names a member account exactly when it posts to 201 (the members' balances).
ALTER TABLE postings ADD CONSTRAINT postings_member_only_on_201
  CHECK ((account_code = '201') = (member_account_id IS NOT NULL));

-- Nearly every entry rewrites the 101 and 201 rows of its book: vacuum after a fixed number of dead
-- row versions instead of a fraction of a 48-row table, so the hot rows stay on one short page chain.
ALTER TABLE ledger_accounts SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
