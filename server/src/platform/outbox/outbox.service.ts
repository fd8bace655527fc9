import type { Kysely } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { Database } from '../../db/types.js';
import type { MessageChannel, MessageLanguage, MessageStatus } from '../../db/types.outbox.js';
import { uid } from '../ids.js';
import type { Jobs } from '../jobs/index.js';
import type { SmsSender } from '../sms.js';
import type { EmailSender } from './email.js';
import * as repo from './outbox.repository.js';
import { render, withSecrets, type Params } from './templates.js';

/** The queue the outbox's deliveries go through (pg-boss). */
export const DELIVER_QUEUE = 'outbox.deliver';
const SWEEP = 'outbox.sweep';

export interface NewMessage {
  /** A mobile number (sms) or an e-mail address. */
  to: string;
  channel?: MessageChannel;
  /** A template name (templates.ts; 'text' with params en, hi for text written by the caller). */
  template: string;
  params?: Params;
  /** The recipient's language; 'both' (English / Hindi) when not known. */
  language?: MessageLanguage;
  /** What the message is about, for the record and for counts (e.g. { kind: 'grievance', id: ticketNumber }). */
  about?: { kind: string; id?: string | null };
  /** Who caused it (a username), or null for the public and the system. */
  createdBy?: string | null;
  /** The place it concerns (an org unit path): officers see the messages of their area. */
  orgPath?: string | null;
  /** Not sent after this time (a one-time code that has expired is given up). */
  expiresAt?: Date | null;
}

export interface QueuedMessage { id: string; channel: MessageChannel; to: string }

export interface OutboxOptions {
  /** Seconds before the first retry (doubled each time). */
  retrySeconds: number;
  /** Tries in all before a message is given up. */
  attempts: number;
  log?: { warn(obj: object, msg: string): void };
}

