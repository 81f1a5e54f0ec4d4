// The shape every `anju import-… <file>` command shares: read the file, apply it through its service as
// the CLI actor, print the report (or its JSON); a file already applied changes nothing.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openFromEnv, type Db } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';

interface ImportReport {
  fileName: string;
  duplicate: boolean;
  totalRows: number;
  unmatched: unknown[];
  malformed: Array<{ row: number; field?: string; message_zh: string; message_en: string }>;
}

export async function runFileImport<R extends ImportReport>(
  argv: string[],
  options: {
    command: string;
    apply(db: Db, fileName: string, content: Buffer): Promise<R>;
    /** The command's own lines: counts and rows beyond the common ones. */
    describe(report: R): string[];
  },
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    console.error(`usage: anju ${options.command} <file.csv|file.xlsx> [--json]`);
    return 2;
  }
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const report = await options.apply(handle.db, basename(file), readFileSync(file));
    if (values.json) {
      console.log(JSON.stringify(report));
      return 0;
    }
    console.log(
      `${report.fileName} (${report.duplicate ? '已导入过 already imported: nothing changed' : 'imported'})`,
    );
    for (const line of options.describe(report)) console.log(line);
    for (const m of report.malformed)
      console.log(`  row ${m.row}: ${m.field} — ${m.message_zh} / ${m.message_en}`);
    return 0;
  } finally {
    await handle.close();
  }
}
