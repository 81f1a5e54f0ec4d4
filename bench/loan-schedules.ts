// Loan schedules per second (rules.md §6.4): 30-year loans, both methods, on one core, against a baseline
// measured in the same run: the same 360-month loop in plain floating point (the textbook formula, what an
// inexact implementation would cost). Also the literal decimal.js transcription, which the property test
// proves equal. Goal: ≥ 10,000 exact schedules a second.
// Run: npx tsx bench/loan-schedules.ts [--seconds 3] [--rounds 3]
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Decimal } from 'decimal.js';
import { referenceSchedule } from '../src/domain/loans/schedule-reference.ts';
import { buildSchedule, type RepaymentMethod } from '../src/domain/loans/schedule.ts';

const MONTHS = 360;
const GOAL_PER_SECOND = 10_000;
/** The published rates of rules.md §6.3 for terms over five years. */
const RATES = ['2.85', '3.325', '2.60', '3.075'];
const LOANS = 1024;

interface Loan {
  principalFen: bigint;
  principalYuan: number;
  rate: Decimal;
  rateNumber: number;
}

/** Principals 100,000 – 1,000,000 yuan to the fen from a fixed seed, so every run times the same loans. */
function loans(): Loan[] {
  let seed = 20_251_127;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  return Array.from({ length: LOANS }, (_, k) => {
    const fen = 10_000_000 + (next() % 90_000_000);
    const rate = RATES[k % RATES.length]!;
    return {
      principalFen: BigInt(fen),
      principalYuan: fen / 100,
      rate: new Decimal(rate),
      rateNumber: Number(rate),
    };
  });
}

/** The baseline: the textbook float formula and the same 360-month loop, rounding with Math.round. */
function floatSchedule(loan: Loan, method: RepaymentMethod): number {
  const i = loan.rateNumber / 1200;
  const p = loan.principalYuan;
  const grown = (1 + i) ** MONTHS;
  const m = Math.round(((p * i * grown) / (grown - 1)) * 100) / 100;
  const part = Math.round((p / MONTHS) * 100) / 100;
  let balance = p;
  let interestSum = 0;
  for (let k = 0; k < MONTHS; k += 1) {
    const interest = Math.round(balance * i * 100) / 100;
    const principal = k === MONTHS - 1 ? balance : method === 'equal-installment' ? m - interest : part;
    balance -= principal;
    interestSum += interest;
  }
  return interestSum;
}

/** Schedules per second of `run` over the loans, for about `seconds`; the checksum keeps the work alive. */
function measure(seconds: number, run: (loan: Loan) => unknown): { perSecond: number; checksum: number } {
  const all = loans();
  let count = 0;
  let checksum = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 64; k += 1) {
      const result = run(all[count % LOANS]!);
      checksum += typeof result === 'number' ? result : 1;
      count += 1;
    }
  }
  return { perSecond: count / ((performance.now() - t0) / 1000), checksum };
}

function numberFlag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const argv = process.argv.slice(2);
  const seconds = numberFlag(argv, '--seconds', 3);
  const rounds = numberFlag(argv, '--rounds', 3);
  const cpu = cpus();
  console.log(
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; one thread`,
  );
  console.log(
    `${LOANS} loans of 100,000–1,000,000 yuan at ${RATES.join(' / ')} %, ${MONTHS} months; ${rounds} rounds × ${seconds} s, median`,
  );

  // Equal to the literal decimal.js rule before anything is timed.
  for (const method of ['equal-installment', 'equal-principal'] as const) {
    for (const loan of loans().slice(0, 16)) {
      const exact = buildSchedule({
        principalFen: loan.principalFen,
        annualRatePct: loan.rate,
        months: MONTHS,
        method,
      });
      const reference = referenceSchedule({
        principalFen: loan.principalFen,
        annualRatePct: loan.rate,
        months: MONTHS,
        method,
      });
      exact.installments.forEach((row, k) => {
        if (row.interestFen.toString() !== reference[k]!.interest.toFixed(0)) {
          throw new Error(`schedule differs from the decimal.js reference at period ${k + 1}`);
        }
      });
    }
  }

  const rows: { name: string; perSecond: number; baseline: number }[] = [];
  for (const method of ['equal-installment', 'equal-principal'] as const) {
    const variants: [string, (loan: Loan) => unknown, number][] = [
      [
        `${method} exact (bigint fen)`,
        (loan) =>
          buildSchedule({
            principalFen: loan.principalFen,
            annualRatePct: loan.rate,
            months: MONTHS,
            method,
          }),
        seconds,
      ],
      [
        `${method} exact, dated (due dates, first period days / 30)`,
        (loan) =>
          buildSchedule({
            principalFen: loan.principalFen,
            annualRatePct: loan.rate,
            months: MONTHS,
            method,
            disbursedOn: '2025-01-31',
          }),
        seconds,
      ],
      [
        `${method} decimal.js reference`,
        (loan) =>
          referenceSchedule({
            principalFen: loan.principalFen,
            annualRatePct: loan.rate,
            months: MONTHS,
            method,
          }),
        Math.max(1, seconds / 3),
      ],
    ];
    for (const [name, run, s] of variants) {
      const measured: number[] = [];
      const baselines: number[] = [];
      for (let r = 0; r < rounds; r += 1) {
        // Baseline and subject alternate inside each round so both see the same machine state.
        baselines.push(measure(s, (loan) => floatSchedule(loan, method)).perSecond);
        measured.push(measure(s, run).perSecond);
      }
      rows.push({ name, perSecond: median(measured), baseline: median(baselines) });
    }
  }

  console.log('\n| schedule | schedules/s | float baseline/s | baseline ÷ subject |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${Math.round(row.perSecond).toLocaleString('en')} | ${Math.round(row.baseline).toLocaleString('en')} | ${(row.baseline / row.perSecond).toFixed(1)}× |`,
    );
  }
  const exactRows = rows.filter((r) => r.name.includes('exact'));
  const slowest = Math.min(...exactRows.map((r) => r.perSecond));
  console.log(
    `\nGoal ≥ ${GOAL_PER_SECOND.toLocaleString('en')} exact schedules/s: ${slowest >= GOAL_PER_SECOND ? 'met' : 'NOT met'} (slowest ${Math.round(slowest).toLocaleString('en')}/s)`,
  );
}

main();
