-- Statements and tax certificates (rules.md §12): the monthly deduction cap for calendar 2023, so the
-- first pilot year (deposits from 2023-09-13) has a certificate. Same formula as the 2023-07-01 upper
-- limit (3 × average wage × 24 %, rules.md §3.1): 6,104.00.
INSERT INTO parameters (key, value, effective_from, status, reason, proposed_by, decided_by, decided_at) VALUES
  ('tax.monthly_deduction_cap_fen', '610400', '2023-01-01', 'approved', 'rules.md §12: avg wage × 3 × 24% (as the 2023-07 upper limit)', 'system', 'system', now());