const errorText = (e: unknown) => {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return `${err.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
};

const byOutbox = new WeakMap<object, Outbox>();

/** The outbox an app made around this SMS sender (so code handed `deps.sms` still writes to the outbox). */
export function outboxOf(sms: SmsSender | Outbox): Outbox {
  if (sms instanceof Outbox) return sms;
  const o = byOutbox.get(sms);
  if (!o) throw new Error('outbox: no outbox around this SMS sender (build the app with buildApp)');
  return o;
}

/**
 * Every SMS and e-mail goes through here. `queue` writes the messages with the caller's transaction
 * (and their delivery jobs with it): nothing is sent unless the change commits, and nothing committed
 * is lost. After commit, `deliver` tries them at once; a message that fails waits in the queue and is
 * tried again with growing delays (retrySeconds, doubled) until sent or `attempts` tries have failed.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    readonly senders: { sms: SmsSender; email: EmailSender },
    private readonly jobs: Jobs,
    private readonly opts: OutboxOptions,
  ) {
    byOutbox.set(senders.sms, this);
    jobs.work<{ id: string }>(DELIVER_QUEUE, async ({ id }) => {
      const status = await this.attempt(id);
      // Still queued (this try failed) or being sent elsewhere: fail the job so that pg-boss tries again later.
      if (status === 'queued' || status === 'sending') throw new Error(`message ${id} is ${status}`);
    }, { retryLimit: opts.attempts + 4, retryDelaySeconds: opts.retrySeconds, retryBackoff: true, expireSeconds: 120, batchSize: 10 });
    // Belt and braces: a message left with no delivery job (its jobs used up while it was busy elsewhere) gets one again.
    jobs.every(SWEEP, 600, async () => {
      const left = await repo.orphaned(this.db.kysely, await this.jobs.schema(), DELIVER_QUEUE, 10, 500);
      await this.jobs.sendMany(DELIVER_QUEUE, left.map((m) => ({ data: { id: m.id } })));
    });
  }

  /**
   * Writes messages with `db` (the caller's transaction) and their delivery jobs. With
   * `deliverAfterCommit` the caller will call `deliver` once committed, and the queue's first try
   * waits retrySeconds; otherwise the queue sends them within seconds.
   */
  async queue(db: Kysely<Database>, messages: NewMessage | NewMessage[], opts: { deliverAfterCommit?: boolean } = {}): Promise<QueuedMessage[]> {
    const list = Array.isArray(messages) ? messages : [messages];
    const rows = list.map((m) => {
      const language = m.language ?? 'both';
      const { text, subject, secrets } = render(m.template, language, m.params ?? {});
      return {
        id: uid(), channel: m.channel ?? 'sms', recipient: m.to.trim(), template: m.template, language, subject, text,
        secrets: secrets ? JSON.stringify(secrets) : null, expires_at: m.expiresAt ?? null, last_error: null, claimed_until: null, sent_at: null,
        created_by: m.createdBy ?? null, about_kind: m.about?.kind ?? null, about_id: m.about?.id ?? null, org_path: m.orgPath ?? null,
      } as const;
    });
    await repo.insertMessages(db, rows);
    await this.jobs.sendMany(DELIVER_QUEUE, rows.map((r) => ({ data: { id: r.id }, ...(opts.deliverAfterCommit ? { startAfter: this.opts.retrySeconds } : {}) })), { db });
    return rows.map((r) => ({ id: r.id, channel: r.channel, to: r.recipient }));
  }

  /**
   * Tries these messages now (call it after the transaction that queued them has committed). A failure
   * is not an error here: the message stays queued for the retries. With `budgetMs` no new try starts
   * after that long (the rest are left to the queue). Resolves to each message's status.
   */
  async deliver(ids: string[], opts: { budgetMs?: number; concurrency?: number } = {}): Promise<Record<string, MessageStatus>> {
    const out: Record<string, MessageStatus> = {};
    const until = Date.now() + (opts.budgetMs ?? 15_000);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        out[id] = Date.now() > until ? 'queued' : await this.attempt(id).catch(() => 'queued' as const);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ids.length, opts.concurrency ?? 8) }, worker));
    return out;
  }

  /** Queues in a transaction of its own, then tries at once: for callers with no change of their own to commit. */
  async send(messages: NewMessage | NewMessage[]): Promise<(QueuedMessage & { status: MessageStatus })[]> {
    const queued = await this.db.kysely.transaction().execute((trx) => this.queue(trx, messages, { deliverAfterCommit: true }));
    const status = await this.deliver(queued.map((q) => q.id));
    return queued.map((q) => ({ ...q, status: status[q.id] }));
  }

  /** Counts by status (and channel) of the messages about one thing. */
  summaryAbout(kind: string, id: string) {
    return repo.summaryAbout(this.db.kysely, kind, id);
  }

  /** One try of one message, unless it is sent, given up, or being sent by someone else; its status after. */
  async attempt(id: string): Promise<MessageStatus> {
    const k = this.db.kysely;
    const m = await repo.claim(k, id);
    if (!m) return (await repo.statusOf(k, id)) ?? 'failed';
    if (m.expires_at && m.expires_at.getTime() < Date.now()) {
      await repo.markTried(k, id, 'expired before it could be sent', true);
      return 'failed';
    }
    try {
      const text = withSecrets(m.text, m.secrets);
      if (m.channel === 'email') await this.senders.email.send(m.recipient, m.subject ?? 'Swasthya', text, { id });
      else await this.senders.sms.send(m.recipient, text, { id });
    } catch (e) {
      const final = m.attempts >= this.opts.attempts;
      await repo.markTried(k, id, errorText(e), final);
      this.opts.log?.warn({ message: id, channel: m.channel, attempt: m.attempts, err: errorText(e) }, final ? 'outbox: message given up' : 'outbox: message not sent; it is tried again');
      return final ? 'failed' : 'queued';
    }
    await repo.markSent(k, id);
    return 'sent';
  }
}
