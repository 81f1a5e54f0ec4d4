-- Interest (rules.md §4.1): the rate segments of an interest year. When `interest.annual_rate_pct` changes
-- inside an interest year (July 1 – June 30), every account's accumulator is cut on the first day of the
-- new rate (src/services/interest/apply-rate-change.ts): the closed segment's fen·days·rate% moves into
-- accounts.interest_carry and balance_days_fen restarts from that day. One row per cut, so a cut is
-- applied at most once; the row also tells which rate the current segment earns.
CREATE TABLE interest_rate_segments (
  starts_on date PRIMARY KEY,
  hpf_year integer NOT NULL,
  old_rate_pct numeric NOT NULL CHECK (old_rate_pct >= 0),
  rate_pct numeric NOT NULL CHECK (rate_pct >= 0),
  accounts integer NOT NULL,
  applied_on date NOT NULL,
  applied_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A segment starts after July 1: a rate starting on July 1 is simply the new year's rate.
  CHECK (starts_on > make_date(hpf_year, 7, 1) AND starts_on <= make_date(hpf_year + 1, 6, 30))
);
CREATE INDEX interest_rate_segments_year ON interest_rate_segments (hpf_year, starts_on DESC);
