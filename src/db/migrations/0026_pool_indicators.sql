-- The pools' month-end liquidity figures and alert level (资金流动性管理, rules.md §8): one row per pool and
-- month with the balances and flows they are computed from, the ratios, the level the figures called for
-- and the level in force after hysteresis (with the one before it, so every change is recorded with the
-- figures that caused it). Written by the close on each month end (step pool-indicators), or on demand;
-- recomputing a month rewrites its row with the same figures.
CREATE TABLE pool_indicators (
  book text NOT NULL REFERENCES books (code),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  loan_balance_fen bigint NOT NULL,
  deposit_balance_fen bigint NOT NULL,
  bank_balance_fen bigint NOT NULL,
  lent_fen bigint NOT NULL,
  pending_loans_fen bigint NOT NULL,
  net_flow_fen bigint NOT NULL,
  periods_due integer NOT NULL,
  periods_paid integer NOT NULL,
  loan_ratio_pct numeric(9, 2),
  usage_ratio_pct numeric(9, 2),
  payment_rate_pct numeric(9, 2),
  capacity_fen bigint NOT NULL,
  indicated_level text NOT NULL CHECK (indicated_level IN ('normal', 'level1', 'level2', 'level3')),
  previous_level text NOT NULL CHECK (previous_level IN ('normal', 'level1', 'level2', 'level3')),
  alert_level text NOT NULL CHECK (alert_level IN ('normal', 'level1', 'level2', 'level3')),
  change text NOT NULL CHECK (change IN ('raised', 'stepped_down', 'held')),
  computed_on date NOT NULL,
  computed_by text NOT NULL,
  PRIMARY KEY (book, month)
);
