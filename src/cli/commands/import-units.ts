// `anju import-units <file>`: imports a unit file (employer + employees) and prints the report.
import { importUnits } from '../../services/units/import-units.ts';
import { runFileImport } from '../file-import.ts';

export function importUnitsCommand(argv: string[]): Promise<number> {
  return runFileImport(argv, {
    command: 'import-units',
    apply: (db, fileName, content) =>
      importUnits({ db, actor: { type: 'system', id: 'cli' }, fileName, content }),
    describe: (report) => [
      `  rows ${report.totalRows} · employers created ${report.employersCreated.length} · unit accounts opened ${report.created.length} · existing ${report.existing.length}`,
      `  unmatched ${report.unmatched.length} · malformed ${report.malformed.length}`,
      ...report.created.map(
        (c) => `  row ${c.row}: ${c.employerCode} ${c.idNumberMasked} ${c.name} → ${c.accountNumber}`,
      ),
      ...report.unmatched.map(
        (u) => `  row ${u.row}: ${u.employerCode} ${u.idNumberMasked} ${u.name} — ${u.reason}`,
      ),
    ],
  });
}
