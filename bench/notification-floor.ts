// The floor under the deposit-notification benchmark: pgbench's C client running, in one statement, only
// the rows one credited notification must write (journal entry, two postings, member balance, ledger
// stripes, deposit, month allocation, covered month, audit row, order paid, notification recorded), with
// no reads, no checks, no locks taken first, no Node and no HTTP. No implementation of the notification
// path can beat it with one notification per transaction; `perTransaction` > 1 shows what grouping
// notifications into one transaction could at best give. Written against the bench's own database after
// its checks (the floor's rows are not a real deposit: orders are marked paid with another amount).
export function notificationFloorScript(orderCount: number, perTransaction: number): string {
  const statement = (n: number) => `
WITH o AS MATERIALIZED (SELECT id, account_id FROM payment_orders WHERE id = :oid${n}),
je AS (INSERT INTO journal_entries (book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
  SELECT 'FLEX', DATE '2025-03-03', DATE '2025-03-03', 'deposit', '缴存 floor', 'deposit', o.id::text, 'system:bank' FROM o
  RETURNING id),
p AS (INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
  SELECT je.id, 'FLEX', v.c, v.s, :amt, CASE WHEN v.c = '201' THEN o.account_id END
  FROM je, o, (VALUES ('101', 'D'), ('201', 'C')) v (c, s)),
a AS (UPDATE accounts SET balance_fen = balance_fen + :amt, current_year_fen = current_year_fen + :amt,
  balance_days_fen = balance_days_fen + :amt * 120 WHERE id = (SELECT account_id FROM o)),
st AS (INSERT INTO ledger_balance_deltas AS s (book, code, stripe, delta_fen)
  VALUES ('FLEX', '101', (pg_backend_pid() % 16)::smallint, :amt), ('FLEX', '201', (pg_backend_pid() % 16)::smallint, :amt)
  ON CONFLICT (book, code, stripe) DO UPDATE SET delta_fen = s.delta_fen + excluded.delta_fen),
d AS (INSERT INTO deposits (account_id, amount_fen, value_date, business_date, channel, bank_serial, payment_order_id,
    journal_entry_id, hpf_year, created_by)
  SELECT o.account_id, :amt, DATE '2025-03-03', DATE '2025-03-03', 'portal', 'FLOOR' || je.id, o.id, je.id, 2024, 'system:bank'
  FROM o, je RETURNING id),
al AS (INSERT INTO deposit_allocations (deposit_id, month, amount_fen) SELECT d.id, DATE '2025-03-01', :amt FROM d),
am AS (INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered)
  SELECT o.account_id, DATE '2025-03-01', :amt, 19800, true FROM o
  ON CONFLICT (account_id, month) DO UPDATE SET allocated_fen = account_months.allocated_fen + EXCLUDED.allocated_fen),
au AS (INSERT INTO audit_log (at, business_date, actor, action, subject_type, subject_id, summary, payload)
  SELECT now(), DATE '2025-03-03', 'system:bank', 'deposit.credit', 'account', o.account_id::text,
    jsonb_build_object('depositId', d.id::text, 'amount', :amt, 'valueDate', '2025-03-03', 'channel', 'portal',
      'bankSerial', 'FLOOR', 'periodId', null, 'months', jsonb_build_array('2025-03')),
    '{"at":"2026-11-27T08:00:00.000Z","businessDate":"2025-03-03","actor":"system:bank","action":"deposit.credit"}'
  FROM o, d),
po AS (UPDATE payment_orders SET status = 'paid', deposit_id = (SELECT id FROM d) WHERE id = :oid${n}),
bn AS (INSERT INTO bank_notifications (bank_serial, kind, payload, signature, signature_valid, outcome, detail, deposit_id)
  SELECT 'FLOOR' || d.id, 'credit',
    '{"serial":"X","kind":"credit","orderNo":"P1","amount":"1000.00","valueDate":"2025-03-03","status":"success"}'::jsonb,
    'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed', true, 'credited', NULL, d.id FROM d)
SELECT 1;`;
  const lines = ['\\set amt random(19800, 119799)'];
  for (let n = 0; n < perTransaction; n += 1) lines.push(`\\set oid${n} random(1, ${orderCount})`);
  if (perTransaction > 1) lines.push('BEGIN;');
  for (let n = 0; n < perTransaction; n += 1) lines.push(statement(n).trim());
  if (perTransaction > 1) lines.push('COMMIT;');
  return `${lines.join('\n')}\n`;
}
