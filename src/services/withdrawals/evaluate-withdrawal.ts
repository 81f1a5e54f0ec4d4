// The facts a withdrawal is judged on, read in the caller's transaction (account locked first, so two
// withdrawals racing for one balance queue on its row), and the rules of src/domain/withdrawals.ts.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/connection.ts';
import { addMonthsToMonth, monthOf, parts, type IsoDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import type { AccountStateCode } from '../../domain/eligibility.ts';
import type { Fen } from '../../domain/money.ts';
import type { Actor } from '../../domain/roles.ts';
import {
  checkWithdrawal,
  type HousingCheck,
  type LeaseTerms,
  type WithdrawalCheck,
  type WithdrawalKind,
} from '../../domain/withdrawals.ts';
import { consecutiveCoveredMonths } from '../deposits/credit-deposit.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';
import { getFenParameter, getIntegerParameter } from '../parameters/get-parameter.ts';
import { hasOutstandingLoan } from '../loans/has-outstanding-loan.ts';

export interface LockedAccount {
  id: bigint;
  depositorId: bigint;
  accountNumber: string;
  pool: 'FLEX' | 'MANDATORY';
  kind: 'flexible' | 'unit';
  state: AccountStateCode;
  balanceFen: Fen;
  districtCode: string;
}

/** Checks the actor may see the account (a depositor only their own), then locks it FOR UPDATE. */
export async function lockAccountForWithdrawal(
  tx: DbOrTx,
  actor: Actor,
  accountId: bigint,
): Promise<LockedAccount> {
  await assertAccountVisible(tx, actor, accountId);
  const row = await tx
    .selectFrom('accounts')
    .select(['id', 'depositor_id', 'account_number', 'pool', 'kind', 'state', 'balance_fen', 'district_code'])
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  return {
    id: row.id,
    depositorId: row.depositor_id,
    accountNumber: row.account_number,
    pool: row.pool,
    kind: row.kind,
    state: row.state,
    balanceFen: row.balance_fen,
    districtCode: row.district_code,
  };
}

/** What the person withdrew for rent in a calendar year (every account; rejected and returned left out). */
export async function rentUsedInYear(
  db: DbOrTx,
  depositorId: bigint,
  year: number,
  excludeWithdrawalId?: bigint,
): Promise<Fen> {
  const row = await sql<{ fen: bigint }>`
    SELECT COALESCE(SUM(amount_fen), 0)::bigint AS fen FROM withdrawals
    WHERE depositor_id = ${depositorId} AND kind = 'rent' AND calendar_year = ${year}
      AND status IN ('pending_review', 'posted', 'paid') AND id <> ${excludeWithdrawalId ?? -1n}`.execute(db);
  return row.rows[0]!.fen;
}

export interface EvaluateInput {
  account: LockedAccount;
  kind: WithdrawalKind;
  amountFen: Fen;
  businessDate: IsoDate;
  rent?: { declaredNoHousing: boolean; housing: HousingCheck; lease: LeaseTerms };
  /** A withdrawal being approved is not counted against its own cap. */
  excludeWithdrawalId?: bigint;
}

/** Every rule of §5.1 / §5.2 on the business date, with the parameters in force that day. */
export async function evaluateWithdrawal(tx: DbOrTx, input: EvaluateInput): Promise<WithdrawalCheck> {
  const { account, businessDate } = input;
  const latestCompleted = addMonthsToMonth(monthOf(businessDate), -1);
  const consecutiveMonths = await consecutiveCoveredMonths(tx, account.id, latestCompleted);
  const minConsecutiveMonths = await getIntegerParameter(
    tx,
    'withdrawal.min_consecutive_months',
    businessDate,
  );
  const loanOutstanding = await hasOutstandingLoan(tx, account.depositorId);
  let rent: Parameters<typeof checkWithdrawal>[0]['rent'];
  if (input.rent) {
    rent = {
      ...input.rent,
      annualCapFen: await getFenParameter(tx, 'rent.annual_cap_fen', businessDate),
      usedThisYearFen: await rentUsedInYear(
        tx,
        account.depositorId,
        parts(businessDate).year,
        input.excludeWithdrawalId,
      ),
    };
  }
  return checkWithdrawal({
    kind: input.kind,
    accountKind: account.kind,
    accountState: account.state,
    consecutiveMonths,
    minConsecutiveMonths,
    loanOutstanding,
    balanceFen: account.balanceFen,
    amountFen: input.amountFen,
    ...(rent ? { rent } : {}),
  });
}
