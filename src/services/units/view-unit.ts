// A unit (employer) with its unit accounts: state, seal reason, monthly terms, balance, and the
// months it remitted (the minimal mandatory side, rules.md §5.3).
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function viewUnit(db: DbOrTx, actor: Actor, employerIdText: string | bigint) {
  const employerId = BigInt(employerIdText);
  const employer = await db
    .selectFrom('employers')
    .select(['id', 'code', 'name', 'district_code'])
    .where('id', '=', employerId)
    .executeTakeFirst();
  if (!employer) throw new AppError('EMPLOYER_NOT_FOUND', { field: 'id' });
  const scope = districtScopeOf(actor);
  if (actor.type === 'depositor' || (scope !== null && scope !== employer.district_code))
    throw new AppError('FORBIDDEN');
  const accounts = await db
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select([
      'a.id',
      'a.account_number',
      'a.depositor_id',
      'd.name',
      'd.id_number_masked',
      'a.state',
      'a.seal_reason',
      'a.sealed_on',
      'a.unit_monthly_base_fen',
      'a.unit_monthly_amount_fen',
      'a.balance_fen',
      'a.opened_on',
      'a.closed_on',
    ])
    .where('a.employer_id', '=', employerId)
    .orderBy('a.id')
    .execute();
  const remittances = await db
    .selectFrom('unit_remittances')
    .select(['id', 'month', 'total_fen', 'business_date'])
    .where('employer_id', '=', employerId)
    .orderBy('month')
    .execute();
  const money = (fen: bigint | null) => (fen === null ? null : fenToYuanString(fen));
  return {
    employerId: String(employer.id),
    code: employer.code,
    name: employer.name,
    districtCode: employer.district_code,
    accounts: accounts.map((a) => ({
      accountId: String(a.id),
      accountNumber: a.account_number,
      depositorId: String(a.depositor_id),
      name: a.name,
      idNumberMasked: a.id_number_masked,
      state: a.state,
      sealReason: a.seal_reason,
      sealedOn: a.sealed_on,
      monthlyBase: money(a.unit_monthly_base_fen),
      monthlyAmount: money(a.unit_monthly_amount_fen),
      balance: fenToYuanString(a.balance_fen),
      openedOn: a.opened_on,
      closedOn: a.closed_on,
    })),
    remittances: remittances.map((r) => ({
      remittanceId: String(r.id),
      month: r.month.slice(0, 7),
      total: fenToYuanString(r.total_fen),
      businessDate: r.business_date,
    })),
  };
}
