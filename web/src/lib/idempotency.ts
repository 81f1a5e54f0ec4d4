// Idempotency keys for money-moving requests: one per user intent, reused when the same submission is
// retried (a network failure, a double click), so the server answers the first result again.

export function newIdempotencyKey(prefix = 'web'): string {
  // randomUUID needs a secure context (https or localhost); getRandomValues works everywhere.
  const random = window.isSecureContext
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${prefix}-${random}`;
}
