// The `anju` command. Each subcommand calls the same services as the API; output is for people, or
// JSON with --json for scripts.
import { isAppError } from '../domain/errors.ts';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: 'migrate, seed demo data if empty (--demo), serve API and web',
    load: async () => (await import('./commands/start.ts')).startCommand,
  },
  migrate: {
    summary: 'apply database migrations',
    load: async () => (await import('./commands/migrate.ts')).migrateCommand,
  },
  'seed-demo': {
    summary: 'create the demo center (staff users, ~200 depositors)',
    load: async () => (await import('./commands/seed-demo.ts')).seedDemoCommand,
  },
  verify: {
    summary: 'prove the books and the audit chain are intact',
    load: async () => (await import('./commands/verify.ts')).verifyCommand,
  },
  'advance-date': {
    summary: 'move the business date forward: advance-date --to YYYY-MM-DD',
    load: async () => (await import('./commands/advance-date.ts')).advanceDateCommand,
  },
  'close-day': {
    summary: 'close the business day with its steps: close-day [--to YYYY-MM-DD]',
    load: async () => (await import('./commands/close-day.ts')).closeDayCommand,
  },
  'import-si': {
    summary: 'import social-insurance pension records: import-si <file.csv|.xlsx>',
    load: async () => (await import('./commands/import-si.ts')).importSiCommand,
  },
  'import-units': {
    summary: 'import a unit file (employer + employees): import-units <file.csv|.xlsx>',
    load: async () => (await import('./commands/import-units.ts')).importUnitsCommand,
  },
  'bench-data': {
    summary: 'benchmark fixture: bench-data --accounts N [--deposits 12] [--year 2024]',
    load: async () => (await import('./commands/bench-data.ts')).benchDataCommand,
  },
  calc: {
    summary:
      'calculators: calc id <number> | calc retirement --birth YYYY-MM --group … | calc interest|subsidy --json < input',
    load: async () => {
      const { runCalc } = await import('./commands/calc.ts');
      return (argv) =>
        runCalc(argv, {
          stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
          ...(process.stdin.isTTY ? {} : { stdin: readStdin }),
        });
    },
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `安居 Anju — 灵活就业人员住房公积金\n\nUsage: anju <command> [options]\n\n${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isAppError(error)) {
      process.stderr.write(`${JSON.stringify(error.toBody())}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
