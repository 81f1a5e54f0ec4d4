-- Reconciliation against everything the books say went through the bank (rules.md §7, 对账), not only
-- deposits. Until now a statement line was matched to a deposit or, when money came in, put in suspense:
-- a loan repayment debited by the bank, a payout the bank sent back (退票) or transfer-in funds from
-- another center, all already booked Dr 101, went to suspense as well and were booked Dr 101 a second
-- time; and money going out was only counted.
--
-- bank_movements: one row per movement the books record with the bank's serial, in or out, with its
-- amount and value date, and what it was (source_type, source_id).
CREATE VIEW bank_movements AS
SELECT 'in'::text AS direction, d.bank_serial, d.amount_fen, d.value_date, 'deposit'::text AS source_type, d.id AS source_id
FROM deposits d
WHERE d.bank_serial IS NOT NULL AND d.channel IN ('debit', 'portal', 'bank_transfer')
UNION ALL
-- A loan repayment the bank debited. IN_SUSPENSE: the statement came first and its money is in suspense.
SELECT 'in', r.bank_serial, r.amount_fen, r.requested_on, 'loan_debit', r.id
FROM loan_debit_requests r
WHERE r.status = 'succeeded' AND r.bank_serial IS NOT NULL AND r.failure_code IS DISTINCT FROM 'IN_SUSPENSE'
UNION ALL
-- Transfer-in funds from the old center (credited, or waiting on 21904 for the account sheet).
SELECT 'in', t.funds_serial, t.funds_fen, t.funds_value_date, 'transfer_in', t.id
FROM transfers t
WHERE t.direction = 'in' AND t.funds_serial IS NOT NULL AND t.funds_fen IS NOT NULL
UNION ALL
-- A payout that left the bank and came back (退票): Dr 101 again.
SELECT 'in', p.return_serial, p.amount_fen, p.returned_on, 'payout_return', p.id
FROM payouts p
WHERE p.return_serial IS NOT NULL AND p.confirmed_on IS NOT NULL AND p.status IN ('returned', 'rejected')
UNION ALL
-- Payouts the bank confirmed (Dr 21903 / Cr 101), including those later sent back.
SELECT 'out', p.bank_serial, p.amount_fen, p.confirmed_on, 'payout', p.id
FROM payouts p
WHERE p.bank_serial IS NOT NULL AND p.confirmed_on IS NOT NULL
UNION ALL
SELECT 'out', l.bank_serial, l.amount_fen, l.confirmed_on, 'loan_disbursement', l.id
FROM loan_disbursements l
WHERE l.status = 'confirmed' AND l.bank_serial IS NOT NULL
UNION ALL
-- Transfer-out funds paid to the new center, once settled (Dr 21903 / Cr 101).
SELECT 'out', t.funds_serial, t.funds_fen, t.funds_value_date, 'transfer_out', t.id
FROM transfers t
WHERE t.direction = 'out' AND t.funds_serial IS NOT NULL AND t.confirm_entry_id IS NOT NULL;

-- A statement is matched by serial: each branch finds its rows through an index.
CREATE INDEX loan_debit_requests_bank_serial ON loan_debit_requests (bank_serial) WHERE bank_serial IS NOT NULL;
CREATE INDEX transfers_funds_serial ON transfers (funds_serial) WHERE funds_serial IS NOT NULL;
CREATE INDEX payouts_bank_serial ON payouts (bank_serial) WHERE bank_serial IS NOT NULL;
CREATE INDEX loan_disbursements_bank_serial ON loan_disbursements (bank_serial) WHERE bank_serial IS NOT NULL;

-- What a matched line was matched to (deposit_id stays for deposits, as before).
ALTER TABLE bank_statement_lines ADD COLUMN source_type text, ADD COLUMN source_id bigint;
UPDATE bank_statement_lines SET source_type = 'deposit', source_id = deposit_id
WHERE deposit_id IS NOT NULL AND match_status = 'matched';
