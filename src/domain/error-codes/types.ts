/**
 * What kind of failure a code is; the API turns a kind into an HTTP status (src/api/errors.ts).
 * validation 400 · unauthenticated 401 · forbidden 403 · not_found 404 · conflict 409 ·
 * rule 422 (a business rule refused it) · rate_limited 429 · internal 500
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rule'
  | 'rate_limited'
  | 'internal';

export interface ErrorEntry {
  kind: ErrorKind;
  zh: string;
  en: string;
}
