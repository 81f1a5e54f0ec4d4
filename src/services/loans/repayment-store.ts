// Applying repayments to loans, set-based (rules.md §6.5): one implementation of the waterfall for every
// channel — the close's balance offsets (thousands of loans in one statement set), a bank debit result and
// a counter repayment (a set of one). The caller fills the session's temp table loan_pay (one row per
// loan) inside its transaction, holding the loans' row locks; applyRepayments writes the repayment rows,
// their lines, the installments and loans, one journal entry per repayment and the balances.
//
// Accounting (FLEX book; ours where the 核算办法 leaves a choice):
// - on time (the installment not yet overdue): Dr 201 member (offset) or 101 bank / Cr 121 principal,
//   Cr 40103 interest: interest is income when collected;
// - when an installment becomes overdue (mark-overdue-loans.ts): its unpaid principal Dr 122 / Cr 121 and
//   its unpaid interest Dr 111 / Cr 40103 (receivable, accrued as income); penalty each day Dr 111 / Cr 40103;
// - paying what is overdue: Dr 201 or 101 / Cr 111 penalty and overdue interest, Cr 122 overdue principal;
// - money beyond what is owed (a late debit result after another payment): Cr 21909, held for refund.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { balanceDaysWeight } from '../../domain/journal.ts';
import type { Fen } from '../../domain/money.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { LEDGER_STRIPES } from '../../ledger/post.ts';

/** 21909 贷款多收待退款项: loan money received beyond what was owed (migration 0017). */
export const LOAN_OVERPAYMENTS = '21909';

/** Loans live in the FLEX book (disburse-loan.ts). */
export const LOAN_BOOK = 'FLEX';

/** The ledger accounts repayments and overdue entries touch. */
export const REPAYMENT_ACCOUNTS = [
  LEDGER.bank,
  LEDGER.interestReceivable,
  LEDGER.loans,
  LEDGER.overdueLoans,
  LEDGER.members,
  LEDGER.loanInterestIncome,
  LOAN_OVERPAYMENTS,
] as const;

/** The close step that collects, debits and marks overdue (src/jobs/steps/index.ts uses this name). */
export const LOAN_REPAYMENT_STEP = 'loan-repayments';

/** Serialises the close's loan stages (collect, overdue) with each other; repayments use row locks. */
export const LOAN_REPAYMENT_LOCK = 4242071;

/**
 * The session's work tables (kept per connection, emptied at each commit): loan_pay holds the payments to
 * apply, loan_alloc their waterfall lines.
 */
