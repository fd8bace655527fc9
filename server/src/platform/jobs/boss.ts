import PgBoss from 'pg-boss';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Db } from '../../db/connect.js';
import { jobsSql } from './sql.js';
import type { JobHandler, Jobs, JobsOptions, SendOptions, WorkOptions } from './index.js';

/**
 * pg-boss keeps its tables (queues, jobs, schedules, archive) in schema `pgboss`; an app whose tables
 * are in another schema than `public` (its search path: tests that share a database, a state that
 * gives Swasthya a schema of its own) has its queue in `<schema>_pgboss`, so that apps never take
 * each other's jobs.
 */
export const JOBS_SCHEMA = 'pgboss';
const schemas = new WeakMap<Db, Promise<string>>();
export function jobsSchema(db: Db): Promise<string> {
  let s = schemas.get(db);
  if (!s) {
    s = db.kysely.executeQuery<{ s: string }>(CompiledQuery.raw('select current_schema() as s', []))
      .then((r) => { const cur = r.rows[0]?.s ?? 'public'; return cur === 'public' ? JOBS_SCHEMA : `${cur}_pgboss`; });
    schemas.set(db, s);
  }
  return s;
}
/** Cron expressions are read in the state's time. */
const CRON_TZ = 'Asia/Kolkata';

interface Registered { name: string; handler: JobHandler<any>; opts: WorkOptions; schedule: number | string | null }

const startAfterOf = (v: Date | number | undefined) => (v === undefined ? undefined : v instanceof Date ? v : Math.max(0, Math.round(v)));

/** pg-boss on the application's own database (no pool of its own): see sql.ts. */
async function boss(db: Db, extra: Record<string, unknown>, track?: <T>(run: () => Promise<T>) => Promise<T>, onLost?: (e: Error) => void) {
  return new PgBoss({ db: jobsSql(db.kysely, track, onLost), schema: await jobsSchema(db), ...extra } as any);
}

/**
 * Creates (or brings up to date) pg-boss's schema and the queues named, so that a database made
 * ready once (the test templates, a new installation) needs no DDL when an app starts.
 */
export async function installJobs(db: Db, queues: string[] = []): Promise<void> {
  const b = await boss(db, { supervise: false, schedule: false, migrate: true });
  b.on('error', () => undefined);
  await b.start();
  for (const name of queues) await b.createQueue(name);
  await b.stop({ graceful: false, close: false, wait: true });
}

