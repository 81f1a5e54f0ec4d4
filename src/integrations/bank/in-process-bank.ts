// The simulated bank (in-process): answers debit, payout and payment-page requests deterministically,
// keeps its own record of money moved (for the daily statement), and sends signed notifications through
// a callback. Faults (insufficient funds, timeout, duplicate, late, out-of-order, lost, a payout the card
// cannot take) are set per card number or per request/order number, so tests and the demo can reproduce
// every bad day.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { fenToYuanString, type Fen } from '../../domain/money.ts';
import type { BankAnswer, BankGateway, BankNotification, DebitRequest, PayoutRequest } from './gateway.ts';
import {
  formatDebitResultFile,
  type DebitBatch,
  type DebitResultLine,
  type SignedBankFile,
} from './debit-batch-files.ts';
import { bankSecretFromEnv, signBankMessage } from './signing.ts';

/** Delivers one signed notification to Anju (the app's handler, or an HTTP POST). Throws when not accepted. */
export type BankNotifier = (rawBody: string, signature: string) => Promise<unknown>;

export type BankFault =
  /** The card has no money: `request` rejects the debit at once; `result` (default) accepts it and then reports failure. */
  | { kind: 'insufficient_funds'; at?: 'request' | 'result' }
  /** The request gets no answer. With `processed`, the bank still moves the money and notifies. */
  | { kind: 'timeout'; processed?: boolean }
  /** The notification is delivered twice. */
  | { kind: 'duplicate' }
  /** The notification is held: delivered after `delayMs`, or when `releaseHeld()` is called (default). */
  | { kind: 'late'; delayMs?: number }
  /** A debit's result is delivered before the request is answered. */
  | { kind: 'out_of_order' }
  /** The money moves but no notification is ever sent: only the statement shows it. */
  | { kind: 'lost' }
  /**
   * The receiving side cannot take a payout to this card (closed, name mismatch): the request is accepted,
   * nothing moves, and the result reports it failed with `code` (default CARD_CLOSED).
   */
  | { kind: 'payout_refused'; code?: string };

/** The failure code a debit result carries when the card has no money. */
export const INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS';

/** What the bank's raw handling of a request produced; `no_answer` is a timeout seen from outside. */
export type RawBankAnswer = BankAnswer | { status: 'no_answer' };

export interface RecordedRequest {
  type: 'debit' | 'payout';
  request: DebitRequest;
  answer: RawBankAnswer;
}

/** One line of the bank's own account: what the daily statement lists. */
export interface BankMovement {
  serial: string;
  valueDate: IsoDate;
  direction: 'in' | 'out';
  amountFen: Fen;
  counterparty: string;
  memo: string;
}

export interface SentNotification {
  notification: BankNotification;
  rawBody: string;
  signature: string;
  /** 'delivered' once the notifier accepted it; 'held' while late; 'lost' never leaves the bank. */
  state: 'scheduled' | 'held' | 'delivered' | 'failed' | 'lost';
  attempts: number;
  lastError?: string;
}

export interface InProcessBankOptions {
  secret?: string;
  notify?: BankNotifier;
  /** The bank's calendar day for payments made on a page (default: today in China, UTC+8). */
  bankDate?: () => IsoDate | Promise<IsoDate> | null | Promise<IsoDate | null>;
  /** Prefix of the pay URL returned by createPaymentPage (default: the app's simulated page). */
  payBaseUrl?: string;
  /** How long the caller waits for an answer before BANK_TIMEOUT (default 2000 ms). */
  timeoutMs?: number;
  /** Prefix of bank serials (default: "SIM" + 6 random hex so restarts never reuse a serial). */
  serialPrefix?: string;
  /** Delivery attempts when the notifier throws (default 3), with doubling delays from 20 ms. */
  deliveryAttempts?: number;
}

