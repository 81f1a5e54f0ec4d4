// `anju bench-data --accounts N [--deposits 12] [--year 2024]`: a BENCHMARK FIXTURE generator. It writes rows
// directly, set-based (INSERT … SELECT over generate_series / unnest), instead of calling the services one
// deposit at a time: N depositors, their signed flexible agreements and FLEX accounts, and K monthly deposits
// each over the interest year (July … ), with the journal entries, postings, deposits, month allocations,
// covered months, ledger balances and interest accumulators exactly as posting them one by one would leave
// them, so `anju verify` passes. Not for production data: no audit row per deposit (one summary row).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql, type RawBuilder } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import { encryptIdNumber, idNumberHash, maskIdNumber } from '../../auth/pii.ts';
import { openFromEnv, type Db } from '../../db/connection.ts';
import { migrate } from '../../db/migrate.ts';
import { addDays, addMonths, hpfYearBounds } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { idCheckCharacter } from '../../domain/identity.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { defaultRetirementGroup } from '../../domain/retirement.ts';
import { sha256Hex } from '../../services/agreements/prepare-agreement.ts';
import { getFenParameter } from '../../services/parameters/get-parameter.ts';

export interface BenchDataOptions {
  accounts: number;
  /** Monthly deposits per account, July onwards (1 … 12). */
  deposits?: number;
  /** The HPF year: July 1 of this year … June 30 of the next. */
  year?: number;
  /** Depositors sent per statement (their ID numbers are hashed and encrypted in Node). */
  chunk?: number;
  onProgress?: (stage: string, seconds: number) => void;
}

export interface BenchDataResult {
  accounts: number;
  deposits: number;
  hpfYear: number;
  /** Σ of the deposits, yuan. */
  total: string;
  firstAccountId: string;
  lastAccountId: string;
  seconds: number;
}

const ACTOR = 'system:bench-data';
const DISTRICTS = [
  '150202',
  '150203',
  '150204',
  '150205',
  '150206',
  '150207',
  '150221',
  '150222',
  '150223',
  '150271',
];
/** Birth dates spread over 1980-01-01 … 1999-12-31: adults, none retired in the years benchmarked. */
const BIRTH_FROM = '1980-01-01';
const BIRTH_DAYS = 7305;
const BANK_CARD = '6217000010001234567';
const TERMS_TEXT = '压测数据：灵活就业人员住房公积金缴存使用协议（bench fixture）';

/** A fixed amount per (account n, month k), between the monthly lower limit and well under the upper. */
function amountSql(n: RawBuilder<unknown>, k: RawBuilder<unknown>): RawBuilder<bigint> {
  return sql<bigint>`(19800 + ((${n})::bigint * 7919 + (${k})::bigint * 104729) % 400000)::bigint`;
}

/** The value date of account n's deposit in the month starting `monthStart`: day 1 … 28. */
function valueDateSql(n: RawBuilder<unknown>, monthStart: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`((${monthStart})::date + ((${n}) % 28)::int)`;
}

