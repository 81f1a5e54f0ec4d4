// Coded errors: one stable code per failure, with a Chinese and an English message and the field at
// fault. Services throw AppError; the API maps each code's kind to an HTTP status in one place.
import { ERROR_CATALOG, type ErrorCode, type ErrorKind } from './error-codes/index.ts';

export type { ErrorCode, ErrorKind };

export interface ErrorBody {
  code: ErrorCode;
  message_zh: string;
  message_en: string;
  field?: string;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: { field?: string; details?: Record<string, unknown> } = {}) {
    super(`${code}: ${ERROR_CATALOG[code].en}`);
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  get kind(): ErrorKind {
    return ERROR_CATALOG[this.code].kind;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.field, this.details);
  }
}

export function errorBody(code: ErrorCode, field?: string, details?: Record<string, unknown>): ErrorBody {
  const entry = ERROR_CATALOG[code];
  const body: ErrorBody = { code, message_zh: entry.zh, message_en: entry.en };
  if (field !== undefined) body.field = field;
  if (details !== undefined) body.details = details;
  return body;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
