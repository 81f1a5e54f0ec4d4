// The console dashboard aggregate: one read for the home screen (district-scoped for a district viewer).
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../access.ts';
import { dashboardSummary } from '../../services/reporting/dashboard-summary.ts';

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get<{ Querystring: { months?: number } }>(
    '/dashboard',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['dashboard'],
        summary:
          'Depositors, balances, deposits and withdrawals this month, loans, by district and by form of employment, with monthly trends',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { months: { type: 'integer', minimum: 1, maximum: 36 } },
        },
      },
    },
    async (request) => dashboardSummary({ db, actor: requireActor(request), months: request.query.months }),
  );
}
