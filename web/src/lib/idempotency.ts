// Idempotency keys for money-moving requests: one per user intent, reused when the same submission is
// retried (a network failure, a double click), so the server answers the first result again.

export function newIdempotencyKey(prefix = 'web'): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random}`;
}
