// LISTEN on PostgreSQL: one connection per server instance carries every channel (a pooled client
// would be handed to other queries). When that connection is lost (a server restart, a network
// fault, an administrator ending it) it comes back by itself, listens again on every channel, and
// tells each handler `null`: "notifications may have been missed while away; look again".
import pg from 'pg';

/** Called with each notification's payload, or null after a reconnection. */
export type NotifyHandler = (payload: string | null) => void;

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

export class PgListener {
  private readonly handlers = new Map<string, Set<NotifyHandler>>();
  private connecting: Promise<pg.Client> | null = null;
  private current: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private delay = RETRY_FIRST_MS;
  private closed = false;

  constructor(private readonly config: pg.ClientConfig) {}

  /** Calls `handler` for each NOTIFY on `channel`; resolves to a function that stops it. */
  async listen(channel: string, handler: NotifyHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, set = new Set());
    set.add(handler);
    // A connection opened by this call LISTENs on every known channel, this one included.
    const opening = !this.connecting;
    try {
      const client = await this.connect();
      if (first && !opening) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch {
      // The database cannot be reached now: listening starts when it can (callers keep their own slow refresh).
      this.reconnectLater();
    }
    return async () => {
      set.delete(handler);
      if (set.size || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      await this.current?.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = await this.connecting?.catch(() => null);
    this.current = null;
    await client?.end().catch(() => undefined);
  }

  /** The listening connection, opened (and listening on every known channel) when there is none. */
  private connect(): Promise<pg.Client> {
    return this.connecting ??= (async () => {
      const client = new pg.Client({ ...this.config, application_name: 'swasthya-listen' });
      client.on('notification', (n) => {
        for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        for (const channel of this.handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      } catch (e) {
        this.connecting = null;
        await client.end().catch(() => undefined);
        throw e;
      }
      this.current = client;
      return client;
    })();
  }

  private lost(client: pg.Client) {
    if (this.current !== client) return;
    this.current = null;
    this.connecting = null;
    this.reconnectLater();
  }

  private reconnectLater() {
    if (this.closed || this.retry || this.current || !this.handlers.size) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(() => {
        this.delay = RETRY_FIRST_MS;
        for (const set of this.handlers.values()) for (const h of set) h(null);
      }, () => {
        this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
        this.reconnectLater();
      });
    }, this.delay);
    this.retry.unref();
  }
}
