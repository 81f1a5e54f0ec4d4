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
import { formatDebitBatchFile, type DebitBatch, type SignedBankFile } from './debit-batch-files.ts';

export interface HttpBankGatewayOptions {
  baseUrl: string;
  secret?: string;
  /** Deadline per request (default 5000 ms). */
  timeoutMs?: number;
  /** Deadline for handing over a debit batch file (default 120000 ms). */
  batchTimeoutMs?: number;
}

export class HttpBankGateway implements BankGateway {
  private readonly baseUrl: string;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly batchTimeoutMs: number;

  constructor(options: HttpBankGatewayOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret = options.secret ?? bankSecretFromEnv();
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.batchTimeoutMs = options.batchTimeoutMs ?? 120_000;
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

  /** The request file travels as the `file` field of a signed JSON body. */
  async submitDebitBatch(batch: DebitBatch): Promise<BankAnswer> {
    const path = '/debit-batches';
    return this.answerOf(
      path,
      await this.post(path, { file: formatDebitBatchFile(batch) }, this.batchTimeoutMs),
    );
  }

  async fetchDebitBatchResult(batchNo: string): Promise<SignedBankFile | null> {
    const path = '/debit-batches/result';
    const answer = await this.post(path, { batchNo }, this.batchTimeoutMs);
    if (answer.status === 'pending') return null;
    if (
      answer.status === 'ready' &&
      typeof answer.content === 'string' &&
      typeof answer.signature === 'string'
    ) {
      return { content: answer.content, signature: answer.signature };
    }
    throw new AppError('BANK_UNAVAILABLE', { details: { path, reason: 'unexpected answer' } });
  }

  private async requestMoney(path: string, request: DebitRequest): Promise<BankAnswer> {
    const answer = await this.post(path, {
      requestNo: request.requestNo,
      accountNumber: request.accountNumber,
      bankCard: request.bankCard,
      amount: fenToYuanString(request.amountFen),
      valueDate: request.valueDate,
    });
    return this.answerOf(path, answer);
  }

  private answerOf(path: string, answer: Record<string, unknown>): BankAnswer {
    if (answer.status === 'accepted') return { status: 'accepted' };
    if (answer.status === 'rejected' && typeof answer.code === 'string')
      return { status: 'rejected', code: answer.code };
    throw new AppError('BANK_UNAVAILABLE', { details: { path, reason: 'unexpected answer' } });
  }

  private async post(
    path: string,
    body: Record<string, unknown>,
    timeoutMs = this.timeoutMs,
  ): Promise<Record<string, unknown>> {
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
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new AppError('BANK_TIMEOUT', { details: { path, timeoutMs } });
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
