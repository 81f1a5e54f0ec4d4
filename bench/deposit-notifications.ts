// The deposit-notification benchmark: Anju listening on a port, 8 concurrent HTTP clients posting signed
// `credit` notifications for open portal payment orders (each a full creditDeposit: limits, posting,
// month allocation, audit, order paid, notification recorded), compared with pgbench's TPC-B-like baseline.
// The clients run in a worker thread (bench/http-load.mjs): the bank is another system, as pgbench's
// client is another process, so the server's event loop carries only the server's work.
// Run: npx tsx bench/deposit-notifications.ts [--seconds 15] [--accounts 2000] [--orders 6] [--clients 8] [--keep]
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/api/app.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { InProcessBank } from '../src/integrations/bank/in-process-bank.ts';
import { BANK_SIGNATURE_HEADER } from '../src/integrations/bank/gateway.ts';
import { signBankMessage } from '../src/integrations/bank/signing.ts';
import { SimulatedSmsGateway } from '../src/integrations/sms.ts';
import { fenToYuanString } from '../src/domain/money.ts';
import { isAppError } from '../src/domain/errors.ts';
import { handleBankNotification } from '../src/services/deposits/handle-bank-notification.ts';
import { formatVerifyReport, verifyBooks } from '../src/ledger/verify-books.ts';
import { startAuditSealer, verifyAuditChain } from '../src/audit/audit-trail.ts';
import {
  benchBaseUrl,
  describeMachine,
  dropDatabase,
  numberFlag,
  recreateDatabase,
  runPgbenchBaseline,
  runPgbenchScript,
  vacuumAnalyze,
} from './pgbench-baseline.ts';
import { notificationFloorScript } from './notification-floor.ts';

const DATABASE = 'anju_bench_notify';
const BUSINESS_DATE = '2025-03-03';
const SECRET = 'bench-bank-secret';

interface Order {
  orderNo: string;
  amountFen: bigint;
}

/** N open flexible accounts (signed agreements) with `perAccount` open payment orders each, in bulk SQL. */
async function seed(db: Db, accounts: number, perAccount: number): Promise<Order[]> {
  await sql`INSERT INTO business_calendar (id, business_date) VALUES (1, ${BUSINESS_DATE}::date)`.execute(db);
  await sql`
    INSERT INTO depositors (id_type, id_number_hash, id_number_enc, id_number_masked, name, gender, birth_date,
      retirement_group, phone, district_code, employment_form, civil_capacity_declared,
      no_unit_account_elsewhere_declared, registered_channel, registered_by, registered_on)
    SELECT 'resident', 'bench-' || g, 'bench-' || g, '1502**********000X', '压测' || g, 'male', DATE '1990-01-01',
      'male', '13800000000', '150202', 'new_forms', true, true, 'counter', 'bench', DATE '2025-01-02'
    FROM generate_series(1, ${accounts}::int) g`.execute(db);
  await sql`
    INSERT INTO accounts (account_number, depositor_id, pool, kind, state, district_code, opened_on)
    SELECT 'B' || lpad(d.id::text, 9, '0'), d.id, 'FLEX', 'flexible', '01', '150202', DATE '2025-01-02'
    FROM depositors d ORDER BY d.id`.execute(db);
  await sql`
    INSERT INTO agreements (agreement_number, depositor_id, account_id, terms_version_id, deposit_mode, bank_name,
      bank_card, consent_data_check, status, signed_text, signed_text_sha256, signed_at, signed_on, signer_name, signed_channel)
    SELECT 'BA' || lpad(a.id::text, 9, '0'), a.depositor_id, a.id, (SELECT min(id) FROM terms_versions), 'flexible', '压测银行',
      '6222' || lpad(a.id::text, 15, '0'), true, 'signed', 'bench', 'bench', now(), DATE '2025-01-02', '压测', 'counter'
    FROM accounts a ORDER BY a.id`.execute(db);
  // Orders of 198.00–1,197.99 yuan: above the lower limit, far below the annual room.
  await sql`
    INSERT INTO payment_orders (order_no, account_id, amount_fen, status, created_on, expires_at, created_by)
    SELECT 'PB' || lpad(a.id::text, 7, '0') || '-' || k, a.id, 19800 + ((a.id * 7919 + k * 104729) % 100000), 'open',
      ${BUSINESS_DATE}::date, now() + interval '1 day', 'bench'
    FROM accounts a CROSS JOIN generate_series(1, ${perAccount}::int) k`.execute(db);
  await sql`ANALYZE`.execute(db);
  const rows = await db
    .selectFrom('payment_orders')
    .select(['order_no', 'amount_fen'])
    .orderBy(sql`random()`)
    .execute();
  return rows.map((r) => ({ orderNo: r.order_no, amountFen: r.amount_fen }));
}

