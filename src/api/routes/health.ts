// GET /api/health: the process is up, which database it runs on, and the current business date.
import type { FastifyInstance } from 'fastify';
import { dateSchema } from '../schemas.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['system'],
        summary: 'Liveness and the business date',
        response: {
          200: {
            type: 'object',
            required: ['status', 'database', 'businessDate'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              database: { type: 'string', enum: ['pglite', 'postgres'] },
              businessDate: { anyOf: [dateSchema, { type: 'null' }] },
            },
          },
        },
      },
    },
    async () => {
      // Reading the business date also proves the database answers.
      const businessDate = await app.deps.businessDate();
      return { status: 'ok', database: app.deps.databaseKind, businessDate };
    },
  );
}
