// The ledger-post benchmark: concurrent two-leg deposits (Dr 101 / Cr 201 member) through postEntry, each
// in its own transaction, alone and with the audit row (sealed into the chain every second while it
// runs, as the server does), compared with pgbench's TPC-B-like baseline.
// Run: npx tsx bench/ledger-post.ts [--seconds 15] [--members 10000] [--clients 8] [--keep]
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { recordAudit, startAuditSealer, verifyAuditChain } from '../src/audit/audit-trail.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { isAppError } from '../src/domain/errors.ts';
import { LEDGER } from '../src/ledger/chart.ts';
import { postEntry } from '../src/ledger/post.ts';
import { formatVerifyReport, verifyBooks } from '../src/ledger/verify-books.ts';
import {
  benchBaseUrl,
  describeMachine,
  dropDatabase,
  numberFlag,
  recreateDatabase,
  runPgbenchBaseline,
  vacuumAnalyze,
} from './pgbench-baseline.ts';

const DATABASE = 'anju_bench_ledger';
const ACTOR = 'system:bench';
const BUSINESS_DATE = '2024-07-15';

interface VariantResult {
  name: string;
  committed: number;
  seconds: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
}

async function insertMembers(db: Db, count: number): Promise<bigint[]> {
  await sql`
    INSERT INTO depositors (id_type, id_number_hash, id_number_enc, id_number_masked, name, gender, birth_date,
      retirement_group, phone, district_code, employment_form, civil_capacity_declared,
      no_unit_account_elsewhere_declared, registered_channel, registered_by, registered_on)
    SELECT 'resident', 'bench-' || g, 'bench-' || g, '1502**********000X', '压测' || g, 'male', DATE '1990-01-01',
      'male', '13800000000', '150202', 'new_forms', true, true, 'import', 'bench', DATE '2024-01-02'
    FROM generate_series(1, ${count}::int) g`.execute(db);
  await sql`
    INSERT INTO accounts (account_number, depositor_id, pool, kind, state, district_code, opened_on)
    SELECT 'B' || lpad(d.id::text, 9, '0'), d.id, 'FLEX', 'flexible', '01', '150202', DATE '2024-01-02'
    FROM depositors d ORDER BY d.id`.execute(db);
  await sql`ANALYZE`.execute(db);
  const rows = await db.selectFrom('accounts').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `clients` loops, each posting one deposit per transaction until the time is up. */
async function runVariant(
  db: Db,
  name: string,
  members: bigint[],
  seconds: number,
  clients: number,
  withAudit: boolean,
): Promise<VariantResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const memberAccountId = members[Math.floor(Math.random() * members.length)]!;
        // A flexible deposit between the monthly lower and upper limits (rules.md §3.1).
        const amountFen = BigInt(19_800 + Math.floor(Math.random() * 590_600));
        const t0 = performance.now();
        try {
          await db.transaction().execute(async (tx) => {
            const { entryId } = await postEntry(
              tx,
              {
                book: 'FLEX',
                businessDate: BUSINESS_DATE,
                entryType: 'deposit',
                sourceType: 'bench',
                postings: [
                  { account: LEDGER.bank, side: 'D', amountFen },
                  { account: LEDGER.members, side: 'C', amountFen, memberAccountId },
                ],
              },
              ACTOR,
            );
            if (withAudit) {
              await recordAudit(tx, {
                actor: ACTOR,
                action: 'ledger.post',
                subjectType: 'journal_entry',
                subjectId: entryId,
                businessDate: BUSINESS_DATE,
                summary: { memberAccountId: String(memberAccountId), amountFen: String(amountFen) },
              });
            }
          });
          latencies.push(performance.now() - t0);
        } catch (error) {
          const code = isAppError(error) ? error.code : ((error as { code?: string }).code ?? String(error));
          errors[code] = (errors[code] ?? 0) + 1;
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
    errors,
  };
}

