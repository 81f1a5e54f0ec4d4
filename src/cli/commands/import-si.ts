// `anju import-si <file>`: imports social-insurance pension records and prints the report.
import { importSocialInsurance } from '../../services/imports/import-social-insurance.ts';
import { runFileImport } from '../file-import.ts';

export function importSiCommand(argv: string[]): Promise<number> {
  return runFileImport(argv, {
    command: 'import-si',
    apply: (db, fileName, content) =>
      importSocialInsurance({ db, actor: { type: 'system', id: 'cli' }, fileName, content }),
    describe: (report) => [
      `  rows ${report.totalRows} · matched ${report.matchedRows} · newly verified ${report.newlyVerified}`,
      `  unmatched ${report.unmatched.length} · malformed ${report.malformed.length}`,
      ...report.unmatched.map((u) => `  row ${u.row}: ${u.idNumberMasked} ${u.name} — ${u.reason}`),
    ],
  });
}
