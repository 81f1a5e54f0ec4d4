// The OpenAPI document, generated from the route schemas (@fastify/swagger), served as
// /api/openapi.json, and the browsable Swagger UI at /api/docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

/** Registers the generator; must come before the routes so it sees each one. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Anju 安居 API',
        description:
          'Housing Provident Fund for flexible-employment workers. Money is a string of yuan with two ' +
          'decimals; errors are `{ code, message_zh, message_en, field?, details? }`. Log in through ' +
          '/api/v1/auth/… and send the token as `Authorization: Bearer <token>`.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from a login' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    uiConfig: { docExpansion: 'list', deepLinking: true, persistAuthorization: false },
  });
}

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get(OPENAPI_JSON_PATH, { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
