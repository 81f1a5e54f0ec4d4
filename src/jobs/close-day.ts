// The business-day close (日终): closes the open business date by running its steps in order, each
// recorded in close_steps so a run killed anywhere resumes at the first unfinished step, then moves the
// business date to the next day. Steps are idempotent: a rerun of a half-done step posts nothing twice.
// Closing N days one by one and one catch-up to day N run exactly the same steps on the same dates.
import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { addDays, compareDates, type IsoDate } from '../domain/dates.ts';
import { actorLabel, type Actor } from '../domain/roles.ts';
import { recordAudit, sealAuditChain } from '../audit/audit-trail.ts';
import { advanceBusinessDate, getBusinessDate } from '../services/calendar/business-date.ts';
import type { Db } from '../db/connection.ts';
import type { BankGateway } from '../integrations/bank/gateway.ts';
import type { TransferPlatformGateway } from '../integrations/transfer-platform/gateway.ts';
import { transferPlatformFromEnv } from '../integrations/transfer-platform/http-gateway.ts';
import { CLOSE_STEPS } from './steps/index.ts';

export interface CloseContext {
  db: Db;
  /** The business date being closed. */
  date: IsoDate;
  actor: Actor;
  bank: BankGateway;
  /** The national transfer platform, or null when none is configured (messages then wait in the queue). */
  transferPlatform: TransferPlatformGateway | null;
}

export interface CloseStep {
  name: string;
  /** Whether the step has anything to do on this date (e.g. month end only); skipped steps are recorded. */
  appliesOn?: (date: IsoDate) => boolean;
  run(ctx: CloseContext): Promise<Record<string, unknown>>;
}

export interface CloseProgress {
  date: IsoDate;
  step: string;
  index: number;
  total: number;
  summary?: Record<string, unknown>;
}

export interface CloseOptions {
  db: Db;
  actor: Actor;
  bank: BankGateway;
  /** Default: the platform at ANJU_TRANSFER_PLATFORM_URL, or none. */
  transferPlatform?: TransferPlatformGateway | null;
  /** Close every open day before this date (catch-up); default: close just the current business date. */
  to?: IsoDate;
  steps?: readonly CloseStep[];
  onProgress?: (p: CloseProgress) => void;
}

export interface ClosedDay {
  date: IsoDate;
  steps: Array<{ step: string; skipped: boolean; summary: Record<string, unknown> }>;
}

const CLOSE_LOCK = 4242002;

/** Closes the current business date, or every day up to (not including) `to`. */
export async function closeDays(options: CloseOptions): Promise<ClosedDay[]> {
  const { db } = options;
  const start = await getBusinessDate(db);
  const target = options.to ?? addDays(start, 1);
  if (compareDates(target, start) <= 0) {
    throw new AppError('CLOSE_TARGET_INVALID', { field: 'to', details: { businessDate: start, to: target } });
  }
  const transferPlatform =
    options.transferPlatform === undefined ? transferPlatformFromEnv() : options.transferPlatform;
  const closed: ClosedDay[] = [];
  for (let date = start; compareDates(date, target) < 0; date = addDays(date, 1)) {
    closed.push(await closeOneDay({ ...options, transferPlatform, date }));
  }
  return closed;
}

async function closeOneDay(options: CloseOptions & { date: IsoDate }): Promise<ClosedDay> {
  const { db, date, actor } = options;
  const steps = options.steps ?? CLOSE_STEPS;
  // Only one close at a time: a session-level advisory lock held on a dedicated connection would pin the
  // single PGlite connection, so a lease row (close_runs) guarded by a transaction lock is used instead.
  await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`.execute(tx);
    const current = await getBusinessDate(tx);
    if (current !== date)
      throw new AppError('CLOSE_ALREADY_RUNNING', { details: { businessDate: current, closing: date } });
    await tx
      .insertInto('close_runs')
      .values({ business_date: date, status: 'running', started_by: actorLabel(actor) })
      .onConflict((oc) => oc.column('business_date').doNothing())
      .execute();
    await tx
      .insertInto('close_steps')
      .values(
        steps.map((s, position) => ({
          business_date: date,
          step: s.name,
          position,
          status: 'pending' as const,
        })),
      )
      .onConflict((oc) => oc.columns(['business_date', 'step']).doNothing())
      .execute();
  });
  const done = new Map(
    (
      await db
        .selectFrom('close_steps')
        .select(['step', 'status', 'progress'])
        .where('business_date', '=', date)
        .execute()
    ).map((r) => [r.step, r]),
  );
  const result: ClosedDay = { date, steps: [] };
  for (const [index, step] of steps.entries()) {
    const recorded = done.get(step.name);
    if (recorded?.status === 'done') {
      result.steps.push({
        step: step.name,
        skipped: false,
        summary: (recorded.progress ?? {}) as Record<string, unknown>,
      });
      options.onProgress?.({ date, step: step.name, index, total: steps.length });
      continue;
    }
    const applies = step.appliesOn ? step.appliesOn(date) : true;
    const summary = applies
      ? await step.run({
          db,
          date,
          actor,
          bank: options.bank,
          transferPlatform: options.transferPlatform ?? null,
        })
      : { skipped: true };
    await db
      .updateTable('close_steps')
      .set({ status: 'done', progress: JSON.stringify(summary), finished_at: new Date() })
      .where('business_date', '=', date)
      .where('step', '=', step.name)
      .execute();
    result.steps.push({ step: step.name, skipped: !applies, summary });
    options.onProgress?.({ date, step: step.name, index, total: steps.length, summary });
  }
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('close_runs')
      .set({ status: 'done', finished_at: new Date() })
      .where('business_date', '=', date)
      .execute();
    await recordAudit(tx, {
      actor: actorLabel(actor),
      action: 'close.day',
      subjectType: 'business_date',
      subjectId: date,
      businessDate: date,
      summary: { steps: result.steps.map((s) => ({ step: s.step, skipped: s.skipped })) },
    });
    await advanceBusinessDate(tx, addDays(date, 1), actor);
  });
  // The day's audit rows join the chain now (docs/decisions/0004), not at the next timer tick.
  await sealAuditChain(db);
  return result;
}

/** The close's recorded state for a date: for the console's live view and for resuming. */
export async function closeStatus(db: Db, date: IsoDate) {
  const run = await db
    .selectFrom('close_runs')
    .selectAll()
    .where('business_date', '=', date)
    .executeTakeFirst();
  const steps = await db
    .selectFrom('close_steps')
    .selectAll()
    .where('business_date', '=', date)
    .orderBy('position')
    .execute();
  return {
    date,
    status: run?.status ?? 'not_started',
    steps: steps.map((s) => ({
      step: s.step,
      status: s.status,
      summary: s.progress,
      finishedAt: s.finished_at?.toISOString() ?? null,
    })),
  };
}
