// Text messages (one-time codes, reminders) go out through an SmsSender. Development uses the log
// sender, which sends nothing and prints each message, clearly marked; a real gateway is configured
// with SWASTHYA_SMS_URL (and SWASTHYA_SMS_TOKEN), which receives POST {to, text, id} as JSON.
// Modules do not call a sender: they write to the outbox (platform/outbox), which calls it after
// commit and retries; `id` is the outbox message's, the same on every try, so a gateway can drop a repeat.

export interface SmsMessage { to: string; text: string; at: Date }

export interface SmsSender {
  /** 'log' (development, nothing sent) or 'http' (a gateway). */
  readonly kind: 'log' | 'http';
  send(to: string, text: string, opts?: { id?: string }): Promise<void>;
}

/** Sends nothing: prints the message and keeps the last hundred (tests read them). */
export class LogSmsSender implements SmsSender {
  readonly kind = 'log' as const;
  readonly outbox: SmsMessage[] = [];
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}
  async send(to: string, text: string) {
    this.outbox.push({ to, text, at: new Date() });
    if (this.outbox.length > 100) this.outbox.shift();
    this.print(`[SMS NOT SENT — development log sender] to ${to}: ${text}`);
  }
  /** The last message sent to a number. */
  lastTo(to: string): SmsMessage | undefined {
    return [...this.outbox].reverse().find((m) => m.to === to);
  }
}

/** Posts {to, text, id} to a gateway; a failure is an error the caller reports. */
export class HttpSmsSender implements SmsSender {
  readonly kind = 'http' as const;
  constructor(private readonly url: string, private readonly token: string | null) {}
  async send(to: string, text: string, opts: { id?: string } = {}) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ to, text, ...(opts.id ? { id: opts.id } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  }
}

export function smsSenderFor(config: { smsUrl: string | null; smsToken: string | null }, print?: (line: string) => void): SmsSender {
  return config.smsUrl ? new HttpSmsSender(config.smsUrl, config.smsToken) : new LogSmsSender(print);
}
