// Live updates of a request's place in its queue, as server-sent events. Every write to a queue
// NOTIFYs `hub|specialty` in its transaction; each API instance LISTENs once and wakes the streams
// watching that queue, which recompute and send only what changed. A slow tick refreshes the
// estimate (doctors go offline, time passes) on engines or setups without notifications.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connect.js';
import { QUEUE_CHANNEL } from './telemedicine.network.js';

type Wake = () => void;

export class QueueEvents {
  private readonly watchers = new Map<string, Set<Wake>>();
  /** Open streams, ended when the server shuts down (they would otherwise hold it open). */
  readonly streams = new Set<() => void>();
  private stop: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  private start() {
    return this.starting ??= (async () => {
      if (!this.db.listen) return;
      this.stop = await this.db.listen(QUEUE_CHANNEL, (payload) => {
        // null: the listening connection was lost and is back; any queue may have changed meanwhile.
        const sets = payload === null ? [...this.watchers.values()] : [this.watchers.get(payload) ?? []];
        for (const set of sets) for (const wake of [...set]) wake();
      });
    })();
  }

  async watch(queue: string, wake: Wake): Promise<() => void> {
    await this.start();
    let set = this.watchers.get(queue);
    if (!set) this.watchers.set(queue, set = new Set());
    set.add(wake);
    return () => {
      set.delete(wake);
      if (!set.size) this.watchers.delete(queue);
    };
  }

  /** Ends every open stream: call before the HTTP server closes. */
  endStreams() {
    for (const end of [...this.streams]) end();
  }

  async close() {
    this.endStreams();
    await this.stop?.();
  }
}

/** Refresh interval when nothing is announced (also the keep-alive of the stream). */
export const TICK_MS = 15_000;

/**
 * Streams `view()` as `event: status` whenever its queue (the first view's hub and specialty) is announced or the tick fires, sending
 * only when it changed; ends after a final state. `view` throwing ends the stream with an error event.
 */
export async function streamRequest(request: FastifyRequest, reply: FastifyReply, events: QueueEvents,
  view: () => Promise<{ status: string; hub: { id: string }; specialty: string } & Record<string, unknown>>) {
  const FINAL = new Set(['completed', 'no_show', 'expired', 'cancelled']);
  await streamView(request, reply, events, view, (v) => [`${v.hub.id}|${v.specialty}`], (v) => FINAL.has(v.status));
}

/**
 * Streams `view()` as `event: status` whenever one of the queues it names (`hub|specialty`, from the
 * first view) is announced or the tick fires, sending only what changed; ends when `final` says so.
 * Errors before the stream starts answer as ordinary 4xx responses; `view` throwing later ends the
 * stream with an error event.
 */
export async function streamView<T extends object>(request: FastifyRequest, reply: FastifyReply, events: QueueEvents,
  view: () => Promise<T>, queuesOf: (first: T) => string[], final: (v: T) => boolean = () => false) {
  const first = await view();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let last = '';
  let closed = false;
  let busy = false;
  let again = false;
  const send = (v: T) => {
    const data = JSON.stringify(v);
    if (data === last) return;
    last = data;
    res.write(`event: status\ndata: ${data}\n\n`);
  };
  const unwatches: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const u of unwatches) u();
    events.streams.delete(end);
    res.end();
  };
  events.streams.add(end);
  const refresh = async () => {
    if (closed) return;
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        const v = await view();
        send(v);
        if (final(v)) { end(); return; }
      } while (again && !closed);
    } catch (e) {
      res.write(`event: error\ndata: ${JSON.stringify({ message: (e as Error).message })}\n\n`);
      end();
    } finally {
      busy = false;
    }
  };
  send(first);
  if (final(first)) { end(); return; }
  request.raw.on('close', end);
  for (const q of new Set(queuesOf(first))) {
    const u = await events.watch(q, () => { void refresh(); });
    if (closed) u(); else unwatches.push(u);
  }
  if (!closed) timer = setInterval(() => { res.write(': tick\n\n'); void refresh(); }, TICK_MS);
}
