// A fresh, migrated database for one test file: in-memory PGlite by default, or a new PostgreSQL
// database created beside DATABASE_URL's (and dropped afterwards) when DATABASE_URL is set (CI).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.ts';
import { migrate, type Migration } from '../../src/db/migrate.ts';

export interface TestDatabase extends DatabaseHandle {
  /** The connection string of the fresh PostgreSQL database, when one is used. */
  url?: string;
}

export async function createTestDatabase(
  options: {
    poolSize?: number;
    /** Apply only these (e.g. to test an upgrade); default: all. */
    migrations?: Migration[];
  } = {},
): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await migrate(handle.db, options.migrations);
    return handle;
  }
  const name = `anju_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(baseUrl, name);
  const handle = await openDatabase({ url, poolSize: options.poolSize ?? 10 });
  await migrate(handle.db, options.migrations);
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
