-- The bank integration: what became of each notification (the deposit it made, why it was not
-- credited, which earlier row a duplicate repeats), and the lookups reconciliation needs.

-- Why a notification credited nothing (a refusal code, or why it is unmatched).
ALTER TABLE bank_notifications ADD COLUMN detail text;
-- The deposit a notification made, so a duplicate can answer with the first outcome.
ALTER TABLE bank_notifications ADD COLUMN deposit_id bigint REFERENCES deposits (id);
-- A repeated delivery points at the first row for its serial; only the first row is acted on.
ALTER TABLE bank_notifications ADD COLUMN duplicate_of bigint REFERENCES bank_notifications (id);
-- At most one acted-on notification (signed, well-formed, first) per bank serial, whatever the concurrency.
CREATE UNIQUE INDEX bank_notifications_first ON bank_notifications (bank_serial)
  WHERE signature_valid AND duplicate_of IS NULL AND outcome <> 'malformed';

-- Reconciliation by value date: bank-sourced deposits, and statement lines.
CREATE INDEX deposits_bank_value_date ON deposits (value_date) WHERE bank_serial IS NOT NULL;
CREATE INDEX bank_statement_lines_value_date ON bank_statement_lines (value_date);
CREATE INDEX suspense_items_open ON suspense_items (value_date) WHERE status = 'open';

-- One open portal order per periodic period at a time.
CREATE INDEX payment_orders_open_period ON payment_orders (deposit_period_id) WHERE status = 'open';
