// The depositor's collection picture: covered months (the calendar), consecutive months, this HPF
// year's deposits and room, and the periodic plan's periods.
import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { addMonthsToMonth, hpfYearOf, monthOf } from '../../domain/dates.ts';
import { annualRoomFen } from '../../domain/deposits.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { depositLimitsOn } from '../agreements/prepare-agreement.ts';
import { consecutiveCoveredMonths } from './credit-deposit.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function assertAccountVisible(db: DbOrTx, actor: Actor, accountId: bigint) {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'depositor_id', 'district_code', 'account_number', 'state', 'balance_fen'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  if (actor.type === 'depositor' && actor.depositorId !== account.depositor_id)
    throw new AppError('FORBIDDEN');
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== account.district_code) throw new AppError('FORBIDDEN');
  return account;
}

export async function viewDepositPlan(db: DbOrTx, actor: Actor, accountIdText: string | bigint) {
  const accountId = BigInt(accountIdText);
  const account = await assertAccountVisible(db, actor, accountId);
  const today = await getBusinessDate(db);
  const latestCompleted = addMonthsToMonth(monthOf(today), -1);
  const months = await db
    .selectFrom('account_months')
    .select(['month', 'allocated_fen', 'lower_limit_fen', 'covered', 'source'])
    .where('account_id', '=', accountId)
    .orderBy('month')
    .execute();
  const hpfYear = hpfYearOf(today);
  const paid = await db
    .selectFrom('deposits')
    .select(sql<string>`coalesce(sum(amount_fen), 0)::text`.as('total'))
    .where('account_id', '=', accountId)
    .where('hpf_year', '=', hpfYear)
    .executeTakeFirstOrThrow();
  const limits = await depositLimitsOn(db, today);
  const periods = await db
    .selectFrom('deposit_periods')
    .select([
      'id',
      'period_start',
      'months',
      'amount_fen',
      'due_date',
      'last_retry_date',
      'status',
      'catch_up_allowed',
    ])
    .where('account_id', '=', accountId)
    .orderBy('period_start', 'desc')
    .limit(24)
    .execute();
  return {
    accountId: String(accountId),
    accountNumber: account.account_number,
    businessDate: today,
    consecutiveMonths: await consecutiveCoveredMonths(db, accountId, latestCompleted),
    latestCompletedMonth: latestCompleted,
    limits: { lower: fenToYuanString(limits.lowerFen), upper: fenToYuanString(limits.upperFen) },
    hpfYear,
    paidThisHpfYear: fenToYuanString(BigInt(paid.total)),
    annualRoom: fenToYuanString(annualRoomFen(limits, BigInt(paid.total))),
    months: months.map((m) => ({
      month: monthOf(m.month),
      allocated: fenToYuanString(m.allocated_fen),
      lowerLimit: fenToYuanString(m.lower_limit_fen),
      covered: m.covered,
      source: m.source,
    })),
    periods: periods.map((p) => ({
      periodId: String(p.id),
      periodStart: monthOf(p.period_start),
      months: p.months,
      amount: fenToYuanString(p.amount_fen),
      dueDate: p.due_date,
      lastRetryDate: p.last_retry_date,
      status: p.status,
      catchUpAllowed: p.catch_up_allowed,
    })),
  };
}
