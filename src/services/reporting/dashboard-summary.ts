// The console dashboard: depositors, balances, this month's deposits and withdrawals and loans, by
// district and by form of employment, with twelve months of trend. Read-only aggregates; a district
// viewer sees only their district (rules.md §13).
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';

interface Figures {
  depositors: number;
  openAccounts: number;
  balanceFen: bigint;
  depositCount: number;
  depositFen: bigint;
  withdrawalCount: number;
  withdrawalFen: bigint;
  activeLoans: number;
  loanOutstandingFen: bigint;
  loansInProgress: number;
}

const emptyFigures = (): Figures => ({
  depositors: 0,
  openAccounts: 0,
  balanceFen: 0n,
  depositCount: 0,
  depositFen: 0n,
  withdrawalCount: 0,
  withdrawalFen: 0n,
  activeLoans: 0,
  loanOutstandingFen: 0n,
  loansInProgress: 0,
});

const figuresJson = (f: Figures) => ({
  depositors: f.depositors,
  openAccounts: f.openAccounts,
  balance: fenToYuanString(f.balanceFen),
  depositsThisMonth: { count: f.depositCount, amount: fenToYuanString(f.depositFen) },
  withdrawalsThisMonth: { count: f.withdrawalCount, amount: fenToYuanString(f.withdrawalFen) },
  loans: {
    active: f.activeLoans,
    outstanding: fenToYuanString(f.loanOutstandingFen),
    inProgress: f.loansInProgress,
  },
});

/** Loan statuses on the way to disbursement (the queue). */
const IN_PROGRESS = ['applied', 'reviewed', 'awaiting_manager', 'approved', 'contracted', 'mortgaged'];

const big = (v: unknown): bigint => BigInt(String(v ?? 0));
const num = (v: unknown): number => Number(v ?? 0);

