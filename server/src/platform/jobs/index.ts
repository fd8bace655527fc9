// The scheduler: timed work and queued work of every module, on pg-boss (a maintained job queue in
// PostgreSQL, schema `pgboss`). The same code runs on PostgreSQL (several server instances share the
// queue: a job is taken by one instance, FOR UPDATE SKIP LOCKED) and on embedded PGlite (one process).
//
// A module registers its work while its routes are registered (before the app is ready):
//
//   app.jobs.every('grievances.escalate', 300, async () => { await escalateOverdue(db.kysely) });
//   app.jobs.every('hmis.reminders', '0 9 * * *', ...)        // cron, Asia/Kolkata
//   app.jobs.work<{ id: string }>('telemedicine.expire', async (data) => { ... });
//   await app.jobs.send('telemedicine.expire', { id }, { startAfter: 3600, db: trx });  // with the transaction
//
// The app starts the scheduler when it is ready and stops it when it closes (app.ts). Handlers must
// be idempotent: a job is retried after a failure, and an instance that dies mid-job leaves it to be
// retried once its time runs out. `every` runs once per interval across all instances.
import type { Kysely } from 'kysely';

export interface WorkOptions {
  /** Tries after the first before the job is given up (default 5). */
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time with backoff (default 30, or the scheduler's). */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** A job running longer than this is taken as lost and retried (default 120). */
  expireSeconds?: number;
  /** Jobs taken per poll and run side by side on this instance (default 10). */
  batchSize?: number;
}

export interface SendOptions {
  /** A Date, or seconds from now. */
  startAfter?: Date | number;
  /** Only one job with this key waits at a time (later sends return null while it waits). */
  singletonKey?: string;
  /** Send with the caller's transaction: the job exists only if that transaction commits. */
  db?: Kysely<any>;
}

export interface JobInfo { id: string; name: string }
export type JobHandler<T> = (data: T, job: JobInfo) => Promise<void>;

export interface Jobs {
  readonly started: boolean;
  /** The schema pg-boss keeps its tables in (`pgboss`, or `<schema>_pgboss` for an app on another schema than public). */
  schema(): Promise<string>;
  /** Handles jobs sent to `name` (one handler per name). */
  work<T = unknown>(name: string, handler: JobHandler<T>, opts?: WorkOptions): void;
  /**
   * Runs `handler` every `schedule`: a number of seconds (at least 1), or a cron expression read in
   * Asia/Kolkata (minute resolution). Once per period across all server instances; one run at a time.
   */
  every(name: string, schedule: number | string, handler: () => Promise<void>, opts?: WorkOptions): void;
  /** Queues a job for `name`'s handler; its id, or null when a singleton is already waiting. */
  send<T = unknown>(name: string, data: T, opts?: SendOptions): Promise<string | null>;
  /** Queues many jobs in one statement (with the caller's transaction when `db` is given). */
  sendMany<T = unknown>(name: string, items: { data: T; startAfter?: Date | number }[], opts?: { db?: Kysely<any> }): Promise<void>;
  /** Queues one run of an `every` job now and waits until it has finished (tests, operators). */
  runNow(name: string, timeoutMs?: number): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface JobsOptions {
  /** Seconds between polls for new jobs (default 2; at least 0.5). */
  pollSeconds?: number;
  /** Default first retry delay in seconds (default 30). */
  retryDelaySeconds?: number;
  log?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void };
}

export { createJobs, installJobs, jobsSchema, JOBS_SCHEMA } from './boss.js';
