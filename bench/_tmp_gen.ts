import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { generateBenchData } from '../src/cli/commands/bench-data.ts';
import { recreateDatabase, benchBaseUrl } from '../bench/pgbench-baseline.ts';
const n = Number(process.argv[2]);
const k = Number(process.argv[3] ?? 12);
const url = await recreateDatabase(benchBaseUrl(), 'anju_bench_settle');
const h = await openDatabase({ url, poolSize: 2 });
await migrate(h.db);
await generateBenchData(h.db, {
  accounts: n,
  deposits: k,
  onProgress: (s, t) => console.log(t.toFixed(1), s),
});
await h.close();
