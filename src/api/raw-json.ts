// Partners sign the exact bytes they send (bank notifications, payout results, transfer-platform
// messages), so their endpoints receive JSON as text and verify the signature before parsing it. Call
// inside a registered scope: the parser applies to that scope's routes only.
import type { FastifyInstance } from 'fastify';

export function keepJsonAsText(scope: FastifyInstance, bodyLimit = 64 * 1024): void {
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );
}
