// Repricing on January 1 (rules.md §6.3): when the loan rate table changed, every disbursed loan with a term
// over one year whose rate row is older than the latest row published before this January 1 switches to
// that row's rate (same column: home and original term). From the first installment due after the date, the
// installment is recomputed from the remaining principal over the remaining term (repriceSchedule); rows
// already due keep their amounts. Loans of one year or less keep their contract rate. Batched by loan id,
// one transaction per batch (set-based writes); a loan already on the row is never picked again, so a
// rerun, or a resumed close, changes nothing.
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import type { IsoDate } from '../../domain/dates.ts';
import { actorLabel, type Actor } from '../../domain/roles.ts';
import { FIXED_RATE_MAX_MONTHS, loanRateOn, repricingDate } from '../../domain/loans/rates.ts';
import { repriceSchedule } from '../../domain/loans/schedule.ts';
import { recordAudit } from '../../audit/audit-trail.ts';
import { loanRateTable } from './loan-rate-table.ts';
import { replaceFutureSchedules, type ScheduleChange } from './loan-schedule-store.ts';
import type { Db } from '../../db/connection.ts';

export const REPRICING_BATCH_SIZE = 200;

export interface RepricingSummary extends Record<string, unknown> {
  /** The table row loans switch to ("" when the table has none yet in force for repricing). */
  rateFrom: string;
  repriced: number;
  /** Moved to the new row whose rate for their column did not change: no new schedule. */
  sameRate: number;
  /** Loans of one year or less left at their contract rate (rules.md §6.3). */
  keptShortTerm: number;
  batches: number;
}

/** The close runs repricing on January 1 only (rules.md §6.3). */
export function isJanuaryFirst(date: IsoDate): boolean {
  return date.endsWith('-01-01');
}

interface Future {
  loan_id: bigint;
  n: number;
  principal: bigint;
  first_period: number;
  first_due: string;
  first_payment: bigint;
}

