-- Periodic plans: where each signed periodic agreement stands, so the daily close finds the agreements
-- with a period falling due by an index lookup instead of recomputing every plan.
ALTER TABLE agreements ADD COLUMN next_period_start date;
ALTER TABLE agreements ADD COLUMN next_due_date date;
CREATE INDEX agreements_next_due ON agreements (next_due_date) WHERE status = 'signed' AND next_due_date IS NOT NULL;
