// `anju seed-demo [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--depositors N]`: creates the demo center.
import { parseArgs } from 'node:util';
import { openFromEnv, type Db } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { chinaToday } from '../../jobs/scheduler.ts';
import { DEMO_PASSWORD, DEMO_STAFF, seedDemo } from '../../services/demo/seed-demo.ts';

export const DEMO_FROM = '2025-07-01';

export async function runSeed(db: Db, options: { from?: string; to?: string; depositors?: number } = {}) {
  const total = options.depositors ?? 200;
  let last = 0;
  const result = await seedDemo({
    db,
    from: options.from ?? DEMO_FROM,
    to: options.to ?? chinaToday(),
    depositors: total,
    onProgress: (done) => {
      const pct = Math.floor((done / total) * 20);
      if (pct !== last || done === total) {
        last = pct;
        process.stdout.write(`\r  演示数据 demo data [${'#'.repeat(pct).padEnd(20, '.')}] ${done}/${total}`);
      }
    },
  });
  process.stdout.write('\n');
  return result;
}

export function printDemoCredentials(): void {
  console.log('\n演示账号 Demo users (password 密码: %s)', DEMO_PASSWORD);
  for (const s of DEMO_STAFF) {
    console.log(
      `  ${s.username.padEnd(10)} ${s.roles.join(',').padEnd(16)} ${s.displayName}${s.districtCode ? ` (${s.districtCode})` : ''}`,
    );
  }
}

export async function seedDemoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, depositors: { type: 'string' } },
  });
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const result = await runSeed(handle.db, {
      from: values.from,
      to: values.to,
      depositors: values.depositors ? Number(values.depositors) : undefined,
    });
    console.log(`${result.depositors.length} depositors, business date ${result.businessDate}`);
    printDemoCredentials();
    const sample = result.depositors[0];
    if (sample)
      console.log(`  depositor  ID ${sample.idNumber}  password ${sample.password}  (${sample.name})`);
    return 0;
  } finally {
    await handle.close();
  }
}
