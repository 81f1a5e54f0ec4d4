// The standing rent orders benchmark (rules.md §5.1 按月提取): on PostgreSQL, N eligible accounts from the
// set-based fixture generator (`anju bench-data`), N standing orders due on one day (set-based fixture),
// then the close's rent-orders step timed (one withdrawal row, entry, two postings and one payout per
// order), compared with a plain set-based INSERT of the same number of posting rows in the same run; the
// payout dispatch (the next close step) is timed too, against the in-process bank.
// Run: npx tsx bench/rent-orders.ts [--orders 100000] [--verify] [--keep]
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { generateBenchData } from '../src/cli/commands/bench-data.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { SYSTEM_ACTOR } from '../src/domain/roles.ts';
import { formatVerifyReport, verifyBooks } from '../src/ledger/verify-books.ts';
import { InProcessBank } from '../src/integrations/bank/in-process-bank.ts';
import { payRentOrders } from '../src/services/withdrawals/pay-rent-orders.ts';
import { dispatchPayouts } from '../src/services/payouts/dispatch-payouts.ts';
import {
  benchBaseUrl,
  describeMachine,
  dropDatabase,
  numberFlag,
  recreateDatabase,
} from './pgbench-baseline.ts';

const DATABASE = 'anju_bench_rent';
/** The pay day closed: the fixture's deposits cover July 2024 … February 2025 (8 consecutive months). */
const PAY_DATE = '2025-03-05';

/** The baseline: one set-based INSERT … SELECT of `rows` posting-shaped rows into a fresh scratch table. */
async function baseline(db: Db, rows: number): Promise<number> {
  await sql`DROP TABLE IF EXISTS bench_scratch`.execute(db);
  await sql`CREATE TABLE bench_scratch (entry_id bigint NOT NULL, book text NOT NULL, account_code text NOT NULL,
    side text NOT NULL, amount_fen bigint NOT NULL, member_account_id bigint)`.execute(db);
  const t0 = performance.now();
  await sql`INSERT INTO bench_scratch (entry_id, book, account_code, side, amount_fen, member_account_id)
    SELECT g / 2, 'FLEX', CASE WHEN g % 2 = 0 THEN '201' ELSE '21903' END, CASE WHEN g % 2 = 0 THEN 'D' ELSE 'C' END,
      100000, CASE WHEN g % 2 = 0 THEN g / 2 END
    FROM generate_series(1, ${rows}::int) g`.execute(db);
  const seconds = (performance.now() - t0) / 1000;
  await sql`DROP TABLE bench_scratch`.execute(db);
  return seconds;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const orders = numberFlag(argv, 'orders', 100_000);
  const verify = argv.includes('--verify');
  const keep = argv.includes('--keep');
  const baseUrl = benchBaseUrl();
  console.log(await describeMachine(baseUrl));
  const url = await recreateDatabase(baseUrl, DATABASE);
  const handle = await openDatabase({ url, poolSize: 2 });
  const db = handle.db;
  try {
    await migrate(db);
    await sql`INSERT INTO business_calendar (id, business_date) VALUES (1, ${PAY_DATE}::date)`.execute(db);
    let t0 = performance.now();
    await generateBenchData(db, { accounts: orders, deposits: 8, year: 2024 });
    console.log(
      `fixture: ${orders.toLocaleString('en')} accounts × 8 deposits in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    t0 = performance.now();
    await sql`
      INSERT INTO rent_orders (account_id, depositor_id, status, monthly_amount_fen, pay_day, next_due_date, landlord_name,
        lease_address, lease_start, lease_end, monthly_rent_fen, contract_no, created_by, created_on)
      SELECT a.id, a.depositor_id, 'active', 100000, 5, ${PAY_DATE}::date, '压测房东', '包头市压测路 ' || a.id || ' 号',
        '2025-01-01', '2025-12-31', 120000, 'BENCH-' || a.id, 'system:bench', '2025-03-01'
      FROM accounts a WHERE a.kind = 'flexible'`.execute(db);
    await sql`ANALYZE rent_orders`.execute(db);
    console.log(
      `fixture: ${orders.toLocaleString('en')} rent orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const postingRows = orders * 2;
    const baselineSeconds = await baseline(db, postingRows);
    t0 = performance.now();
    const stages: string[] = [];
    let last = 0;
    const paid = await payRentOrders({
      db,
      date: PAY_DATE,
      actor: SYSTEM_ACTOR,
      onStage: (stage, s) => {
        stages.push(`${stage} ${(s - last).toFixed(2)}`);
        last = s;
      },
    });
    const paySeconds = (performance.now() - t0) / 1000;
    console.log(`rent-orders step: ${JSON.stringify(paid)} in ${paySeconds.toFixed(2)} s`);
    console.log(`stages (s): ${stages.join(', ')}`);
    const bank = new InProcessBank({ serialPrefix: 'BENCH', timeoutMs: 50 });
    t0 = performance.now();
    const dispatched = await dispatchPayouts({ db, bank, ignoreBackoff: true });
    const dispatchSeconds = (performance.now() - t0) / 1000;
    console.log(`payout-dispatch step: ${JSON.stringify(dispatched)} in ${dispatchSeconds.toFixed(2)} s`);
    console.log(
      `\n| orders | pay step s | orders/s | baseline (${postingRows.toLocaleString('en')} rows) s | pay/baseline | dispatch s |`,
    );
    console.log('|---:|---:|---:|---:|---:|---:|');
    console.log(
      `| ${orders.toLocaleString('en')} | ${paySeconds.toFixed(2)} | ${Math.round(orders / paySeconds).toLocaleString('en')} | ` +
        `${baselineSeconds.toFixed(2)} | ${(paySeconds / baselineSeconds).toFixed(1)}× | ${dispatchSeconds.toFixed(2)} |`,
    );
    if (verify) {
      t0 = performance.now();
      const report = await verifyBooks(db);
      console.log(
        `verifyBooks: ${report.ok ? 'ok' : 'FAILED'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (!report.ok) console.log(formatVerifyReport(report));
    }
  } finally {
    await handle.close();
    if (!keep) await dropDatabase(baseUrl, DATABASE);
  }
}

await main();
