// Identity conversion (身份转换, rules.md §5.3): what a conversion would do (a read-only preview with the
// reasons it would be refused), flexible → unit and sealed unit → flexible, each one transaction with its
// entries in both books; and a conversion as recorded. Staff at the counter.
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../access.ts';
import { idParams, idSchema } from '../schemas.ts';
import { convertToUnit } from '../../services/conversions/convert-to-unit.ts';
import { convertToFlexible } from '../../services/conversions/convert-to-flexible.ts';
import { viewConversion } from '../../services/conversions/view-conversion.ts';
import { previewConversion } from '../../services/conversions/preview-conversion.ts';

const idempotencyKeySchema = { type: 'string', minLength: 8, maxLength: 100 } as const;

export async function conversionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const counter = { roles: ['teller', 'manager', 'admin'] } as const;
  const readers = { roles: ['teller', 'reviewer', 'manager', 'admin'] } as const;
  const previewSummary =
    'Read-only: nothing is written. blockers lists every coded reason the conversion would be refused today ' +
    '(empty when it can go ahead); the amounts are those of today (interest to the business date).';

  app.get<{ Params: { id: string }; Querystring: { unitAccountId: string } }>(
    '/accounts/:id/conversion-to-unit/preview',
    {
      config: { access: readers },
      schema: {
        tags: ['conversions'],
        summary:
          'What converting this flexible account into the unit account would move today: balance, interest to date, months carried, agreement and periods ended, subsidy forfeited',
        description: previewSummary,
        params: idParams(),
        querystring: {
          type: 'object',
          required: ['unitAccountId'],
          additionalProperties: false,
          properties: { unitAccountId: idSchema },
        },
      },
    },
    async (request) =>
      previewConversion({
        db,
        actor: requireActor(request),
        direction: 'to_unit',
        fromAccountId: request.params.id,
        unitAccountId: request.query.unitAccountId,
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/unit-accounts/:id/conversion-to-flexible/preview',
    {
      config: { access: readers },
      schema: {
        tags: ['conversions'],
        summary:
          'What converting this sealed unit account into a flexible account would move today, and under which signed agreement',
        description: previewSummary,
        params: idParams(),
      },
    },
    async (request) =>
      previewConversion({
        db,
        actor: requireActor(request),
        direction: 'to_flexible',
        fromAccountId: request.params.id,
      }),
  );

  app.post<{ Params: { id: string }; Body: { unitAccountId: string; idempotencyKey: string } }>(
    '/accounts/:id/conversion-to-unit',
    {
      config: { access: counter },
      schema: {
        tags: ['conversions'],
        summary:
          "Convert a flexible account into the person's unit account: balance, interest to date and covered months move; the plan ends; the subsidy is forfeited",
        params: idParams(),
        body: {
          type: 'object',
          required: ['unitAccountId', 'idempotencyKey'],
          additionalProperties: false,
          properties: { unitAccountId: idSchema, idempotencyKey: idempotencyKeySchema },
        },
      },
    },
    async (request, reply) => {
      const result = await convertToUnit({
        db,
        actor: requireActor(request),
        flexibleAccountId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.post<{ Params: { id: string }; Body: { idempotencyKey: string } }>(
    '/unit-accounts/:id/conversion-to-flexible',
    {
      config: { access: counter },
      schema: {
        tags: ['conversions'],
        summary:
          'Convert a sealed unit account into a new flexible account under the signed agreement: balance, interest to date and covered months move',
        params: idParams(),
        body: {
          type: 'object',
          required: ['idempotencyKey'],
          additionalProperties: false,
          properties: { idempotencyKey: idempotencyKeySchema },
        },
      },
    },
    async (request, reply) => {
      const result = await convertToFlexible({
        db,
        actor: requireActor(request),
        unitAccountId: request.params.id,
        idempotencyKey: request.body.idempotencyKey,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/conversions/:id',
    {
      config: { access: readers },
      schema: { tags: ['conversions'], summary: 'A conversion as recorded', params: idParams() },
    },
    async (request) => viewConversion(db, request.params.id),
  );
}
