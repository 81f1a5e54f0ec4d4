// What a depositor would receive as deposit subsidy (缴存补贴, rules.md §4.2) if the account were closed by
// withdrawal on a date (default: today's business date), and why: the reasons it is refused, the amount
// per deposit, the lifetime cap and what of it is left. Read-only; the closure itself applies the same rule.
import { sql } from 'kysely';
import { addMonths, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import { depositSubsidy, type SubsidyReason, type SubsidyUse } from '../../domain/subsidy.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { getFenParameter, getPercentParameter } from '../parameters/get-parameter.ts';
import { isInterestEntryType } from '../statements/account-statement.ts';
import { assertAccountVisible } from './view-deposit-plan.ts';
import type { DbOrTx } from '../../db/connection.ts';
import type { DepositChannel } from '../../db/schema.ts';

/**
 * THE list of what each entry type that debits a member's 201 balance means for "never used" (rules.md
 * §4.2). Later issues add their entry types here: 'none' for a debit that is not a use, else the use.
 * Interest entries only credit; a reversal undoes a mistake and is no use (and a reversed entry is
 * ignored). An entry type not listed that debits the member counts as a withdrawal: money left it.
 * A loan is a use even when it never debits the balance: the loans issue adds that check below.
 */
export const ACCOUNT_USE_BY_ENTRY_TYPE: Readonly<Record<string, keyof SubsidyUse | 'none'>> = {
  deposit: 'none',
  reversal: 'none',
  withdrawal: 'withdrawal',
  transfer_out: 'transferOut',
  conversion_out: 'conversion',
};

/** The entry type of the subsidy paid on closure; what was paid counts against the lifetime cap. */
export const SUBSIDY_ENTRY_TYPE = 'deposit_subsidy';

/** Money transferred in or converted from a unit account was not deposited here: it earns no subsidy (ours). */
const CHANNELS_WITHOUT_SUBSIDY: DepositChannel[] = ['transfer_in', 'conversion'];

function useOfEntryType(entryType: string): keyof SubsidyUse | 'none' {
  if (isInterestEntryType(entryType)) return 'none';
  return ACCOUNT_USE_BY_ENTRY_TYPE[entryType] ?? 'withdrawal';
}

/** How the account was used so far: from the member debits that were not reversed. */
export async function accountUse(db: DbOrTx, accountId: bigint): Promise<SubsidyUse> {
  const debits = await sql<{ entry_type: string }>`
    SELECT DISTINCT je.entry_type
    FROM postings p JOIN journal_entries je ON je.id = p.entry_id
    WHERE p.member_account_id = ${accountId} AND p.account_code = '201' AND p.side = 'D'
      AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_entry_id = je.id)`.execute(db);
  const used: SubsidyUse = { withdrawal: false, loan: false, transferOut: false, conversion: false };
  for (const { entry_type } of debits.rows) {
    const use = useOfEntryType(entry_type);
    if (use !== 'none') used[use] = true;
  }
  return used;
}

export interface SubsidyPreview {
  accountId: string;
  accountNumber: string;
  businessDate: IsoDate;
  closureDate: IsoDate;
  eligible: boolean;
  reasons: SubsidyReason[];
  /** What would be paid (yuan): 0.00 when not eligible. */
  subsidy: string;
  /** Σ amount × rate × days / 360 rounded once, before the lifetime cap (shown even when not eligible). */
  uncapped: string;
  capped: boolean;
  /** The subsidy's annual rate in percent, in force on the closure date. */
  ratePct: string;
  lifetimeCap: string;
  alreadyPaid: string;
  remainingCap: string;
  firstDepositDate: IsoDate | null;
  /** The first day the one-year condition holds. */
  oneYearOn: IsoDate | null;
  used: SubsidyUse;
  /** Per deposit: days from credit to closure and the unrounded subsidy (yuan, six decimals). */
  deposits: Array<{ date: IsoDate; amount: string; days: number; subsidy: string }>;
}

/**
 * The subsidy preview of one account (the depositor themself, or staff within their district): the
 * rate and cap in force on the closure date, this account's own deposits up to that date (reversed
 * ones left out), and the person's subsidy already paid on earlier accounts.
 */
export async function subsidyPreview(
  db: DbOrTx,
  actor: Actor,
  accountIdText: string | bigint,
  options: { closureDate?: IsoDate | undefined } = {},
): Promise<SubsidyPreview> {
  const accountId = BigInt(accountIdText);
  if (options.closureDate !== undefined && !isIsoDate(options.closureDate)) {
    throw new AppError('INVALID_DATE', { field: 'closureDate', details: { value: options.closureDate } });
  }
  const account = await assertAccountVisible(db, actor, accountId);
  const businessDate = await getBusinessDate(db);
  const closureDate = options.closureDate ?? businessDate;
  if (closureDate < businessDate) {
    throw new AppError('SUBSIDY_PREVIEW_DATE_PAST', {
      field: 'closureDate',
      details: { closureDate, businessDate },
    });
  }

  const deposits = await db
    .selectFrom('deposits as d')
    .select(['d.value_date', 'd.amount_fen'])
    .where('d.account_id', '=', accountId)
    .where('d.value_date', '<=', closureDate)
    .where('d.channel', 'not in', CHANNELS_WITHOUT_SUBSIDY)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('journal_entries as r')
            .select(sql`1`.as('one'))
            .whereRef('r.reverses_entry_id', '=', 'd.journal_entry_id'),
        ),
      ),
    )
    .orderBy('d.value_date')
    .orderBy('d.id')
    .execute();
  const paid = await sql<{ fen: bigint }>`
    SELECT coalesce(sum(p.amount_fen), 0)::bigint AS fen
    FROM postings p
    JOIN journal_entries je ON je.id = p.entry_id
    JOIN accounts a ON a.id = p.member_account_id
    WHERE a.depositor_id = ${account.depositor_id} AND p.account_code = '201' AND p.side = 'C'
      AND je.entry_type = ${SUBSIDY_ENTRY_TYPE}
      AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_entry_id = je.id)`.execute(db);
  const alreadyPaidFen: Fen = paid.rows[0]?.fen ?? 0n;
  const annualRatePct = await getPercentParameter(db, 'subsidy.annual_rate_pct', closureDate);
  const capFen = await getFenParameter(db, 'subsidy.lifetime_cap_fen', closureDate);
  const firstDepositDate = deposits[0]?.value_date ?? null;
  const used = await accountUse(db, accountId);

  const result = depositSubsidy({
    closureDate,
    annualRatePct,
    capFen,
    alreadyPaidFen,
    deposits: deposits.map((d) => ({ date: d.value_date, amountFen: d.amount_fen })),
    firstDepositDate,
    used,
  });
  return {
    accountId: String(accountId),
    accountNumber: account.account_number,
    businessDate,
    closureDate,
    eligible: result.eligible,
    reasons: result.reasons,
    subsidy: fenToYuanString(result.subsidyFen),
    uncapped: fenToYuanString(result.uncappedFen),
    capped: result.capped,
    ratePct: annualRatePct.toString(),
    lifetimeCap: fenToYuanString(capFen),
    alreadyPaid: fenToYuanString(alreadyPaidFen),
    remainingCap: fenToYuanString(capFen > alreadyPaidFen ? capFen - alreadyPaidFen : 0n),
    firstDepositDate,
    oneYearOn: firstDepositDate === null ? null : addMonths(firstDepositDate, 12),
    used,
    deposits: result.perDeposit.map((d) => ({
      date: d.date,
      amount: fenToYuanString(d.amountFen),
      days: d.days,
      subsidy: d.subsidyFen.div(100).toFixed(6),
    })),
  };
}
