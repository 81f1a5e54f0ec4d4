// What the housing registry says of an account's holder (rules.md §5.1: no housing of one's own for a
// rent withdrawal). Only the account's owner (or staff in scope) gets the registry asked about them; it is
// asked before any transaction, so no row is held while a partner answers.
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import type { HousingCheck } from '../../domain/withdrawals.ts';
import {
  checkHousing,
  defaultHousingRegistry,
  type HousingRegistry,
} from '../../integrations/housing/registry.ts';
import { assertAccountVisible } from '../deposits/view-deposit-plan.ts';

export async function housingOfAccount(
  db: Db,
  actor: Actor,
  accountId: bigint,
  registry: HousingRegistry = defaultHousingRegistry(),
): Promise<HousingCheck> {
  await assertAccountVisible(db, actor, accountId);
  const person = await db
    .selectFrom('accounts as a')
    .innerJoin('depositors as d', 'd.id', 'a.depositor_id')
    .select(['d.id', 'd.id_number_hash'])
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (!person) throw new AppError('ACCOUNT_NOT_FOUND', { field: 'accountId' });
  return checkHousing(registry, { depositorId: String(person.id), idNumberHash: person.id_number_hash });
}
