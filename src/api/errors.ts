// The one place that turns failures into HTTP: AppError kind → status, schema-validation errors →
// 400 VALIDATION_FAILED with the field, anything unexpected → 500 INTERNAL_ERROR (logged, not leaked).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, isAppError, type ErrorKind } from '../domain/errors.ts';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
  rate_limited: 429,
  internal: 500,
};

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** "items.0.amount" from instancePath "/items/0/amount" plus the missing or extra property, if any. */
export function fieldOfValidationIssue(issue: ValidationIssue, context?: string): string | undefined {
  const path = issue.instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = issue.params ?? {};
  for (const key of ['missingProperty', 'additionalProperty', 'propertyName']) {
    const value = params[key];
    if (typeof value === 'string') path.push(value);
  }
  if (path.length > 0) return path.join('.');
  return context;
}

function sendValidationFailed(reply: FastifyReply, error: FastifyError): FastifyReply {
  const issue = error.validation?.[0];
  const field = issue ? fieldOfValidationIssue(issue, error.validationContext) : undefined;
  const details = issue
    ? { location: error.validationContext, rule: issue.keyword, message: issue.message }
    : undefined;
  return reply.status(400).send(errorBody('VALIDATION_FAILED', field, details));
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    const status = STATUS_BY_KIND[error.kind];
    if (error.kind === 'internal') {
      request.log.error({ err: error, cause: error.cause }, 'internal failure');
      return reply.status(status).send(errorBody(error.code));
    }
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    const retryAfter = error.details?.retryAfterSeconds;
    if (error.kind === 'rate_limited' && typeof retryAfter === 'number')
      reply.header('retry-after', String(retryAfter));
    return reply.status(status).send(error.toBody());
  }
  if (error.validation) return sendValidationFailed(reply, error);
  // Framework refusals before our code runs: malformed JSON, wrong content type, body too large.
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return reply.status(404).send(errorBody('NOT_FOUND'));
    return reply.status(status).send(errorBody('VALIDATION_FAILED', 'body', { reason: error.code }));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(errorBody('INTERNAL_ERROR'));
}

/**
 * `spaFallback`: with the web app served, a GET for an unknown path outside /api answers the app's
 * index.html (the browser's router shows the screen); the API keeps answering NOT_FOUND.
 */
export function installErrorHandling(app: FastifyInstance, options: { spaFallback?: boolean } = {}): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    if (options.spaFallback && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.status(404).send(errorBody('NOT_FOUND'));
  });
}
