// E-mail goes out like SMS: development uses the log sender, which sends nothing and prints each
// message, clearly marked; a real mail service is configured with SWASTHYA_EMAIL_URL (and
// SWASTHYA_EMAIL_TOKEN), which receives POST {to, subject, text, id} as JSON (most mail services and
// an SMTP relay in front of the state's mail server take such a call).

export interface EmailSender {
  readonly kind: 'log' | 'http';
  send(to: string, subject: string, text: string, opts?: { id?: string }): Promise<void>;
}

export class LogEmailSender implements EmailSender {
  readonly kind = 'log' as const;
  readonly outbox: { to: string; subject: string; text: string; at: Date }[] = [];
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}
  async send(to: string, subject: string, text: string) {
    this.outbox.push({ to, subject, text, at: new Date() });
    if (this.outbox.length > 100) this.outbox.shift();
    this.print(`[EMAIL NOT SENT — development log sender] to ${to}: ${subject}: ${text}`);
  }
}

export class HttpEmailSender implements EmailSender {
  readonly kind = 'http' as const;
  constructor(private readonly url: string, private readonly token: string | null) {}
  async send(to: string, subject: string, text: string, opts: { id?: string } = {}) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ to, subject, text, ...(opts.id ? { id: opts.id } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`e-mail service answered ${res.status}`);
  }
}

export function emailSenderFor(config: { emailUrl?: string | null; emailToken?: string | null }, print?: (line: string) => void): EmailSender {
  return config.emailUrl ? new HttpEmailSender(config.emailUrl, config.emailToken ?? null) : new LogEmailSender(print);
}
