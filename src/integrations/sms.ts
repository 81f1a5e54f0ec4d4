// Text messages to depositors (login codes). Chinese SMS gateways send pre-approved templates with
// parameters, so the interface does too; the simulator keeps messages in memory for the demo and tests.

export type SmsTemplate = 'login_code';

export interface SmsMessage {
  phone: string;
  template: SmsTemplate;
  params: Record<string, string>;
}

export interface SmsGateway {
  /** True only for the in-process simulator: the API may then echo codes back for the demo. */
  readonly simulated: boolean;
  /** Sends one message; rejects when the gateway refused it. */
  send(message: SmsMessage): Promise<void>;
}

export interface SentSms extends SmsMessage {
  text: string;
  sentAt: Date;
}

/** The text a template renders to (what the simulator shows and a real template is registered as). */
export function renderSms(message: SmsMessage): string {
  switch (message.template) {
    case 'login_code':
      return `【安居公积金】您的登录验证码为 ${message.params.code ?? ''}，${message.params.minutes ?? '5'} 分钟内有效，请勿告知他人。`;
  }
}

export class SimulatedSmsGateway implements SmsGateway {
  readonly simulated = true;
  readonly sent: SentSms[] = [];
  /** Set to make the next sends fail (tests of the failure path). */
  failing = false;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async send(message: SmsMessage): Promise<void> {
    if (this.failing) throw new Error('simulated SMS gateway failure');
    this.sent.push({
      ...message,
      params: { ...message.params },
      text: renderSms(message),
      sentAt: this.clock(),
    });
  }

  /** Messages sent to one phone, oldest first. */
  messagesTo(phone: string): SentSms[] {
    return this.sent.filter((m) => m.phone === phone);
  }

  /** The most recent code sent to this phone, if any. */
  lastCodeFor(phone: string): string | undefined {
    return this.messagesTo(phone).findLast((m) => m.params.code !== undefined)?.params.code;
  }

  clear(): void {
    this.sent.length = 0;
  }
}

/** The gateway for the demo and tests (a real gateway plugs in behind SmsGateway). */
export function createSmsSimulator(clock?: () => Date): SimulatedSmsGateway {
  return new SimulatedSmsGateway(clock);
}
