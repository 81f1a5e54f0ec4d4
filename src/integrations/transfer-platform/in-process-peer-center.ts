// The simulated peer center on the transfer platform (in-process): another city's HPF center that answers
// Anju's contact letters as the old center (status, account sheet, funds) and starts transfers out of
// Anju as the new center (letter; then confirms with 00 once sheet and funds arrived). Faults per peer
// account or transfer number: refuse, time out, duplicate, out of order, funds held back.
import { randomBytes } from 'node:crypto';
import type { IsoDate, IsoMonth } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString, yuanToFen, type Fen } from '../../domain/money.ts';
import {
  TRANSFER_BUSINESS_TYPE,
  TRANSFER_STATUS,
  type TransferRefusalReason,
  type TransferStatusCode,
} from '../../domain/transfer-codes.ts';
import {
  parseTransferMessage,
  serializeTransferMessage,
  type AccountSheet,
  type ContactLetter,
  type TransferMessage,
} from '../../domain/transfer-messages.ts';
import type {
  PlatformAck,
  PlatformNotifier,
  PlatformTransferStatus,
  TransferPlatformGateway,
} from './gateway.ts';
import { signTransferMessage, transferSecretFromEnv, verifyTransferSignature } from './signing.ts';

/** An account at the peer center, for the sheets it returns. */
export interface PeerAccount {
  accountNumber: string;
  idNumber: string;
  name: string;
  principalFen: Fen;
  interestFen: Fen;
  openDate: IsoDate;
  paidUpToMonth: IsoMonth;
  continuousMonths: number;
  loansUsed?: number;
  loanOutstanding?: boolean;
  frozen?: boolean;
  fraudFound?: boolean;
}

export type PeerFault =
  /** The letter is refused with status 13 and this reason. */
  | { kind: 'refuse'; reason: TransferRefusalReason }
  /** The next `times` (default 1) messages get no answer; with `processed` the peer still acts on them. */
  | { kind: 'timeout'; processed?: boolean; times?: number }
  /** Every message the peer sends for the transfer is delivered twice. */
  | { kind: 'duplicate' }
  /** The peer's messages of one answer are delivered last first (the sheet before the acceptance). */
  | { kind: 'out_of_order' }
  /** The funds are held back until releaseHeld(): the sheet waits for its money. */
  | { kind: 'hold_funds' }
  /**
   * The old center is still reviewing the letter: it acknowledges it and answers (status, sheet, funds) only
   * on answerReviewed(); a cancellation (status 05) from Anju meanwhile ends the transfer unanswered.
   */
  | { kind: 'review' };

/** What the peer's raw handling produced; `no_answer` is a timeout seen from outside. */
export type RawPlatformAck = PlatformAck | { status: 'no_answer' } | { status: 'unauthenticated' };

export interface PeerTransfer {
  transferNo: string;
  /** old: the peer is the old center (Anju transfers in); new: the peer is the new center (Anju transfers out). */
  role: 'old' | 'new';
  accountNumber: string;
  status: TransferStatusCode | null;
  refusalReason: string | null;
  sheet: AccountSheet | null;
  fundsFen: Fen | null;
  nextSeq: number;
  receivedMessageIds: string[];
}

export interface SentPeerMessage {
  message: TransferMessage;
  rawBody: string;
  signature: string;
  state: 'scheduled' | 'held' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
}

