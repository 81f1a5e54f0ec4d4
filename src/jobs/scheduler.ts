// Background work with pg-boss (on PostgreSQL and PGlite alike, through the app's own connection): a
// daily job closes every business day that the calendar has passed, so the center's day closes by itself.
import PgBoss from 'pg-boss';
import { CompiledQuery } from 'kysely';
import { compareDates, type IsoDate } from '../domain/dates.ts';
import { getBusinessDate } from '../services/calendar/business-date.ts';
import { closeDays } from './close-day.ts';
import type { Db } from '../db/connection.ts';
import type { BankGateway } from '../integrations/bank/gateway.ts';
import type { TransferPlatformGateway } from '../integrations/transfer-platform/gateway.ts';

export const CLOSE_QUEUE = 'close-day';

export interface SchedulerOptions {
  db: Db;
  bank: BankGateway;
  transferPlatform?: TransferPlatformGateway | null;
  /** Cron expression in China time; default 00:30 every day. */
  cron?: string;
  /** The calendar date now, in China time (an input so tests can set it). */
  today: () => IsoDate;
  log?: (line: string) => void;
}

/** Today's calendar date in China (UTC+8), for the scheduler's decision of which days are over. */
export function chinaToday(now: Date = new Date()): IsoDate {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export async function startScheduler(
  options: SchedulerOptions,
): Promise<{ stop(): Promise<void>; runNow(): Promise<string | null> }> {
  const { db, log = () => undefined } = options;
  const boss = new PgBoss({
    schema: 'pgboss',
    db: {
      executeSql: async (text: string, values?: unknown[]) => {
        const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
        return { rows: result.rows } as never;
      },
    },
  } as unknown as PgBoss.ConstructorOptions);
  boss.on('error', (error) =>
    log(`scheduler error: ${error instanceof Error ? error.message : String(error)}`),
  );
  await boss.start();
  await boss.createQueue(CLOSE_QUEUE);
  await boss.schedule(CLOSE_QUEUE, options.cron ?? '30 0 * * *', {}, { tz: 'Asia/Shanghai' });
  await boss.work(CLOSE_QUEUE, async () => {
    const businessDate = await getBusinessDate(db);
    const today = options.today();
    if (compareDates(businessDate, today) >= 0) return;
    const closed = await closeDays({
      db,
      bank: options.bank,
      transferPlatform: options.transferPlatform,
      actor: { type: 'system', id: 'scheduler' },
      to: today,
    });
    log(`closed ${closed.length} business day(s) up to ${today}`);
  });
  return {
    stop: () => boss.stop({ graceful: true, wait: true }),
    runNow: () => boss.send(CLOSE_QUEUE, {}),
  };
}