export async function dashboardSummary(options: { db: DbOrTx; actor: Actor; months?: number }) {
  const { db, actor } = options;
  const scope = districtScopeOf(actor);
  const businessDate = await getBusinessDate(db);
  const monthStart = `${businessDate.slice(0, 7)}-01`;
  const months = Math.min(Math.max(options.months ?? 12, 1), 36);
  const [year, month] = businessDate.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1 - (months - 1), 1)).toISOString().slice(0, 10);
  const district = (column: string) => (scope === null ? sql`true` : sql`${sql.ref(column)} = ${scope}`);

  const byDistrict = new Map<string, Figures>();
  const figuresOf = (code: string) => {
    let f = byDistrict.get(code);
    if (!f) byDistrict.set(code, (f = emptyFigures()));
    return f;
  };

  const depositorRows = await sql<{ district_code: string; n: unknown }>`
    SELECT district_code, COUNT(*) AS n FROM depositors d WHERE ${district('d.district_code')}
    GROUP BY district_code`.execute(db);
  for (const r of depositorRows.rows) figuresOf(r.district_code).depositors = num(r.n);

  const accountRows = await sql<{ district_code: string; n: unknown; balance: unknown }>`
    SELECT district_code, COUNT(*) FILTER (WHERE state <> 'closed') AS n, COALESCE(SUM(balance_fen), 0) AS balance
    FROM accounts a WHERE ${district('a.district_code')} GROUP BY district_code`.execute(db);
  for (const r of accountRows.rows) {
    const f = figuresOf(r.district_code);
    f.openAccounts = num(r.n);
    f.balanceFen = big(r.balance);
  }

  const depositRows = await sql<{ district_code: string; n: unknown; amount: unknown }>`
    SELECT a.district_code, COUNT(*) AS n, COALESCE(SUM(dp.amount_fen), 0) AS amount
    FROM deposits dp JOIN accounts a ON a.id = dp.account_id
    WHERE dp.business_date >= ${monthStart} AND dp.business_date <= ${businessDate} AND ${district('a.district_code')}
    GROUP BY a.district_code`.execute(db);
  for (const r of depositRows.rows) {
    const f = figuresOf(r.district_code);
    f.depositCount = num(r.n);
    f.depositFen = big(r.amount);
  }

  const withdrawalRows = await sql<{ district_code: string; n: unknown; amount: unknown }>`
    SELECT a.district_code, COUNT(*) AS n, COALESCE(SUM(w.amount_fen), 0) AS amount
    FROM withdrawals w JOIN accounts a ON a.id = w.account_id
    WHERE w.status IN ('posted', 'paid') AND w.business_date >= ${monthStart} AND w.business_date <= ${businessDate}
      AND ${district('a.district_code')}
    GROUP BY a.district_code`.execute(db);
  for (const r of withdrawalRows.rows) {
    const f = figuresOf(r.district_code);
    f.withdrawalCount = num(r.n);
    f.withdrawalFen = big(r.amount);
  }

  const loanRows = await sql<{
    district_code: string;
    active: unknown;
    in_progress: unknown;
    outstanding: unknown;
  }>`
    SELECT a.district_code,
      COUNT(*) FILTER (WHERE l.status = 'disbursed') AS active,
      COUNT(*) FILTER (WHERE l.status IN (${sql.join(IN_PROGRESS)})) AS in_progress,
      COALESCE(SUM((SELECT COALESCE(SUM(i.principal_fen), 0) FROM loan_installments i
        WHERE i.loan_id = l.id AND i.status <> 'paid')) FILTER (WHERE l.status = 'disbursed'), 0) AS outstanding
    FROM loans l JOIN accounts a ON a.id = l.account_id
    WHERE ${district('a.district_code')}
    GROUP BY a.district_code`.execute(db);
  for (const r of loanRows.rows) {
    const f = figuresOf(r.district_code);
    f.activeLoans = num(r.active);
    f.loansInProgress = num(r.in_progress);
    f.loanOutstandingFen = big(r.outstanding);
  }

  const formRows = await sql<{ employment_form: string; n: unknown; balance: unknown }>`
    SELECT d.employment_form, COUNT(DISTINCT d.id) AS n, COALESCE(SUM(a.balance_fen), 0) AS balance
    FROM depositors d LEFT JOIN accounts a ON a.depositor_id = d.id
    WHERE ${district('d.district_code')}
    GROUP BY d.employment_form ORDER BY d.employment_form`.execute(db);

  const trendDeposits = await sql<{ month: string; n: unknown; amount: unknown }>`
    SELECT to_char(dp.business_date, 'YYYY-MM') AS month, COUNT(*) AS n, COALESCE(SUM(dp.amount_fen), 0) AS amount
    FROM deposits dp JOIN accounts a ON a.id = dp.account_id
    WHERE dp.business_date >= ${first} AND dp.business_date <= ${businessDate} AND ${district('a.district_code')}
    GROUP BY 1`.execute(db);
  const trendWithdrawals = await sql<{ month: string; n: unknown; amount: unknown }>`
    SELECT to_char(w.business_date, 'YYYY-MM') AS month, COUNT(*) AS n, COALESCE(SUM(w.amount_fen), 0) AS amount
    FROM withdrawals w JOIN accounts a ON a.id = w.account_id
    WHERE w.status IN ('posted', 'paid') AND w.business_date >= ${first} AND w.business_date <= ${businessDate}
      AND ${district('a.district_code')}
    GROUP BY 1`.execute(db);
  const trendDepositors = await sql<{ month: string; n: unknown }>`
    SELECT to_char(d.registered_on, 'YYYY-MM') AS month, COUNT(*) AS n FROM depositors d
    WHERE d.registered_on >= ${first} AND d.registered_on <= ${businessDate} AND ${district('d.district_code')}
    GROUP BY 1`.execute(db);
  const trendLoans = await sql<{ month: string; n: unknown; amount: unknown }>`
    SELECT to_char(ld.value_date, 'YYYY-MM') AS month, COUNT(*) AS n, COALESCE(SUM(ld.amount_fen), 0) AS amount
    FROM loan_disbursements ld JOIN loans l ON l.id = ld.loan_id JOIN accounts a ON a.id = l.account_id
    WHERE ld.status <> 'rejected' AND ld.value_date >= ${first} AND ld.value_date <= ${businessDate}
      AND ${district('a.district_code')}
    GROUP BY 1`.execute(db);

  const districts = await db
    .selectFrom('districts')
    .select(['code', 'name_zh', 'name_en'])
    .orderBy('code')
    .execute();

  const total = emptyFigures();
  for (const f of byDistrict.values()) {
    total.depositors += f.depositors;
    total.openAccounts += f.openAccounts;
    total.balanceFen += f.balanceFen;
    total.depositCount += f.depositCount;
    total.depositFen += f.depositFen;
    total.withdrawalCount += f.withdrawalCount;
    total.withdrawalFen += f.withdrawalFen;
    total.activeLoans += f.activeLoans;
    total.loanOutstandingFen += f.loanOutstandingFen;
    total.loansInProgress += f.loansInProgress;
  }

  const monthKeys = Array.from({ length: months }, (_, i) =>
    new Date(Date.UTC(year, month - 1 - (months - 1) + i, 1)).toISOString().slice(0, 7),
  );
  const index = <R extends { month: string }>(rows: R[]) => new Map(rows.map((r) => [r.month, r]));
  const dep = index(trendDeposits.rows);
  const wd = index(trendWithdrawals.rows);
  const reg = index(trendDepositors.rows);
  const ln = index(trendLoans.rows);

  return {
    businessDate,
    districtCode: scope,
    totals: figuresJson(total),
    byDistrict: districts
      .filter((d) => scope === null || d.code === scope)
      .map((d) => ({
        districtCode: d.code,
        zh: d.name_zh,
        en: d.name_en,
        ...figuresJson(figuresOf(d.code)),
      })),
    byEmploymentForm: formRows.rows.map((r) => ({
      employmentForm: r.employment_form,
      depositors: num(r.n),
      balance: fenToYuanString(big(r.balance)),
    })),
    monthly: monthKeys.map((m) => ({
      month: m,
      newDepositors: num(reg.get(m)?.n),
      deposits: { count: num(dep.get(m)?.n), amount: fenToYuanString(big(dep.get(m)?.amount)) },
      withdrawals: { count: num(wd.get(m)?.n), amount: fenToYuanString(big(wd.get(m)?.amount)) },
      loansDisbursed: { count: num(ln.get(m)?.n), amount: fenToYuanString(big(ln.get(m)?.amount)) },
    })),
  };
}