export interface InProcessPeerCenterOptions {
  secret?: string;
  notify?: PlatformNotifier;
  centerCode?: string;
  centerName?: string;
  /** Anju's center code, written as the addressee of the peer's messages (default 150200, Baotou). */
  anjuCenterCode?: string;
  /** How long the caller waits for an answer before TRANSFER_PLATFORM_TIMEOUT (default 2000 ms). */
  timeoutMs?: number;
  /** The peer's value date for funds (default: today in China, UTC+8). */
  valueDate?: () => IsoDate | Promise<IsoDate>;
  idPrefix?: string;
  deliveryAttempts?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const chinaToday = (): IsoDate => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export class InProcessPeerCenter implements TransferPlatformGateway {
  readonly secret: string;
  readonly centerCode: string;
  readonly centerName: string;
  readonly anjuCenterCode: string;
  readonly timeoutMs: number;
  readonly sent: SentPeerMessage[] = [];
  /** Every message Anju sent that the peer accepted (repeats included), in arrival order. */
  readonly received: TransferMessage[] = [];
  private notifier: PlatformNotifier | undefined;
  private readonly accounts = new Map<string, PeerAccount>();
  private readonly faults = new Map<string, PeerFault>();
  private readonly transfers = new Map<string, PeerTransfer>();
  private readonly answered = new Map<string, PlatformAck>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held: SentPeerMessage[] = [];
  /** Answers to letters under review (fault review), by transfer number. */
  private readonly reviewing = new Map<string, SentPeerMessage[]>();
  private readonly valueDate: () => IsoDate | Promise<IsoDate>;
  private readonly idPrefix: string;
  private readonly deliveryAttempts: number;
  private counter = 0;

  constructor(options: InProcessPeerCenterOptions = {}) {
    this.secret = options.secret ?? transferSecretFromEnv();
    this.notifier = options.notify;
    this.centerCode = options.centerCode ?? '110000';
    this.centerName = options.centerName ?? '北京住房公积金管理中心（模拟）';
    this.anjuCenterCode = options.anjuCenterCode ?? '150200';
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.valueDate = options.valueDate ?? chinaToday;
    this.idPrefix = options.idPrefix ?? `P${randomBytes(3).toString('hex').toUpperCase()}`;
    this.deliveryAttempts = options.deliveryAttempts ?? 3;
  }

  setNotifier(notify: PlatformNotifier): void {
    this.notifier = notify;
  }

  addAccount(account: PeerAccount): void {
    this.accounts.set(account.accountNumber, { ...account });
  }

  /** The fault applies to messages of this transfer number, or of letters naming this peer account. */
  setFault(transferNoOrAccount: string, fault: PeerFault | null): void {
    if (fault) this.faults.set(transferNoOrAccount, fault);
    else this.faults.delete(transferNoOrAccount);
  }

  transfer(transferNo: string): PeerTransfer | undefined {
    const t = this.transfers.get(transferNo);
    return t ? { ...t, receivedMessageIds: [...t.receivedMessageIds] } : undefined;
  }

  // ---- TransferPlatformGateway (Anju → peer) ------------------------------------------------------------

  async send(rawBody: string, signature: string): Promise<PlatformAck> {
    const answer = await this.handleMessage(rawBody, signature);
    if (answer.status === 'no_answer') {
      await sleep(this.timeoutMs);
      throw new AppError('TRANSFER_PLATFORM_TIMEOUT', { details: { timeoutMs: this.timeoutMs } });
    }
    if (answer.status === 'unauthenticated')
      return { status: 'rejected', code: 'TRANSFER_SIGNATURE_INVALID' };
    return answer;
  }

  async queryStatus(transferNo: string): Promise<PlatformTransferStatus> {
    const t = this.transfers.get(transferNo);
    return {
      transferNo,
      known: t !== undefined,
      status: t?.status ?? null,
      receivedMessageIds: t ? [...t.receivedMessageIds] : [],
    };
  }

  /** The peer's side of a message from Anju, shared by the in-process gateway and the HTTP server. */
  async handleMessage(rawBody: string, signature: string): Promise<RawPlatformAck> {
    if (!verifyTransferSignature(rawBody, signature, this.secret)) return { status: 'unauthenticated' };
    let message: TransferMessage;
    try {
      message = parseTransferMessage(rawBody);
    } catch {
      return { status: 'rejected', code: 'TRANSFER_MESSAGE_MALFORMED' };
    }
    const before = this.answered.get(message.messageId);
    if (before) return before;
    const accountKey = message.type === 'contact_letter' ? message.body.oldAccountNumber : '';
    const faultKey = this.faults.has(message.transferNo) ? message.transferNo : accountKey;
    const fault = this.faults.get(faultKey);
    if (fault?.kind === 'timeout') {
      const left = (fault.times ?? 1) - 1;
      if (left <= 0) this.faults.delete(faultKey);
      else this.faults.set(faultKey, { ...fault, times: left });
      if (!fault.processed) return { status: 'no_answer' };
      await this.act(message);
      return { status: 'no_answer' };
    }
    return this.act(message);
  }

  private async act(message: TransferMessage): Promise<PlatformAck> {
    const ack: PlatformAck = { status: 'accepted', messageId: message.messageId };
    this.answered.set(message.messageId, ack);
    this.received.push(message);
    switch (message.type) {
      case 'contact_letter':
        await this.answerLetter(message.transferNo, message.body);
        break;
      case 'status': {
        const t = this.transfers.get(message.transferNo);
        if (t) {
          t.status = message.body.status;
          if (message.body.status === TRANSFER_STATUS.transferOutRefused)
            t.refusalReason = message.body.reason ?? null;
        }
        break;
      }
      case 'account_sheet': {
        const t = this.transfers.get(message.transferNo);
        if (t) {
          t.sheet = message.body;
          await this.confirmIfComplete(t);
        }
        break;
      }
      case 'funds': {
        const t = this.transfers.get(message.transferNo);
        if (t) {
          t.fundsFen = (t.fundsFen ?? 0n) + yuanToFen(message.body.amount);
          await this.confirmIfComplete(t);
        }
        break;
      }
    }
    this.transfers.get(message.transferNo)?.receivedMessageIds.push(message.messageId);
    return ack;
  }

  /** As the old center: refuse, or accept and send the sheet and the money. */
  private async answerLetter(transferNo: string, letter: ContactLetter): Promise<void> {
    const account = this.accounts.get(letter.oldAccountNumber);
    const t: PeerTransfer = {
      transferNo,
      role: 'old',
      accountNumber: letter.oldAccountNumber,
      status: null,
      refusalReason: null,
      sheet: null,
      fundsFen: null,
      nextSeq: 1,
      receivedMessageIds: [],
    };
    this.transfers.set(transferNo, t);
    const fault = this.faults.get(transferNo) ?? this.faults.get(letter.oldAccountNumber);
    const refusal: TransferRefusalReason | null =
      fault?.kind === 'refuse'
        ? fault.reason
        : !account
          ? 'ACCOUNT_NOT_FOUND'
          : account.idNumber !== letter.person.idNumber
            ? 'PERSON_MISMATCH'
            : account.loanOutstanding
              ? 'LOAN_OUTSTANDING'
              : account.frozen
                ? 'ACCOUNT_FROZEN'
                : null;
    const out = (type: TransferMessage['type'], body: TransferMessage['body']) =>
      this.compose(t, TRANSFER_BUSINESS_TYPE.transferOut, type, body);
    if (refusal || !account) {
      t.status = TRANSFER_STATUS.transferOutRefused;
      t.refusalReason = refusal;
      this.dispatch(
        [out('status', { status: TRANSFER_STATUS.transferOutRefused, reason: refusal ?? '' })],
        fault,
      );
      return;
    }
    t.status = TRANSFER_STATUS.letterAccepted;
    const sheet: AccountSheet = {
      accountNumber: account.accountNumber,
      name: account.name,
      principal: fenToYuanString(account.principalFen),
      interest: fenToYuanString(account.interestFen),
      openDate: account.openDate,
      paidUpToMonth: account.paidUpToMonth,
      continuousMonths: account.continuousMonths,
      lastSixMonthsContinuous: account.continuousMonths >= 6,
      loansUsed: account.loansUsed ?? 0,
      loanOutstanding: false,
      fraudFound: account.fraudFound ?? false,
    };
    const valueDate = await this.valueDate();
    const funds = out('funds', {
      amount: fenToYuanString(account.principalFen + account.interestFen),
      serial: `${this.idPrefix}S${String(++this.counter).padStart(8, '0')}`,
      valueDate,
    });
    const answer = [
      out('status', { status: TRANSFER_STATUS.letterAccepted }),
      out('account_sheet', sheet),
      funds,
    ];
    if (fault?.kind === 'review') {
      t.status = TRANSFER_STATUS.letterReviewed;
      this.reviewing.set(transferNo, answer);
      return;
    }
    this.dispatch(answer, fault);
  }

  /**
   * The old center finishes reviewing a letter held by fault review and sends its answer, unless Anju
   * cancelled the transfer meanwhile; `crossed` sends it even then, as when the answer crossed the
   * cancellation in the post. Waits for the deliveries; returns whether anything was sent.
   */
  async answerReviewed(transferNo: string, options: { crossed?: boolean } = {}): Promise<boolean> {
    const answer = this.reviewing.get(transferNo);
    const t = this.transfers.get(transferNo);
    if (!answer || !t) return false;
    this.reviewing.delete(transferNo);
    if (t.status === TRANSFER_STATUS.transferInCancelled && !options.crossed) return false;
    if (t.status !== TRANSFER_STATUS.transferInCancelled) t.status = TRANSFER_STATUS.letterAccepted;
    this.dispatch(answer, undefined);
    await this.idle();
    return true;
  }

  /** As the new center: once the sheet and the whole money arrived, the transfer is done (00). */
  private async confirmIfComplete(t: PeerTransfer): Promise<void> {
    if (t.role !== 'new' || !t.sheet || t.fundsFen === null || t.status === TRANSFER_STATUS.done) return;
    if (t.fundsFen !== yuanToFen(t.sheet.principal) + yuanToFen(t.sheet.interest)) return;
    t.status = TRANSFER_STATUS.done;
    this.dispatch(
      [this.compose(t, TRANSFER_BUSINESS_TYPE.transferIn, 'status', { status: TRANSFER_STATUS.done })],
      this.faults.get(t.transferNo),
    );
  }

  // ---- the peer as the new center: a person asks it to bring their money from Anju ---------------------

  /** Sends a contact letter to Anju for one of Anju's accounts; returns the transfer number. */
  async startTransferOut(input: {
    anjuCenterName?: string;
    anjuAccountNumber: string;
    idType?: string;
    idNumber: string;
    name: string;
    phone?: string;
    newAccountNumber?: string;
  }): Promise<string> {
    const transferNo = `${this.idPrefix}T${String(++this.counter).padStart(8, '0')}`;
    const t: PeerTransfer = {
      transferNo,
      role: 'new',
      accountNumber: input.newAccountNumber ?? `${this.centerCode}${String(this.counter).padStart(8, '0')}`,
      status: null,
      refusalReason: null,
      sheet: null,
      fundsFen: null,
      nextSeq: 1,
      receivedMessageIds: [],
    };
    this.transfers.set(transferNo, t);
    const letter: ContactLetter = {
      person: {
        idType: input.idType ?? 'resident',
        idNumber: input.idNumber,
        name: input.name,
        phone: input.phone ?? '13900000000',
      },
      newAccountNumber: t.accountNumber,
      newCenterCode: this.centerCode,
      newCenterName: this.centerName,
      oldCenterCode: this.anjuCenterCode,
      oldCenterName: input.anjuCenterName ?? '包头市住房公积金管理中心',
      oldAccountNumber: input.anjuAccountNumber,
      receivingBank: {
        bankName: '中国工商银行（模拟）',
        accountNumber: '0200000000001',
        accountName: this.centerName,
      },
    };
    const sent = this.compose(t, TRANSFER_BUSINESS_TYPE.transferIn, 'contact_letter', letter);
    const fault = this.faults.get(transferNo) ?? this.faults.get(input.anjuAccountNumber);
    if (fault?.kind === 'duplicate') {
      await this.deliver(sent);
      await this.deliver(sent);
    } else await this.deliver(sent);
    return transferNo;
  }

  // ---- delivery -----------------------------------------------------------------------------------------

  /** Re-sends a message already sent (a platform retry, or a test of duplicates). */
  async resend(messageId: string): Promise<void> {
    const sent = this.sent.find((s) => s.message.messageId === messageId);
    if (!sent) throw new AppError('TRANSFER_NOT_FOUND', { details: { messageId } });
    await this.deliver(sent);
  }

  /** Delivers the held funds now and waits for every delivery. */
  async releaseHeld(): Promise<void> {
    const held = this.held.splice(0);
    for (const h of held) this.track(this.deliver(h));
    await this.idle();
  }

  /** Resolves when no delivery is in flight (held messages do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private compose(
    t: PeerTransfer,
    businessType: TransferMessage['businessType'],
    type: TransferMessage['type'],
    body: TransferMessage['body'],
  ): SentPeerMessage {
    const seq = type === 'funds' ? null : t.nextSeq++;
    const message = {
      messageId: `${this.idPrefix}M${String(++this.counter).padStart(8, '0')}`,
      transferNo: t.transferNo,
      businessType,
      type,
      seq,
      fromCenter: this.centerCode,
      toCenter: this.anjuCenterCode,
      body,
    } as TransferMessage;
    const rawBody = serializeTransferMessage(message);
    const sent: SentPeerMessage = {
      message,
      rawBody,
      signature: signTransferMessage(rawBody, this.secret),
      state: 'scheduled',
      attempts: 0,
    };
    this.sent.push(sent);
    return sent;
  }

  /** Delivers an answer after the current request has been answered, with the fault applied. */
  private dispatch(messages: SentPeerMessage[], fault: PeerFault | undefined): void {
    let batch = messages;
    if (fault?.kind === 'hold_funds') {
      for (const m of batch.filter((s) => s.message.type === 'funds')) {
        m.state = 'held';
        this.held.push(m);
      }
      batch = batch.filter((s) => s.message.type !== 'funds');
    }
    if (fault?.kind === 'out_of_order') batch = [...batch].reverse();
    const times = fault?.kind === 'duplicate' ? 2 : 1;
    this.track(
      sleep(0).then(async () => {
        for (const m of batch) for (let i = 0; i < times; i += 1) await this.deliver(m);
      }),
    );
  }

  private async deliver(sent: SentPeerMessage): Promise<void> {
    if (!this.notifier) {
      sent.state = 'failed';
      sent.lastError = 'no notifier connected';
      return;
    }
    let delay = 20;
    for (let attempt = 1; attempt <= this.deliveryAttempts; attempt += 1) {
      sent.attempts += 1;
      try {
        await this.notifier(sent.rawBody, sent.signature);
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
}
