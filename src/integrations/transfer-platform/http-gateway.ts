// TransferPlatformGateway over HTTP: signed messages to the platform (the peer-center simulator server,
// or an adapter speaking the same protocol), with a deadline. No answer in time is
// TRANSFER_PLATFORM_TIMEOUT: the message may or may not have arrived, so it is resent with the same id.
import { AppError } from '../../domain/errors.ts';
import { isTransferStatusCode } from '../../domain/transfer-codes.ts';
import {
  TRANSFER_SIGNATURE_HEADER,
  type PlatformAck,
  type PlatformTransferStatus,
  type TransferPlatformGateway,
} from './gateway.ts';
import { signTransferMessage, transferSecretFromEnv } from './signing.ts';

export interface HttpTransferPlatformOptions {
  baseUrl: string;
  secret?: string;
  /** Deadline per request (default 5000 ms). */
  timeoutMs?: number;
}

export class HttpTransferPlatform implements TransferPlatformGateway {
  private readonly baseUrl: string;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(options: HttpTransferPlatformOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret = options.secret ?? transferSecretFromEnv();
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async send(rawBody: string, signature: string): Promise<PlatformAck> {
    const { status, body } = await this.request('POST', '/messages', rawBody, signature);
    if (status === 401) return { status: 'rejected', code: 'TRANSFER_SIGNATURE_INVALID' };
    if (body.status === 'accepted' && typeof body.messageId === 'string')
      return { status: 'accepted', messageId: body.messageId };
    if (body.status === 'rejected' && typeof body.code === 'string')
      return { status: 'rejected', code: body.code };
    throw new AppError('TRANSFER_PLATFORM_UNAVAILABLE', { details: { reason: 'unexpected answer', status } });
  }

  async queryStatus(transferNo: string): Promise<PlatformTransferStatus> {
    const path = `/transfers/${encodeURIComponent(transferNo)}/status`;
    const { status, body } = await this.request(
      'GET',
      path,
      undefined,
      signTransferMessage(path, this.secret),
    );
    if (status !== 200 || typeof body.known !== 'boolean' || !Array.isArray(body.receivedMessageIds))
      throw new AppError('TRANSFER_PLATFORM_UNAVAILABLE', { details: { path, status } });
    return {
      transferNo,
      known: body.known,
      status: isTransferStatusCode(body.status) ? body.status : null,
      receivedMessageIds: body.receivedMessageIds.filter((id): id is string => typeof id === 'string'),
    };
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    rawBody: string | undefined,
    signature: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', [TRANSFER_SIGNATURE_HEADER]: signature },
        ...(rawBody === undefined ? {} : { body: rawBody }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new AppError('TRANSFER_PLATFORM_TIMEOUT', { details: { path, timeoutMs: this.timeoutMs } });
      throw new AppError('TRANSFER_PLATFORM_UNAVAILABLE', {
        details: { path, reason: error instanceof Error ? error.message : String(error) },
      });
    }
    const text = await response.text();
    if (!response.ok && response.status !== 401)
      throw new AppError('TRANSFER_PLATFORM_UNAVAILABLE', { details: { path, status: response.status } });
    try {
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      throw new AppError('TRANSFER_PLATFORM_UNAVAILABLE', {
        details: { path, reason: 'answer is not JSON' },
      });
    }
  }
}

/** The platform configured for this center (ANJU_TRANSFER_PLATFORM_URL), or null when there is none. */
export function transferPlatformFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): TransferPlatformGateway | null {
  const baseUrl = env.ANJU_TRANSFER_PLATFORM_URL;
  return baseUrl ? new HttpTransferPlatform({ baseUrl }) : null;
}
