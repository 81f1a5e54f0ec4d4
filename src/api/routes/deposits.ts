// Collection at the counter and the depositor's deposit picture; the business-day close for staff.
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../access.ts';
import { dateSchema, idParams } from '../schemas.ts';
import { recordCounterDeposit } from '../../services/deposits/record-counter-deposit.ts';
import { viewDepositPlan } from '../../services/deposits/view-deposit-plan.ts';
import { closeDays, closeStatus } from '../../jobs/close-day.ts';
import { getBusinessDate } from '../../services/calendar/business-date.ts';

export async function depositRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.post<{
    Params: { id: string };
    Body: { amount: string; idempotencyKey: string; valueDate?: string; periodId?: string };
  }>(
    '/accounts/:id/deposits',
    {
      config: { access: { roles: ['teller', 'manager'] } },
      schema: {
        tags: ['deposits'],
        summary: 'Record a counter deposit (idempotent by idempotencyKey)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['amount', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            amount: { type: 'string', maxLength: 20 },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
            valueDate: dateSchema,
            periodId: { type: 'string', pattern: '^\\d+$' },
          },
        },
      },
    },
    async (request, reply) => {
      const result = await recordCounterDeposit({
        db,
        actor: requireActor(request),
        accountId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/accounts/:id/deposit-plan',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['deposits'],
        summary: 'Covered months, consecutive months, annual room and periods',
        params: idParams(),
      },
    },
    async (request) => viewDepositPlan(db, requireActor(request), request.params.id),
  );

  app.post<{ Body: { to?: string } }>(
    '/close-day',
    {
      config: { access: { roles: ['manager', 'admin', 'finance'] } },
      schema: {
        tags: ['close'],
        summary: 'Close the business day (or every day before `to`); resumes a killed run',
        body: { type: 'object', additionalProperties: false, properties: { to: dateSchema } },
      },
    },
    async (request) => {
      const closed = await closeDays({
        db,
        bank: app.deps.bank,
        actor: requireActor(request),
        to: request.body?.to,
      });
      return { closed, businessDate: await getBusinessDate(db) };
    },
  );

  app.get<{ Params: { date: string } }>(
    '/close-day/:date',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['close'],
        summary: 'The recorded steps of a close',
        params: { type: 'object', required: ['date'], properties: { date: dateSchema } },
      },
    },
    async (request) => closeStatus(db, request.params.date),
  );
}
