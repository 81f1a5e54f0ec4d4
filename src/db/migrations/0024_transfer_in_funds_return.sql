-- Transfer-in money that can no longer be credited goes back to the old center (rules.md §5.4). Money of a
-- transfer that ended without crediting it (refused, failed, or cancelled by the person while the old
-- center's answer crossed the cancellation) waited on 21904 with no way out. A return pays it back:
-- Dr 21904 / Cr 101 with our bank serial, and a funds message to the old center.
ALTER TABLE transfers
  ADD COLUMN return_serial text UNIQUE,
  ADD COLUMN return_entry_id bigint REFERENCES journal_entries (id),
  ADD COLUMN returned_on date,
  ADD COLUMN returned_by text,
  ADD CONSTRAINT transfers_return_complete CHECK (
    (return_serial IS NULL) = (return_entry_id IS NULL)
    AND (return_serial IS NULL) = (returned_on IS NULL)
    AND (return_serial IS NULL) = (returned_by IS NULL)
  );

-- The bank statement shows the return as money out under our serial: it is a booked movement.
CREATE OR REPLACE VIEW bank_movements AS
SELECT 'in'::text AS direction, d.bank_serial, d.amount_fen, d.value_date, 'deposit'::text AS source_type, d.id AS source_id
FROM deposits d
WHERE d.bank_serial IS NOT NULL AND d.channel IN ('debit', 'portal', 'bank_transfer')
UNION ALL
SELECT 'in', r.bank_serial, r.amount_fen, r.requested_on, 'loan_debit', r.id
FROM loan_debit_requests r
WHERE r.status = 'succeeded' AND r.bank_serial IS NOT NULL AND r.failure_code IS DISTINCT FROM 'IN_SUSPENSE'
UNION ALL
SELECT 'in', t.funds_serial, t.funds_fen, t.funds_value_date, 'transfer_in', t.id
FROM transfers t
WHERE t.direction = 'in' AND t.funds_serial IS NOT NULL AND t.funds_fen IS NOT NULL
UNION ALL
SELECT 'in', p.return_serial, p.amount_fen, p.returned_on, 'payout_return', p.id
FROM payouts p
WHERE p.return_serial IS NOT NULL AND p.confirmed_on IS NOT NULL AND p.status IN ('returned', 'rejected')
UNION ALL
SELECT 'out', p.bank_serial, p.amount_fen, p.confirmed_on, 'payout', p.id
FROM payouts p
WHERE p.bank_serial IS NOT NULL AND p.confirmed_on IS NOT NULL
UNION ALL
SELECT 'out', l.bank_serial, l.amount_fen, l.confirmed_on, 'loan_disbursement', l.id
FROM loan_disbursements l
WHERE l.status = 'confirmed' AND l.bank_serial IS NOT NULL
UNION ALL
SELECT 'out', t.funds_serial, t.funds_fen, t.funds_value_date, 'transfer_out', t.id
FROM transfers t
WHERE t.direction = 'out' AND t.funds_serial IS NOT NULL AND t.confirm_entry_id IS NOT NULL
UNION ALL
-- Transfer-in money returned to the old center (Dr 21904 / Cr 101).
SELECT 'out', t.return_serial, t.funds_fen, t.returned_on, 'transfer_in_return', t.id
FROM transfers t
WHERE t.return_serial IS NOT NULL;
