// The unit side (rules.md §5.3): unit files (employer + employees), the list of units, a unit with its
// accounts, a person's unit accounts, seal / unseal of a unit account with its reason, and a unit's
// monthly remittance.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { requireActor } from '../access.ts';
import { errorResponses, idParams, idSchema, monthSchema } from '../schemas.ts';
import { importUnits } from '../../services/units/import-units.ts';
import { viewUnit } from '../../services/units/view-unit.ts';
import { sealUnitAccount } from '../../services/units/seal-unit-account.ts';
import { recordUnitRemittance } from '../../services/units/record-unit-remittance.ts';
import { listUnits } from '../../services/units/list-units.ts';
import { listDepositorUnitAccounts } from '../../services/units/list-depositor-unit-accounts.ts';

export async function unitRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const counter = { roles: ['teller', 'manager', 'admin'] } as const;

  app.post<{ Body: { fileName: string; contentBase64: string } }>(
    '/units/imports',
    {
      config: { access: counter },
      bodyLimit: 30 * 1024 * 1024,
      schema: {
        tags: ['units'],
        summary:
          'Import a unit file (employer + employees; CSV or .xlsx, base64): unit accounts opened, a report of created / existing / unmatched / malformed rows; the same file twice changes nothing',
        body: {
          type: 'object',
          required: ['fileName', 'contentBase64'],
          additionalProperties: false,
          properties: {
            fileName: { type: 'string', pattern: '\\.(csv|xlsx|CSV|XLSX)$', maxLength: 200 },
            contentBase64: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    async (request) => {
      const content = Buffer.from(request.body.contentBase64, 'base64');
      if (content.length === 0) throw new AppError('IMPORT_FILE_INVALID', { field: 'contentBase64' });
      return importUnits({ db, actor: requireActor(request), fileName: request.body.fileName, content });
    },
  );

  app.get<{ Querystring: { query?: string; limit?: number; offset?: number } }>(
    '/units',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['units'],
        summary:
          'Units (employers), newest first: search by name (any part) or code (from its start), paged; ' +
          'each with its unit accounts by state and the last month remitted (a district viewer: their district)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            query: { type: 'string', maxLength: 50 },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'hasMore', 'total'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['employerId', 'code', 'name'],
                  properties: {
                    employerId: idSchema,
                    code: { type: 'string' },
                    name: { type: 'string' },
                    districtCode: { type: ['string', 'null'] },
                    normalAccounts: { type: 'integer' },
                    sealedAccounts: { type: 'integer' },
                    totalAccounts: { type: 'integer' },
                    lastRemittanceMonth: { type: ['string', 'null'] },
                  },
                },
              },
              hasMore: { type: 'boolean' },
              total: { type: 'integer' },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listUnits({ db, actor: requireActor(request), ...request.query }),
  );

  app.get<{ Params: { id: string } }>(
    '/depositors/:id/unit-accounts',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['units'],
        summary:
          "A person's unit accounts with their unit (what a flexible account may be converted into); a district viewer: their district",
        params: idParams(),
      },
    },
    async (request) => listDepositorUnitAccounts(db, requireActor(request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/units/:id',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['units'],
        summary: 'A unit (employer) with its unit accounts and remittances',
        params: idParams(),
      },
    },
    async (request) => viewUnit(db, requireActor(request), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { action: 'seal' | 'unseal'; reason: string } }>(
    '/unit-accounts/:id/state',
    {
      config: { access: counter },
      schema: {
        tags: ['units'],
        summary: 'Seal (封存, left the job) or unseal (启封) a unit account, with the reason',
        params: idParams(),
        body: {
          type: 'object',
          required: ['action', 'reason'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['seal', 'unseal'] },
            reason: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    async (request) =>
      sealUnitAccount({ db, actor: requireActor(request), accountId: request.params.id, ...request.body }),
  );

  app.post<{
    Params: { id: string };
    Body: { month: string; idempotencyKey: string; lines?: Array<{ accountId: string; amount: string }> };
  }>(
    '/units/:id/remittances',
    {
      config: { access: counter },
      schema: {
        tags: ['units'],
        summary:
          "A unit's monthly remittance credited to its employees' unit accounts (Dr 101 / Cr 201, MANDATORY); idempotent by idempotencyKey",
        params: idParams(),
        body: {
          type: 'object',
          required: ['month', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            month: monthSchema,
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
            lines: {
              type: 'array',
              minItems: 1,
              maxItems: 10000,
              items: {
                type: 'object',
                required: ['accountId', 'amount'],
                additionalProperties: false,
                properties: {
                  accountId: { type: 'string', pattern: '^[1-9]\\d{0,18}$' },
                  amount: { type: 'string', maxLength: 20 },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const result = await recordUnitRemittance({
        db,
        actor: requireActor(request),
        employerId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );
}
