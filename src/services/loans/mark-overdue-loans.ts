// The overdue stage of the business-day close (rules.md §6.5), set-based, after the day's collection and
// debit results: every installment due on or before the closed date X and still unpaid becomes overdue
// (from its due date + 1): its unpaid principal moves 121 → 122 and its unpaid interest becomes receivable
// (Dr 111 / Cr 40103). Then the penalty interest of every loan with overdue principal or interest, days past
// due, the five-level class, and the marks after 3 consecutive or 6 cumulative missed installments.
//
// Penalty days (ours, documented): a day's penalty is owed when the installment is unpaid at the start of
// that day, so the close of X accrues the day X + 1 it opens (逾期天数 = 还款日 − 应还日: paid the day after
// the due date, one day of penalty). Each day is rounded half-up to the fen (domain dailyPenaltyFen) and
// kept as a loan_penalty_accruals row; a catch-up accrues every day from the last accrued one, so N closes
// one by one and one catch-up book the same days and amounts.
//
// A loan whose debit of today still awaits the bank's answer is left for the next close (its result may
// pay it); the penalty then catches up from the first overdue day. One transaction: a rerun after a crash
// marks and accrues nothing twice (status, penalty_through and the accrual rows' key guard it).
import { sql } from 'kysely';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { LEDGER } from '../../ledger/chart.ts';
import { postEntry } from '../../ledger/post.ts';
import type { Db } from '../../db/connection.ts';
import { LOAN_BOOK, LOAN_REPAYMENT_LOCK, refreshDelinquency } from './repayment-store.ts';

export interface OverdueResult extends Record<string, unknown> {
  newlyOverdue: number;
  overduePrincipal: string;
  overdueInterest: string;
  penaltyLoans: number;
  penalty: string;
  flagged: number;
  deferred: number;
}