interface RunResult {
  name: string;
  committed: number;
  seconds: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  outcomes: Record<string, number>;
  creditedFen: bigint;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let serialCounter = 0;

/** Statements sent to PostgreSQL by this process (BEGIN and COMMIT included), for the round trips per notification. */
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

type Deliver = (rawBody: string, signature: string) => Promise<string>;

/** Straight into the handler (no HTTP), to separate the transport's cost from the database's. */
function direct(db: Db): Deliver {
  return async (rawBody, signature) => {
    try {
      return (await handleBankNotification(db, { rawBody, signature, secret: SECRET })).outcome;
    } catch (error) {
      return isAppError(error) ? error.code : String(error);
    }
  };
}

/** `clients` loops, each delivering one signed notification at a time until the time (or the orders) run out. */
async function run(
  deliver: Deliver,
  name: string,
  orders: Order[],
  seconds: number,
  clients: number,
): Promise<RunResult> {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let creditedFen = 0n;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const order = orders.pop();
        if (!order) break;
        const { body, signature } = notificationFor(order);
        const t0 = performance.now();
        const outcome = await deliver(body, signature);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'credited') {
          latencies.push(performance.now() - t0);
          creditedFen += order.amountFen;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    committed: latencies.length,
    seconds: elapsed,
    tps: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    outcomes,
    creditedFen,
  };
}

/** A signed `credit` notification for an order, as the bank sends it. */
function notificationFor(order: Order): { body: string; signature: string } {
  serialCounter += 1;
  const body = JSON.stringify({
    serial: `BENCH${String(serialCounter).padStart(10, '0')}`,
    kind: 'credit',
    orderNo: order.orderNo,
    amount: fenToYuanString(order.amountFen),
    valueDate: BUSINESS_DATE,
    status: 'success',
  });
  return { body, signature: signBankMessage(body, SECRET) };
}

