// Who may call what: every /api/v1 route declares `config.access`; a request hook turns the Bearer
// token into `request.actor` and refuses (401/403) before the handler runs. Routes then narrow further
// with assertDepositorSelf / assertDistrictScope / scopedDistrict.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { resolveSession, type SessionPolicy } from '../auth/sessions.ts';
import type { DbOrTx } from '../db/connection.ts';
import { AppError } from '../domain/errors.ts';
import { districtScopeOf, STAFF_ROLES, type Actor, type StaffRole } from '../domain/roles.ts';

/**
 * A route's callers. `{ public: true }` stands alone; otherwise the caller must be logged in and match
 * at least one of: `authenticated` (anyone logged in), `depositor` (any depositor; the handler checks
 * whose data), `staff` (any staff role), `roles` (staff holding one of these roles).
 */
export interface RouteAccess {
  public?: true;
  authenticated?: true;
  depositor?: true;
  staff?: true;
  roles?: readonly StaffRole[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The logged-in caller, or null (public routes, or no/invalid token). */
    actor: Actor | null;
    /** The Bearer token presented, if any (logout revokes it). */
    sessionToken: string | null;
  }
}

/** The prefix under which every route must declare its access. */
export const PROTECTED_PREFIX = '/api/v1';

const ACCESS_KEYS = new Set(['public', 'authenticated', 'depositor', 'staff', 'roles']);

/** Why an access declaration is unusable, or null when it is fine. */
export function accessProblem(access: unknown): string | null {
  if (typeof access !== 'object' || access === null) return 'config.access is missing';
  const a = access as Record<string, unknown>;
  const keys = Object.keys(a);
  const unknownKeys = keys.filter((k) => !ACCESS_KEYS.has(k));
  if (unknownKeys.length > 0) return `config.access has unknown keys: ${unknownKeys.join(', ')}`;
  for (const flag of ['public', 'authenticated', 'depositor', 'staff']) {
    if (flag in a && a[flag] !== true) return `config.access.${flag} must be true when present`;
  }
  if ('roles' in a) {
    const roles = a.roles;
    if (!Array.isArray(roles) || roles.length === 0) return 'config.access.roles must be a non-empty list';
    const bad = roles.filter((r) => !(STAFF_ROLES as readonly unknown[]).includes(r));
    if (bad.length > 0) return `config.access.roles has unknown roles: ${bad.join(', ')}`;
  }
  if (keys.length === 0) return 'config.access grants nobody';
  if (a.public === true && keys.length > 1) return 'config.access.public cannot be combined with other keys';
  return null;
}

export function isAllowed(access: RouteAccess, actor: Actor | null): boolean {
  if (access.public) return true;
  if (!actor) return false;
  if (access.authenticated) return true;
  if (access.depositor && actor.type === 'depositor') return true;
  if (access.staff && actor.type === 'staff') return true;
  if (access.roles && actor.type === 'staff') return actor.roles.some((r) => access.roles!.includes(r));
  return false;
}

/** A short text for the OpenAPI description: "Access: staff roles teller, manager; depositors". */
export function describeAccess(access: RouteAccess): string {
  if (access.public) return 'Access: public';
  const parts: string[] = [];
  if (access.authenticated) parts.push('any logged-in user');
  if (access.depositor) parts.push('depositors');
  if (access.staff) parts.push('any staff');
  if (access.roles) parts.push(`staff roles ${access.roles.join(', ')}`);
  return `Access: ${parts.join('; ')}`;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The caller of a protected route (the hook guarantees one; this narrows the type). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

/**
 * A depositor may only touch their own data. Staff pass: their reach is the route's roles plus
 * assertDistrictScope. Call it wherever a route takes a depositor id and admits depositors.
 */
export function assertDepositorSelf(actor: Actor, depositorId: bigint | string | number): void {
  if (actor.type === 'depositor' && String(actor.depositorId) !== String(depositorId)) {
    throw new AppError('FORBIDDEN');
  }
}

/**
 * The district a staff member's queries must be limited to, or null for the whole city. A user whose
 * only role is district_viewer sees their own district (rules.md §13); roles add up, so any other role
 * grants the city. Depositors have no district view.
 */
export function scopedDistrict(actor: Actor): string | null {
  if (actor.type === 'depositor') throw new AppError('FORBIDDEN');
  return districtScopeOf(actor);
}

/** Refuses a record of another district for a district-scoped viewer. */
export function assertDistrictScope(actor: Actor, districtCode: string): void {
  const scope = scopedDistrict(actor);
  if (scope !== null && scope !== districtCode) throw new AppError('FORBIDDEN');
}

/** The actor as JSON (ids as strings). */
export interface ActorJson {
  type: 'staff' | 'depositor' | 'system';
  id: string;
  username?: string;
  roles?: StaffRole[];
  districtCode?: string | null;
  depositorId?: string;
}

export function actorJson(actor: Actor): ActorJson {
  switch (actor.type) {
    case 'staff':
      return {
        type: 'staff',
        id: String(actor.id),
        username: actor.username,
        roles: actor.roles,
        districtCode: actor.districtCode,
      };
    case 'depositor':
      return { type: 'depositor', id: String(actor.id), depositorId: String(actor.depositorId) };
    case 'system':
      return { type: 'system', id: actor.id };
  }
}

export const actorJsonSchema = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['staff', 'depositor', 'system'] },
    id: { type: 'string' },
    username: { type: 'string' },
    roles: { type: 'array', items: { type: 'string', enum: [...STAFF_ROLES] } },
    districtCode: { type: ['string', 'null'] },
    depositorId: { type: 'string' },
  },
} as const;

export interface AccessControlOptions {
  db: DbOrTx;
  now: () => Date;
  sessionPolicy: SessionPolicy;
}

/**
 * Installs the two hooks: at startup, every /api/v1 route must declare a valid `config.access` (and
 * gets the bearer security requirement in the OpenAPI document); on each request, the token is
 * resolved and the declaration enforced. Register before any route.
 */
export function installAccessControl(app: FastifyInstance, options: AccessControlOptions): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    const url = route.url ?? '';
    const underProtectedPrefix = url === PROTECTED_PREFIX || url.startsWith(`${PROTECTED_PREFIX}/`);
    if (!underProtectedPrefix && access === undefined) return;
    const problem = accessProblem(access);
    if (problem) throw new Error(`${route.method} ${url}: ${problem} (declare who may call every route)`);
    const schema = route.schema ?? {};
    const description = [schema.description, describeAccess(access!)].filter(Boolean).join('\n\n');
    route.schema = {
      ...schema,
      description,
      ...(access!.public ? {} : { security: [{ bearerAuth: [] }] }),
    };
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    // Routes that declare nothing are outside /api/v1 (documentation assets, 404s): nothing to resolve.
    if (!access) return;
    const token = bearerToken(request);
    request.sessionToken = token;
    request.actor = token
      ? await resolveSession(options.db, token, options.now(), options.sessionPolicy)
      : null;
    if (access.public) return;
    if (!request.actor) throw new AppError('UNAUTHENTICATED');
    if (!isAllowed(access, request.actor)) throw new AppError('FORBIDDEN');
  });
}
