// Shared benchmark helpers: a throw-away PostgreSQL database per benchmark, a description of the machine,
// and the pgbench TPC-B-like baseline (/usr/bin/pgbench) that our own figures are compared with.
// Standalone: npx tsx bench/pgbench-baseline.ts [--seconds 15]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server to benchmark against: DATABASE_URL, or the local PostgreSQL. */
export function benchBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || DEFAULT_BENCH_URL;
}

/** The same server with another database name. */
export function urlForDatabase(baseUrl: string, database: string): string {
  const parsed = new URL(baseUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(baseUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
}

/** Drops (if present) and creates an empty database; returns its connection string. */
export async function recreateDatabase(baseUrl: string, database: string): Promise<string> {
  assertIdentifier(database);
  await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await adminQuery(baseUrl, `CREATE DATABASE ${database}`);
  return urlForDatabase(baseUrl, database);
}

export async function dropDatabase(baseUrl: string, database: string): Promise<void> {
  assertIdentifier(database);
  await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

/**
 * VACUUM ANALYZE of the whole database, after the warm-up and between variants, as pgbench vacuums its
 * tables before a run and as autovacuum keeps a live database. Without it the run measures a fresh
 * database's artefact: each connection plans its foreign-key checks once (and our prepared statements)
 * and keeps the plan until the table is analysed, so a check planned while journal_entries was nearly
 * empty scanned the whole table on every posting (a sequential scan half the backends' CPU, growing with
 * the run; bench/RESULTS.md, ledger-post). ANALYZE invalidates those plans; they are made again with
 * the table's real size.
 */
export async function vacuumAnalyze<DB>(db: Kysely<DB>): Promise<void> {
  await sql`VACUUM ANALYZE`.execute(db);
}

/** CPU, cores, memory and server version, for bench/RESULTS.md. */
export async function describeMachine(baseUrl: string): Promise<string> {
  const version = await adminQuery(baseUrl, 'SHOW server_version');
  const settings = await adminQuery(
    baseUrl,
    `SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) AS s FROM pg_settings
     WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections')`,
  );
  const cpu = cpus();
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'})`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    `PostgreSQL ${String(version.rows[0]?.server_version)} (${String(settings.rows[0]?.s)})`,
  ].join(', ');
}

export interface PgbenchOptions {
  seconds: number;
  baseUrl?: string;
  database?: string;
  scale?: number;
  clients?: number;
  threads?: number;
  builtin?: string;
  pgbenchPath?: string;
  /** Keep the pgbench database afterwards (default: drop it). */
  keepDatabase?: boolean;
}

export interface PgbenchResult {
  tps: number;
  latencyMs: number | null;
  transactions: number | null;
  initCommand: string;
  runCommand: string;
  output: string;
}

/** Reads tps, average latency and the transaction count from pgbench's report. */
export function parsePgbenchOutput(
  output: string,
): Omit<PgbenchResult, 'initCommand' | 'runCommand' | 'output'> {
  const tps =
    /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ??
    /tps = ([\d.]+)/.exec(output) ??
    null;
  if (!tps) throw new Error(`pgbench printed no tps:\n${output}`);
  const latency = /latency average = ([\d.]+) ms/.exec(output);
  const processed = /number of transactions actually processed: (\d+)/.exec(output);
  return {
    tps: Number(tps[1]),
    latencyMs: latency ? Number(latency[1]) : null,
    transactions: processed ? Number(processed[1]) : null,
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/**
 * `pgbench -i -s <scale>` on a fresh database, then `pgbench -c <clients> -j <threads> -T <seconds>
 * -b tpcb-like`: the yardstick for "how fast is this machine's PostgreSQL at small write transactions".
 */
export async function runPgbenchBaseline(options: PgbenchOptions): Promise<PgbenchResult> {
  const baseUrl = options.baseUrl ?? benchBaseUrl();
  const database = options.database ?? 'anju_bench_pgbench';
  const scale = options.scale ?? 8;
  const clients = options.clients ?? 8;
  const threads = options.threads ?? 2;
  const builtin = options.builtin ?? 'tpcb-like';
  const pgbench = options.pgbenchPath ?? '/usr/bin/pgbench';
  const url = new URL(baseUrl);
  const connection = [
    '-h',
    url.hostname || '127.0.0.1',
    '-p',
    url.port || '5432',
    '-U',
    url.username || 'postgres',
  ];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };

  await recreateDatabase(baseUrl, database);
  try {
    const initArgs = [...connection, '-i', '-s', String(scale), '-q', database];
    await run(pgbench, initArgs, env);
    const runArgs = [
      ...connection,
      '-c',
      String(clients),
      '-j',
      String(threads),
      '-T',
      String(options.seconds),
      '-b',
      builtin,
      database,
    ];
    const output = await run(pgbench, runArgs, env);
    return {
      ...parsePgbenchOutput(output),
      initCommand: `${pgbench} ${initArgs.join(' ')}`,
      runCommand: `${pgbench} ${runArgs.join(' ')}`,
      output,
    };
  } finally {
    if (!options.keepDatabase) await dropDatabase(baseUrl, database);
  }
}

/**
 * pgbench running a custom script (`-n -f`, no vacuum, no initialisation) against an existing database:
 * for floors such as "the rows one notification writes, in one statement, from a C client".
 */
export async function runPgbenchScript(options: {
  database: string;
  script: string;
  seconds: number;
  clients?: number;
  threads?: number;
  baseUrl?: string;
  pgbenchPath?: string;
}): Promise<{ tps: number; runCommand: string; output: string }> {
  const baseUrl = options.baseUrl ?? benchBaseUrl();
  const url = new URL(baseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'anju-pgbench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, options.script);
  try {
    const args = [
      '-h',
      url.hostname || '127.0.0.1',
      '-p',
      url.port || '5432',
      '-U',
      url.username || 'postgres',
      '-n',
      '-f',
      file,
      '-c',
      String(options.clients ?? 8),
      '-j',
      String(options.threads ?? 2),
      '-T',
      String(options.seconds),
      options.database,
    ];
    const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
    const pgbench = options.pgbenchPath ?? '/usr/bin/pgbench';
    const output = await run(pgbench, args, env);
    return { tps: parsePgbenchOutput(output).tps, runCommand: `${pgbench} ${args.join(' ')}`, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--name value` from argv, as a number. */
export function numberFlag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = numberFlag(process.argv, 'seconds', 15);
  const baseUrl = benchBaseUrl();
  console.log(await describeMachine(baseUrl));
  const result = await runPgbenchBaseline({ seconds, baseUrl });
  console.log(result.runCommand);
  console.log(`pgbench tpcb-like: ${result.tps.toFixed(0)} tps, latency ${result.latencyMs ?? '?'} ms`);
}
