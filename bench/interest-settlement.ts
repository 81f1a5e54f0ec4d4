// The June 30 interest settlement benchmark (rules.md §4.1): for each size, a fresh database filled by the
// set-based fixture generator (`anju bench-data`), then settleAnnualInterest timed, compared with a plain
// set-based INSERT … SELECT of the same number of rows measured in the same run, and checked for linearity.
// Run: npx tsx bench/interest-settlement.ts [--sizes 250000,500000,1000000] [--deposits 12] [--verify] [--keep]
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { generateBenchData } from '../src/cli/commands/bench-data.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { SYSTEM_ACTOR } from '../src/domain/roles.ts';
import { formatVerifyReport, verifyBooks } from '../src/ledger/verify-books.ts';
import {
  settleAnnualInterest,
  type SettlementStatement,
} from '../src/services/interest/settle-annual-interest.ts';
import {
  benchBaseUrl,
  describeMachine,
  dropDatabase,
  numberFlag,
  recreateDatabase,
} from './pgbench-baseline.ts';

const DATABASE = 'anju_bench_settle';
const YEAR = 2024;
const SETTLEMENT_DATE = `${YEAR + 1}-06-30`;
/** The goal: a million accounts settled in a minute on the 2-core machine. */
const GOAL_SECONDS_PER_MILLION = 60;

interface SizeResult {
  accounts: number;
  generateSeconds: number;
  baselineSeconds: number;
  settleSeconds: number;
  stages: string;
  verify?: string;
}

function sizesFlag(argv: string[]): number[] {
  const i = argv.indexOf('--sizes');
  if (i < 0) return [250_000, 500_000, 1_000_000];
  const sizes = String(argv[i + 1] ?? '')
    .split(',')
    .map((s) => Number(s.replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('--sizes needs a comma-separated list of positive integers');
  }
  return sizes;
}

/** The baseline: one set-based INSERT … SELECT of N two-bigint rows into a fresh scratch table. */
async function baseline(db: Db, rows: number): Promise<number> {
  await sql`DROP TABLE IF EXISTS bench_scratch`.execute(db);
  await sql`CREATE TABLE bench_scratch (id bigint NOT NULL, amount_fen bigint NOT NULL)`.execute(db);
  const t0 = performance.now();
  await sql`INSERT INTO bench_scratch (id, amount_fen) SELECT g, g % 100000 FROM generate_series(1, ${rows}::int) g`.execute(
    db,
  );
  const seconds = (performance.now() - t0) / 1000;
  await sql`DROP TABLE bench_scratch`.execute(db);
  return seconds;
}

async function runSize(
  baseUrl: string,
  accounts: number,
  deposits: number,
  verify: boolean,
): Promise<SizeResult> {
  const url = await recreateDatabase(baseUrl, DATABASE);
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    await migrate(handle.db);
    console.log(`\n${accounts.toLocaleString('en')} accounts × ${deposits} deposits`);
    const generated = await generateBenchData(handle.db, {
      accounts,
      deposits,
      year: YEAR,
      onProgress: (stage, s) => {
        if (!stage.startsWith('deposits of') || stage.endsWith('-06') || stage.endsWith('-12')) {
          console.log(`  generate ${s.toFixed(1).padStart(7)} s  ${stage}`);
        }
      },
    });
    // A database in steady state (autovacuum has visited the freshly loaded tables); not timed.
    await sql`VACUUM ANALYZE accounts, ledger_accounts, postings, journal_entries, account_interest`.execute(
      handle.db,
    );
    await sql`CHECKPOINT`.execute(handle.db);

    const baselineSeconds = await baseline(handle.db, accounts);

    const marks: Array<[SettlementStatement | 'start' | 'done', number]> = [['start', performance.now()]];
    const t0 = performance.now();
    const result = await settleAnnualInterest({
      db: handle.db,
      date: SETTLEMENT_DATE,
      actor: SYSTEM_ACTOR,
      hooks: {
        afterStatement: async (statement) => {
          marks.push([statement, performance.now()]);
        },
      },
    });
    const settleSeconds = (performance.now() - t0) / 1000;
    marks.push(['done', performance.now()]);
    const stages = marks
      .slice(1)
      .map(([name, at], i) => `${name} ${((at - marks[i]![1]) / 1000).toFixed(2)}`)
      .join(', ');
    const flex = result.books.find((b) => b.book === 'FLEX')!;
    if (flex.accounts !== accounts)
      throw new Error(`settled ${flex.accounts} accounts, expected ${accounts}`);
    console.log(
      `  settled ${flex.accounts} accounts, ${flex.total} yuan in ${settleSeconds.toFixed(2)} s (${stages})`,
    );

    let verifyLine: string | undefined;
    if (verify) {
      const v0 = performance.now();
      const books = await verifyBooks(handle.db);
      verifyLine = `${books.ok ? 'ok' : 'FAILED'} in ${((performance.now() - v0) / 1000).toFixed(1)} s`;
      console.log(`  verify: ${verifyLine}`);
      if (!books.ok) {
        console.log(formatVerifyReport(books));
        process.exitCode = 1;
      }
    }
    return {
      accounts,
      generateSeconds: generated.seconds,
      baselineSeconds,
      settleSeconds,
      stages,
      ...(verifyLine ? { verify: verifyLine } : {}),
    };
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = sizesFlag(argv);
  const deposits = numberFlag(argv, 'deposits', 12);
  const verify = argv.includes('--verify');
  const keep = argv.includes('--keep');
  const baseUrl = benchBaseUrl();
  const machine = await describeMachine(baseUrl);
  console.log(`machine: ${machine}`);

  const results: SizeResult[] = [];
  try {
    for (const size of sizes) results.push(await runSize(baseUrl, size, deposits, verify));
  } finally {
    if (!keep) await dropDatabase(baseUrl, DATABASE);
  }

  const rows = results.map((r) => {
    const perAccountUs = (r.settleSeconds / r.accounts) * 1e6;
    return (
      `| ${r.accounts.toLocaleString('en').padStart(9)} | ${r.generateSeconds.toFixed(0).padStart(5)} | ` +
      `${r.settleSeconds.toFixed(2).padStart(6)} | ${Math.round(r.accounts / r.settleSeconds)
        .toLocaleString('en')
        .padStart(7)} | ` +
      `${perAccountUs.toFixed(1).padStart(5)} | ${r.baselineSeconds.toFixed(2).padStart(5)} | ` +
      `${(r.settleSeconds / r.baselineSeconds).toFixed(1).padStart(5)}× |`
    );
  });
  const perAccount = results.map((r) => r.settleSeconds / r.accounts);
  const spread = Math.max(...perAccount) / Math.min(...perAccount);
  const million = results.find((r) => r.accounts === 1_000_000);
  console.log(
    `\n| accounts | generate s | settle s | accounts/s | µs/account | baseline s | settle/baseline |`,
  );
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  for (const row of rows) console.log(row);
  for (const r of results)
    console.log(`stages at ${r.accounts}: ${r.stages}${r.verify ? `; verify ${r.verify}` : ''}`);
  console.log(
    `linearity: time per account varies ${spread.toFixed(2)}× across sizes (${spread <= 1.5 ? 'linear' : 'NOT linear'})`,
  );
  if (million) {
    const met = million.settleSeconds <= GOAL_SECONDS_PER_MILLION;
    console.log(
      `goal 1M ≤ ${GOAL_SECONDS_PER_MILLION} s: ${met ? 'met' : 'NOT met'} (${million.settleSeconds.toFixed(1)} s)`,
    );
    if (!met) process.exitCode = 1;
  }
}

await main();
