// `anju import-si <file>`: imports social-insurance pension records and prints the report.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openFromEnv } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { importSocialInsurance } from '../../services/imports/import-social-insurance.ts';

export async function importSiCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: anju import-si <file.csv|file.xlsx> [--json]');
    return 2;
  }
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const report = await importSocialInsurance({
      db: handle.db,
      actor: { type: 'system', id: 'cli' },
      fileName: basename(file),
      content: readFileSync(file),
    });
    if (values.json) console.log(JSON.stringify(report));
    else {
      console.log(
        `${report.fileName} (${report.duplicate ? '已导入过 already imported: nothing changed' : 'imported'})`,
      );
      console.log(
        `  rows ${report.totalRows} · matched ${report.matchedRows} · newly verified ${report.newlyVerified}`,
      );
      console.log(`  unmatched ${report.unmatched.length} · malformed ${report.malformed.length}`);
      for (const u of report.unmatched)
        console.log(`  row ${u.row}: ${u.idNumberMasked} ${u.name} — ${u.reason}`);
      for (const m of report.malformed)
        console.log(`  row ${m.row}: ${m.field} — ${m.message_zh} / ${m.message_en}`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}
