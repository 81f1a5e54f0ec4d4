// The built web app (web/dist: public page, depositor portal, staff console) on the API's own port.
// Files are served as they are; any other GET outside /api answers index.html so the browser's router
// takes over. Without a build (tests that only need the API) nothing is registered.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function hasWebBuild(dir: string = WEB_DIST): boolean {
  return existsSync(`${dir}index.html`);
}

export async function webRoutes(app: FastifyInstance, options: { dir: string }): Promise<void> {
  await app.register(fastifyStatic, { root: options.dir, wildcard: false, index: ['index.html'] });
  // Hashed assets never change; the page itself must always be fresh.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/assets/'))
      reply.header('cache-control', 'public, max-age=31536000, immutable');
  });
}
