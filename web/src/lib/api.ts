// The one way the web talks to Anju: JSON over /api/v1 with the session's Bearer token. A refusal
// arrives as the server's coded error ({code, message_zh, message_en, field}) and is thrown as ApiError,
// so every screen can show it in the user's language (see ErrorText / useErrorMessage).
import { getToken, clearSession, type Audience } from './session.ts';

export interface ErrorBody {
  code: string;
  message_zh: string;
  message_en: string;
  field?: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  constructor(status: number, body: ErrorBody) {
    super(`${body.code}: ${body.message_en}`);
    this.status = status;
    this.body = body;
  }
}

export interface RequestOptions {
  /** Whose session to send: staff (console) or depositor (portal); none for public calls. */
  as?: Audience;
  body?: unknown;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).code === 'string';
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.as ? getToken(options.as) : null;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && options.as) clearSession(options.as);
    throw new ApiError(
      response.status,
      isErrorBody(data)
        ? data
        : { code: 'HTTP_' + response.status, message_zh: '请求失败', message_en: 'Request failed' },
    );
  }
  return data as T;
}

/** Downloads a file (PDF, Excel) with the session's token and hands it to the browser. */
export async function download(path: string, as: Audience, fileName: string): Promise<void> {
  const token = getToken(as);
  const response = await fetch(`/api/v1${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const data: unknown = await response.json().catch(() => null);
    throw new ApiError(
      response.status,
      isErrorBody(data)
        ? data
        : { code: 'HTTP_' + response.status, message_zh: '下载失败', message_en: 'Download failed' },
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
