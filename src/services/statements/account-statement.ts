// The account statement (对账单): the balance at the start of a period, every movement of the member's
// 201 balance in value-date order with a running balance, the closing balance and totals, and the
// covered months of the period (rules.md §3.3) for the calendar. Read-only.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { isIsoDate, monthOf, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { REVERSAL_ENTRY_TYPE } from '../../ledger/reverse.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';
import type { DbOrTx } from '../../db/connection.ts';

/**
 * Entry types that credit interest to the member (rules.md §4.1): the June 30 settlement and the
 * settlement on closure or transfer out. 'interest_accrual' never touches 201 (Dr 411 / Cr 211).
 */
export function isInterestEntryType(entryType: string): boolean {
  return entryType === 'interest' || (entryType.startsWith('interest_') && entryType !== 'interest_accrual');
}

export type StatementLineKind = 'deposit' | 'interest' | 'reversal' | 'other';

export interface StatementLine {
  entryId: string;
  valueDate: IsoDate;
  businessDate: IsoDate;
  kind: StatementLineKind;
  entryType: string;
  memo: string;
  /** Money in (credit to the member) and out, yuan; one of them is "0.00". */
  amountIn: string;
  amountOut: string;
  /** The balance after this line. */
  balance: string;
  /** Deposits: how the money came and the months it covers (rules.md §3.2). */
  deposit: { depositId: string; channel: string; months: string[] } | null;
  /** Interest credits: the interest year and the kind of settlement (account_interest). */
  interest: { hpfYear: number; kind: string } | null;
  /** Reversals (冲正): the entry this one undoes. */
  reversesEntryId: string | null;
}

export interface AccountStatement {
  accountId: string;
  accountNumber: string;
  depositorName: string;
  state: string;
  from: IsoDate;
  to: IsoDate;
  openingBalance: string;
  closingBalance: string;
  totals: { in: string; out: string; deposits: string; interest: string };
  lines: StatementLine[];
  /** Covered months of the period's calendar months (rules.md §3.3). */
  months: Array<{ month: string; allocated: string; lowerLimit: string; covered: boolean; source: string }>;
}

/**
 * The statement of one account from `from` to `to` (value dates, both inclusive; default: from the day
 * the account opened to the business date). Lines are ordered by value date, then entry id, so a
 * back-valued payment sits on the day the money arrived. The depositor sees their own accounts; staff
 * see the city, or their district when that is all their roles allow.
 */
