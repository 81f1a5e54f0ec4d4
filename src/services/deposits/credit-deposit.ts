// Credits one payment to a member account (rules.md §3): checks the account, the person and the limits
// in force on the value date, posts Dr 101 (or the suspense being cleared) / Cr 201, allocates the money
// to the months it covers, keeps covered months current, and audits it, all in the caller's transaction.
// Every way money comes in (bank debit, counter, portal order, bank transfer, suspense) ends here.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { allocateDeposit, checkPayment, consecutiveMonths } from '../../domain/deposits.ts';
import { hpfYearOf, isIsoDate, monthOf, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import { isRetired, type RetirementGroup } from '../../domain/retirement.ts';
import type { DepositMode } from '../../domain/agreement.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { auditInsertSql } from '../../audit/audit-trail.ts';
import { postEntry } from '../../ledger/post.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { fenParameterFromText, parameterTextSql } from '../parameters/get-parameter.ts';
import { compiledOnce, prepared, type DbOrTx } from '../../db/connection.ts';
import type { DepositChannel } from '../../db/schema.ts';

export interface CreditDepositInput {
  accountId: bigint;
  amountFen: Fen;
  valueDate: IsoDate;
  channel: DepositChannel;
  actor: Actor;
  bankSerial?: string | null;
  /** The periodic period this pays; when absent for a periodic plan, the oldest due period is paid. */
  periodId?: bigint | null;
  paymentOrderId?: bigint | null;
  /** The ledger account the money comes from: the bank (101) or the suspense being assigned (21902). */
  from?: typeof LEDGER.bank | typeof LEDGER.suspense;
  /**
   * The caller already holds the account row's lock (SELECT … FOR UPDATE in an earlier statement of
   * this transaction), so the reads below see everything committed by its previous holder and need no
   * statement of their own to take it (handle-bank-notification.ts locks it with the order).
   */
  accountLocked?: boolean;
}

export interface CreditedDeposit {
  depositId: string;
  accountId: string;
  amount: string;
  valueDate: string;
  months: string[];
  periodId: string | null;
  journalEntryId: string;
}

const LOWER_LIMIT = 'deposit.monthly_lower_limit_fen';
const UPPER_LIMIT = 'deposit.monthly_upper_limit_fen';

/** Everything creditDeposit reads, in one row (LEFT JOINs: a missing part is NULLs). */
interface ReadRow {
  account_id: bigint | null;
  state: string | null;
  kind: string | null;
  account_number: string | null;
  birth_date: IsoDate | null;
  retirement_group: RetirementGroup | null;
  agreement_id: bigint | null;
  deposit_mode: DepositMode | null;
  period_id: bigint | null;
  period_start: IsoDate | null;
  period_amount_fen: bigint | null;
  period_status: string | null;
  catch_up_allowed: boolean | null;
  lower_limit: string | null;
  upper_limit: string | null;
  paid_this_year: string;
  business_date: IsoDate | null;
  /** [month (YYYY-MM), the lower limit in force on its first day (text or null)] per month the payment covers. */
  month_limits: Array<[string, string | null]> | null;
  deposit_id: bigint;
}

/**
 * One statement reads what the checks need (the account, locked; the person; the signed agreement; the
 * period being paid, locked; the limits on the value date; what was paid this HPF year; the business
 * date; the lower limit of each month the payment covers) and takes the deposit's id, so the writes
 * can follow in one more statement. The months are those allocateDeposit gives: the value date's month
 * for a flexible plan, the period's months for a periodic one.
 */
interface ReadParams extends Record<string, unknown> {
  accountId: bigint;
  /** Null when the value date is no date (refused by the checks). */
  valueDate: IsoDate | null;
  hpfYear: number | null;
  periodId: bigint | null;
}

function readSql(p: ReadParams, byPeriodId: boolean) {
  const { accountId } = p;
  const date = sql`${p.valueDate}::date`;
  const periodFilter = byPeriodId
    ? sql`p.id = ${p.periodId}`
    : sql`(p.status = 'due' OR (p.status = 'missed' AND p.catch_up_allowed))`;
  return sql<ReadRow>`
    WITH acct AS MATERIALIZED (
      SELECT a.id, a.state, a.kind, a.account_number, d.birth_date, d.retirement_group
      FROM accounts a JOIN depositors d ON d.id = a.depositor_id
      WHERE a.id = ${accountId}
      FOR UPDATE OF a
    ), ag AS MATERIALIZED (
      SELECT g.id, g.deposit_mode FROM agreements g WHERE g.account_id = ${accountId} AND g.status = 'signed' LIMIT 1
    ), period AS MATERIALIZED (
      SELECT p.id, p.period_start, p.amount_fen, p.status, p.catch_up_allowed
      FROM deposit_periods p
      WHERE p.account_id = ${accountId} AND ${periodFilter}
        AND EXISTS (SELECT 1 FROM ag WHERE ag.deposit_mode <> 'flexible')
      ORDER BY p.period_start
      LIMIT 1
      FOR UPDATE
    ), months AS (
      SELECT to_char(m, 'YYYY-MM') AS month, m::date AS first_day
      FROM ag LEFT JOIN period ON true,
        generate_series(
          coalesce(period.period_start, date_trunc('month', ${date})::date)::timestamp,
          coalesce(period.period_start, date_trunc('month', ${date})::date)::timestamp
            + make_interval(months => CASE WHEN period.id IS NULL THEN 0
              ELSE CASE ag.deposit_mode WHEN 'quarterly' THEN 2 WHEN 'annual' THEN 11 ELSE 0 END END),
          interval '1 month') AS m
    )
    SELECT acct.id AS account_id, acct.state, acct.kind, acct.account_number, acct.birth_date, acct.retirement_group,
      ag.id AS agreement_id, ag.deposit_mode,
      period.id AS period_id, period.period_start, period.amount_fen AS period_amount_fen,
      period.status AS period_status, period.catch_up_allowed,
      ${parameterTextSql(LOWER_LIMIT, date)} AS lower_limit,
      ${parameterTextSql(UPPER_LIMIT, date)} AS upper_limit,
      (SELECT coalesce(sum(x.amount_fen), 0)::text FROM deposits x
        WHERE x.account_id = ${accountId} AND x.hpf_year = ${p.hpfYear}::int) AS paid_this_year,
      (SELECT c.business_date FROM business_calendar c WHERE c.id = 1) AS business_date,
      (SELECT json_agg(json_build_array(months.month, ${parameterTextSql(LOWER_LIMIT, sql`months.first_day`)})
        ORDER BY months.first_day) FROM months) AS month_limits,
      nextval(pg_get_serial_sequence('deposits', 'id')) AS deposit_id
    FROM (SELECT 1) AS one
      LEFT JOIN acct ON true
      LEFT JOIN ag ON true
      LEFT JOIN period ON true`;
}

/** The read, compiled once per shape: the period named by the caller, or the oldest one due. */
const readNamedPeriod = compiledOnce((p: ReadParams) => readSql(p, true));
const readOldestDue = compiledOnce((p: ReadParams) => readSql(p, false));

/**
 * Three round trips (two when the caller holds the account lock): the account lock, one read (see
 * readSql), then the checks here, then one statement that posts the entry and, only if it was
 * posted, writes the deposit, its month allocations, the covered months, the period paid and the audit
 * row (postEntry's `alongside`; see bench/RESULTS.md, deposit-notifications). Refusals throw before any
 * write, in the same order as the checks were always made.
 */
export async function creditDeposit(tx: DbOrTx, input: CreditDepositInput): Promise<CreditedDeposit> {
  const { accountId, amountFen, valueDate, actor } = input;
  if (amountFen <= 0n) throw new AppError('AMOUNT_NOT_POSITIVE', { field: 'amount' });
  // A value date that is no date is refused by the retirement check below, after the account checks, as
  // always; until then the statement reads it as NULL.
  const validDate = isIsoDate(valueDate) ? valueDate : null;
  const hpfYear = validDate === null ? null : hpfYearOf(validDate);
  // Without the lock held, it is taken first on its own: a statement that waited for the lock would
  // still read the rest with the snapshot from before the previous holder (say, a deposit) committed.
  if (!input.accountLocked) {
    await prepared(sql`SELECT 1 FROM accounts WHERE id = ${accountId} FOR UPDATE`).execute(tx);
  }
  const params = { accountId, valueDate: validDate, hpfYear, periodId: input.periodId ?? null };
  const r = (await (input.periodId ? readNamedPeriod : readOldestDue)(tx, params)).rows[0]!;

  if (r.account_id === null) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  if (r.kind !== 'flexible')
    throw new AppError('ACCOUNT_STATE_INVALID', { field: 'accountId', details: { kind: r.kind } });
  if (r.state !== '01') {
    throw new AppError('DEPOSIT_ACCOUNT_NOT_OPEN', { field: 'accountId', details: { state: r.state } });
  }
  // rules.md §1: after the retirement age the account stays open but new deposits stop.
  if (isRetired(r.birth_date!, r.retirement_group!, valueDate)) {
    throw new AppError('DEPOSITOR_RETIRED', { field: 'accountId' });
  }
  if (r.agreement_id === null) throw new AppError('AGREEMENT_NOT_SIGNED', { field: 'accountId' });
  const mode = r.deposit_mode!;

  let period: { id: bigint; period_start: string; amount_fen: bigint } | undefined;
  if (mode !== 'flexible') {
    if (r.period_id === null) throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    if (r.period_status === 'paid') throw new AppError('DEPOSIT_PERIOD_ALREADY_PAID', { field: 'periodId' });
    if (r.period_status === 'cancelled') throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    // rules.md §3.2: a missed period is collected later only when the center enabled catch-up for it.
    if (r.period_status === 'missed' && !r.catch_up_allowed)
      throw new AppError('DEPOSIT_NO_PERIOD_DUE', { field: 'periodId' });
    period = { id: r.period_id, period_start: r.period_start!, amount_fen: r.period_amount_fen! };
  }

  const limits = {
    lowerFen: fenParameterFromText(LOWER_LIMIT, r.lower_limit, valueDate),
    upperFen: fenParameterFromText(UPPER_LIMIT, r.upper_limit, valueDate),
  };
  checkPayment({
    mode,
    amountFen,
    limits,
    paidThisHpfYearFen: BigInt(r.paid_this_year),
    ...(period ? { expectedPeriodAmountFen: period.amount_fen } : {}),
  });

  if (r.business_date === null) throw new AppError('BUSINESS_DATE_NOT_SET');
  const businessDate = r.business_date;
  const from = input.from ?? LEDGER.bank;
  const label = actorLabel(actor);
  const depositId = r.deposit_id;

  const allocations = allocateDeposit({
    mode,
    periodStartMonth: period ? monthOf(period.period_start) : null,
    valueDate,
    amountFen,
  });
  // A month is covered when what is allocated to it reaches that month's lower limit (rules.md §3.3).
  const monthLimits = new Map(r.month_limits ?? []);
  const lowers = allocations.map((a) =>
    fenParameterFromText(LOWER_LIMIT, monthLimits.get(a.month), `${a.month}-01`),
  );
  const months = allocations.map((a) => `${a.month}-01`);
  const amounts = allocations.map((a) => a.amountFen);

  const entry = await postEntry(
    tx,
    {
      book: 'FLEX',
      businessDate,
      valueDate,
      entryType: 'deposit',
      memo: `缴存 ${r.account_number}`,
      sourceType: 'deposit',
      sourceId: String(depositId),
      postings: [
        { account: from, side: 'D', amountFen },
        { account: LEDGER.members, side: 'C', amountFen, memberAccountId: accountId },
      ],
    },
    label,
    {
      alongside: {
        deposit: sql`
          INSERT INTO deposits (id, account_id, amount_fen, value_date, business_date, channel, bank_serial,
            deposit_period_id, payment_order_id, journal_entry_id, hpf_year, created_by)
          SELECT ${depositId}, ${accountId}, ${amountFen}, ${valueDate}::date, ${businessDate}::date, ${input.channel},
            ${input.bankSerial ?? null}, ${period?.id ?? null}::bigint, ${input.paymentOrderId ?? null}::bigint,
            entry.id, ${hpfYear}::int, ${label}
          FROM entry
          RETURNING id`,
        allocations: sql`
          INSERT INTO deposit_allocations (deposit_id, month, amount_fen)
          SELECT deposit.id, m.month, m.amount
          FROM deposit, unnest(${months}::date[], ${amounts}::bigint[]) AS m (month, amount)`,
        covered: sql`
          INSERT INTO account_months (account_id, month, allocated_fen, lower_limit_fen, covered)
          SELECT ${accountId}, m.month, m.amount, m.lower, m.amount >= m.lower
          FROM entry, unnest(${months}::date[], ${amounts}::bigint[], ${lowers}::bigint[]) AS m (month, amount, lower)
          ON CONFLICT (account_id, month) DO UPDATE SET
            allocated_fen = account_months.allocated_fen + EXCLUDED.allocated_fen,
            covered = account_months.allocated_fen + EXCLUDED.allocated_fen >= account_months.lower_limit_fen`,
        ...(period
          ? {
              period_paid: sql`
                UPDATE deposit_periods SET status = 'paid', deposit_id = ${depositId}
                WHERE id = ${period.id} AND EXISTS (SELECT 1 FROM deposit)`,
            }
          : {}),
        audit: auditInsertSql(
          {
            actor: label,
            action: 'deposit.credit',
            subjectType: 'account',
            subjectId: accountId,
            businessDate,
            summary: {
              depositId: String(depositId),
              amount: fenToYuanString(amountFen),
              valueDate,
              channel: input.channel,
              bankSerial: input.bankSerial ?? null,
              periodId: period ? String(period.id) : null,
              months: allocations.map((a) => a.month),
            },
          },
          sql`entry`,
        ),
      },
    },
  );
  return {
    depositId: String(depositId),
    accountId: String(accountId),
    amount: fenToYuanString(amountFen),
    valueDate,
    months: allocations.map((a) => a.month),
    periodId: period ? String(period.id) : null,
    journalEntryId: String(entry.entryId),
  };
}

/** Months a depositor's covered run reaches back from `latestCompletedMonth` (rules.md §3.3). */
export async function consecutiveCoveredMonths(
  db: DbOrTx,
  accountId: bigint,
  latestCompletedMonth: string,
): Promise<number> {
  const rows = await db
    .selectFrom('account_months')
    .select('month')
    .where('account_id', '=', accountId)
    .where('covered', '=', true)
    .where('month', '<=', `${latestCompletedMonth}-01`)
    .execute();
  return consecutiveMonths(
    rows.map((r) => monthOf(r.month)),
    latestCompletedMonth,
  );
}
