// Auth routes under /api/v1: staff login, depositor two-step login (password, then SMS code), logout,
// who am I, and creating staff users (admin).
import type { FastifyInstance } from 'fastify';
import { displayNameOf } from '../../auth/sessions.ts';
import { STAFF_ROLES } from '../../domain/roles.ts';
import { createStaffUser } from '../../services/auth/create-staff-user.ts';
import { loginStaff, type LoginResult } from '../../services/auth/login-staff.ts';
import { logout } from '../../services/auth/logout.ts';
import { startDepositorLogin } from '../../services/auth/start-depositor-login.ts';
import { verifyDepositorOtp } from '../../services/auth/verify-depositor-otp.ts';
import { actorJson, actorJsonSchema, requireActor } from '../access.ts';
import { districtCodeSchema, errorResponses, idNumberSchema, idSchema, timestampSchema } from '../schemas.ts';

const TAGS = ['auth'];

const sessionResponse = {
  type: 'object',
  required: ['token', 'expiresAt', 'actor', 'displayName'],
  properties: {
    token: { type: 'string', description: 'Send as `Authorization: Bearer <token>`' },
    expiresAt: { ...timestampSchema, description: 'Idle expiry; each request pushes it out' },
    actor: actorJsonSchema,
    displayName: { type: 'string' },
  },
} as const;

function sessionJson(result: LoginResult) {
  return {
    token: result.token,
    expiresAt: result.expiresAt.toISOString(),
    actor: actorJson(result.actor),
    displayName: result.displayName,
  };
}

const passwordSchema = { type: 'string', minLength: 1, maxLength: 128 } as const;

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { db, sms, now, businessDate, sessionPolicy } = app.deps;

  app.post<{ Body: { username: string; password: string } }>(
    '/auth/staff/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: TAGS,
        summary: 'Staff login with user name and password',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: passwordSchema },
        },
        response: { 200: sessionResponse, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const result = await loginStaff({
        db,
        username: request.body.username,
        password: request.body.password,
        now: now(),
        clientIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        businessDate: await businessDate(),
        sessionPolicy,
      });
      return sessionJson(result);
    },
  );

  app.post<{ Body: { idNumber: string; password: string } }>(
    '/auth/depositor/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: TAGS,
        summary: 'Depositor login, step 1: ID number and password; a code is sent by SMS',
        body: {
          type: 'object',
          required: ['idNumber', 'password'],
          additionalProperties: false,
          properties: { idNumber: idNumberSchema, password: passwordSchema },
        },
        response: {
          200: {
            type: 'object',
            required: ['challengeId', 'maskedPhone', 'expiresAt'],
            properties: {
              challengeId: { type: 'string', format: 'uuid' },
              maskedPhone: { type: 'string', examples: ['138****5678'] },
              expiresAt: timestampSchema,
              simulatedCode: {
                type: 'string',
                description: 'Only with the simulated SMS gateway (demo): the code that was sent',
              },
            },
          },
          ...errorResponses(400, 401, 429, 500),
        },
      },
    },
    async (request) => {
      const challenge = await startDepositorLogin({
        db,
        sms,
        idNumber: request.body.idNumber,
        password: request.body.password,
        now: now(),
        clientIp: request.ip,
      });
      return { ...challenge, expiresAt: challenge.expiresAt.toISOString() };
    },
  );

  app.post<{ Body: { challengeId: string; code: string } }>(
    '/auth/depositor/verify',
    {
      config: { access: { public: true } },
      schema: {
        tags: TAGS,
        summary: 'Depositor login, step 2: the SMS code',
        body: {
          type: 'object',
          required: ['challengeId', 'code'],
          additionalProperties: false,
          properties: {
            challengeId: { type: 'string', format: 'uuid' },
            code: { type: 'string', pattern: '^\\d{6}$' },
          },
        },
        response: { 200: sessionResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const result = await verifyDepositorOtp({
        db,
        challengeId: request.body.challengeId,
        code: request.body.code,
        now: now(),
        clientIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        businessDate: await businessDate(),
        sessionPolicy,
      });
      return sessionJson(result);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: TAGS,
        summary: 'Ends the current session',
        response: { 204: { type: 'null', description: 'Logged out' }, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      if (request.sessionToken) await logout({ db, token: request.sessionToken, now: now() });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: TAGS,
        summary: 'The logged-in user',
        response: {
          200: {
            type: 'object',
            required: ['actor', 'displayName'],
            properties: { actor: actorJsonSchema, displayName: { type: 'string' } },
          },
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return { actor: actorJson(actor), displayName: await displayNameOf(db, actor) };
    },
  );

  app.post<{
    Body: {
      username: string;
      displayName: string;
      password: string;
      roles: string[];
      districtCode?: string | null;
    };
  }>(
    '/staff-users',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['staff'],
        summary: 'Creates a staff user',
        body: {
          type: 'object',
          required: ['username', 'displayName', 'password', 'roles'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 3, maxLength: 32 },
            displayName: { type: 'string', minLength: 1, maxLength: 100 },
            password: passwordSchema,
            roles: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: [...STAFF_ROLES] },
            },
            districtCode: { anyOf: [districtCodeSchema, { type: 'null' }] },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['id', 'username', 'displayName', 'roles', 'districtCode', 'active'],
            properties: {
              id: idSchema,
              username: { type: 'string' },
              displayName: { type: 'string' },
              roles: { type: 'array', items: { type: 'string' } },
              districtCode: { type: ['string', 'null'] },
              active: { type: 'boolean' },
            },
          },
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const user = await createStaffUser({
        db,
        actor: requireActor(request),
        ...request.body,
        now: now(),
        businessDate: await businessDate(),
      });
      return reply.status(201).send({ ...user, id: String(user.id) });
    },
  );
}
