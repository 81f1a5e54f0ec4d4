// Shared JSON-schema fragments for route schemas (validation and the OpenAPI document): the error body,
// money as a yuan string, dates, ids and ID numbers. Money never travels as a JSON number.

/** The error body every failure returns (errorBody() in src/domain/errors.ts). */
export const errorBodySchema = {
  type: 'object',
  required: ['code', 'message_zh', 'message_en'],
  properties: {
    code: { type: 'string', description: 'Stable error code, e.g. INVALID_CREDENTIALS' },
    message_zh: { type: 'string' },
    message_en: { type: 'string' },
    field: { type: 'string', description: 'The input field at fault, when there is one' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

/** Response entries for the given error statuses, for a route's `schema.response`. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));
}

/** An amount of money in yuan with exactly two decimals: "1234.50", "-0.01". */
export const yuanSchema = {
  type: 'string',
  pattern: '^-?\\d+\\.\\d{2}$',
  description: 'Yuan with two decimals, as a string',
  examples: ['6104.00'],
} as const;

/** A calendar date "YYYY-MM-DD" (business dates, value dates). */
export const dateSchema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A date, YYYY-MM-DD',
  examples: ['2025-01-15'],
} as const;

/** A month "YYYY-MM". */
export const monthSchema = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  description: 'A month, YYYY-MM',
} as const;

/** A database id (bigint) as a decimal string. */
export const idSchema = {
  type: 'string',
  pattern: '^[1-9]\\d{0,18}$',
  description: 'Numeric id as a string',
} as const;

/** A path parameter object with one numeric id. */
export function idParams(name = 'id') {
  return { type: 'object', required: [name], properties: { [name]: idSchema } } as const;
}

/**
 * An identity document number as typed (rules.md §11): 15 or 18 characters, surrounding blanks
 * allowed; the check digit and birth date are verified by the domain parser, not here.
 */
export const idNumberSchema = {
  type: 'string',
  pattern: '^\\s*[0-9A-Za-z]{15,18}\\s*$',
  description: 'Resident ID or permit number (18 characters; 15-digit legacy numbers accepted)',
  examples: ['11010519491231002X'],
} as const;

/** ISO timestamps in responses. */
export const timestampSchema = { type: 'string', format: 'date-time' } as const;

/** A district code (rules.md §13). */
export const districtCodeSchema = { type: 'string', pattern: '^\\d{6}$' } as const;
