// `anju close-day [--to YYYY-MM-DD] [--json]`: closes the business day (or every day before --to) with a
// progress bar and a summary; a killed run resumes where it stopped when started again.
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { closeDays, type CloseProgress } from '../../jobs/close-day.ts';
import { CLOSE_STEPS } from '../../jobs/steps/index.ts';
import { createInProcessBank } from '../../services/deposits/handle-bank-notification.ts';

export async function closeDayCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { to: { type: 'string' }, json: { type: 'boolean' } },
  });
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const bank = createInProcessBank({ db: handle.db });
    const tty = process.stdout.isTTY && !values.json;
    const onProgress = (p: CloseProgress) => {
      if (!tty) return;
      const done = p.index + 1;
      const width = 24;
      const filled = Math.round((done / p.total) * width);
      process.stdout.write(
        `\r日终 close ${p.date} [${'#'.repeat(filled).padEnd(width, '.')}] ${done}/${p.total} ${p.step.padEnd(22)}`,
      );
      if (done === p.total) process.stdout.write('\n');
    };
    const closed = await closeDays({
      db: handle.db,
      bank,
      actor: { type: 'system', id: 'cli' },
      to: values.to,
      onProgress,
    });
    if (values.json) {
      console.log(JSON.stringify({ closed }));
    } else {
      for (const day of closed) {
        const parts = day.steps
          .filter((s) => !s.skipped)
          .map(
            (s) =>
              `${s.step}: ${Object.entries(s.summary)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')}`,
          );
        console.log(`${day.date} ✓  ${parts.join(' · ')}`);
      }
      console.log(`${closed.length} day(s) closed over ${CLOSE_STEPS.length} steps each.`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}
