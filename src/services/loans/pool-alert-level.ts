// The flexible pool's alert level (预警级别, rules.md §8) that the liquidity coefficient of the quota reads
// (§6.2 A): the level set at the last month end before the date (liquidity/compute-pool-indicators.ts);
// normal before any month was computed.
import type { AlertLevel } from '../../domain/loans/quota.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { DbOrTx } from '../../db/connection.ts';
import { alertLevelOn } from '../liquidity/compute-pool-indicators.ts';

export async function poolAlertLevel(db: DbOrTx, date: IsoDate): Promise<AlertLevel> {
  return alertLevelOn(db, 'FLEX', date);
}
