// `anju migrate`: applies pending migrations to DATABASE_URL or the embedded database.
import { openFromEnv } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';

export async function migrateCommand(): Promise<number> {
  const handle = await openFromEnv();
  try {
    const result = await migrate(handle.db);
    console.log(
      `${handle.description}: ${result.applied.length} applied, ${result.alreadyApplied} already applied`,
    );
    for (const name of result.applied) console.log(`  + ${name}`);
    return 0;
  } finally {
    await handle.close();
  }
}