export async function ensureWorkTables(tx: DbOrTx): Promise<void> {
  await sql`CREATE TEMP TABLE IF NOT EXISTS loan_pay (
      loan_id bigint PRIMARY KEY,
      amount_fen bigint NOT NULL,
      channel text NOT NULL,
      source_key text NOT NULL,
      -- Installments not yet overdue count as current when due on or before this date.
      cutoff date NOT NULL,
      member_account_id bigint,
      repayment_id bigint,
      entry_id bigint,
      business_type text,
      penalty_fen bigint, overdue_interest_fen bigint, overdue_principal_fen bigint,
      interest_fen bigint, principal_fen bigint, unapplied_fen bigint
    ) ON COMMIT DELETE ROWS`.execute(tx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS loan_alloc (
      loan_id bigint NOT NULL, seq integer NOT NULL, component text NOT NULL, period integer,
      overdue boolean NOT NULL, amount_fen bigint NOT NULL, PRIMARY KEY (loan_id, seq)
    ) ON COMMIT DELETE ROWS`.execute(tx);
  await sql`DELETE FROM loan_pay`.execute(tx);
  await sql`DELETE FROM loan_alloc`.execute(tx);
}

/**
 * What each loan of `loans` (a relation with loan_id and cutoff) owes, item by item in waterfall order:
 * grp 0 penalty, 1 overdue interest, 2 overdue principal (oldest first), 3 current installments (due on
 * or before the cutoff and not yet overdue: interest, then principal, by period). Only items owing > 0.
 */
export function owedItemsSql(loans: ReturnType<typeof sql>) {
  return sql`
    SELECT q.loan_id, 0 AS grp, NULL::int AS period, 0 AS comp, 'penalty' AS component, true AS overdue,
      l.penalty_accrued_fen - l.penalty_paid_fen AS owed
    FROM ${loans} q JOIN loans l ON l.id = q.loan_id
    WHERE l.penalty_accrued_fen > l.penalty_paid_fen
    UNION ALL
    SELECT i.loan_id, CASE WHEN i.status = 'overdue' THEN x.grp_overdue ELSE 3 END, i.period, x.comp, x.component,
      i.status = 'overdue',
      CASE WHEN x.component = 'interest' THEN i.interest_fen - i.interest_paid_fen
           ELSE i.principal_fen - i.principal_paid_fen END
    FROM ${loans} q
      JOIN loan_installments i ON i.loan_id = q.loan_id
        AND (i.status = 'overdue' OR (i.status = 'scheduled' AND i.due_date <= q.cutoff))
      CROSS JOIN (VALUES (1, 0, 'interest'), (2, 1, 'principal')) AS x (grp_overdue, comp, component)
    WHERE CASE WHEN x.component = 'interest' THEN i.interest_fen > i.interest_paid_fen
               ELSE i.principal_fen > i.principal_paid_fen END`;
}

export interface AppliedTotals {
  repayments: number;
  amountFen: Fen;
}

/**
 * Applies every row of loan_pay (filled by the caller, under the loans' row locks) on `date`. Funding:
 * member_account_id set → Dr 201 of that member (its balance must cover it: the caller takes at most the
 * balance under the account's row lock); otherwise Dr 101 (money the bank has received).
 */
export async function applyRepayments(
  tx: DbOrTx,
  input: { date: IsoDate; actorLabel: string },
): Promise<AppliedTotals> {
  const { date, actorLabel } = input;
  // The planner knows nothing of a temp table's size until it is analysed: one row must not plan as many.
  await sql`ANALYZE loan_pay`.execute(tx);
  // 1. The waterfall: each item paid min(owed, what is left of the payment after the items before it).
  await sql`
    INSERT INTO loan_alloc (loan_id, seq, component, period, overdue, amount_fen)
    SELECT loan_id, row_number() OVER (PARTITION BY loan_id ORDER BY grp, period NULLS FIRST, comp)::int,
      component, period, overdue, paid
    FROM (
      SELECT o.loan_id, o.grp, o.period, o.comp, o.component, o.overdue,
        LEAST(o.owed, GREATEST(0, p.amount_fen - (SUM(o.owed) OVER w - o.owed))) AS paid
      FROM (${owedItemsSql(sql`loan_pay`)}) o JOIN loan_pay p ON p.loan_id = o.loan_id
      WINDOW w AS (PARTITION BY o.loan_id ORDER BY o.grp, o.period NULLS FIRST, o.comp ROWS UNBOUNDED PRECEDING)
    ) x
    WHERE paid > 0`.execute(tx);
  await sql`ANALYZE loan_alloc`.execute(tx);

  // 2. Totals per payment, its business type and its repayment id.
  await sql`
    UPDATE loan_pay p SET
      penalty_fen = t.penalty, overdue_interest_fen = t.oi, overdue_principal_fen = t.op,
      interest_fen = t.ci, principal_fen = t.cp,
      unapplied_fen = p.amount_fen - (t.penalty + t.oi + t.op + t.ci + t.cp),
      business_type = CASE WHEN p.channel = 'offset' THEN '05' WHEN t.penalty + t.oi + t.op > 0 THEN '04' ELSE '02' END,
      repayment_id = nextval('loan_repayments_id_seq')
    FROM (
      SELECT q.loan_id,
        COALESCE(SUM(a.amount_fen) FILTER (WHERE a.component = 'penalty'), 0) AS penalty,
        COALESCE(SUM(a.amount_fen) FILTER (WHERE a.component = 'interest' AND a.overdue), 0) AS oi,
        COALESCE(SUM(a.amount_fen) FILTER (WHERE a.component = 'principal' AND a.overdue), 0) AS op,
        COALESCE(SUM(a.amount_fen) FILTER (WHERE a.component = 'interest' AND NOT a.overdue), 0) AS ci,
        COALESCE(SUM(a.amount_fen) FILTER (WHERE a.component = 'principal' AND NOT a.overdue), 0) AS cp
      FROM loan_pay q LEFT JOIN loan_alloc a ON a.loan_id = q.loan_id
      GROUP BY q.loan_id
    ) t
    WHERE p.loan_id = t.loan_id`.execute(tx);
  const totals = await sql<{ n: number; amount: bigint; members: number }>`
    SELECT count(*)::int AS n, COALESCE(SUM(amount_fen), 0)::bigint AS amount,
      count(member_account_id)::int AS members
    FROM loan_pay`.execute(tx);
  const { n, amount } = totals.rows[0]!;
  if (n === 0) return { repayments: 0, amountFen: 0n };

  // 3. The ledger accounts, locked FOR SHARE as postEntry does (a closed account refuses the batch).
  const open = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT code FROM ledger_accounts
      WHERE book = ${LOAN_BOOK} AND code = ANY(${[...REPAYMENT_ACCOUNTS]}::text[]) AND is_open
      ORDER BY code FOR SHARE) l`.execute(tx);
  if (open.rows[0]!.n !== REPAYMENT_ACCOUNTS.length) {
    throw new AppError('LEDGER_ACCOUNT_CLOSED', {
      details: { book: LOAN_BOOK, accounts: REPAYMENT_ACCOUNTS },
    });
  }

  // 4. One journal entry per repayment, and its postings (non-zero legs only).
  await sql`
    WITH e AS (
      INSERT INTO journal_entries (book, business_date, value_date, entry_type, memo, source_type, source_id, created_by)
      SELECT ${LOAN_BOOK}, ${date}::date, ${date}::date, 'loan_repayment',
        '贷款还款 ' || l.loan_number || ' (' || p.business_type || ')', 'loan_repayment', p.repayment_id::text, ${actorLabel}
      FROM loan_pay p JOIN loans l ON l.id = p.loan_id
      ORDER BY p.repayment_id
      RETURNING id, source_id)
    UPDATE loan_pay p SET entry_id = e.id FROM e WHERE e.source_id = p.repayment_id::text`.execute(tx);
  await sql`
    INSERT INTO postings (entry_id, book, account_code, side, amount_fen, member_account_id)
    SELECT p.entry_id, ${LOAN_BOOK}, x.code, x.side, x.amount, x.member
    FROM loan_pay p CROSS JOIN LATERAL (VALUES
      (1, CASE WHEN p.member_account_id IS NULL THEN ${LEDGER.bank} ELSE ${LEDGER.members} END, 'D', p.amount_fen, p.member_account_id),
      (2, ${LEDGER.interestReceivable}, 'C', p.penalty_fen + p.overdue_interest_fen, NULL::bigint),
      (3, ${LEDGER.overdueLoans}, 'C', p.overdue_principal_fen, NULL),
      (4, ${LEDGER.loanInterestIncome}, 'C', p.interest_fen, NULL),
      (5, ${LEDGER.loans}, 'C', p.principal_fen, NULL),
      (6, ${LOAN_OVERPAYMENTS}, 'C', p.unapplied_fen, NULL)
    ) AS x (ord, code, side, amount, member)
    WHERE x.amount > 0
    ORDER BY p.entry_id, x.ord`.execute(tx);

  // 5. The business rows: repayments, their lines, the installments and the loans' penalty paid.
  await sql`
    INSERT INTO loan_repayments (id, loan_id, channel, business_type, source_key, amount_fen, penalty_fen,
      overdue_interest_fen, overdue_principal_fen, interest_fen, principal_fen, unapplied_fen, business_date, entry_id, created_by)
    SELECT repayment_id, loan_id, channel, business_type, source_key, amount_fen, penalty_fen, overdue_interest_fen,
      overdue_principal_fen, interest_fen, principal_fen, unapplied_fen, ${date}::date, entry_id, ${actorLabel}
    FROM loan_pay ORDER BY repayment_id`.execute(tx);
  await sql`
    INSERT INTO loan_repayment_lines (repayment_id, loan_id, seq, component, period, overdue, amount_fen)
    SELECT p.repayment_id, a.loan_id, a.seq, a.component, a.period, a.overdue, a.amount_fen
    FROM loan_alloc a JOIN loan_pay p ON p.loan_id = a.loan_id
    ORDER BY p.repayment_id, a.seq`.execute(tx);
  await sql`
    UPDATE loan_installments i SET
      principal_paid_fen = i.principal_paid_fen + a.principal,
      interest_paid_fen = i.interest_paid_fen + a.interest,
      status = CASE WHEN i.principal_paid_fen + a.principal = i.principal_fen
                     AND i.interest_paid_fen + a.interest = i.interest_fen THEN 'paid' ELSE i.status END,
      paid_on = CASE WHEN i.principal_paid_fen + a.principal = i.principal_fen
                      AND i.interest_paid_fen + a.interest = i.interest_fen THEN ${date}::date ELSE i.paid_on END
    FROM (
      SELECT loan_id, period,
        COALESCE(SUM(amount_fen) FILTER (WHERE component = 'principal'), 0) AS principal,
        COALESCE(SUM(amount_fen) FILTER (WHERE component = 'interest'), 0) AS interest
      FROM loan_alloc WHERE period IS NOT NULL GROUP BY loan_id, period
    ) a
    WHERE i.loan_id = a.loan_id AND i.period = a.period`.execute(tx);
  await sql`
    UPDATE loans l SET penalty_paid_fen = l.penalty_paid_fen + p.penalty_fen
    FROM loan_pay p WHERE l.id = p.loan_id AND p.penalty_fen > 0`.execute(tx);
  await refreshDelinquency(tx, sql`SELECT loan_id FROM loan_pay`, date);

  // 6. Member balances (offset) as postEntry moves them (src/ledger/post.ts memberUpdate): the debit leaves
  //    the current-year part first, and the interest accumulator stops counting the money from today.
  const weight = balanceDaysWeight(date, date);
  await sql`
    UPDATE accounts a
    SET balance_fen = a.balance_fen - p.amount_fen,
      balance_days_fen = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.balance_days_fen
        ELSE a.balance_fen * ${weight.daysInYear}::bigint END - p.amount_fen * ${weight.days}::bigint,
      interest_carry = CASE WHEN a.interest_year_end = ${weight.yearEnd}::date THEN a.interest_carry ELSE 0 END,
      interest_year_end = ${weight.yearEnd}::date,
      current_year_fen = a.current_year_fen - LEAST(GREATEST(a.current_year_fen, 0), p.amount_fen),
      carried_over_fen = a.carried_over_fen - p.amount_fen + LEAST(GREATEST(a.current_year_fen, 0), p.amount_fen)
    FROM loan_pay p
    WHERE a.id = p.member_account_id`.execute(tx);

  // 7. Ledger balances: this backend's stripe rows (migration 0012), as postEntry writes them, summed from
  //    the payments (on each account's normal side) rather than read back from the postings.
  await sql`
    INSERT INTO ledger_balance_deltas AS s (book, code, stripe, delta_fen)
    SELECT ${LOAN_BOOK}, t.code, (pg_backend_pid() % ${sql.lit(LEDGER_STRIPES)})::smallint,
      CASE WHEN la.normal_side = 'debit' THEN t.net_debit ELSE -t.net_debit END
    FROM (
      SELECT x.code, SUM(x.net_debit)::bigint AS net_debit
      FROM loan_pay p CROSS JOIN LATERAL (VALUES
        (CASE WHEN p.member_account_id IS NULL THEN ${LEDGER.bank} ELSE ${LEDGER.members} END, p.amount_fen),
        (${LEDGER.interestReceivable}, -(p.penalty_fen + p.overdue_interest_fen)),
        (${LEDGER.overdueLoans}, -p.overdue_principal_fen),
        (${LEDGER.loanInterestIncome}, -p.interest_fen),
        (${LEDGER.loans}, -p.principal_fen),
        (${LOAN_OVERPAYMENTS}, -p.unapplied_fen)
      ) AS x (code, net_debit)
      GROUP BY x.code
    ) t JOIN ledger_accounts la ON la.book = ${LOAN_BOOK} AND la.code = t.code
    WHERE t.net_debit <> 0
    ORDER BY t.code
    ON CONFLICT (book, code, stripe) DO UPDATE SET delta_fen = s.delta_fen + excluded.delta_fen`.execute(tx);
  return { repayments: n, amountFen: amount };
}

/**
 * Days past due and the five-level class (rules.md §6.5) of the given loans as of `asOf`: days since the
 * due date of the oldest installment that is overdue and unpaid. SQL twin of domain riskClassOf.
 */
export async function refreshDelinquency(
  tx: DbOrTx,
  loanIds: ReturnType<typeof sql>,
  asOf: IsoDate,
): Promise<void> {
  await sql`
    UPDATE loans l SET days_past_due = d.dpd,
      risk_class = CASE WHEN d.dpd = 0 THEN '01' WHEN d.dpd <= 90 THEN '02' WHEN d.dpd <= 180 THEN '03'
                        WHEN d.dpd <= 360 THEN '04' ELSE '05' END
    FROM (
      SELECT ids.loan_id, COALESCE(GREATEST(${asOf}::date - min(i.due_date), 0), 0)::int AS dpd
      FROM (${loanIds}) ids
        LEFT JOIN loan_installments i ON i.loan_id = ids.loan_id AND i.status = 'overdue'
      GROUP BY ids.loan_id
    ) d
    WHERE l.id = d.loan_id AND l.days_past_due IS DISTINCT FROM d.dpd`.execute(tx);
}

export interface RepaymentRecord {
  repaymentId: string;
  loanId: string;
  channel: string;
  businessType: string;
  amountFen: Fen;
  penaltyFen: Fen;
  overdueInterestFen: Fen;
  overduePrincipalFen: Fen;
  interestFen: Fen;
  principalFen: Fen;
  unappliedFen: Fen;
  entryId: string;
  lines: Array<{ component: string; period: number | null; overdue: boolean; amountFen: Fen }>;
}

/** The one row of loan_pay just applied (the single-payment paths), with its lines. */
export async function readAppliedPayment(tx: DbOrTx): Promise<RepaymentRecord> {
  const r = await sql<{
    loan_id: bigint;
    channel: string;
    business_type: string;
    amount_fen: bigint;
    penalty_fen: bigint;
    overdue_interest_fen: bigint;
    overdue_principal_fen: bigint;
    interest_fen: bigint;
    principal_fen: bigint;
    unapplied_fen: bigint;
    repayment_id: bigint;
    entry_id: bigint;
  }>`SELECT * FROM loan_pay`.execute(tx);
  const p = r.rows[0]!;
  const lines = await sql<{ component: string; period: number | null; overdue: boolean; amount_fen: bigint }>`
    SELECT component, period, overdue, amount_fen FROM loan_alloc WHERE loan_id = ${p.loan_id} ORDER BY seq`.execute(
    tx,
  );
  return {
    repaymentId: String(p.repayment_id),
    loanId: String(p.loan_id),
    channel: p.channel,
    businessType: p.business_type,
    amountFen: BigInt(p.amount_fen),
    penaltyFen: BigInt(p.penalty_fen),
    overdueInterestFen: BigInt(p.overdue_interest_fen),
    overduePrincipalFen: BigInt(p.overdue_principal_fen),
    interestFen: BigInt(p.interest_fen),
    principalFen: BigInt(p.principal_fen),
    unappliedFen: BigInt(p.unapplied_fen),
    entryId: String(p.entry_id),
    lines: lines.rows.map((l) => ({
      component: l.component,
      period: l.period,
      overdue: l.overdue,
      amountFen: BigInt(l.amount_fen),
    })),
  };
}

/** What one loan owes now (for the counter and the views): the waterfall items up to `cutoff`. */
export async function owedNow(
  tx: DbOrTx,
  loanId: bigint,
  cutoff: IsoDate,
): Promise<Array<{ component: string; period: number | null; overdue: boolean; owedFen: Fen }>> {
  const r = await sql<{ component: string; period: number | null; overdue: boolean; owed: bigint }>`
    SELECT component, period, overdue, owed FROM (
      ${owedItemsSql(sql`(SELECT ${loanId}::bigint AS loan_id, ${cutoff}::date AS cutoff)`)}
    ) o ORDER BY grp, period NULLS FIRST, comp`.execute(tx);
  return r.rows.map((o) => ({
    component: o.component,
    period: o.period,
    overdue: o.overdue,
    owedFen: BigInt(o.owed),
  }));
}