/** Over HTTP to Anju's endpoint from the bank's side: `clients` connections in a worker thread. */
async function runOverHttp(
  url: string,
  name: string,
  orders: Order[],
  seconds: number,
  clients: number,
): Promise<RunResult> {
  // Enough messages for the run at a rate no run here comes near; the ones not sent go back to the pool.
  const batch = orders.splice(Math.max(0, orders.length - Math.ceil(seconds * 3000)));
  const messages = batch.map(notificationFor);
  const worker = new Worker(new URL('./http-load.mjs', import.meta.url), {
    workerData: {
      url,
      path: '/api/v1/bank/notifications',
      signatureHeader: BANK_SIGNATURE_HEADER,
      clients,
      seconds,
      messages,
    },
  });
  const done = await new Promise<{
    used: number;
    credited: number[];
    latencies: number[];
    outcomes: Record<string, number>;
    seconds: number;
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  orders.push(...batch.slice(done.used));
  const latencies = [...done.latencies].sort((a, b) => a - b);
  return {
    name,
    committed: latencies.length,
    seconds: done.seconds,
    tps: latencies.length / done.seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    outcomes: done.outcomes,
    creditedFen: done.credited.reduce((sum, i) => sum + batch[i]!.amountFen, 0n),
  };
}

/** What PostgreSQL's backends wait on while the run goes (pg_stat_activity sampled every 20 ms). */
async function sampleWaits(url: string, until: Promise<unknown>): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const counts = new Map<string, number>();
  let done = false;
  void until.finally(() => (done = true));
  let samples = 0;
  while (!done) {
    const r = await client.query<{ w: string }>(
      `SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction (waiting for Node)'
         ELSE coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' in ' ||
           upper(coalesce(substring(query from '^\\s*([A-Za-z]+)'), '?')) END AS w
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
    );
    for (const { w } of r.rows) counts.set(w, (counts.get(w) ?? 0) + 1);
    samples += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await client.end();
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([w, n]) => `    ${(n / samples).toFixed(2).padStart(5)}  ${w}`)
    .join('\n');
}

function line(r: RunResult, pgbenchTps: number): string {
  return (
    `${r.name.padEnd(28)} ${r.tps.toFixed(0).padStart(6)} tps  ${(r.tps / pgbenchTps).toFixed(2)}× pgbench  ` +
    `p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  (${r.committed} in ${r.seconds.toFixed(1)} s)  ${JSON.stringify(r.outcomes)}`
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = numberFlag(argv, 'seconds', 15);
  const accountCount = numberFlag(argv, 'accounts', 2000);
  const perAccount = numberFlag(argv, 'orders', 6);
  const clients = numberFlag(argv, 'clients', 8);
  const keep = argv.includes('--keep');
  const baseUrl = benchBaseUrl();
  process.env.ANJU_BANK_SECRET = SECRET;

  console.log(`machine: ${await describeMachine(baseUrl)}`);
  console.log(
    `deposit-notifications: ${clients} HTTP clients × ${seconds} s, ${accountCount} accounts × ${perAccount} open orders`,
  );

  const url = await recreateDatabase(baseUrl, DATABASE);
  const handle = await openDatabase({ url, poolSize: clients + 2 });
  const app = await buildApp({
    db: handle.db,
    sms: new SimulatedSmsGateway(),
    bank: new InProcessBank({ secret: SECRET }),
    databaseKind: 'postgres',
  });
  try {
    await migrate(handle.db);
    const orders = await seed(handle.db, accountCount, perAccount);
    const anju = await app.listen({ port: 0, host: '127.0.0.1' });
    // Warm the connections, the plan cache and the buffers; not counted.
    await runOverHttp(anju, 'warm-up', orders, Math.min(2, seconds), clients);
    const vacuum = () => vacuumAnalyze(handle.db);
    await vacuum();

    // The server seals the audit chain every second (src/cli/commands/start.ts); so does this run.
    const sealer = startAuditSealer(handle.db, {
      intervalMs: 1000,
      onError: (e) => console.error('sealer:', e),
    });
    const measured = runOverHttp(anju, 'credit notifications (HTTP)', orders, seconds, clients);
    const waits = await sampleWaits(url, measured);
    const result = await measured;
    // The same with one client (how serial the load is), and without HTTP (what the transport costs).
    await vacuum();
    const statementsBefore = statements;
    const single = await runOverHttp(anju, 'the same, 1 client', orders, Math.min(5, seconds), 1);
    const perNotification = (statements - statementsBefore) / Math.max(1, single.committed);
    await vacuum();
    const handler = await run(
      direct(handle.db),
      'handler called directly',
      orders,
      Math.min(5, seconds),
      clients,
    );
    await sealer.stop();
    if (orders.length === 0) console.log('warning: the orders ran out before the time did; raise --orders');

    const pgbench = await runPgbenchBaseline({ seconds, baseUrl, clients: 8, threads: 2, scale: 8 });
    console.log(`\n${pgbench.runCommand}`);
    console.log(`${'pgbench tpcb-like'.padEnd(28)} ${pgbench.tps.toFixed(0).padStart(6)} tps`);
    console.log(line(result, pgbench.tps));
    console.log(line(single, pgbench.tps));
    console.log(line(handler, pgbench.tps));
    console.log(
      `statements per notification (1 client, BEGIN and COMMIT included): ${perNotification.toFixed(1)}`,
    );
    console.log(`backends busy during the run (average count per sample):\n${waits}`);
    const ratio = result.tps / pgbench.tps;
    console.log(
      `goal notifications ≥ 0.4× pgbench: ${ratio >= 0.4 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`,
    );

    // Every credited notification is one deposit of the ordered amount (warm-up included).
    const totals = await sql<{ n: string; fen: string; paid: string }>`
      SELECT (SELECT count(*) FROM deposits)::text AS n, (SELECT coalesce(sum(amount_fen), 0) FROM deposits)::text AS fen,
        (SELECT coalesce(sum(amount_fen), 0) FROM payment_orders WHERE status = 'paid')::text AS paid`.execute(
      handle.db,
    );
    const t = totals.rows[0]!;
    console.log(
      `deposits ${t.n}, Σ ${fenToYuanString(BigInt(t.fen))} yuan = Σ paid orders ${fenToYuanString(BigInt(t.paid))}: ${t.fen === t.paid ? 'ok' : 'MISMATCH'}`,
    );
    const books = await verifyBooks(handle.db);
    console.log(`\n${formatVerifyReport(books)}`);
    const chain = await verifyAuditChain(handle.db);
    console.log(
      `Audit chain: ${chain.ok ? 'ok' : `BROKEN at ${chain.firstBrokenId}: ${chain.problem}`} (${chain.rowsChecked} rows sealed, ${chain.unsealed} waiting)`,
    );
    if (!books.ok || !chain.ok || t.fen !== t.paid) process.exitCode = 1;

    // The floor, after the checks (its rows are no real deposits): bench/notification-floor.ts.
    await vacuumAnalyze(handle.db);
    const orderCount = accountCount * perAccount;
    const floorSeconds = Math.min(10, seconds);
    for (const perTransaction of [1, 4]) {
      const floor = await runPgbenchScript({
        database: DATABASE,
        script: notificationFloorScript(orderCount, perTransaction),
        seconds: floorSeconds,
        clients,
        baseUrl,
      });
      const perSecond = floor.tps * perTransaction;
      console.log(
        `floor (only the rows of a notification, pgbench -c ${clients}, ${perTransaction} per transaction): ` +
          `${perSecond.toFixed(0)} notifications/s = ${(perSecond / pgbench.tps).toFixed(2)}× pgbench`,
      );
    }
  } finally {
    await app.close();
    await handle.close();
    if (!keep) await dropDatabase(baseUrl, DATABASE);
  }
}

await main();
