// One person's unit accounts (MANDATORY pool) with their unit: what the counter chooses from when a
// flexible account is converted into a unit account (rules.md §5.3). Staff only; a district viewer
// only for people of their district.
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { districtScopeOf, type Actor } from '../../domain/roles.ts';
import type { DbOrTx } from '../../db/connection.ts';

export interface DepositorUnitAccount {
  accountId: string;
  accountNumber: string;
  state: string;
  balance: string;
  monthlyBase: string | null;
  monthlyAmount: string | null;
  sealReason: string | null;
  sealedOn: string | null;
  openedOn: string;
  closedOn: string | null;
  employer: { employerId: string; code: string; name: string } | null;
}

export async function listDepositorUnitAccounts(
  db: DbOrTx,
  actor: Actor,
  depositorIdText: string | bigint,
): Promise<{ depositorId: string; items: DepositorUnitAccount[] }> {
  const depositorId = BigInt(depositorIdText);
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN');
  const person = await db
    .selectFrom('depositors')
    .select(['id', 'district_code'])
    .where('id', '=', depositorId)
    .executeTakeFirst();
  if (!person) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'id' });
  const scope = districtScopeOf(actor);
  if (scope !== null && scope !== person.district_code) throw new AppError('FORBIDDEN', { field: 'id' });
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('employers as e', 'e.id', 'a.employer_id')
    .select([
      'a.id',
      'a.account_number',
      'a.state',
      'a.balance_fen',
      'a.unit_monthly_base_fen',
      'a.unit_monthly_amount_fen',
      'a.seal_reason',
      'a.sealed_on',
      'a.opened_on',
      'a.closed_on',
      'e.id as employer_id',
      'e.code as employer_code',
      'e.name as employer_name',
    ])
    .where('a.depositor_id', '=', depositorId)
    .where('a.kind', '=', 'unit')
    .orderBy('a.id')
    .execute();
  const money = (fen: bigint | null) => (fen === null ? null : fenToYuanString(fen));
  return {
    depositorId: String(depositorId),
    items: rows.map((r) => ({
      accountId: String(r.id),
      accountNumber: r.account_number,
      state: r.state,
      balance: fenToYuanString(r.balance_fen),
      monthlyBase: money(r.unit_monthly_base_fen),
      monthlyAmount: money(r.unit_monthly_amount_fen),
      sealReason: r.seal_reason,
      sealedOn: r.sealed_on,
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      employer:
        r.employer_id === null
          ? null
          : { employerId: String(r.employer_id), code: r.employer_code ?? '', name: r.employer_name ?? '' },
    })),
  };
}
