// Agreements and accounts: prepare, sign and amend the agreement; open the flexible account; account
// states; employers and unit accounts (the minimal mandatory side).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { hasRole } from '../../domain/roles.ts';
import { assertDepositorSelf, requireActor } from '../access.ts';
import { districtCodeSchema, idParams, yuanSchema } from '../schemas.ts';
import { prepareAgreement } from '../../services/agreements/prepare-agreement.ts';
import { signAgreement } from '../../services/agreements/sign-agreement.ts';
import { amendAgreement } from '../../services/agreements/amend-agreement.ts';
import { getAgreement } from '../../services/agreements/get-agreement.ts';
import { openAccount } from '../../services/accounts/open-account.ts';
import { changeAccountState } from '../../services/accounts/change-account-state.ts';
import { openUnitAccount } from '../../services/accounts/open-unit-account.ts';
import { registerEmployer } from '../../services/employers/register-employer.ts';

const planProperties = {
  depositMode: { type: 'string', enum: ['monthly', 'quarterly', 'annual', 'flexible'] },
  monthlyAmount: {
    anyOf: [yuanSchema, { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' }, { type: 'null' }],
  },
  debitDay: { anyOf: [{ type: 'integer', minimum: 1, maximum: 28 }, { type: 'null' }] },
} as const;

type Plan = { depositMode: string; monthlyAmount?: string | null; debitDay?: number | null };

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const counter = { roles: ['teller', 'manager', 'admin'] } as const;

  app.post<{
    Params: { id: string };
    Body: Plan & { bankName: string; bankCard: string; consentDataCheck: boolean };
  }>(
    '/depositors/:id/agreement',
    {
      config: { access: { ...counter, depositor: true } },
      schema: {
        tags: ['agreements'],
        summary: 'Prepare the agreement text to sign (rules.md §2); replaces an unsigned draft',
        params: idParams(),
        body: {
          type: 'object',
          required: ['depositMode', 'bankName', 'bankCard', 'consentDataCheck'],
          additionalProperties: false,
          properties: {
            ...planProperties,
            bankName: { type: 'string', minLength: 1, maxLength: 100 },
            bankCard: { type: 'string', minLength: 12, maxLength: 30 },
            consentDataCheck: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      assertDepositorSelf(actor, request.params.id);
      return reply
        .code(201)
        .send(await prepareAgreement({ db, actor, depositorId: request.params.id, ...request.body }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/agreements/:id',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['agreements'],
        summary: 'An agreement with the exact text and its SHA-256',
        params: idParams(),
      },
    },
    async (request) => getAgreement(db, requireActor(request), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { textSha256: string; signerName: string } }>(
    '/agreements/:id/sign',
    {
      config: { access: { ...counter, depositor: true } },
      schema: {
        tags: ['agreements'],
        summary: 'Sign the agreement: the hash of the text shown must match',
        params: idParams(),
        body: {
          type: 'object',
          required: ['textSha256', 'signerName'],
          additionalProperties: false,
          properties: {
            textSha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
            signerName: { type: 'string', minLength: 1, maxLength: 50 },
          },
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return signAgreement({
        db,
        actor,
        agreementId: request.params.id,
        ...request.body,
        clientIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        channel: actor.type === 'depositor' ? 'self_service' : 'counter',
        at: app.deps.now(),
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Plan }>(
    '/agreements/:id/amendments',
    {
      config: { access: { ...counter, depositor: true } },
      schema: {
        tags: ['agreements'],
        summary: 'Change the deposit mode or amount (once per HPF year)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['depositMode'],
          additionalProperties: false,
          properties: planProperties,
        },
      },
    },
    async (request) =>
      amendAgreement({ db, actor: requireActor(request), agreementId: request.params.id, ...request.body }),
  );

  app.post<{ Params: { id: string } }>(
    '/depositors/:id/accounts',
    {
      config: { access: { ...counter, depositor: true } },
      schema: {
        tags: ['accounts'],
        summary: 'Open the flexible account once the agreement is signed',
        params: idParams(),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      assertDepositorSelf(actor, request.params.id);
      return reply.code(201).send(await openAccount({ db, actor, depositorId: request.params.id }));
    },
  );

  app.post<{
    Params: { id: string };
    Body: { action: 'seal' | 'unseal' | 'freeze' | 'unfreeze'; reason?: string; documentNo?: string };
  }>(
    '/accounts/:id/state',
    {
      config: { access: { roles: ['teller', 'manager', 'admin'] } },
      schema: {
        tags: ['accounts'],
        summary: 'Seal/unseal (teller, manager) or freeze/unfreeze with a document (manager)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['seal', 'unseal', 'freeze', 'unfreeze'] },
            reason: { type: 'string', maxLength: 200 },
            documentNo: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const judicial = request.body.action === 'freeze' || request.body.action === 'unfreeze';
      if (judicial && !hasRole(actor, 'manager', 'admin'))
        throw new AppError('FORBIDDEN', { field: 'action' });
      return changeAccountState({ db, actor, accountId: request.params.id, ...request.body });
    },
  );

  app.post<{ Body: { code: string; name: string; districtCode: string } }>(
    '/employers',
    {
      config: { access: { roles: ['manager', 'admin'] } },
      schema: {
        tags: ['employers'],
        summary: 'Register an employer (unit) of the mandatory pool',
        body: {
          type: 'object',
          required: ['code', 'name', 'districtCode'],
          additionalProperties: false,
          properties: {
            code: { type: 'string' },
            name: { type: 'string' },
            districtCode: districtCodeSchema,
          },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerEmployer({ db, actor: requireActor(request), ...request.body })),
  );

  app.post<{ Params: { id: string }; Body: { employerId: string } }>(
    '/depositors/:id/unit-accounts',
    {
      config: { access: { roles: ['manager', 'admin'] } },
      schema: {
        tags: ['employers'],
        summary: 'Open a unit account in the mandatory pool',
        params: idParams(),
        body: {
          type: 'object',
          required: ['employerId'],
          additionalProperties: false,
          properties: { employerId: { type: 'string' } },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await openUnitAccount({
          db,
          actor: requireActor(request),
          depositorId: request.params.id,
          ...request.body,
        }),
      ),
  );
}
