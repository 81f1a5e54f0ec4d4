// Close step: cuts every account's interest accumulator on the day a new deposit rate takes effect inside an
// interest year (rules.md §4.1: one rate for all balances, a dated parameter), set-based, once per change.
import { sql } from 'kysely';
import { recordAudit } from '../../audit/audit-trail.ts';
import { actorLabel } from '../../domain/roles.ts';
import {
  daysThrough,
  effectiveBalanceDaysSql,
  effectiveCarrySql,
  interestYearOf,
  lockInterestSteps,
  pendingRateChanges,
  type InterestStepContext,
} from './interest-accumulator.ts';

export interface AppliedRateChange {
  startsOn: string;
  oldRate: string;
  rate: string;
  accounts: number;
}

/**
 * For each rate change in force on or before the closed date and not yet cut (recorded in
 * interest_rate_segments): interest_carry += (balance_days_fen − balance × days(D … June 30)) × old rate,
 * balance_days_fen = balance × days(D … June 30). Movements dated D or later cancel out of the closed
 * segment, so the step may run on D or any later close of the year. A rate starting on July 1 is no cut:
 * the settlement starts the new year with it. Idempotent: a recorded change is never cut again.
 */
export async function applyRateChange(ctx: InterestStepContext): Promise<{ applied: AppliedRateChange[] }> {
  const year = interestYearOf(ctx.date);
  const label = actorLabel(ctx.actor);
  return ctx.db.transaction().execute(async (tx) => {
    await lockInterestSteps(tx);
    const { changes } = await pendingRateChanges(tx, year, ctx.date);
    const applied: AppliedRateChange[] = [];
    for (const change of changes) {
      const rest = daysThrough(change.startsOn, year.to);
      // One statement: a posting waiting on a row lock sees the cut row and adds its delta on top.
      const result = await sql`
        UPDATE accounts a
        SET interest_carry = ${effectiveCarrySql(year)}
              + (${effectiveBalanceDaysSql(year)} - a.balance_fen * ${rest}::bigint)::numeric * ${change.oldRatePct.toString()}::numeric,
            balance_days_fen = a.balance_fen * ${rest}::bigint,
            interest_year_end = ${year.to}::date
        WHERE a.interest_year_end = ${year.to}::date OR a.balance_fen > 0`.execute(tx);
      const accounts = Number(result.numAffectedRows ?? 0n);
      await sql`
        INSERT INTO interest_rate_segments (starts_on, hpf_year, old_rate_pct, rate_pct, accounts, applied_on, applied_by)
        VALUES (${change.startsOn}::date, ${year.hpfYear}, ${change.oldRatePct.toString()}::numeric,
          ${change.ratePct.toString()}::numeric, ${accounts}, ${ctx.date}::date, ${label})`.execute(tx);
      const summary = {
        startsOn: change.startsOn,
        oldRate: change.oldRatePct.toString(),
        rate: change.ratePct.toString(),
        accounts,
      };
      await recordAudit(tx, {
        actor: label,
        action: 'interest.rate_cut',
        subjectType: 'interest_rate_segment',
        subjectId: change.startsOn,
        businessDate: ctx.date,
        summary: { ...summary, hpfYear: year.hpfYear },
      });
      applied.push(summary);
    }
    return { applied };
  });
}