export async function accountStatement(
  db: DbOrTx,
  actor: Actor,
  accountIdText: string | bigint,
  period: { from?: IsoDate | undefined; to?: IsoDate | undefined } = {},
): Promise<AccountStatement> {
  for (const field of ['from', 'to'] as const) {
    const value = period[field];
    if (value !== undefined && !isIsoDate(value))
      throw new AppError('INVALID_DATE', { field, details: { value } });
  }
  const accountId = BigInt(accountIdText);
  await assertAccountVisible(db, actor, accountId);
  const account = await db
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select(['a.account_number', 'a.state', 'a.opened_on', 'a.pool', 'd.name'])
    .where('a.id', '=', accountId)
    .executeTakeFirstOrThrow();
  const from = period.from ?? account.opened_on;
  const to = period.to ?? (await getBusinessDate(db));
  if (from > to) throw new AppError('STATEMENT_PERIOD_INVALID', { field: 'from', details: { from, to } });

  // Movements of the member's balance: postings to 201 naming the account, one line per entry.
  const valueDate = sql<string>`coalesce(je.value_date, je.business_date)`;
  const opening = await sql<{ fen: bigint }>`
    SELECT coalesce(sum(CASE WHEN p.side = 'C' THEN p.amount_fen ELSE -p.amount_fen END), 0)::bigint AS fen
    FROM postings p JOIN journal_entries je ON je.id = p.entry_id
    WHERE p.member_account_id = ${accountId} AND p.book = ${account.pool} AND p.account_code = '201'
      AND ${valueDate} < ${from}::date`.execute(db);
  const movements = await sql<{
    entry_id: bigint;
    value_date: string;
    business_date: string;
    entry_type: string;
    memo: string;
    reverses_entry_id: bigint | null;
    net_fen: bigint;
  }>`
    SELECT je.id AS entry_id, ${valueDate} AS value_date, je.business_date, je.entry_type, je.memo,
      je.reverses_entry_id,
      sum(CASE WHEN p.side = 'C' THEN p.amount_fen ELSE -p.amount_fen END)::bigint AS net_fen
    FROM postings p JOIN journal_entries je ON je.id = p.entry_id
    WHERE p.member_account_id = ${accountId} AND p.book = ${account.pool} AND p.account_code = '201'
      AND ${valueDate} BETWEEN ${from}::date AND ${to}::date
    GROUP BY je.id
    ORDER BY 2, je.id`.execute(db);

  const entryIds = movements.rows.map((m) => m.entry_id);
  const deposits = entryIds.length
    ? await db
        .selectFrom('deposits as d')
        .leftJoin('deposit_allocations as al', 'al.deposit_id', 'd.id')
        .select(['d.id', 'd.journal_entry_id', 'd.channel', 'al.month'])
        .where('d.journal_entry_id', 'in', entryIds)
        .orderBy('d.id')
        .orderBy('al.month')
        .execute()
    : [];
  const depositByEntry = new Map<string, { depositId: string; channel: string; months: string[] }>();
  for (const d of deposits) {
    const key = String(d.journal_entry_id);
    const found = depositByEntry.get(key) ?? { depositId: String(d.id), channel: d.channel, months: [] };
    if (d.month !== null) found.months.push(monthOf(d.month));
    depositByEntry.set(key, found);
  }
  const settlements = await db
    .selectFrom('account_interest')
    .select(['hpf_year', 'settled_on', 'kind'])
    .where('account_id', '=', accountId)
    .where('settled_on', '>=', from)
    .where('settled_on', '<=', to)
    .execute();

  const openingFen = opening.rows[0]?.fen ?? 0n;
  let balanceFen: Fen = openingFen;
  const totals = { inFen: 0n, outFen: 0n, depositsFen: 0n, interestFen: 0n };
  const lines: StatementLine[] = movements.rows.map((m) => {
    const net = m.net_fen;
    balanceFen += net;
    if (net >= 0n) totals.inFen += net;
    else totals.outFen -= net;
    const kind: StatementLineKind =
      m.entry_type === 'deposit'
        ? 'deposit'
        : isInterestEntryType(m.entry_type)
          ? 'interest'
          : m.entry_type === REVERSAL_ENTRY_TYPE
            ? 'reversal'
            : 'other';
    if (kind === 'deposit') totals.depositsFen += net;
    if (kind === 'interest') totals.interestFen += net;
    const settlement =
      kind === 'interest' ? settlements.find((s) => s.settled_on === m.value_date) : undefined;
    return {
      entryId: String(m.entry_id),
      valueDate: m.value_date,
      businessDate: m.business_date,
      kind,
      entryType: m.entry_type,
      memo: m.memo,
      amountIn: fenToYuanString(net > 0n ? net : 0n),
      amountOut: fenToYuanString(net < 0n ? -net : 0n),
      balance: fenToYuanString(balanceFen),
      deposit: depositByEntry.get(String(m.entry_id)) ?? null,
      interest: settlement ? { hpfYear: settlement.hpf_year, kind: settlement.kind } : null,
      reversesEntryId: m.reverses_entry_id === null ? null : String(m.reverses_entry_id),
    };
  });

  const months = await db
    .selectFrom('account_months')
    .select(['month', 'allocated_fen', 'lower_limit_fen', 'covered', 'source'])
    .where('account_id', '=', accountId)
    .where('month', '>=', `${monthOf(from)}-01`)
    .where('month', '<=', `${monthOf(to)}-01`)
    .orderBy('month')
    .execute();

  return {
    accountId: String(accountId),
    accountNumber: account.account_number,
    depositorName: account.name,
    state: account.state,
    from,
    to,
    openingBalance: fenToYuanString(openingFen),
    closingBalance: fenToYuanString(balanceFen),
    totals: {
      in: fenToYuanString(totals.inFen),
      out: fenToYuanString(totals.outFen),
      deposits: fenToYuanString(totals.depositsFen),
      interest: fenToYuanString(totals.interestFen),
    },
    lines,
    months: months.map((m) => ({
      month: monthOf(m.month),
      allocated: fenToYuanString(m.allocated_fen),
      lowerLimit: fenToYuanString(m.lower_limit_fen),
      covered: m.covered,
      source: m.source,
    })),
  };
}
