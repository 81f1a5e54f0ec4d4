// The business date (会计日期): a stored row that services read and only the close (or an explicit
// advance) moves forward. No service reads the wall clock for business purposes.
import { AppError } from '../../domain/errors.ts';
import { compareDates, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import type { Db, DbOrTx } from '../../db/connection.ts';

export async function getBusinessDate(db: DbOrTx): Promise<IsoDate> {
  const row = await db
    .selectFrom('business_calendar')
    .select('business_date')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row) throw new AppError('BUSINESS_DATE_NOT_SET');
  return row.business_date;
}

/** Sets the first business date of a new center; does nothing when one is already set. */
export async function initializeBusinessDate(db: Db, date: IsoDate, actor: Actor): Promise<IsoDate> {
  if (!isIsoDate(date)) throw new AppError('INVALID_DATE', { field: 'date' });
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('business_calendar')
      .values({ id: 1, business_date: date })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('business_date')
      .executeTakeFirst();
    if (!inserted) return getBusinessDate(tx);
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'calendar.initialize',
      subjectType: 'business_date',
      subjectId: 1,
      businessDate: date,
      summary: { businessDate: date },
    });
    return date;
  });
}

/**
 * Moves the business date forward to `to` (inclusive of no steps: the business-day close runs its
 * steps and then calls this). Never backwards.
 */
export async function advanceBusinessDate(
  db: DbOrTx,
  to: IsoDate,
  actor: Actor,
): Promise<{ from: IsoDate; to: IsoDate }> {
  if (!isIsoDate(to)) throw new AppError('INVALID_DATE', { field: 'to' });
  const run = async (tx: DbOrTx) => {
    const current = await tx
      .selectFrom('business_calendar')
      .select('business_date')
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('BUSINESS_DATE_NOT_SET');
    if (compareDates(to, current.business_date) < 0) {
      throw new AppError('BUSINESS_DATE_BACKWARDS', {
        field: 'to',
        details: { current: current.business_date, to },
      });
    }
    if (to === current.business_date) return { from: to, to };
    await tx
      .updateTable('business_calendar')
      .set({ business_date: to, updated_at: new Date() })
      .where('id', '=', 1)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'calendar.advance',
      subjectType: 'business_date',
      subjectId: 1,
      businessDate: to,
      summary: { from: current.business_date, to },
    });
    return { from: current.business_date, to };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
