// Center administration: dated parameters with maker-checker, the business date, the social-insurance
// import, the audit trail and the books check.
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../access.ts';
import { dateSchema, idParams } from '../schemas.ts';
import { listParametersInForce, parameterHistory } from '../../services/parameters/list-parameters.ts';
import { proposeParameterChange } from '../../services/parameters/propose-parameter-change.ts';
import { decideParameterChange } from '../../services/parameters/decide-parameter-change.ts';
import { advanceBusinessDate, getBusinessDate } from '../../services/calendar/business-date.ts';
import { importSocialInsurance } from '../../services/imports/import-social-insurance.ts';
import { listAuditRows } from '../../services/audit/list-audit-rows.ts';
import { verifyAuditChain } from '../../audit/audit-trail.ts';
import { verifyBooks } from '../../ledger/verify-books.ts';
import { AppError } from '../../domain/errors.ts';

export async function administrationRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get<{ Querystring: { date?: string } }>(
    '/parameters',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['parameters'],
        summary: 'Every parameter with the value in force on a date (default: the business date)',
        querystring: { type: 'object', additionalProperties: false, properties: { date: dateSchema } },
      },
    },
    async (request) => {
      const date = request.query.date ?? (await getBusinessDate(db));
      return { date, items: await listParametersInForce(db, date) };
    },
  );

  app.get<{ Querystring: { key?: string } }>(
    '/parameters/history',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['parameters'],
        summary: 'Every proposed, approved, rejected and superseded value',
        querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' } } },
      },
    },
    async (request) => ({ items: await parameterHistory(db, request.query.key) }),
  );

  app.post<{
    Body: { key: string; value: string; effectiveFrom: string; effectiveTo?: string | null; reason: string };
  }>(
    '/parameters',
    {
      config: { access: { roles: ['manager', 'finance', 'admin'] } },
      schema: {
        tags: ['parameters'],
        summary: 'Propose a new dated value (maker); another user must approve it',
        body: {
          type: 'object',
          required: ['key', 'value', 'effectiveFrom', 'reason'],
          additionalProperties: false,
          properties: {
            key: { type: 'string' },
            value: { type: 'string', maxLength: 30 },
            effectiveFrom: dateSchema,
            effectiveTo: { anyOf: [dateSchema, { type: 'null' }] },
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await proposeParameterChange({ db, actor: requireActor(request), ...request.body })),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; note?: string } }>(
    '/parameters/:id/decision',
    {
      config: { access: { roles: ['manager', 'admin'] } },
      schema: {
        tags: ['parameters'],
        summary: 'Approve or reject a proposed value (checker: not the proposer)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['decision'],
          additionalProperties: false,
          properties: {
            decision: { type: 'string', enum: ['approve', 'reject'] },
            note: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request) =>
      decideParameterChange({ db, actor: requireActor(request), id: request.params.id, ...request.body }),
  );

  app.get(
    '/calendar',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['calendar'], summary: 'The business date' },
    },
    async () => ({ businessDate: await getBusinessDate(db) }),
  );

  app.post<{ Body: { to: string } }>(
    '/calendar/advance',
    {
      config: { access: { roles: ['manager', 'admin'] } },
      schema: {
        tags: ['calendar'],
        summary: 'Move the business date forward',
        body: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: { to: dateSchema },
        },
      },
    },
    async (request) => advanceBusinessDate(db, request.body.to, requireActor(request)),
  );

  app.post<{ Body: { fileName: string; contentBase64: string } }>(
    '/imports/social-insurance',
    {
      config: { access: { roles: ['teller', 'manager', 'admin'] } },
      bodyLimit: 30 * 1024 * 1024,
      schema: {
        tags: ['imports'],
        summary:
          'Import pension-insurance records (CSV or .xlsx, base64); the same file twice changes nothing',
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
      return importSocialInsurance({
        db,
        actor: requireActor(request),
        fileName: request.body.fileName,
        content,
      });
    },
  );

  app.get<{
    Querystring: {
      subjectType?: string;
      subjectId?: string;
      actor?: string;
      beforeId?: string;
      limit?: number;
    };
  }>(
    '/audit',
    {
      config: { access: { roles: ['manager', 'admin', 'risk'] } },
      schema: {
        tags: ['audit'],
        summary: 'Audit rows, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            subjectType: { type: 'string' },
            subjectId: { type: 'string' },
            actor: { type: 'string' },
            beforeId: { type: 'string', pattern: '^\\d+$' },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (request) => listAuditRows({ db, ...request.query }),
  );

  app.get(
    '/audit/verify',
    {
      config: { access: { roles: ['manager', 'admin', 'risk'] } },
      schema: { tags: ['audit'], summary: 'Check the SHA-256 chain' },
    },
    async () => {
      const chain = await verifyAuditChain(db);
      return {
        ...chain,
        firstBrokenId: chain.firstBrokenId === undefined ? undefined : String(chain.firstBrokenId),
      };
    },
  );

  app.get(
    '/ledger/verify',
    {
      config: { access: { roles: ['finance', 'manager', 'admin'] } },
      schema: {
        tags: ['ledger'],
        summary: 'Prove each book: debits = credits, Σ members = 201, balances = Σ postings',
      },
    },
    async () => verifyBooks(db),
  );
}
