// The simulated bank as a separate HTTP service (node:http), so the protocol is exercised over real
// sockets: Anju calls it through HttpBankGateway (requests signed like notifications), and it POSTs signed
// notifications to Anju's /api/v1/bank/notifications. Behind the socket is the same InProcessBank, whose
// fault controls are returned as `control`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, send, signedPoster } from '../http-simulator-support.ts';
import type { AddressInfo } from 'node:net';
import { isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import { isAppError } from '../../domain/errors.ts';
import type { DebitRequest } from './gateway.ts';
import { BANK_SIGNATURE_HEADER } from './gateway.ts';
import { InProcessBank, type BankNotifier } from './in-process-bank.ts';
import { bankSecretFromEnv, verifyBankSignature } from './signing.ts';
import { parseDebitBatchFile, type DebitBatch } from './debit-batch-files.ts';

export interface BankSimulatorServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  secret?: string;
  /** Anju's notification endpoint, e.g. http://127.0.0.1:3000/api/v1/bank/notifications. */
  notifyUrl: string;
  /** Anju's payout endpoint (…/api/v1/bank/payout-notifications): payout results and returns (退票) go there. */
  payoutNotifyUrl?: string;
  bankDate?: () => IsoDate | Promise<IsoDate>;
  serialPrefix?: string;
  /** Delivery attempts per notification when Anju does not answer 2xx (default 3). */
  deliveryAttempts?: number;
}

export interface BankSimulatorServer {
  url: string;
  /** The bank behind the socket: fault controls, pay(), transferIn(), statementCsv(), releaseHeld(), idle(). */
  control: InProcessBank;
  close(): Promise<void>;
}

/** POSTs a signed notification to Anju; a non-2xx answer counts as not delivered (the bank retries). */
export function httpNotifier(notifyUrl: string): BankNotifier {
  return signedPoster(notifyUrl, BANK_SIGNATURE_HEADER);
}

function parseDebit(body: Record<string, unknown>): DebitRequest | null {
  const { requestNo, accountNumber, bankCard, amount, valueDate } = body;
  if (typeof requestNo !== 'string' || typeof accountNumber !== 'string' || typeof bankCard !== 'string')
    return null;
  if (typeof amount !== 'string' || typeof valueDate !== 'string' || !isIsoDate(valueDate)) return null;
  try {
    return { requestNo, accountNumber, bankCard, amountFen: yuanToFen(amount), valueDate };
  } catch {
    return null;
  }
}

function payPage(orderNo: string, amount: string, paid: boolean): string {
  const safe = orderNo.replace(/[^0-9A-Za-z_-]/g, '');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>模拟银行收银台</title></head>
<body><h1>模拟银行收银台 Simulated bank</h1><p>订单 Order ${safe}</p><p>金额 Amount ¥${amount}</p>
${paid ? '<p>已支付 Paid</p>' : `<form method="post" action="/pay/${safe}"><button type="submit">支付 Pay</button></form>`}
</body></html>`;
}

export async function startBankSimulatorServer(
  options: BankSimulatorServerOptions,
): Promise<BankSimulatorServer> {
  const secret = options.secret ?? bankSecretFromEnv();
  // The pay URL needs the port, known only after listen; the bank is created then.
  const state: { bank?: InProcessBank } = {};
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { code: 'INTERNAL_ERROR', message: String(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const b = state.bank!;
    const url = new URL(request.url ?? '/', 'http://bank.local');
    // A debit batch file carries up to a few hundred thousand lines.
    const raw = await readBody(request, url.pathname === '/debit-batches' ? 128_000_000 : undefined);
    const pay = /^\/pay\/([^/]+)$/.exec(url.pathname);
    if (pay) {
      const orderNo = decodeURIComponent(pay[1]!);
      const page = b.page(orderNo);
      if (!page) return send(response, 404, { code: 'BANK_PAGE_UNKNOWN' });
      if (request.method === 'GET') {
        return send(
          response,
          200,
          payPage(orderNo, fenToYuanString(page.amountFen), page.paidSerial !== null),
          'text/html',
        );
      }
      if (request.method === 'POST') return send(response, 200, await b.pay(orderNo));
    }
    const statement = /^\/statements\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
    if (statement && request.method === 'GET')
      return send(response, 200, b.statementCsv(statement[1]!), 'text/csv');

    if (request.method !== 'POST') return send(response, 404, { code: 'NOT_FOUND' });
    // Anju's requests are signed like the bank's notifications.
    if (!verifyBankSignature(raw, request.headers[BANK_SIGNATURE_HEADER] as string | undefined, secret)) {
      return send(response, 401, { code: 'BANK_SIGNATURE_INVALID' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(response, 400, { code: 'VALIDATION_FAILED' });
    }
    if (url.pathname === '/debits' || url.pathname === '/payouts') {
      const debit = parseDebit(body);
      if (!debit) return send(response, 400, { code: 'VALIDATION_FAILED' });
      const answer = await b.handleRequest(url.pathname === '/debits' ? 'debit' : 'payout', debit);
      if (answer.status === 'no_answer') {
        // The timeout fault: the request hangs until the caller gives up or the server closes.
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      return send(response, 200, answer);
    }
    if (url.pathname === '/debit-batches') {
      let batch: DebitBatch;
      try {
        if (typeof body.file !== 'string') throw new Error('no file');
        batch = parseDebitBatchFile(body.file);
      } catch {
        return send(response, 400, { code: 'VALIDATION_FAILED' });
      }
      const answer = b.handleDebitBatch(batch);
      if (answer.status === 'no_answer') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      return send(response, 200, answer);
    }
    if (url.pathname === '/debit-batches/result') {
      if (typeof body.batchNo !== 'string') return send(response, 400, { code: 'VALIDATION_FAILED' });
      const result = await b.fetchDebitBatchResult(body.batchNo);
      return send(response, 200, result ? { status: 'ready', ...result } : { status: 'pending' });
    }
    if (url.pathname === '/payment-pages') {
      if (typeof body.orderNo !== 'string' || typeof body.amount !== 'string') {
        return send(response, 400, { code: 'VALIDATION_FAILED' });
      }
      try {
        return send(
          response,
          200,
          await b.createPaymentPage({ orderNo: body.orderNo, amountFen: yuanToFen(body.amount) }),
        );
      } catch (error) {
        return send(response, isAppError(error) ? 409 : 400, {
          code: isAppError(error) ? error.code : 'VALIDATION_FAILED',
        });
      }
    }
    return send(response, 404, { code: 'NOT_FOUND' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const bank = new InProcessBank({
    secret,
    notify: httpNotifier(options.notifyUrl),
    payBaseUrl: `${url}/pay`,
    ...(options.bankDate ? { bankDate: options.bankDate } : {}),
    ...(options.serialPrefix ? { serialPrefix: options.serialPrefix } : {}),
    ...(options.deliveryAttempts ? { deliveryAttempts: options.deliveryAttempts } : {}),
  });
  if (options.payoutNotifyUrl) bank.setPayoutNotifier(httpNotifier(options.payoutNotifyUrl));
  state.bank = bank;
  return {
    url,
    control: bank,
    close: async () => {
      await bank.idle();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
