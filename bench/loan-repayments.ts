// The loan repayment close benchmark (rules.md §6.5): on PostgreSQL, N depositors with FLEX accounts from
// the set-based fixture generator (`anju bench-data`, one deposit each), one disbursed loan each with its
// first installment due on the closed date (set-based fixture SQL, no service calls); half the loans have
// monthly offset signed (taken from the HPF balance), the rest are debited at the in-process bank as one
// batch debit file (批量代扣), whose signed result file (回盘) is verified and applied set-based; one card in
// ten has no money (those installments go overdue: 121 → 122, receivable interest, one day of penalty). Timed: the
// whole business-day close of that date (closeDays, every step) and the loan-repayments step alone,
// compared with a plain set-based INSERT of as many posting rows as the close wrote, in the same run.
// Run: npx tsx bench/loan-repayments.ts [--installments 200000] [--verify] [--keep] [--vacuum]
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { generateBenchData } from '../src/cli/commands/bench-data.ts';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { SYSTEM_ACTOR } from '../src/domain/roles.ts';
import { formatVerifyReport, verifyBooks } from '../src/ledger/verify-books.ts';
import { closeDays } from '../src/jobs/close-day.ts';
import { createInProcessBank } from '../src/services/deposits/handle-bank-notification.ts';
import {
  benchBaseUrl,
  describeMachine,
  dropDatabase,
  numberFlag,
  recreateDatabase,
} from './pgbench-baseline.ts';

const DATABASE = 'anju_bench_loan_repay';
/** The closed date: the fixture's deposits are in July 2024; the loans were disbursed a month before. */
const DUE_DATE = '2024-09-10';
const DISBURSED_ON = '2024-08-10';
const FAILING_CARD = '6217000010009999999';

/** The baseline: one set-based INSERT … SELECT of `rows` posting-shaped rows into a fresh scratch table. */
async function baseline(db: Db, rows: number): Promise<number> {
  await sql`DROP TABLE IF EXISTS bench_scratch`.execute(db);
  await sql`CREATE TABLE bench_scratch (entry_id bigint NOT NULL, book text NOT NULL, account_code text NOT NULL,
    side text NOT NULL, amount_fen bigint NOT NULL, member_account_id bigint)`.execute(db);
  const t0 = performance.now();
  await sql`INSERT INTO bench_scratch (entry_id, book, account_code, side, amount_fen, member_account_id)
    SELECT g / 3, 'FLEX', CASE g % 3 WHEN 0 THEN '201' WHEN 1 THEN '121' ELSE '40103' END,
      CASE WHEN g % 3 = 0 THEN 'D' ELSE 'C' END, 100000, CASE WHEN g % 3 = 0 THEN g / 3 END
    FROM generate_series(1, ${rows}::int) g`.execute(db);
  const seconds = (performance.now() - t0) / 1000;
  await sql`DROP TABLE bench_scratch`.execute(db);
  return seconds;
}

