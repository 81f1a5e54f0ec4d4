// Opens the database: embedded PGlite by default (data under ./data or ANJU_DATA_DIR), or PostgreSQL
// when DATABASE_URL is set. Both go through node-postgres and Kysely's PostgresDialect, so SQL is shared.
import { mkdirSync } from 'node:fs';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  type QueryResult,
  type RawBuilder,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction on it: services accept both so a caller can compose them. */
export type DbOrTx = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… ; when absent, embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL (PGlite is always 1). */
  poolSize?: number | undefined;
}

// int8 → bigint (money is fen), date → "YYYY-MM-DD" string; numeric stays a string for decimal.js.
const INT8_OID = 20;
const DATE_OID = 1082;
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (value: string) => BigInt(value);
  if (oid === DATE_OID) return (value: string) => value;
  return pg.types.getTypeParser(oid, format as 'text');
}
const types = { getTypeParser: typeParser } as unknown as pg.CustomTypesConfig;

/** The end of a statement that is prepared once per connection (see `prepared`). */
const PREPARED_MARK = '/* prepared */';

/**
 * Marks a hot statement (the bank notification path: bench/RESULTS.md, deposit-notifications) to be
 * sent as a named prepared statement: PostgreSQL parses and plans its text once per connection instead
 * of on every call, which for a statement of many CTEs costs more than running it. Only for statements
 * whose text takes a few shapes (the names are kept per connection for its lifetime); the parameters
 * still travel on every call.
 */
export function prepared<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${query} ${sql.raw(PREPARED_MARK)}`;
}

/** Stands for the call's value of one parameter in a statement compiled once (see `compiledOnce`). */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * A hot statement (see `prepared`, which it also is) built and compiled by Kysely once, on first use,
 * instead of on every call: `build` writes it with `p.<name>` where a call's values go. Those are
 * placeholders at build time, so they may only be used as values in the SQL, never to choose its shape
 * in JavaScript: build one statement per shape.
 */
export function compiledOnce<P extends Record<string, unknown>, R>(
  build: (p: P) => RawBuilder<R>,
): (db: DbOrTx, values: P) => Promise<QueryResult<R>> {
  let compiled: { sql: string; parameters: readonly unknown[] } | undefined;
  return (db, values) => {
    if (!compiled) {
      const slots = new Proxy({}, { get: (_target, name) => new Slot(String(name)) }) as P;
      compiled = prepared(build(slots)).compile(db);
    }
    const parameters = compiled.parameters.map((x) => (x instanceof Slot ? values[x.name] : x));
    return db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
  };
}

/** Statement names by text, shared by every connection (each prepares a name on its first use). */
const preparedNames = new Map<string, string>();

type PlanMode = 'generic' | 'auto' | 'unknown';

/**
 * node-postgres' client, sending statements marked by `prepared` as named prepared statements, planned
 * once: with PostgreSQL's default plan_cache_mode (auto) these CTE statements were planned again on every
 * call (pg_prepared_statements: 0 generic, every call a custom plan, about a fifth of the backend's CPU in
 * bench/ledger-post.ts), because a generic plan's estimate for `unnest($n)` and `= ANY($n)` looks dearer
 * than a custom plan's. So the connection runs them with plan_cache_mode = force_generic_plan, and other
 * statements with parameters (planned once with their values, as before) under auto. The mode is switched
 * only when the kind of statement changes, so a path of prepared statements pays nothing.
 *
 * A SET inside a transaction is undone by its rollback: the mode the transaction started with is restored
 * then (and forgotten after a rollback to a savepoint, so the next statement sets it again).
 */
class PreparingClient extends pg.Client {
  private planMode: PlanMode = 'auto';
  private modeAtBegin: PlanMode = 'auto';

  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
      if (text.endsWith(PREPARED_MARK)) {
        let name = preparedNames.get(text);
        if (name === undefined) {
          name = `anju_${preparedNames.size + 1}`;
          preparedNames.set(text, name);
        }
        this.usePlanMode('generic');
        return super.query({ name, text, values } as pg.QueryConfig) as never;
      }
      if (values.length > 0) this.usePlanMode('auto');
      else return this.trackTransaction(text, (super.query as (...a: unknown[]) => never)(...args));
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  /** Queues a SET before the next statement when the connection is in the other mode (pg runs queries in order). */
  private usePlanMode(mode: 'generic' | 'auto'): void {
    if (this.planMode === mode) return;
    this.planMode = mode;
    const set = mode === 'generic' ? 'SET plan_cache_mode = force_generic_plan' : 'RESET plan_cache_mode';
    // A failed SET (the transaction already failed) leaves the mode unknown; the statement queued after
    // it fails with the transaction's own error, which its caller sees.
    (super.query(set) as Promise<unknown>).catch(() => {
      this.planMode = 'unknown';
    });
  }

  private trackTransaction<T>(text: string, result: T): T {
    const command = text.trim().toLowerCase();
    if (command === 'begin' || command.startsWith('start transaction')) this.modeAtBegin = this.planMode;
    else if (command === 'rollback' || command === 'abort') this.planMode = this.modeAtBegin;
    else if (command.startsWith('rollback to')) this.planMode = 'unknown';
    else if (command === 'commit' || command === 'end') {
      // A COMMIT of a failed transaction is a rollback (and the server answers ROLLBACK).
      (result as Promise<{ command?: string }>).then(
        (r) => {
          if (r.command === 'ROLLBACK') this.planMode = this.modeAtBegin;
        },
        () => {
          this.planMode = 'unknown';
        },
      );
    }
    return result;
  }
}

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types,
      Client: PreparingClient,
    });
    // An idle connection ended by the server (restart, DROP DATABASE … FORCE) is discarded by the pool;
    // without a listener the error would crash the process. Queries in flight still get their error.
    pool.on('error', (error) => {
      if (!/terminating connection/.test(error.message)) console.error('database pool:', error.message);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      description: redactUrl(options.url),
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const pool = new pg.Pool({
    ...createPgConfig(pglite),
    max: 1,
    types,
    Client: PreparingClient,
  } as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    description: `PGlite ${dataDir}`,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Reads DATABASE_URL / ANJU_DATA_DIR from the environment. */
export function openFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  return openDatabase({ url: env.DATABASE_URL || undefined, dataDir: env.ANJU_DATA_DIR || './data/pglite' });
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
