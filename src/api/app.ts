// The HTTP application: Fastify with coded errors (errors.ts), declared access on every route
// (access.ts), the OpenAPI document and UI (openapi.ts), and the route areas listed in V1_ROUTES.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../auth/sessions.ts';
import type { Db } from '../db/connection.ts';
import type { SmsGateway } from '../integrations/sms.ts';
import type { BankGateway } from '../integrations/bank/gateway.ts';
import { hasWebBuild, WEB_DIST, webRoutes } from './web.ts';
import type { TransferPlatformGateway } from '../integrations/transfer-platform/gateway.ts';
import { createInProcessPeerCenter } from '../services/transfers/platform-delivery.ts';
import { createInProcessBank } from '../services/deposits/handle-bank-notification.ts';
import { installAccessControl } from './access.ts';
import { installErrorHandling } from './errors.ts';
import { openApiRoutes, registerOpenApi } from './openapi.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { referenceRoutes } from './routes/reference.ts';
import { depositorRoutes } from './routes/depositors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { administrationRoutes } from './routes/administration.ts';
import { bankRoutes } from './routes/bank.ts';
import { withdrawalRoutes } from './routes/withdrawals.ts';
import { reconciliationRoutes } from './routes/reconciliation.ts';
import { statementRoutes } from './routes/statements.ts';
import { depositRoutes } from './routes/deposits.ts';
import { calculatorRoutes } from './routes/calculators.ts';
import { transferRoutes } from './routes/transfers.ts';
import { unitRoutes } from './routes/units.ts';
import { loanRoutes } from './routes/loans.ts';
import { conversionRoutes } from './routes/conversions.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { liquidityRoutes } from './routes/liquidity.ts';

/** The current business date ("YYYY-MM-DD"), or null before the calendar is initialised. */
export type BusinessDateProvider = () => Promise<string | null>;

/** What route handlers reach through `app.deps`. */
export interface AppDeps {
  db: Db;
  sms: SmsGateway;
  /** The bank: debits, payment pages; its notifications come back through /bank/notifications. */
  bank: BankGateway;
  /** The national transfer platform (§5.4); peers' messages come back through /transfer-platform/messages. */
  transferPlatform: TransferPlatformGateway;
  /** The wall clock for sessions, codes and audit timestamps; tests pass a movable one. */
  now: () => Date;
  businessDate: BusinessDateProvider;
  sessionPolicy: SessionPolicy;
  databaseKind: 'pglite' | 'postgres';
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** A route area: a file in src/api/routes/ exporting `async function xxxRoutes(app)`. */
export type RouteModule = (app: FastifyInstance) => Promise<void>;

/** The areas mounted under /api/v1, in order. Add a new area here. */
export const V1_ROUTES: readonly RouteModule[] = [
  authRoutes,
  referenceRoutes,
  depositorRoutes,
  accountRoutes,
  administrationRoutes,
  bankRoutes,
  reconciliationRoutes,
  statementRoutes,
  depositRoutes,
  calculatorRoutes,
  transferRoutes,
  unitRoutes,
  conversionRoutes,
  withdrawalRoutes,
  loanRoutes,
  dashboardRoutes,
  liquidityRoutes,
];

export interface BuildAppOptions {
  db: Db;
  sms: SmsGateway;
  /** Default: the in-process simulated bank, notifying this app's handler directly. */
  bank?: BankGateway;
  /** Default: the in-process simulated peer center, delivering to this app's handler directly. */
  transferPlatform?: TransferPlatformGateway;
  /** The built web app to serve (default: web/dist when it has been built; null: API only). */
  webDir?: string | null;
  businessDateProvider?: BusinessDateProvider;
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  sessionPolicy?: SessionPolicy;
  /** Reported by /api/health; detected from the server's version string when absent. */
  databaseKind?: 'pglite' | 'postgres';
  /** Behind a reverse proxy, so request.ip (used by the login rate limit) is the client's address. */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** More areas under /api/v1 after V1_ROUTES (tests; plug-ins). */
  extraV1Routes?: readonly RouteModule[];
}

export function businessDateFromCalendar(db: Db): BusinessDateProvider {
  return async () => {
    const row = await db
      .selectFrom('business_calendar')
      .select('business_date')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.business_date ?? null;
  };
}

async function detectDatabaseKind(db: Db): Promise<'pglite' | 'postgres'> {
  const result = await sql<{ v: string }>`SELECT version() AS v`.execute(db);
  return result.rows[0]?.v.includes('PGlite') ? 'pglite' : 'postgres';
}

/** Builds a ready application (every route registered and checked); call `listen` or `inject` on it. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false });
  try {
    const deps: AppDeps = {
      db: options.db,
      sms: options.sms,
      bank: options.bank ?? createInProcessBank({ db: options.db }),
      transferPlatform: options.transferPlatform ?? createInProcessPeerCenter({ db: options.db }),
      now: options.now ?? (() => new Date()),
      businessDate: options.businessDateProvider ?? businessDateFromCalendar(options.db),
      sessionPolicy: options.sessionPolicy ?? DEFAULT_SESSION_POLICY,
      databaseKind: options.databaseKind ?? (await detectDatabaseKind(options.db)),
    };
    app.decorate('deps', deps);
    const webDir = options.webDir === undefined ? (hasWebBuild() ? WEB_DIST : null) : options.webDir;
    installErrorHandling(app, { spaFallback: webDir !== null });
    if (webDir !== null) await webRoutes(app, { dir: webDir });
    installAccessControl(app, { db: deps.db, now: deps.now, sessionPolicy: deps.sessionPolicy });
    await registerOpenApi(app);
    await app.register(openApiRoutes);
    await app.register(healthRoutes);
    const areas = [...V1_ROUTES, ...(options.extraV1Routes ?? [])];
    await app.register(
      async (v1) => {
        for (const area of areas) await v1.register(area);
      },
      { prefix: '/api/v1' },
    );
    await app.ready();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
