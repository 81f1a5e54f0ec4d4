// Opens a unit (employer-based) account in the MANDATORY pool for a registered person. The flexible
// side needs it for the one-coverage rule (rules.md §1) and conversions (§5.3).
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { nextAccountNumber } from './open-account.ts';
import type { Db } from '../../db/connection.ts';

export interface OpenUnitAccountInput {
  db: Db;
  actor: Actor;
  depositorId: string | bigint;
  employerId: string | bigint;
}

export async function openUnitAccount(input: OpenUnitAccountInput) {
  const { db, actor } = input;
  const depositorId = BigInt(input.depositorId);
  const employerId = BigInt(input.employerId);
  return db.transaction().execute(async (tx) => {
    const depositor = await tx
      .selectFrom('depositors')
      .select(['id', 'district_code'])
      .where('id', '=', depositorId)
      .forUpdate()
      .executeTakeFirst();
    if (!depositor) throw new AppError('DEPOSITOR_NOT_FOUND', { field: 'depositorId' });
    const employer = await tx
      .selectFrom('employers')
      .select('id')
      .where('id', '=', employerId)
      .executeTakeFirst();
    if (!employer) throw new AppError('EMPLOYER_NOT_FOUND', { field: 'employerId' });
    const open = await tx
      .selectFrom('accounts')
      .select('id')
      .where('depositor_id', '=', depositorId)
      .where('kind', '=', 'unit')
      .where('state', 'in', ['01', '06'])
      .executeTakeFirst();
    if (open)
      throw new AppError('ACCOUNT_STATE_INVALID', {
        field: 'depositorId',
        details: { reason: 'unit account open' },
      });
    const today = await getBusinessDate(tx);
    const accountNumber = await nextAccountNumber(tx, 'MANDATORY');
    const row = await tx
      .insertInto('accounts')
      .values({
        account_number: accountNumber,
        depositor_id: depositorId,
        pool: 'MANDATORY',
        kind: 'unit',
        employer_id: employerId,
        state: '01',
        district_code: depositor.district_code,
        opened_on: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'account.open_unit',
      subjectType: 'account',
      subjectId: row.id,
      businessDate: today,
      summary: {
        accountNumber,
        depositorId: String(depositorId),
        employerId: String(employerId),
        pool: 'MANDATORY',
      },
    });
    return { accountId: String(row.id), accountNumber, pool: 'MANDATORY' as const, state: '01' as const };
  });
}
