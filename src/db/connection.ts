// Opens the database: embedded PGlite by default (data under ./data or ANJU_DATA_DIR), or PostgreSQL
// when DATABASE_URL is set. Both go through node-postgres and Kysely's PostgresDialect, so SQL is shared.
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
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

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
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
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types } as pg.PoolConfig);
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