/** What PostgreSQL's backends wait on while a variant runs (pg_stat_activity sampled every 20 ms). */
function sampleWaits(url: string, until: Promise<unknown>): Promise<string> {
  return (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const counts = new Map<string, number>();
    let done = false;
    void until.finally(() => (done = true));
    let samples = 0;
    while (!done) {
      const r = await client.query<{ w: string }>(
        `SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction (waiting for the client)'
           ELSE coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' in ' ||
             upper(coalesce(substring(query from '^\\s*([A-Za-z]+)'), '?')) END AS w
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      for (const { w } of r.rows) counts.set(w, (counts.get(w) ?? 0) + 1);
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.end();
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
    return top.map(([w, n]) => `    ${(n / samples).toFixed(2).padStart(5)}  ${w}`).join('\n');
  })();
}

function line(r: VariantResult, pgbenchTps: number): string {
  const errors = Object.keys(r.errors).length > 0 ? `  errors ${JSON.stringify(r.errors)}` : '';
  return (
    `${r.name.padEnd(28)} ${r.tps.toFixed(0).padStart(6)} tps  ${(r.tps / pgbenchTps).toFixed(2)}× pgbench  ` +
    `p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  (${r.committed} in ${r.seconds.toFixed(1)} s)${errors}`
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = numberFlag(argv, 'seconds', 15);
  const memberCount = numberFlag(argv, 'members', 10_000);
  const clients = numberFlag(argv, 'clients', 8);
  const keep = argv.includes('--keep');
  const baseUrl = benchBaseUrl();

  console.log(`machine: ${await describeMachine(baseUrl)}`);
  console.log(`ledger-post: ${clients} clients × ${seconds} s, ${memberCount} member accounts`);

  const url = await recreateDatabase(baseUrl, DATABASE);
  const handle = await openDatabase({ url, poolSize: clients });
  try {
    await migrate(handle.db);
    const members = await insertMembers(handle.db, memberCount);
    // Warm the connections, the plan cache and the buffers; not counted.
    await runVariant(handle.db, 'warm-up', members, Math.min(2, seconds), clients, false);

    await vacuumAnalyze(handle.db);
    const aloneRun = runVariant(handle.db, 'postEntry', members, seconds, clients, false);
    const waits = await sampleWaits(url, aloneRun);
    const alone = await aloneRun;
    await vacuumAnalyze(handle.db);
    // The server seals the audit chain every second (src/cli/commands/start.ts); so does this run.
    const sealer = startAuditSealer(handle.db, {
      intervalMs: 1000,
      onError: (e) => console.error('sealer:', e),
    });
    const audited = await runVariant(handle.db, 'postEntry + recordAudit', members, seconds, clients, true);
    await sealer.stop();
    const sealedDuring = await sql<{ sealed: number; waiting: number }>`
      SELECT count(*) FILTER (WHERE chain_seq IS NOT NULL)::int AS sealed, count(*) FILTER (WHERE chain_seq IS NULL)::int AS waiting
      FROM audit_log`.execute(handle.db);

    const pgbench = await runPgbenchBaseline({ seconds, baseUrl, clients, threads: 2, scale: 8 });
    console.log(`\n${pgbench.runCommand}`);
    console.log(`${'pgbench tpcb-like'.padEnd(28)} ${pgbench.tps.toFixed(0).padStart(6)} tps`);
    console.log(line(alone, pgbench.tps));
    console.log(line(audited, pgbench.tps));
    const s = sealedDuring.rows[0]!;
    console.log(
      `audit rows sealed by the 1-second sealer during the run: ${s.sealed} (${s.waiting} left for verify)`,
    );
    console.log(`backends busy during postEntry (average count per sample):\n${waits}`);
    const ratio = alone.tps / pgbench.tps;
    console.log(`goal ledger ≥ 0.5× pgbench: ${ratio >= 0.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`);

    const books = await verifyBooks(handle.db);
    console.log(`\n${formatVerifyReport(books)}`);
    const chain = await verifyAuditChain(handle.db);
    console.log(
      `Audit chain: ${chain.ok ? 'ok' : `BROKEN at ${chain.firstBrokenId}: ${chain.problem}`} (${chain.rowsChecked} rows sealed, ${chain.unsealed} waiting)`,
    );
    if (!books.ok || !chain.ok) process.exitCode = 1;
  } finally {
    await handle.close();
    if (!keep) await dropDatabase(baseUrl, DATABASE);
  }
}

await main();