export function createJobs(db: Db, options: JobsOptions = {}): Jobs {
  const pollSeconds = Math.max(0.5, options.pollSeconds ?? 2);
  const retryDelaySeconds = Math.max(1, options.retryDelaySeconds ?? 30);
  const registered = new Map<string, Registered>();
  const workerIds = new Map<string, string>();
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let b: PgBoss | null = null;
  // Sends go through an instance that never polls (and is not stopped: a send is the caller's statement, with its transaction).
  let idleBoss: Promise<PgBoss> | null = null;
  const sender = () => (idleBoss ??= boss(db, { supervise: false, schedule: false, migrate: false }));
  // Queues known to exist: pg-boss drops a job sent to a queue that does not exist, without a word.
  const known = new Set<string>();
  // Queues being created for a handler registered just now (sends to them wait).
  const creating = new Map<string, Promise<void>>();
  const ensureQueue = async (name: string, k?: Kysely<any>) => {
    if (known.has(name)) return;
    const inTransaction = !!k?.isTransaction;
    // PGlite has one connection: a queue being made waits for the caller's transaction, so it is not waited for there.
    const single = db.engine === 'pglite';
    if (!(inTransaction && single)) await creating.get(name)?.catch(() => undefined);
    if (known.has(name)) return;
    const schema = await jobsSchema(db);
    const have = await (k ?? db.kysely).executeQuery(CompiledQuery.raw(`select 1 from ${schema}.queue where name = $1`, [name]));
    if (have.rows.length) { known.add(name); return; }
    if (inTransaction) {
      // On PostgreSQL never inside the caller's transaction: making a queue is DDL on pg-boss's tables,
      // which would lock against every other sender (and could deadlock with another instance making it).
      if (!single) throw new Error(`jobs: there is no queue ${name}: register its handler (jobs.work or jobs.every) before sending to it`);
      await k!.executeQuery(CompiledQuery.raw(`select ${schema}.create_queue($1, $2)`, [name, JSON.stringify({ policy: 'standard' })]));
      return;
    }
    await db.kysely.executeQuery(CompiledQuery.raw(`select ${schema}.create_queue($1, $2)`, [name, JSON.stringify({ policy: 'standard' })]));
    known.add(name);
  };
  let started = false;
  let stopping = false;
  let closed = false;
  let cronRunning = false;

  // Every statement and handler is counted, so that stop() returns only when none is left running on
  // the database; a straggler after that waits for ever instead of touching a closed database.
  const track = <T>(run: () => Promise<T>): Promise<T> => {
    if (closed) return new Promise<T>(() => undefined);
    const p = run();
    inFlight.add(p);
    p.then(() => inFlight.delete(p), () => inFlight.delete(p));
    return p;
  };
  const idle = async (ms: number) => {
    const until = Date.now() + ms;
    let quiet = 0;
    while (Date.now() < until && quiet < 2) {
      if (inFlight.size) { quiet = 0; await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 200))]); } else { quiet++; await new Promise((r) => setTimeout(r, 5)); }
    }
  };

  const queueOptions = (name: string, opts: WorkOptions, singleton: boolean): PgBoss.Queue => ({
    name,
    policy: singleton ? 'singleton' : 'standard',
    retryLimit: opts.retryLimit ?? 5,
    retryDelay: opts.retryDelaySeconds ?? retryDelaySeconds,
    retryBackoff: opts.retryBackoff ?? true,
    expireInSeconds: opts.expireSeconds ?? 120,
  });

  async function startOne(r: Registered) {
    const bb = b!;
    const singleton = r.schedule !== null;
    const ready = (async () => {
      await bb.createQueue(r.name, queueOptions(r.name, r.opts, singleton));
      await bb.updateQueue(r.name, queueOptions(r.name, r.opts, singleton));
      known.add(r.name);
    })();
    creating.set(r.name, ready);
    await ready;
    const batchSize = singleton ? 1 : Math.max(1, r.opts.batchSize ?? 10);
    const id = await bb.work(r.name, { batchSize, pollingIntervalSeconds: pollSeconds }, async (jobs: PgBoss.Job<any>[]) => {
      if (stopping) throw new Error('the server is stopping; the job is retried');
      await track(() => Promise.all(jobs.map(async (job) => {
        try {
          await r.handler(job.data ?? {}, { id: job.id, name: r.name });
        } catch (e) {
          options.log?.warn({ job: r.name, id: job.id, err: (e as Error).message }, 'job failed; it is retried');
          // Only this job fails: pg-boss then completes those of the batch still active.
          await bb.fail(r.name, job.id, { message: (e as Error).message }).catch(() => undefined);
        }
      })));
    });
    workerIds.set(r.name, id);
    if (typeof r.schedule === 'string') {
      await bb.schedule(r.name, r.schedule, {}, { tz: CRON_TZ, singletonKey: r.name });
    } else if (typeof r.schedule === 'number') {
      const seconds = Math.max(1, Math.round(r.schedule));
      // Each instance offers a run twice per period; the throttle (one job per key and period, a unique
      // index in pgboss) lets one through, and the singleton policy runs one at a time.
      const offer = () => { if (!stopping) void track(() => bb.sendThrottled(r.name, {}, {}, seconds, r.name)).catch(() => undefined); };
      offer();
      const t = setInterval(offer, Math.max(500, (seconds * 1000) / 2));
      t.unref();
      timers.push(t);
    }
  }

  const jobs: Jobs = {
    get started() { return started; },
    schema: () => jobsSchema(db),
    work(name, handler, opts = {}) {
      if (registered.has(name)) throw new Error(`jobs: ${name} already has a handler`);
      const r = { name, handler, opts, schedule: null };
      registered.set(name, r);
      if (started) void startOne(r).catch((e: Error) => options.log?.warn({ job: name, err: e.message }, 'jobs: could not start a worker'));
    },
    every(name, schedule, handler, opts = {}) {
      if (registered.has(name)) throw new Error(`jobs: ${name} already has a handler`);
      if (typeof schedule === 'number' && !(schedule >= 1)) throw new Error(`jobs: ${name} must run at most once a second`);
      // Cron schedules are read by pg-boss's timekeeper, which runs only when one is known at start.
      if (typeof schedule === 'string' && started && !cronRunning) throw new Error(`jobs: register the cron job ${name} before the app is ready`);
      const r = { name, handler: () => handler(), opts, schedule };
      registered.set(name, r);
      if (started) void startOne(r).catch((e: Error) => options.log?.warn({ job: name, err: e.message }, 'jobs: could not start a worker'));
    },
    async send(name, data, opts: SendOptions = {}) {
      const bb = await sender();
      await ensureQueue(name, opts.db);
      const sendOpts: PgBoss.SendOptions = {
        ...(opts.startAfter !== undefined ? { startAfter: startAfterOf(opts.startAfter) } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
        ...(opts.db ? { db: jobsSql(opts.db) } : {}),
      } as PgBoss.SendOptions;
      const id = await bb.send(name, (data ?? {}) as object, sendOpts);
      if (!opts.db && !opts.startAfter) wake(name);
      return id;
    },
    async sendMany(name, items, opts = {}) {
      if (!items.length) return;
      const bb = await sender();
      await ensureQueue(name, opts.db);
      // In a batch insert, startAfter is an ISO time or a number of seconds as text (pg-boss casts it to an interval).
      const at = (v: Date | number) => (v instanceof Date ? v.toISOString() : String(Math.max(0, Math.round(v))));
      const rows: PgBoss.JobInsert[] = items.map((i) => ({ name, data: i.data as object, ...(i.startAfter !== undefined ? { startAfter: at(i.startAfter) } : {}) }));
      await bb.insert(rows, opts.db ? { db: jobsSql(opts.db) } as any : undefined);
      if (!opts.db) wake(name);
    },
    async runNow(name, timeoutMs = 30_000) {
      if (!b || !started) throw new Error('jobs: the scheduler is not running');
      const id = await b.send(name, { now: true }, { singletonKey: name });
      if (!id) throw new Error(`jobs: no queue ${name}`);
      wake(name);
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const job = await b.getJobById(name, id);
        if (job?.state === 'completed') return;
        if (job?.state === 'failed') throw new Error(`jobs: ${name} failed: ${JSON.stringify(job.output)}`);
        await new Promise((r) => setTimeout(r, 50));
        wake(name);
      }
      throw new Error(`jobs: ${name} did not finish within ${timeoutMs} ms`);
    },
    async start() {
      if (started || stopping) return;
      const anyCron = [...registered.values()].some((r) => typeof r.schedule === 'string');
      cronRunning = anyCron;
      b = await boss(db, { supervise: true, schedule: anyCron, migrate: true, maintenanceIntervalSeconds: 120 }, track,
        (e) => options.log?.warn({ err: e.message }, 'jobs: a job\'s end could not be recorded; it is retried when its time runs out'));
      b.on('error', (e: Error) => { if (!stopping) options.log?.warn({ err: e.message }, 'jobs: pg-boss reported an error'); });
      await b.start();
      started = true;
      for (const r of registered.values()) await startOne(r);
    },
    async stop() {
      if (!b || stopping) return;
      stopping = true;
      for (const t of timers) clearInterval(t);
      await b.stop({ graceful: true, wait: true, close: false, timeout: 10_000 }).catch(() => undefined);
      await idle(15_000);
      closed = true;
      started = false;
    },
  };

  function wake(name: string) {
    const id = workerIds.get(name);
    if (id && b && !stopping) b.notifyWorker(id);
  }

  return jobs;
}
