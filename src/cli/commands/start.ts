// `anju start [--demo] [--host H] [--port P]`: migrates, seeds the demo center on an empty database
// when --demo is given, serves the API on one port, and runs the daily business-day close (pg-boss): at
// start-up it catches up any day the calendar has passed, then every day at 00:30 China time.
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { buildApp } from '../../api/app.ts';
import { SimulatedSmsGateway } from '../../integrations/sms.ts';
import { createInProcessBank } from '../../services/deposits/handle-bank-notification.ts';
import { chinaToday, startScheduler } from '../../jobs/scheduler.ts';
import { transferPlatformFromEnv } from '../../integrations/transfer-platform/http-gateway.ts';
import { createInProcessPeerCenter } from '../../services/transfers/platform-delivery.ts';
import { startAuditSealer } from '../../audit/audit-trail.ts';
import { printDemoCredentials, runSeed } from './seed-demo.ts';

export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { demo: { type: 'boolean' }, host: { type: 'string' }, port: { type: 'string' } },
  });
  const host = values.host ?? process.env.HOST ?? 'localhost';
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const handle = await openFromEnv();
  console.log(`安居 Anju · database: ${handle.description}`);
  const migrated = await migrate(handle.db);
  if (migrated.applied.length) console.log(`  migrations applied: ${migrated.applied.join(', ')}`);
  if (values.demo) {
    const hasStaff = await handle.db.selectFrom('staff_users').select('id').limit(1).executeTakeFirst();
    if (!hasStaff) {
      console.log('  empty database: seeding the demo center …');
      const result = await runSeed(handle.db);
      const sample = result.depositors[0];
      if (sample)
        console.log(`  sample depositor: ID ${sample.idNumber} / ${sample.password} (${sample.name})`);
    }
    printDemoCredentials();
  }
  const bank = createInProcessBank({ db: handle.db });
  const transferPlatform = transferPlatformFromEnv() ?? createInProcessPeerCenter({ db: handle.db });
  const app = await buildApp({
    db: handle.db,
    sms: new SimulatedSmsGateway(() => new Date()),
    bank,
    transferPlatform,
  });
  const scheduler = await startScheduler({
    db: handle.db,
    bank,
    transferPlatform,
    today: () => chinaToday(),
    log: (line) => console.log(`  [日终 close] ${line}`),
  });
  await scheduler.runNow();
  // Committed audit rows join the SHA-256 chain within a second (docs/decisions/0004).
  const sealer = startAuditSealer(handle.db, {
    onError: (error) => console.error('audit sealer:', error instanceof Error ? error.message : error),
  });
  const close = async () => {
    await sealer.stop();
    await scheduler.stop();
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host, port });
  console.log(`\n  http://${host}:${port}/  ·  API docs: http://${host}:${port}/api/docs`);
  return new Promise<number>(() => {});
}