/** The synthetic person number n: a unique, well-formed resident ID (district, birth date, sequence). */
function personFor(n: number): {
  idNumber: string;
  birthDate: string;
  gender: 'male' | 'female';
  district: string;
} {
  const sequence = n % 1000;
  const birthDate = addDays(BIRTH_FROM, Math.floor(n / 1000) % BIRTH_DAYS);
  const district = DISTRICTS[Math.floor(n / (1000 * BIRTH_DAYS)) % DISTRICTS.length]!;
  const first17 = `${district}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return {
    idNumber: first17 + idCheckCharacter(first17),
    birthDate,
    gender: sequence % 2 === 1 ? 'male' : 'female',
    district,
  };
}

export async function generateBenchData(db: Db, options: BenchDataOptions): Promise<BenchDataResult> {
  const count = options.accounts;
  const months = options.deposits ?? 12;
  const hpfYear = options.year ?? 2024;
  const chunk = options.chunk ?? 50_000;
  if (!Number.isInteger(count) || count < 1 || count > 50_000_000) {
    throw new AppError('INTEREST_BENCH_DATA_INVALID', { field: 'accounts', details: { value: count } });
  }
  if (!Number.isInteger(months) || months < 1 || months > 12) {
    throw new AppError('INTEREST_BENCH_DATA_INVALID', { field: 'deposits', details: { value: months } });
  }
  if (!Number.isInteger(hpfYear) || hpfYear < 2023 || hpfYear > 2100) {
    throw new AppError('INTEREST_BENCH_DATA_INVALID', { field: 'year', details: { value: hpfYear } });
  }
  const started = performance.now();
  const progress = (stage: string) => options.onProgress?.(stage, (performance.now() - started) / 1000);
  const { from: yearFrom, to: yearEnd } = hpfYearBounds(hpfYear);
  const monthStarts = Array.from({ length: months }, (_, k) => addMonths(yearFrom, k));
  const openedOn = addDays(yearFrom, -1);

  const result = await db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('work_mem', '256MB', true), set_config('synchronous_commit', 'off', true)`.execute(
      tx,
    );
    await sql`INSERT INTO business_calendar (id, business_date) VALUES (1, ${yearEnd}::date) ON CONFLICT (id) DO NOTHING`.execute(
      tx,
    );
    const base = await sql<{
      max: bigint;
    }>`SELECT COALESCE(max(id), 0)::bigint AS max FROM depositors`.execute(tx);
    const firstDepositorId = base.rows[0]!.max;

    // 1. Depositors, in chunks: the ID number is protected by the same functions registration uses.
    const seed = Number(firstDepositorId);
    for (let start = 1; start <= count; start += chunk) {
      const people = Array.from({ length: Math.min(chunk, count - start + 1) }, (_, i) => {
        const n = seed + start + i;
        return { n, ...personFor(n) };
      });
      await sql`
        INSERT INTO depositors (id_type, id_number_hash, id_number_enc, id_number_masked, name, gender, birth_date,
          retirement_group, phone, district_code, employment_form, civil_capacity_declared,
          no_unit_account_elsewhere_declared, flexible_verified, registered_channel, registered_by, registered_on)
        SELECT 'resident', p.hash, p.enc, p.masked, '压测' || p.n, p.gender, p.birth, p.grp,
          '138' || lpad((p.n % 100000000)::text, 8, '0'), p.district, 'new_forms', true, true, false, 'import',
          ${ACTOR}, ${openedOn}::date
        FROM unnest(${people.map((p) => p.n)}::bigint[], ${people.map((p) => idNumberHash(p.idNumber))}::text[],
          ${people.map((p) => encryptIdNumber(p.idNumber))}::text[], ${people.map((p) => maskIdNumber(p.idNumber))}::text[],
          ${people.map((p) => p.gender)}::text[], ${people.map((p) => p.birthDate)}::date[],
          ${people.map((p) => defaultRetirementGroup(p.gender))}::text[], ${people.map((p) => p.district)}::text[])
          AS p (n, hash, enc, masked, gender, birth, grp, district)
        ORDER BY p.n`.execute(tx);
    }
    progress(`${count} depositors`);

    // 2. This run's people, numbered 1 … N, with every id drawn from the real sequences.
    await sql`
      CREATE TEMP TABLE bench_people ON COMMIT DROP AS
      SELECT n, depositor_id, district_code, account_id, account_seq, agreement_id, agreement_seq, name
      FROM (
        SELECT row_number() OVER (ORDER BY d.id)::int AS n, d.id AS depositor_id, d.district_code, d.name,
          nextval('accounts_id_seq') AS account_id, nextval('account_number_seq') AS account_seq,
          nextval('agreements_id_seq') AS agreement_id, nextval('agreement_number_seq') AS agreement_seq
        FROM depositors d WHERE d.id > ${firstDepositorId} AND d.registered_by = ${ACTOR}
      ) p`.execute(tx);
    await sql`ALTER TABLE bench_people ADD PRIMARY KEY (n)`.execute(tx);
    await sql`ANALYZE bench_people`.execute(tx);

    // 3. Accounts with their final balances and accumulators: Σ deposits, and Σ amount × days from each
    //    value date to June 30 (what postEntry adds per deposit; migration 0006).
    const k = sql`m.k - 1`;
    await sql`
      INSERT INTO accounts (id, account_number, depositor_id, pool, kind, state, balance_fen, carried_over_fen,
        current_year_fen, district_code, opened_on, interest_year_end, balance_days_fen, interest_carry)
      SELECT p.account_id, x.payload || luhn.digit, p.depositor_id, 'FLEX', 'flexible', '01', s.balance, 0,
        s.balance, p.district_code, ${openedOn}::date, ${yearEnd}::date, s.balance_days, 0
      FROM bench_people p
        CROSS JOIN LATERAL (SELECT '8' || lpad(p.account_seq::text, 10, '0') AS payload) x
        CROSS JOIN LATERAL (${luhnDigitSql(sql`x.payload`)}) luhn
        CROSS JOIN LATERAL (
          SELECT SUM(${amountSql(sql`p.n`, k)})::bigint AS balance,
            SUM(${amountSql(sql`p.n`, k)} * (${yearEnd}::date - ${valueDateSql(sql`p.n`, sql`m.start`)} + 1))::bigint AS balance_days
          FROM unnest(${monthStarts}::date[]) WITH ORDINALITY AS m (start, k)
        ) s
      ORDER BY p.n`.execute(tx);
    progress(`${count} accounts`);

    // 4. Signed flexible agreements (rules.md §2), one text for all (a fixture, not the rendered terms).
    await sql`
      INSERT INTO agreements (id, agreement_number, depositor_id, account_id, terms_version_id, deposit_mode,
        monthly_amount_fen, bank_name, bank_card, debit_day, consent_data_check, status, signed_text,
        signed_text_sha256, signed_at, signed_on, signer_name, signed_channel)
      SELECT p.agreement_id, 'XY' || ${String(hpfYear)} || lpad(p.agreement_seq::text, 8, '0'), p.depositor_id,
        p.account_id, (SELECT id FROM terms_versions ORDER BY effective_from DESC, id DESC LIMIT 1), 'flexible',
        NULL, '中国建设银行包头分行', ${BANK_CARD}, NULL, true, 'signed', ${TERMS_TEXT}, ${sha256Hex(TERMS_TEXT)},
        ${`${openedOn}T02:00:00Z`}::timestamptz, ${openedOn}::date, p.name, 'counter'
      FROM bench_people p ORDER BY p.n`.execute(tx);
    progress(`${count} agreements`);

    // 5. One month at a time: entries (Dr 101 / Cr 201 member), deposits, allocations, covered months.
    for (const [index, monthStart] of monthStarts.entries()) {
      const lower = await getFenParameter(tx, 'deposit.monthly_lower_limit_fen', monthStart);
      await sql`
        CREATE TEMP TABLE bench_month ON COMMIT DROP AS
        SELECT p.account_id, a.account_number, ${valueDateSql(sql`p.n`, sql`${monthStart}::date`)} AS value_date,
          ${amountSql(sql`p.n`, sql`${index}`)} AS amount_fen,
          nextval('journal_entries_id_seq') AS entry_id, nextval('deposits_id_seq') AS deposit_id
        FROM bench_people p JOIN accounts a ON a.id = p.account_id`.execute(tx);
      await sql`
        INSERT INTO journal_entries (id, book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
        SELECT entry_id, 'FLEX', value_date, value_date, 'deposit', '缴存 ' || account_number, 'deposit',
          deposit_id::text, ${ACTOR}
        FROM bench_month ORDER BY entry_id`.execute(tx);
      await sql`
        INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
        SELECT entry_id, 'FLEX', code, side, amount_fen, member FROM (
          SELECT entry_id, 1 AS ord, '101' AS code, 'D' AS side, amount_fen, NULL::bigint AS member FROM bench_month
          UNION ALL
          SELECT entry_id, 2, '201', 'C', amount_fen, account_id FROM bench_month
        ) x ORDER BY entry_id, ord`.execute(tx);
      await sql`
        INSERT INTO deposits (id, account_id, amount_fen, value_date, business_date, channel, journal_entry_id,
          hpf_year, created_by)
        SELECT deposit_id, account_id, amount_fen, value_date, value_date, 'counter', entry_id, ${hpfYear}, ${ACTOR}
        FROM bench_month ORDER BY deposit_id`.execute(tx);
      await sql`
        INSERT INTO deposit_allocations (deposit_id, month, amount_fen)
        SELECT deposit_id, ${monthStart}::date, amount_fen FROM bench_month ORDER BY deposit_id`.execute(tx);
      await sql`
        INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered)
        SELECT account_id, ${monthStart}::date, amount_fen, ${lower}, amount_fen >= ${lower}
        FROM bench_month ORDER BY account_id`.execute(tx);
      await sql`DROP TABLE bench_month`.execute(tx);
      progress(`deposits of ${monthStart.slice(0, 7)}`);
    }

    // 6. The books: Dr 101 / Cr 201 by the total (both normal-side increases).
    const totals = await sql<{ total: bigint; first: bigint; last: bigint }>`
      SELECT COALESCE(SUM(a.balance_fen), 0)::bigint AS total, min(a.id) AS first, max(a.id) AS last
      FROM bench_people p JOIN accounts a ON a.id = p.account_id`.execute(tx);
    const { total, first, last } = totals.rows[0]!;
    await sql`
      UPDATE ledger_accounts SET balance_fen = balance_fen + ${total}::bigint
      WHERE book = 'FLEX' AND code IN ('101', '201')`.execute(tx);
    const summary = {
      accounts: count,
      deposits: count * months,
      hpfYear,
      total: fenToYuanString(total),
      firstAccountId: String(first),
      lastAccountId: String(last),
    };
    await recordAudit(tx, {
      actor: ACTOR,
      action: 'bench.generate',
      subjectType: 'bench_data',
      subjectId: `${first}-${last}`,
      businessDate: null,
      summary,
    });
    return summary;
  });
  // Fresh statistics, so the next statements over these tables plan for their real size.
  for (const table of ['depositors', 'accounts', 'agreements', 'journal_entries', 'postings', 'deposits']) {
    await sql`ANALYZE ${sql.table(table)}`.execute(db);
  }
  progress('analyzed');
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** The Luhn (mod 10) check digit of an 11-digit payload, as src/domain/account-number.ts computes it. */
function luhnDigitSql(payload: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    SELECT ((10 - SUM(CASE WHEN i % 2 = 0 THEN (CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END) ELSE d END) % 10) % 10)::text AS digit
    FROM generate_series(0, 10) AS i
      CROSS JOIN LATERAL (SELECT substr(${payload}, 11 - i, 1)::int AS d) digits`;
}

export async function benchDataCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string' },
      deposits: { type: 'string' },
      year: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.accounts) {
    console.error('usage: anju bench-data --accounts N [--deposits 12] [--year 2024]');
    return 2;
  }
  const handle = await openFromEnv();
  try {
    await migrate(handle.db);
    const result = await generateBenchData(handle.db, {
      accounts: Number(values.accounts),
      deposits: values.deposits ? Number(values.deposits) : undefined,
      year: values.year ? Number(values.year) : undefined,
      onProgress: values.json
        ? undefined
        : (stage, s) => console.log(`  ${s.toFixed(1).padStart(7)} s  ${stage}`),
    });
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(
        `压测数据 bench data: ${result.accounts} accounts, ${result.deposits} deposits (HPF year ${result.hpfYear}), ` +
          `total ${result.total} yuan, in ${result.seconds.toFixed(1)} s`,
      );
    }
    return 0;
  } finally {
    await handle.close();
  }
}
