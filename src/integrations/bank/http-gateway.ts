// BankGateway over HTTP: signed JSON requests to the bank (the simulator server, or a real bank adapter
// speaking the same protocol), with a deadline; no answer in time is BANK_TIMEOUT, and the caller must
// treat the request as "maybe sent" (the result may still arrive as a notification).
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import {
  BANK_SIGNATURE_HEADER,
  type BankAnswer,
  type BankGateway,
  type DebitRequest,
  type PayoutRequest,
} from './gateway.ts';
import { bankSecretFromEnv, signBankMessage } from './signing.ts';

export interface HttpBankGatewayOptions {
  baseUrl: string;
  secret?: string;
  /** Deadline per request (default 5000 ms). */
  timeoutMs?: number;
}

export class HttpBankGateway implements BankGateway {
  private readonly baseUrl: string;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(options: HttpBankGatewayOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret = options.secret ?? bankSecretFromEnv();
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  requestDebit(request: DebitRequest): Promise<BankAnswer> {
    return this.requestMoney('/debits', request);
  }

  requestPayout(request: PayoutRequest): Promise<BankAnswer> {
    return this.requestMoney('/payouts', request);
  }

  async createPaymentPage(input: { orderNo: string; amountFen: Fen }): Promise<{ payUrl: string }> {
    const answer = await this.post('/payment-pages', {
      orderNo: input.orderNo,
      amount: fenToYuanString(input.amountFen),
    });
    if (typeof answer.payUrl !== 'string')
      throw new AppError('BANK_UNAVAILABLE', { details: { path: '/payment-pages' } });
    return { payUrl: answer.payUrl };
  }

  private async requestMoney(path: string, request: DebitRequest): Promise<BankAnswer> {
    const answer = await this.post(path, {
      requestNo: request.requestNo,
      accountNumber: request.accountNumber,
      bankCard: request.bankCard,
      amount: fenToYuanString(request.amountFen),
      valueDate: request.valueDate,
    });
    if (answer.status === 'accepted') return { status: 'accepted' };
    if (answer.status === 'rejected' && typeof answer.code === 'string')
      return { status: 'rejected', code: answer.code };
    throw new AppError('BANK_UNAVAILABLE', { details: { path, reason: 'unexpected answer' } });
  }

  private async post(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const raw = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [BANK_SIGNATURE_HEADER]: signBankMessage(raw, this.secret),
        },
        body: raw,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new AppError('BANK_TIMEOUT', { details: { path, timeoutMs: this.timeoutMs } });
      }
      throw new AppError('BANK_UNAVAILABLE', {
        details: { path, reason: error instanceof Error ? error.message : String(error) },
      });
    }
    const text = await response.text();
    if (!response.ok) throw new AppError('BANK_UNAVAILABLE', { details: { path, status: response.status } });
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new AppError('BANK_UNAVAILABLE', { details: { path, reason: 'answer is not JSON' } });
    }
  }
}
