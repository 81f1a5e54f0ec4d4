// Close step: a due period still unpaid after its last retry day, with no debit awaiting an answer, is
// missed (断缴, rules.md §3.2). It is not collected later unless catch-up is enabled for it (parameter).
import { sql } from 'kysely';
import { getBooleanParameter } from '../../services/parameters/get-parameter.ts';
import type { CloseContext } from '../close-day.ts';

export async function markMissedPeriods({ db, date }: CloseContext): Promise<Record<string, unknown>> {
  const catchUp = await getBooleanParameter(db, 'deposit.catch_up_enabled', date);
  const result = await sql<{ n: string }>`
    WITH missed AS (
      UPDATE deposit_periods p SET status = 'missed', catch_up_allowed = ${catchUp}
      WHERE p.status = 'due' AND p.last_retry_date <= ${date}::date
        AND NOT EXISTS (SELECT 1 FROM debit_requests r WHERE r.period_id = p.id AND r.status IN ('pending', 'sent'))
      RETURNING 1)
    SELECT count(*)::text AS n FROM missed`.execute(db);
  return { missed: Number(result.rows[0]!.n), catchUpAllowed: catchUp };
}