/** N disbursed loans (1,000.00, 12 months at 2.85 %), one per flexible account, set-based. */
async function loansFixture(db: Db): Promise<number> {
  await sql`
    INSERT INTO loans (depositor_id, account_id, channel, house_address, house_area_sqm, house_price_fen, home,
      house_in_city, seller_name, seller_bank_name, seller_bank_account, monthly_income_fen, monthly_debts_fen,
      income_evidence, requested_fen, term_months, method, credit_report, quota_fen, quota, annual_rate_pct, rate_from,
      status, applied_on, applied_by, disbursed_on, balance_offset)
    SELECT a.depositor_id, a.id, 'counter', '包头市压测路 ' || a.id || ' 号', 90, 50000000, 'first', true, '压测卖方',
      '压测银行', '6217000099998888777', 1000000, 0, 'bench', 100000, 12, 'equal-installment', '{}'::jsonb, 100000,
      '{}'::jsonb, 2.85, '2024-05-18', 'disbursed', ${DISBURSED_ON}::date, 'system:bench', ${DISBURSED_ON}::date,
      a.id % 2 = 0
    FROM accounts a WHERE a.kind = 'flexible'
    ORDER BY a.id`.execute(db);
  // Period 1 due on the closed date (principal 80.00 + interest 2.38), period 2 the rest of the principal.
  await sql`
    INSERT INTO loan_installments (loan_id, period, due_date, principal_fen, interest_fen, payment_fen, balance_fen)
    SELECT l.id, p.period, p.due, p.principal, p.interest, p.principal + p.interest, p.balance
    FROM loans l CROSS JOIN (VALUES (1, ${DUE_DATE}::date, 8000, 238, 92000), (2, '2024-10-10'::date, 92000, 219, 0))
      AS p (period, due, principal, interest, balance)`.execute(db);
  // The disbursements as one entry (Dr 121 / Cr 101), as the fixture's deposits are.
  const total = await sql<{ n: number; fen: bigint }>`
    SELECT count(*)::int AS n, COALESCE(SUM(requested_fen), 0)::bigint AS fen FROM loans`.execute(db);
  const { n, fen } = total.rows[0]!;
  await db.transaction().execute(async (tx) => {
    const e = await sql<{ id: bigint }>`
      INSERT INTO journal_entries (book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
      VALUES ('FLEX', ${DISBURSED_ON}::date, ${DISBURSED_ON}::date, 'loan_disbursement', '压测放款', 'bench', 'loans',
        'system:bench') RETURNING id`.execute(tx);
    const id = e.rows[0]!.id;
    await sql`INSERT INTO postings (entry_id, book, account_code, side, amount_fen)
      VALUES (${id}, 'FLEX', '121', 'D', ${fen}), (${id}, 'FLEX', '101', 'C', ${fen})`.execute(tx);
    await sql`UPDATE ledger_accounts SET balance_fen = balance_fen + CASE code WHEN '121' THEN ${fen}::bigint ELSE -${fen}::bigint END
      WHERE book = 'FLEX' AND code IN ('121', '101')`.execute(tx);
  });
  // One debit borrower in ten has a card with no money.
  await sql`
    UPDATE agreements g SET bank_card = ${FAILING_CARD}
    FROM loans l WHERE g.account_id = l.account_id AND NOT l.balance_offset AND l.id % 10 = 1`.execute(db);
  await sql`ANALYZE loans`.execute(db);
  await sql`ANALYZE loan_installments`.execute(db);
  await sql`ANALYZE agreements`.execute(db);
  return n;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const installments = numberFlag(argv, 'installments', 200_000);
  const verify = argv.includes('--verify');
  const keep = argv.includes('--keep');
  const baseUrl = benchBaseUrl();
  console.log(await describeMachine(baseUrl));
  const url = await recreateDatabase(baseUrl, DATABASE);
  const handle = await openDatabase({ url, poolSize: 8 });
  const db = handle.db;
  try {
    await migrate(db);
    await sql`INSERT INTO business_calendar (id, business_date) VALUES (1, ${DUE_DATE}::date)`.execute(db);
    let t0 = performance.now();
    await generateBenchData(db, { accounts: installments, deposits: 1, year: 2024 });
    console.log(
      `fixture: ${installments.toLocaleString('en')} accounts × 1 deposit in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    t0 = performance.now();
    const loans = await loansFixture(db);
    console.log(
      `fixture: ${loans.toLocaleString('en')} loans, one installment due ${DUE_DATE} each, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (argv.includes('--vacuum')) {
      // As a live database's tables are (autovacuum): the bulk-loaded fixture rows vacuumed, hint bits set.
      t0 = performance.now();
      await sql`VACUUM (ANALYZE) accounts, agreements, loans, loan_installments, journal_entries, postings`.execute(
        db,
      );
      console.log(`fixture: VACUUM (ANALYZE) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM postings`.execute(db);

    const bank = createInProcessBank({ db, serialPrefix: 'BENCH', timeoutMs: 2000 });
    bank.setCardFault(FAILING_CARD, { kind: 'insufficient_funds' });
    const stepStarted = new Map<string, number>();
    const stepSeconds = new Map<string, number>();
    let last = performance.now();
    t0 = performance.now();
    const [day] = await closeDays({
      db,
      actor: SYSTEM_ACTOR,
      bank,
      transferPlatform: null,
      onProgress: (p) => {
        const now = performance.now();
        stepStarted.set(p.step, last);
        stepSeconds.set(p.step, (now - last) / 1000);
        last = now;
      },
    });
    const closeSeconds = (performance.now() - t0) / 1000;
    const stepSecondsLoan = stepSeconds.get('loan-repayments') ?? NaN;
    const summary = day!.steps.find((s) => s.step === 'loan-repayments')!.summary;
    console.log(`loan-repayments step: ${JSON.stringify(summary)}`);
    console.log(
      `steps (s): ${[...stepSeconds].map(([s, v]) => `${s} ${v.toFixed(2)}`).join(', ')}; close ${closeSeconds.toFixed(2)} s`,
    );
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM postings`.execute(db);
    const postingRows = after.rows[0]!.n - before.rows[0]!.n;
    const baselineSeconds = await baseline(db, postingRows);
    const outcome = await sql<{ channel: string; n: number }>`
      SELECT channel, count(*)::int AS n FROM loan_repayments GROUP BY channel ORDER BY channel`.execute(db);
    const overdue = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM loan_installments WHERE status = 'overdue'`.execute(db);
    console.log(
      `repayments: ${outcome.rows.map((r) => `${r.channel} ${r.n.toLocaleString('en')}`).join(', ')}; ` +
        `overdue ${overdue.rows[0]!.n.toLocaleString('en')}; posting rows written ${postingRows.toLocaleString('en')}`,
    );
    console.log(
      `\n| due installments | close s | loan-repayments step s | installments/s | baseline (${postingRows.toLocaleString('en')} rows) s | close/baseline |`,
    );
    console.log('|---:|---:|---:|---:|---:|---:|');
    console.log(
      `| ${loans.toLocaleString('en')} | ${closeSeconds.toFixed(2)} | ${stepSecondsLoan.toFixed(2)} | ` +
        `${Math.round(loans / closeSeconds).toLocaleString('en')} | ${baselineSeconds.toFixed(2)} | ` +
        `${(closeSeconds / baselineSeconds).toFixed(1)}× |`,
    );
    if (verify) {
      t0 = performance.now();
      const report = await verifyBooks(db);
      console.log(
        `verifyBooks: ${report.ok ? 'ok' : 'FAILED'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (!report.ok) console.log(formatVerifyReport(report));
    }
  } finally {
    await handle.close();
    if (!keep) await dropDatabase(baseUrl, DATABASE);
  }
}

await main();
