import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Statements run often are prepared once per connection and then only bound and executed: PostgreSQL
 * skips parsing and, once its plan cache settles on a generic plan, planning (a patient read spent
 * 0.46 ms of its database's 0.8 ms planning). As Npgsql's automatic preparation: a statement is
 * prepared from its `PREPARE_AFTER`th run in this process, on each connection that runs it, up to
 * `MAX_PER_CONNECTION` statements a connection (then the rest run unprepared; a connection the pool
 * closes takes its statements with it). Only SELECT, WITH, INSERT, UPDATE and DELETE; statements
 * carrying `NOT_PREPARED` in their text never, nor inserts whose ON CONFLICT names a partial index.
 *
 * A statement whose tables changed shape under it (a migration from another server instance adding
 * a column to a `select *`) fails once with PostgreSQL's "cached plan must not change result type";
 * that text is then never prepared again in this process, so the next run of it works.
 */
export const PREPARE_AFTER = 3;
export const MAX_PER_CONNECTION = 300;
/** A marker for statements that must be planned with their values each time (put it in a comment). */
export const NOT_PREPARED = 'swasthya:not-prepared';
/** Texts counted at most; past it, new texts are not counted (nor prepared). */
const MAX_TEXTS = 5_000;

const PREPARABLE = /^\s*(?:select|with|insert|update|delete)\b/i;
/**
 * `on conflict (…) where <predicate with parameters>` names a partial unique index: PostgreSQL finds
 * it by proving its predicate from the values, which a generic plan does not have ("there is no unique
 * or exclusion constraint matching the ON CONFLICT specification"). Such statements are planned each time.
 */
const PARTIAL_ARBITER = /\bon\s+conflict\s*\([^)]*\)\s*where\b/i;
type Seen = { runs: number; name: string | null };
const seen = new Map<string, Seen>();

function nameOf(text: string): string | null {
  let s = seen.get(text);
  if (!s) {
    if (seen.size >= MAX_TEXTS || !PREPARABLE.test(text) || text.includes(NOT_PREPARED) || PARTIAL_ARBITER.test(text)) return null;
    s = { runs: 0, name: null };
    seen.set(text, s);
  }
  if (s.runs < 0) return null;
  if (++s.runs < PREPARE_AFTER) return null;
  return (s.name ??= `s${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`);
}

/** Never prepares `text` again (its prepared form failed). */
function ban(text: string) {
  const s = seen.get(text);
  if (s) s.runs = -1;
  else seen.set(text, { runs: -1, name: null });
}

const RESULT_TYPE_CHANGED = '0A000';
/** What a generic plan of a statement needing its values gives (an arbiter index PARTIAL_ARBITER missed). */
const NO_ARBITER = '42P10';

type Query = (...args: unknown[]) => unknown;
/** `query(...args)` by pg's callback API, as a promise. */
const byCallback = (query: Query, ...args: unknown[]) => new Promise<unknown>((resolve, reject) => {
  query(...args, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res)));
});

/**
 * Kysely's queries on this connection (`client.query(text, values)`) go to pg through its callback
 * API, with a named statement for often-run texts when `prepare`.
 *
 * Why callbacks: through pg's promise API (pg 8.23) the rows of each query, and what the request made
 * of them, outlived V8's young-generation collections: 3-4 MB of every 14 MB collected survived (the
 * db test measures it), so each collection copied them, 5-15 ms a pause in a busy server, and they
 * were promoted to the old generation to be collected again there. Through the callback API about
 * 40 KB survive, nothing of the rows. Those pauses were the tail of `GET /api/ambulances/nearest`
 * (bench ambulances: every request over 9 ms met one).
 */
export function wrapsQueries(client: pg.PoolClient | pg.Client, { prepare }: { prepare: boolean }) {
  const original = client.query.bind(client) as Query;
  let prepared = 0;
  const mine = new Set<string>();
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || args.length !== 2) return original(...args);
    const name = prepare ? nameOf(text) : null;
    if (!name || (!mine.has(name) && prepared >= MAX_PER_CONNECTION)) return byCallback(original, text, values);
    if (!mine.has(name)) {
      mine.add(name);
      prepared++;
    }
    return byCallback(original, { name, text, values }).catch((e: { code?: string; message?: string }) => {
      if ((e?.code === RESULT_TYPE_CHANGED && /cached plan/.test(e.message ?? '')) || e?.code === NO_ARBITER) ban(text);
      throw e;
    });
  };
}

/** For tests: how many runs of `text` this process has seen (-1 once banned), and whether it is prepared. */
export function preparedState(text: string) {
  const s = seen.get(text);
  return s ? { runs: s.runs, prepared: s.runs >= PREPARE_AFTER } : null;
}