export async function repriceLoans(input: {
  db: Db;
  date: IsoDate;
  actor: Actor;
  batchSize?: number;
}): Promise<RepricingSummary> {
  const { db, date } = input;
  const label = actorLabel(input.actor);
  const table = await loanRateTable(db);
  const target = table.findLast((r) => repricingDate(r.from) <= date);
  const summary: RepricingSummary = { rateFrom: '', repriced: 0, sameRate: 0, keptShortTerm: 0, batches: 0 };
  if (target === undefined) return summary;
  summary.rateFrom = target.from;
  const kept = await db
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'disbursed')
    .where('term_months', '<=', FIXED_RATE_MAX_MONTHS)
    .where('rate_from', '<', target.from)
    .executeTakeFirstOrThrow();
  summary.keptShortTerm = Number(kept.n);
  const batchSize = input.batchSize ?? REPRICING_BATCH_SIZE;
  let cursor = 0n;
  for (;;) {
    const ids = (
      await db
        .selectFrom('loans')
        .select('id')
        .where('status', '=', 'disbursed')
        .where('term_months', '>', FIXED_RATE_MAX_MONTHS)
        .where('rate_from', '<', target.from)
        .where('id', '>', cursor)
        .orderBy('id')
        .limit(batchSize)
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) break;
    cursor = ids.at(-1)!;
    summary.batches += 1;
    await db.transaction().execute(async (tx) => {
      // Re-read under the row locks: a loan settled or repriced meanwhile drops out.
      const loans = await tx
        .selectFrom('loans')
        .selectAll()
        .where('id', 'in', ids)
        .where('status', '=', 'disbursed')
        .where('rate_from', '<', target.from)
        .orderBy('id')
        .forUpdate()
        .execute();
      if (loans.length === 0) return;
      const futures = await sql<Future>`
        SELECT loan_id, count(*)::int AS n, sum(principal_fen)::bigint AS principal, min(period) AS first_period,
          (array_agg(due_date ORDER BY period))[1] AS first_due,
          (array_agg(payment_fen ORDER BY period))[1] AS first_payment
        FROM loan_installments
        WHERE loan_id = ANY(${loans.map((l) => l.id)}::bigint[]) AND status = 'scheduled' AND due_date > ${date}::date
        GROUP BY loan_id`.execute(tx);
      const futureOf = new Map(futures.rows.map((f) => [BigInt(f.loan_id), f]));
      const changes: ScheduleChange[] = [];
      const moved: Array<{
        id: bigint;
        rate: string;
        from: string;
        oldRate: string;
        oldFrom: string;
        principal: bigint;
        months: number;
        oldInstallment: bigint;
        newInstallment: bigint;
        newSchedule: boolean;
      }> = [];
      for (const loan of loans) {
        const now = loanRateOn({
          contractDate: loan.contract_date ?? loan.rate_from,
          home: loan.home,
          termMonths: loan.term_months,
          onDate: date,
          table,
        });
        if (now.from <= loan.rate_from) continue;
        const future = futureOf.get(loan.id);
        const sameRate = now.ratePct.eq(new Decimal(loan.annual_rate_pct));
        let newInstallment = future?.first_payment ?? 0n;
        if (!sameRate && future !== undefined) {
          const schedule = repriceSchedule({
            remainingPrincipalFen: BigInt(future.principal),
            remainingMonths: future.n,
            annualRatePct: now.ratePct,
            method: loan.method,
            nextPeriod: future.first_period,
            nextDueDate: future.first_due,
          });
          newInstallment = schedule.installments[0]!.paymentFen;
          changes.push({
            loanId: loan.id,
            reason: 'repricing',
            effectiveOn: date,
            oldRatePct: loan.annual_rate_pct,
            newRatePct: now.ratePct.toString(),
            installments: schedule.installments,
          });
        }
        moved.push({
          id: loan.id,
          rate: now.ratePct.toString(),
          from: now.from,
          oldRate: loan.annual_rate_pct,
          oldFrom: loan.rate_from,
          principal: future === undefined ? 0n : BigInt(future.principal),
          months: future?.n ?? 0,
          oldInstallment: future === undefined ? 0n : BigInt(future.first_payment),
          newInstallment: BigInt(newInstallment),
          newSchedule: !sameRate && future !== undefined,
        });
        if (sameRate) summary.sameRate += 1;
        else summary.repriced += 1;
      }
      if (moved.length === 0) return;
      const versions = await replaceFutureSchedules(tx, changes, label);
      await sql`
        UPDATE loans l SET annual_rate_pct = c.rate, rate_from = c.rate_from
        FROM unnest(${moved.map((m) => m.id)}::bigint[], ${moved.map((m) => m.rate)}::numeric[],
          ${moved.map((m) => m.from)}::date[]) AS c (id, rate, rate_from)
        WHERE l.id = c.id`.execute(tx);
      const changed = moved.filter((m) => !new Decimal(m.oldRate).eq(new Decimal(m.rate)));
      if (changed.length > 0) {
        await sql`
          INSERT INTO loan_rate_history (loan_id, effective_on, old_rate_pct, new_rate_pct, old_rate_from,
            new_rate_from, remaining_principal_fen, remaining_months, old_installment_fen, new_installment_fen,
            schedule_version_id, created_by)
          SELECT c.id, ${date}::date, c.old_rate, c.new_rate, c.old_from, c.new_from, c.principal, c.months,
            c.old_installment, c.new_installment, c.version_id, ${label}
          FROM unnest(${changed.map((m) => m.id)}::bigint[], ${changed.map((m) => m.oldRate)}::numeric[],
            ${changed.map((m) => m.rate)}::numeric[], ${changed.map((m) => m.oldFrom)}::date[],
            ${changed.map((m) => m.from)}::date[], ${changed.map((m) => m.principal)}::bigint[],
            ${changed.map((m) => m.months)}::int[], ${changed.map((m) => m.oldInstallment)}::bigint[],
            ${changed.map((m) => m.newInstallment)}::bigint[],
            ${changed.map((m) => versions.get(m.id) ?? null)}::bigint[])
            AS c (id, old_rate, new_rate, old_from, new_from, principal, months, old_installment, new_installment, version_id)`.execute(
          tx,
        );
      }
      await recordAudit(tx, {
        actor: label,
        action: 'loan.reprice',
        subjectType: 'loan_repricing',
        subjectId: date,
        businessDate: date,
        summary: {
          rateFrom: target.from,
          batch: summary.batches,
          loans: moved.map((m) => ({
            loanId: String(m.id),
            rate: `${m.oldRate} → ${m.rate}`,
            newSchedule: m.newSchedule,
          })),
        },
      });
    });
  }
  return summary;
}
