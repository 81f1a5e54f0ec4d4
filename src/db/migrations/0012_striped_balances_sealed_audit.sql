-- Concurrency without hot rows (bench/RESULTS.md, ledger-post; docs/decisions/0004).
--
-- 1. Striped ledger balances. A posting no longer rewrites its book's 101 and 201 rows: it adds its
--    deltas to one of 16 stripe rows per ledger account (the stripe is its backend's, so concurrent
--    postings rarely share one). A ledger account's balance is the base row plus its stripes; every
--    reader goes through the view ledger_balances. ledger_accounts.balance_fen stays the base part
--    (set-based writers such as the June 30 settlement may still add to it).

COMMENT ON COLUMN ledger_accounts.balance_fen IS
  'Base part of the balance only: read balances from the view ledger_balances (base + stripes).';

CREATE TABLE ledger_balance_deltas (
  book text NOT NULL,
  code text NOT NULL,
  stripe smallint NOT NULL CHECK (stripe BETWEEN 0 AND 15),
  -- On the account's normal side, like ledger_accounts.balance_fen.
  delta_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (book, code, stripe),
  FOREIGN KEY (book, code) REFERENCES ledger_accounts (book, code)
);
-- Every stripe row exists up front, so a posting's upsert updates in place and pays no foreign-key
-- check (an account added to the chart later gets its stripes on first use).
INSERT INTO ledger_balance_deltas (book, code, stripe)
SELECT la.book, la.code, s.stripe FROM ledger_accounts la CROSS JOIN generate_series(0, 15) AS s (stripe);
-- Small and constantly rewritten: keep the page chains short where autovacuum is on.
ALTER TABLE ledger_balance_deltas SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000);

-- The one way to read a ledger account with its balance (on the normal side).
CREATE VIEW ledger_balances AS
SELECT la.book, la.code, la.name_zh, la.name_en, la.normal_side, la.parent_code, la.is_open,
  (la.balance_fen + COALESCE((
    SELECT SUM(d.delta_fen) FROM ledger_balance_deltas d WHERE d.book = la.book AND d.code = la.code
  ), 0))::bigint AS balance_fen
FROM ledger_accounts la;

-- 2. The audit chain is sealed after commit (docs/decisions/0004). A writer only inserts its row, with
--    the id of its transaction (xact_id); it no longer locks audit_head. The sealer (sealAuditChain)
--    appends to the chain, under the audit_head row lock, every unsealed row whose transaction is older
--    than the oldest one of this database still running (so no row can later appear before it), in
--    (xact_id, id) order: it sets chain_seq (the position), prev_hash and
--    hash = sha256(prev_hash || payload), and moves audit_head (last_id is the last chain position). Rows written before this migration were chained
--    in id order: they are sealed at chain_seq = id, and have no xact_id.
ALTER TABLE audit_log ADD COLUMN xact_id xid8;
ALTER TABLE audit_log ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id();
ALTER TABLE audit_log ADD COLUMN chain_seq bigint;
UPDATE audit_log SET chain_seq = id;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
-- Unique among sealed rows; a writer's insert (still unsealed) touches neither index.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_key;
CREATE UNIQUE INDEX audit_log_hash ON audit_log (hash) WHERE hash IS NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq) WHERE chain_seq IS NOT NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_sealed_whole
  CHECK ((chain_seq IS NULL) = (hash IS NULL) AND (chain_seq IS NULL) = (prev_hash IS NULL));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_unsealed_has_xact
  CHECK (chain_seq IS NOT NULL OR xact_id IS NOT NULL);
-- What the sealer reads: the rows still waiting, in chain order.
CREATE INDEX audit_log_unsealed ON audit_log (xact_id, id) WHERE chain_seq IS NULL;