export async function markOverdueLoans(ctx: {
  db: Db;
  date: IsoDate;
  actor: Actor;
  onStage?: (stage: string) => void;
}): Promise<OverdueResult> {
  const { date } = ctx;
  const opens = addDays(date, 1);
  const label = actorLabel(ctx.actor);
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOAN_REPAYMENT_LOCK})`.execute(tx);
    await sql`CREATE TEMP TABLE IF NOT EXISTS loan_late (loan_id bigint PRIMARY KEY) ON COMMIT DELETE ROWS`.execute(
      tx,
    );
    await sql`DELETE FROM loan_late`.execute(tx);
    // 1. The loans in arrears or falling into arrears, locked by id against racing repayments.
    await sql`
      INSERT INTO loan_late (loan_id)
      SELECT l.id FROM loans l
      WHERE l.id IN (SELECT i.loan_id FROM loan_installments i
                     WHERE (i.status = 'scheduled' AND i.due_date <= ${date}::date) OR i.status = 'overdue')
        AND l.status = 'disbursed'
      ORDER BY l.id
      FOR UPDATE OF l`.execute(tx);
    const deferred = await sql<{ n: number }>`
      WITH d AS (
        DELETE FROM loan_late t
        WHERE EXISTS (SELECT 1 FROM loan_debit_requests r WHERE r.loan_id = t.loan_id
                        AND r.requested_on = ${date}::date AND r.status IN ('pending', 'sent'))
          AND NOT EXISTS (SELECT 1 FROM loan_installments i WHERE i.loan_id = t.loan_id AND i.status = 'overdue')
        RETURNING 1)
      SELECT count(*)::int AS n FROM d`.execute(tx);
    ctx.onStage?.('lock');

    // 2. Newly overdue installments (a loan with an answer still awaited keeps today's installment current).
    const moved = await sql<{ n: number; principal: bigint; interest: bigint }>`
      WITH m AS (
        UPDATE loan_installments i SET status = 'overdue', overdue_on = i.due_date + 1
        FROM loan_late t
        WHERE i.loan_id = t.loan_id AND i.status = 'scheduled' AND i.due_date <= ${date}::date
          AND NOT EXISTS (SELECT 1 FROM loan_debit_requests r WHERE r.loan_id = t.loan_id
                            AND r.requested_on = ${date}::date AND r.status IN ('pending', 'sent'))
        RETURNING i.principal_fen - i.principal_paid_fen AS principal, i.interest_fen - i.interest_paid_fen AS interest)
      SELECT count(*)::int AS n, COALESCE(SUM(principal), 0)::bigint AS principal,
        COALESCE(SUM(interest), 0)::bigint AS interest FROM m`.execute(tx);
    const { n: newlyOverdue, principal, interest } = moved.rows[0]!;
    const overduePostings = [
      ...(principal > 0n
        ? [
            { account: LEDGER.overdueLoans, side: 'D' as const, amountFen: principal },
            { account: LEDGER.loans, side: 'C' as const, amountFen: principal },
          ]
        : []),
      ...(interest > 0n
        ? [
            { account: LEDGER.interestReceivable, side: 'D' as const, amountFen: interest },
            { account: LEDGER.loanInterestIncome, side: 'C' as const, amountFen: interest },
          ]
        : []),
    ];
    if (overduePostings.length > 0) {
      await postEntry(
        tx,
        {
          book: LOAN_BOOK,
          businessDate: date,
          valueDate: date,
          entryType: 'loan_overdue',
          memo: `逾期贷款转列及应收利息 ${date}`,
          sourceType: 'loan_overdue',
          sourceId: date,
          postings: overduePostings,
        },
        label,
      );
    }
    ctx.onStage?.('overdue');

    // 3. Missed installments (periods ever overdue) and the longest consecutive run; the marks, once.
    const flagged = await sql<{ loan_id: bigint; depositor_id: bigint; missed: number; consecutive: number }>`
      WITH missed AS (
        SELECT i.loan_id, i.period, i.period - row_number() OVER (PARTITION BY i.loan_id ORDER BY i.period) AS island
        FROM loan_installments i
        WHERE i.loan_id IN (SELECT loan_id FROM loan_late) AND i.overdue_on IS NOT NULL
      ), runs AS (
        SELECT loan_id, count(*) AS len FROM missed GROUP BY loan_id, island
      ), counts AS (
        -- Grouped, not correlated per loan: the runs of a loan sum to its missed count (linear in loans).
        SELECT loan_id, SUM(len)::int AS missed, max(len)::int AS consecutive FROM runs GROUP BY loan_id
      ), upd AS (
        UPDATE loans l SET missed_installments = c.missed, max_consecutive_missed = c.consecutive,
          enforcement_flagged_on = CASE WHEN l.enforcement_flagged_on IS NULL AND (c.missed >= 6 OR c.consecutive >= 3)
                                        THEN ${date}::date ELSE l.enforcement_flagged_on END
        FROM counts c
        WHERE l.id = c.loan_id AND (l.missed_installments, l.max_consecutive_missed) IS DISTINCT FROM (c.missed, c.consecutive)
        RETURNING l.id, l.depositor_id, c.missed, c.consecutive, l.enforcement_flagged_on
      )
      SELECT id AS loan_id, depositor_id, missed, consecutive FROM upd WHERE enforcement_flagged_on = ${date}::date
        AND NOT EXISTS (SELECT 1 FROM loan_defaulters d WHERE d.loan_id = upd.id)`.execute(tx);
    for (const f of flagged.rows) {
      await sql`
        INSERT INTO loan_defaulters (depositor_id, loan_id, listed_on, missed_installments, max_consecutive_missed)
        VALUES (${f.depositor_id}, ${f.loan_id}, ${date}::date, ${f.missed}, ${f.consecutive})`.execute(tx);
      await recordAudit(tx, {
        actor: label,
        action: 'loan.enforcement_flagged',
        subjectType: 'loan',
        subjectId: f.loan_id,
        businessDate: date,
        summary: {
          missedInstallments: f.missed,
          maxConsecutiveMissed: f.consecutive,
          collateralEnforcement: true,
          defaulterList: { depositorId: String(f.depositor_id), listedOn: date },
        },
      });
    }
    ctx.onStage?.('missed');

    // 4. Penalty interest, day by day from the last accrued day (or the first overdue day) to X + 1.
    const penalty = await sql<{ loans: number; total: bigint }>`
      WITH base AS (
        SELECT i.loan_id,
          SUM(i.principal_fen - i.principal_paid_fen + i.interest_fen - i.interest_paid_fen)::bigint AS base_fen,
          min(i.overdue_on) AS first_day
        FROM loan_installments i
        WHERE i.loan_id IN (SELECT loan_id FROM loan_late) AND i.status = 'overdue'
        GROUP BY i.loan_id
      ), ins AS (
        INSERT INTO loan_penalty_accruals (loan_id, accrual_date, base_fen, annual_rate_pct, penalty_fen, business_date)
        SELECT b.loan_id, d::date, b.base_fen, l.annual_rate_pct,
          round(b.base_fen::numeric * l.annual_rate_pct * 1.5 / 36000)::bigint, ${date}::date
        FROM base b JOIN loans l ON l.id = b.loan_id
          CROSS JOIN LATERAL generate_series(GREATEST(b.first_day, COALESCE(l.penalty_through + 1, b.first_day)),
            ${opens}::date, interval '1 day') AS d
        WHERE b.base_fen > 0
        ON CONFLICT (loan_id, accrual_date) DO NOTHING
        RETURNING loan_id, penalty_fen
      ), per_loan AS (
        SELECT loan_id, SUM(penalty_fen)::bigint AS fen FROM ins GROUP BY loan_id
      ), upd AS (
        UPDATE loans l SET penalty_accrued_fen = l.penalty_accrued_fen + p.fen, penalty_through = ${opens}::date
        FROM per_loan p WHERE l.id = p.loan_id
        RETURNING p.fen
      )
      SELECT count(*)::int AS loans, COALESCE(SUM(fen), 0)::bigint AS total FROM upd`.execute(tx);
    const { loans: penaltyLoans, total: penaltyFen } = penalty.rows[0]!;
    if (penaltyFen > 0n) {
      await postEntry(
        tx,
        {
          book: LOAN_BOOK,
          businessDate: date,
          valueDate: date,
          entryType: 'loan_penalty_accrual',
          memo: `逾期罚息计提 ${opens}`,
          sourceType: 'loan_penalty_accrual',
          sourceId: opens,
          postings: [
            { account: LEDGER.interestReceivable, side: 'D', amountFen: penaltyFen },
            { account: LEDGER.loanInterestIncome, side: 'C', amountFen: penaltyFen },
          ],
        },
        label,
      );
    }
    ctx.onStage?.('penalty');

    // 5. Days past due and class as of the day the close opens.
    await refreshDelinquency(tx, sql`SELECT loan_id FROM loan_late`, opens);
    const result: OverdueResult = {
      newlyOverdue,
      overduePrincipal: fenToYuanString(principal),
      overdueInterest: fenToYuanString(interest),
      penaltyLoans,
      penalty: fenToYuanString(penaltyFen),
      flagged: flagged.rows.length,
      deferred: deferred.rows[0]!.n,
    };
    if (newlyOverdue > 0 || penaltyLoans > 0) {
      await recordAudit(tx, {
        actor: label,
        action: 'loan.overdue_close',
        subjectType: 'business_date',
        subjectId: date,
        businessDate: date,
        summary: result,
      });
    }
    return result;
  });
}
