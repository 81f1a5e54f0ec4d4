// Employers (单位) of the mandatory pool, in the minimal form the flexible side needs: the
// "no active unit account" rule (rules.md §1) and, later, conversions (§5.3).
import { AppError } from '../../domain/errors.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { getBusinessDate } from '../calendar/business-date.ts';
import { assertDistrict } from '../depositors/register-depositor.ts';
import type { Db } from '../../db/connection.ts';

export interface RegisterEmployerInput {
  db: Db;
  actor: Actor;
  code: string;
  name: string;
  districtCode: string;
}

export async function registerEmployer(input: RegisterEmployerInput) {
  const { db, actor } = input;
  const code = input.code.trim();
  const name = input.name.trim();
  if (!/^[0-9A-Z]{6,18}$/.test(code)) throw new AppError('VALIDATION_FAILED', { field: 'code' });
  if (!name) throw new AppError('NAME_INVALID', { field: 'name' });
  return db.transaction().execute(async (tx) => {
    await assertDistrict(tx, input.districtCode);
    const existing = await tx
      .selectFrom('employers')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst();
    if (existing)
      throw new AppError('VALIDATION_FAILED', { field: 'code', details: { reason: 'duplicate' } });
    const row = await tx
      .insertInto('employers')
      .values({ code, name, district_code: input.districtCode })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'employer.register',
      subjectType: 'employer',
      subjectId: row.id,
      businessDate: await getBusinessDate(tx),
      summary: { code, name, districtCode: input.districtCode },
    });
    return { employerId: String(row.id), code, name };
  });
}