function chinaToday(): IsoDate {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class InProcessBank implements BankGateway {
  readonly secret: string;
  readonly requests: RecordedRequest[] = [];
  readonly movements: BankMovement[] = [];
  readonly sent: SentNotification[] = [];
  readonly timeoutMs: number;
  private notifier: BankNotifier | undefined;
  /** Where payout results and returns (退票) go, when connected (src/services/payouts/). */
  private payoutNotifier: BankNotifier | undefined;
  private readonly payBaseUrl: string;
  private readonly serialPrefix: string;
  private readonly deliveryAttempts: number;
  private readonly bankDateSource: NonNullable<InProcessBankOptions['bankDate']>;
  private readonly cardFaults = new Map<string, BankFault>();
  private readonly keyFaults = new Map<string, BankFault>();
  private readonly pages = new Map<string, { amountFen: Fen; paidSerial: string | null }>();
  /** Requests the bank acted on, by request number: a resend gets the same answer and moves nothing. */
  private readonly answered = new Map<string, BankAnswer>();
  /** Debit batches the bank acted on, by batch number: their answer and signed result file (回盘). */
  private readonly batches = new Map<string, { answer: BankAnswer; result: SignedBankFile | null }>();
  /** Each request's line in the result file that answered it: a request in a later batch gets it again. */
  private readonly batchLines = new Map<string, DebitResultLine>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held: Array<{ sent: SentNotification; release: () => void }> = [];
  private serialCounter = 0;

  constructor(options: InProcessBankOptions = {}) {
    this.secret = options.secret ?? bankSecretFromEnv();
    this.notifier = options.notify;
    this.payBaseUrl = options.payBaseUrl ?? '/api/v1/bank-sim/pay';
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.serialPrefix = options.serialPrefix ?? `SIM${randomBytes(3).toString('hex').toUpperCase()}`;
    this.deliveryAttempts = options.deliveryAttempts ?? 3;
    this.bankDateSource = options.bankDate ?? chinaToday;
  }

  get hasNotifier(): boolean {
    return this.notifier !== undefined;
  }

  /** Connects the bank to Anju's notification handler (buildApp does this for its default bank). */
  setNotifier(notify: BankNotifier): void {
    this.notifier = notify;
  }

  /**
   * Connects payout results (`payout_result`) and returned payments (`payout_return`) to Anju's payout
   * handler. Without it the bank sends no payout messages: the movement shows on the statement only.
   */
  setPayoutNotifier(notify: BankNotifier | undefined): void {
    this.payoutNotifier = notify;
  }

  // ---- fault control ----------------------------------------------------------------------------------

  /** Every request with this card (debits, payouts) gets the fault until cleared (null). */
  setCardFault(bankCard: string, fault: BankFault | null): void {
    if (fault) this.cardFaults.set(bankCard, fault);
    else this.cardFaults.delete(bankCard);
  }

  /** The request or order with this number gets the fault (requestNo for debits, orderNo for pages). */
  setRequestFault(requestOrOrderNo: string, fault: BankFault | null): void {
    if (fault) this.keyFaults.set(requestOrOrderNo, fault);
    else this.keyFaults.delete(requestOrOrderNo);
  }

  clearFaults(): void {
    this.cardFaults.clear();
    this.keyFaults.clear();
  }

  private faultFor(key: string, bankCard?: string): BankFault | undefined {
    return this.keyFaults.get(key) ?? (bankCard ? this.cardFaults.get(bankCard) : undefined);
  }

  // ---- BankGateway ------------------------------------------------------------------------------------

  async requestDebit(request: DebitRequest): Promise<BankAnswer> {
    return this.answerOrTimeout(await this.handleRequest('debit', request));
  }

  async requestPayout(request: PayoutRequest): Promise<BankAnswer> {
    return this.answerOrTimeout(await this.handleRequest('payout', request));
  }

  async createPaymentPage(input: { orderNo: string; amountFen: Fen }): Promise<{ payUrl: string }> {
    const existing = this.pages.get(input.orderNo);
    if (!existing) this.pages.set(input.orderNo, { amountFen: input.amountFen, paidSerial: null });
    else if (existing.amountFen !== input.amountFen) {
      throw new AppError('BANK_UNAVAILABLE', {
        details: { reason: 'order number reused with another amount' },
      });
    }
    return { payUrl: `${this.payBaseUrl}/${encodeURIComponent(input.orderNo)}` };
  }

  /**
   * A batch of debits (批量代扣). Faults per card as for single debits: insufficient funds gives a failed
   * line; timeout gives no line (with `processed`, the money still moves), as does `lost`; the others are
   * answered normally. A timeout fault on the batch number (setRequestFault) makes the whole submission go
   * unanswered (with `processed`, after the bank acted on it).
   */
  async submitDebitBatch(batch: DebitBatch): Promise<BankAnswer> {
    return this.answerOrTimeout(this.handleDebitBatch(batch));
  }

  async fetchDebitBatchResult(batchNo: string): Promise<SignedBankFile | null> {
    return this.batches.get(batchNo)?.result ?? null;
  }

  /** The bank's side of a debit batch, shared by the in-process gateway and the HTTP server. */
  handleDebitBatch(batch: DebitBatch): RawBankAnswer {
    const fault = this.keyFaults.get(batch.batchNo);
    const before = this.batches.get(batch.batchNo);
    if (before) return before.answer;
    if (fault?.kind === 'timeout' && !fault.processed) return { status: 'no_answer' };
    if (batch.lines.length === 0) {
      const answer: BankAnswer = { status: 'rejected', code: 'EMPTY_BATCH' };
      this.batches.set(batch.batchNo, { answer, result: null });
      return answer;
    }
    const lines: DebitResultLine[] = [];
    for (const l of batch.lines) {
      const request: DebitRequest = { ...l, valueDate: batch.valueDate };
      const key = `debit:${l.requestNo}`;
      const earlier = this.batchLines.get(l.requestNo);
      if (earlier) {
        lines.push(earlier);
        continue;
      }
      if (this.answered.has(key)) continue; // answered as a single debit: its notification carried the result
      const lineFault = this.faultFor(l.requestNo, l.bankCard);
      if (lineFault?.kind === 'timeout' && !lineFault.processed) {
        this.requests.push({ type: 'debit', request, answer: { status: 'no_answer' } });
        continue;
      }
      const serial = this.nextSerial(batch.valueDate);
      const failed = lineFault?.kind === 'insufficient_funds';
      this.requests.push({ type: 'debit', request, answer: { status: 'accepted' } });
      this.answered.set(key, { status: 'accepted' });
      if (!failed) {
        this.movements.push({
          serial,
          valueDate: batch.valueDate,
          direction: 'in',
          amountFen: l.amountFen,
          counterparty: l.bankCard,
          memo: `代扣 ${l.requestNo}`,
        });
      }
      if (lineFault?.kind === 'timeout' || lineFault?.kind === 'lost') continue;
      const line: DebitResultLine = {
        requestNo: l.requestNo,
        status: failed ? 'failed' : 'success',
        serial,
        amountFen: l.amountFen,
        ...(failed ? { failureCode: INSUFFICIENT_FUNDS } : {}),
      };
      this.batchLines.set(l.requestNo, line);
      lines.push(line);
    }
    const content = formatDebitResultFile({ batchNo: batch.batchNo, valueDate: batch.valueDate, lines });
    const answer: BankAnswer = { status: 'accepted' };
    this.batches.set(batch.batchNo, {
      answer,
      result: { content, signature: signBankMessage(content, this.secret) },
    });
    return fault?.kind === 'timeout' ? { status: 'no_answer' } : answer;
  }

  private async answerOrTimeout(answer: RawBankAnswer): Promise<BankAnswer> {
    if (answer.status !== 'no_answer') return answer;
    await sleep(this.timeoutMs);
    throw new AppError('BANK_TIMEOUT', { details: { timeoutMs: this.timeoutMs } });
  }

  /**
   * The bank's side of a debit or payout, shared by the in-process gateway and the HTTP server: records
   * the request, moves the money unless a fault says otherwise, schedules the result notification, and
   * says what (if anything) the caller hears back.
   */
  async handleRequest(type: 'debit' | 'payout', request: DebitRequest): Promise<RawBankAnswer> {
    const fault = this.faultFor(request.requestNo, request.bankCard);
    const record = (answer: RawBankAnswer): RawBankAnswer => {
      this.requests.push({ type, request: { ...request }, answer });
      if (answer.status !== 'no_answer') this.answered.set(`${type}:${request.requestNo}`, answer);
      return answer;
    };
    // The same request number again (a resend after a crash or a timeout): the first answer, nothing moves.
    const before = this.answered.get(`${type}:${request.requestNo}`);
    if (before) {
      this.requests.push({ type, request: { ...request }, answer: before });
      return before;
    }
    if (request.amountFen <= 0n) return record({ status: 'rejected', code: 'INVALID_AMOUNT' });
    if (type === 'debit' && fault?.kind === 'insufficient_funds' && fault.at === 'request') {
      return record({ status: 'rejected', code: INSUFFICIENT_FUNDS });
    }
    if (fault?.kind === 'timeout' && !fault.processed) return record({ status: 'no_answer' });

    const failureCode =
      type === 'debit' && fault?.kind === 'insufficient_funds'
        ? INSUFFICIENT_FUNDS
        : type === 'payout' && fault?.kind === 'payout_refused'
          ? (fault.code ?? 'CARD_CLOSED')
          : null;
    const failed = failureCode !== null;
    const serial = this.nextSerial(request.valueDate);
    if (!failed) {
      this.movements.push({
        serial,
        valueDate: request.valueDate,
        direction: type === 'debit' ? 'in' : 'out',
        amountFen: request.amountFen,
        counterparty: request.bankCard,
        memo: `${type === 'debit' ? '代扣' : '代付'} ${request.requestNo}`,
      });
    }
    const notification: BankNotification = {
      serial,
      kind: 'debit_result',
      requestNo: request.requestNo,
      // A payout to someone with no account here (a suspense refund) names none.
      ...(request.accountNumber ? { accountNumber: request.accountNumber } : {}),
      amount: fenToYuanString(request.amountFen),
      valueDate: request.valueDate,
      status: failed ? 'failed' : 'success',
      ...(failureCode ? { failureCode } : {}),
    };
    const answer: RawBankAnswer =
      fault?.kind === 'timeout' ? { status: 'no_answer' } : { status: 'accepted' };
    record(answer);
    // Processed despite the timeout: a resend learns it was accepted.
    if (answer.status === 'no_answer')
      this.answered.set(`${type}:${request.requestNo}`, { status: 'accepted' });
    if (type === 'payout') {
      // The result follows the answer when a payout handler is connected; the statement shows it anyway.
      if (this.payoutNotifier) {
        const result: BankNotification = { ...notification, kind: 'payout_result' };
        this.track(sleep(0).then(() => this.emit(result, fault)));
      }
      return answer;
    }
    if (fault?.kind === 'out_of_order') {
      // The result overtakes the answer: Anju hears "succeeded" before "accepted".
      await this.emit(notification, undefined);
      return answer;
    }
    // Delivered after the answer has gone back, as a real bank's callback would be.
    this.track(sleep(0).then(() => this.emit(notification, fault)));
    return answer;
  }

  /**
   * The receiving bank sends a paid payout back (退票: card closed, name mismatch): the money comes back
   * to the center's account (a statement line) and a `payout_return` message goes to the payout handler.
   */
  async returnPayout(requestNo: string, reason = 'ACCOUNT_CLOSED'): Promise<{ serial: string }> {
    const paid = this.requests.find(
      (r) => r.type === 'payout' && r.request.requestNo === requestNo && r.answer.status !== 'rejected',
    );
    if (!paid || !this.answered.has(`payout:${requestNo}`)) {
      throw new AppError('BANK_PAGE_UNKNOWN', { field: 'requestNo', details: { requestNo } });
    }
    const valueDate = await this.bankDate();
    const serial = this.nextSerial(valueDate);
    this.movements.push({
      serial,
      valueDate,
      direction: 'in',
      amountFen: paid.request.amountFen,
      counterparty: paid.request.bankCard,
      memo: `退票 ${requestNo}`,
    });
    if (this.payoutNotifier) {
      await this.emit(
        {
          serial,
          kind: 'payout_return',
          requestNo,
          accountNumber: paid.request.accountNumber,
          amount: fenToYuanString(paid.request.amountFen),
          valueDate,
          status: 'success',
          failureCode: reason,
        },
        undefined,
      );
    }
    return { serial };
  }

  // ---- the depositor's side: paying on the bank page, transfers nobody announced ------------------------

  /** Whether the page exists and, once paid, its serial. */
  page(orderNo: string): { amountFen: Fen; paidSerial: string | null } | undefined {
    const page = this.pages.get(orderNo);
    return page ? { ...page } : undefined;
  }

  /**
   * The depositor pays the order on the bank page: the money arrives (a statement line) and a `credit`
   * notification is sent. Resolves once the notification was delivered (or held or lost by a fault).
   * Paying an already paid page answers with the first serial and moves nothing.
   */
  async pay(
    orderNo: string,
    options: { valueDate?: IsoDate } = {},
  ): Promise<{ serial: string; replayed: boolean }> {
    const page = this.pages.get(orderNo);
    if (!page) throw new AppError('BANK_PAGE_UNKNOWN', { field: 'orderNo', details: { orderNo } });
    if (page.paidSerial) return { serial: page.paidSerial, replayed: true };
    const valueDate = options.valueDate ?? (await this.bankDate());
    const serial = this.nextSerial(valueDate);
    page.paidSerial = serial;
    this.movements.push({
      serial,
      valueDate,
      direction: 'in',
      amountFen: page.amountFen,
      counterparty: 'portal',
      memo: `订单 ${orderNo}`,
    });
    await this.emit(
      {
        serial,
        kind: 'credit',
        orderNo,
        amount: fenToYuanString(page.amountFen),
        valueDate,
        status: 'success',
      },
      this.faultFor(orderNo),
    );
    return { serial, replayed: false };
  }

  /**
   * Money sent to the center's account without an order (a transfer at another bank's counter): a
   * `credit` notification with no order number, which Anju records as unmatched for reconciliation.
   */
  async transferIn(input: {
    amountFen: Fen;
    valueDate?: IsoDate;
    accountNumber?: string;
    counterparty?: string;
    memo?: string;
    fault?: BankFault;
  }): Promise<{ serial: string }> {
    const valueDate = input.valueDate ?? (await this.bankDate());
    const serial = this.nextSerial(valueDate);
    this.movements.push({
      serial,
      valueDate,
      direction: 'in',
      amountFen: input.amountFen,
      counterparty: input.counterparty ?? '',
      memo: input.memo ?? '',
    });
    await this.emit(
      {
        serial,
        kind: 'credit',
        ...(input.accountNumber ? { accountNumber: input.accountNumber } : {}),
        amount: fenToYuanString(input.amountFen),
        valueDate,
        status: 'success',
      },
      input.fault,
    );
    return { serial };
  }

  /** The day's statement as the bank sends it: CSV with serial, value_date, direction, amount, counterparty, memo. */
  statementCsv(valueDate: IsoDate): string {
    const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const lines = this.movements
      .filter((m) => m.valueDate === valueDate)
      .map((m) =>
        [m.serial, m.valueDate, m.direction, fenToYuanString(m.amountFen), m.counterparty, m.memo]
          .map(quote)
          .join(','),
      );
    return ['serial,value_date,direction,amount,counterparty,memo', ...lines].join('\n') + '\n';
  }

  // ---- delivery ---------------------------------------------------------------------------------------

  /** Delivers every held (late) notification now, oldest first, and waits for them. */
  async releaseHeld(): Promise<void> {
    for (const h of [...this.held]) h.release();
    await this.idle();
  }

  /** Resolves when no delivery is in flight (held notifications do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Re-sends a notification already sent (a bank retry, or a test of duplicates). */
  async resend(serial: string): Promise<void> {
    const sent = this.sent.find((s) => s.notification.serial === serial);
    if (!sent) throw new AppError('BANK_PAGE_UNKNOWN', { details: { serial } });
    await this.deliver(sent);
  }

  /** Signs and sends a notification as the bank would, with a fault applied. */
  async emit(notification: BankNotification, fault: BankFault | undefined): Promise<void> {
    const rawBody = JSON.stringify(notification);
    const sent: SentNotification = {
      notification,
      rawBody,
      signature: signBankMessage(rawBody, this.secret),
      state: 'scheduled',
      attempts: 0,
    };
    this.sent.push(sent);
    if (fault?.kind === 'lost') {
      sent.state = 'lost';
      return;
    }
    if (fault?.kind === 'late') {
      // Held notifications are not "in flight": idle() does not wait for them, releaseHeld() sends them.
      sent.state = 'held';
      const entry = {
        sent,
        release: () => {
          const i = this.held.indexOf(entry);
          if (i < 0) return; // already released
          this.held.splice(i, 1);
          this.track(this.deliver(sent));
        },
      };
      this.held.push(entry);
      if (fault.delayMs !== undefined) setTimeout(() => entry.release(), fault.delayMs);
      return;
    }
    await this.deliver(sent);
    if (fault?.kind === 'duplicate') await this.deliver(sent);
  }

  private async deliver(sent: SentNotification): Promise<void> {
    const notifier = sent.notification.kind.startsWith('payout_') ? this.payoutNotifier : this.notifier;
    if (!notifier) {
      sent.state = 'failed';
      sent.lastError = 'no notifier connected';
      return;
    }
    let delay = 20;
    for (let attempt = 1; attempt <= this.deliveryAttempts; attempt += 1) {
      sent.attempts += 1;
      try {
        await notifier(sent.rawBody, sent.signature);
        sent.state = 'delivered';
        return;
      } catch (error) {
        sent.state = 'failed';
        sent.lastError = error instanceof Error ? error.message : String(error);
        if (attempt < this.deliveryAttempts) await sleep(delay);
        delay *= 2;
      }
    }
  }

  private track(work: Promise<void>): void {
    const p = work.catch(() => undefined).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async bankDate(): Promise<IsoDate> {
    return (await this.bankDateSource()) ?? chinaToday();
  }

  private nextSerial(valueDate: IsoDate): string {
    this.serialCounter += 1;
    return `${this.serialPrefix}${valueDate.replace(/-/g, '')}${String(this.serialCounter).padStart(8, '0')}`;
  }
}
