// Depositors: counter and self-service registration, the live eligibility check, search and profile.
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../access.ts';
import { viewCreditGrade } from '../../services/depositors/view-credit-grade.ts';
import { districtCodeSchema, idNumberSchema, idParams, errorResponses } from '../schemas.ts';
import { registerDepositor } from '../../services/depositors/register-depositor.ts';
import { previewEligibility } from '../../services/depositors/preview-eligibility.ts';
import { getDepositor, searchDepositors } from '../../services/depositors/view-depositor.ts';

const personProperties = {
  idType: { type: 'string', enum: ['resident', 'hk_macao_taiwan_permit', 'foreign_permanent'] },
  idNumber: idNumberSchema,
  gender: { type: 'string', enum: ['male', 'female'] },
  birthDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  retirementGroup: { type: 'string', enum: ['male', 'female55', 'female50'] },
  employmentForm: {
    type: 'string',
    enum: ['individual_business', 'part_time', 'new_forms', 'self_employed'],
  },
  civilCapacityDeclared: { type: 'boolean' },
  noUnitAccountElsewhereDeclared: { type: 'boolean' },
} as const;

const registrationBody = {
  type: 'object',
  required: [
    'idNumber',
    'name',
    'phone',
    'districtCode',
    'employmentForm',
    'civilCapacityDeclared',
    'noUnitAccountElsewhereDeclared',
  ],
  additionalProperties: false,
  properties: {
    ...personProperties,
    idNumber: { type: 'string', minLength: 1, maxLength: 30 },
    name: { type: 'string', minLength: 1, maxLength: 50 },
    phone: { type: 'string', pattern: '^1\\d{10}$' },
    districtCode: districtCodeSchema,
    address: { type: 'string', maxLength: 200 },
    occupation: { type: 'string', maxLength: 50 },
    password: { type: 'string', minLength: 8, maxLength: 128 },
  },
} as const;

type RegistrationBody = {
  idType?: 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent';
  idNumber: string;
  name: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  retirementGroup?: 'male' | 'female55' | 'female50';
  phone: string;
  districtCode: string;
  address?: string;
  employmentForm: string;
  occupation?: string;
  civilCapacityDeclared: boolean;
  noUnitAccountElsewhereDeclared: boolean;
  password?: string;
};

export async function depositorRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.post<{
    Body: Omit<RegistrationBody, 'name' | 'phone' | 'districtCode' | 'address' | 'occupation' | 'password'>;
  }>(
    '/eligibility/preview',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['depositors'],
        summary: 'Live eligibility check (rules.md §1): every failed rule, nothing written',
        body: {
          type: 'object',
          required: ['idNumber', 'employmentForm', 'civilCapacityDeclared', 'noUnitAccountElsewhereDeclared'],
          additionalProperties: false,
          properties: { ...personProperties, idNumber: { type: 'string', minLength: 1, maxLength: 30 } },
        },
      },
    },
    async (request) => previewEligibility({ db, ...request.body }),
  );

  app.post<{ Body: RegistrationBody }>(
    '/depositors',
    {
      config: { access: { roles: ['teller', 'manager', 'admin'] } },
      schema: {
        tags: ['depositors'],
        summary: 'Register a depositor at the counter',
        body: registrationBody,
        response: errorResponses(400, 409, 422),
      },
    },
    async (request, reply) => {
      const result = await registerDepositor({
        db,
        actor: requireActor(request),
        channel: 'counter',
        ...request.body,
      });
      return reply.code(201).send(result);
    },
  );

  app.post<{ Body: RegistrationBody & { password: string } }>(
    '/portal/register',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['portal'],
        summary: 'Self-service registration with a portal password',
        body: { ...registrationBody, required: [...registrationBody.required, 'password'] },
      },
    },
    async (request, reply) => {
      const result = await registerDepositor({
        db,
        actor: { type: 'system', id: 'portal' },
        channel: 'self_service',
        ...request.body,
      });
      return reply.code(201).send(result);
    },
  );

  app.get<{
    Querystring: {
      query?: string;
      districtCode?: string;
      employmentForm?: string;
      limit?: number;
      offset?: number;
    };
  }>(
    '/depositors',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['depositors'],
        summary: 'Search depositors by name, ID number or account number',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            query: { type: 'string', maxLength: 50 },
            districtCode: districtCodeSchema,
            employmentForm: personProperties.employmentForm,
            limit: { type: 'integer', minimum: 1, maximum: 200 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (request) => searchDepositors({ db, actor: requireActor(request), ...request.query }),
  );

  app.get<{ Params: { id: string } }>(
    '/depositors/:id',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['depositors'],
        summary: 'A depositor with accounts and agreements',
        params: idParams(),
      },
    },
    async (request) => getDepositor(db, requireActor(request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/depositors/:id/credit-grade',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['depositors'],
        summary: "A depositor's credit grade (信用等级) with its reasons, as of the business date",
        description:
          'A / B / C from deposit regularity (up to 40 points), tenure (up to 30) and the loan repayment record ' +
          '(up to 30): A from 80, B from 50; D whatever the score when on the defaulter list or with fraud on record. ' +
          "The grade sets the loan quota's credit coefficient (A 1.1, B 1.0, C 0.9; D not eligible). A depositor " +
          'sees their own (another is 404); a district viewer those of their district.',
        params: idParams(),
        response: {
          200: {
            type: 'object',
            required: ['depositorId', 'asOf', 'grade', 'score', 'reasons', 'loanCoefficient'],
            properties: {
              depositorId: { type: 'string' },
              asOf: { type: 'string', description: 'The business date it was computed on' },
              grade: { type: 'string', enum: ['A', 'B', 'C', 'D'] },
              score: { type: 'integer', minimum: 0, maximum: 100 },
              loanCoefficient: {
                type: ['string', 'null'],
                description: 'null for D: not eligible for a loan',
              },
              reasons: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'points', 'zh', 'en'],
                  properties: {
                    code: { type: 'string' },
                    points: { type: 'integer' },
                    zh: { type: 'string' },
                    en: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => viewCreditGrade(db, requireActor(request), request.params.id),
  );

  app.get(
    '/me',
    {
      config: { access: { depositor: true } },
      schema: { tags: ['portal'], summary: "The logged-in depositor's own profile, accounts and agreements" },
    },
    async (request) => {
      const actor = requireActor(request);
      return getDepositor(db, actor, actor.type === 'depositor' ? actor.depositorId : 0n);
    },
  );
}
