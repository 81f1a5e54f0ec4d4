// The pool's alert level (预警级别, rules.md §8) that the liquidity coefficient of the quota reads (§6.2 A).
// The pool indicators (loan ratio, net flow, hysteresis) are a later issue: until they exist no level has
// ever been raised, so every date is 'normal'. The indicators issue replaces this body with its query.
import type { AlertLevel } from '../../domain/loans/quota.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';

export async function poolAlertLevel(db: DbOrTx, date: IsoDate): Promise<AlertLevel> {
  void db;
  void date;
  return 'normal';
}
