// `anju advance-date --to YYYY-MM-DD`: moves the business date forward (never back).
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { addDays } from '../../domain/dates.ts';
import { advanceBusinessDate, getBusinessDate } from '../../services/calendar/business-date.ts';

export async function advanceDateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { to: { type: 'string' }, json: { type: 'boolean' } },
  });
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const to = values.to ?? addDays(await getBusinessDate(handle.db), 1);
    const result = await advanceBusinessDate(handle.db, to, {
      type: 'system',
      id: 'cli',
    });
    console.log(
      values.json ? JSON.stringify(result) : `会计日期 business date: ${result.from} → ${result.to}`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}
