// pg-boss reaches the database through the application's own Kysely instance (its `db` option),
// never a pool of its own: on PostgreSQL it shares the pool (and its handling of lost connections);
// on PGlite, which has one connection, every statement of the queue waits its turn with the
// application's transactions instead of running in the middle of one.
import { CompiledQuery, type Kysely } from 'kysely';
import { SCRIPT_MARK } from '../../db/pglite-dialect.js';

export interface SqlResult { rows: any[]; rowCount?: number }
export interface JobsSql { executeSql(text: string, values?: unknown[]): Promise<SqlResult> }

/** pg-boss's schema and upkeep commands are scripts: BEGIN; several statements; COMMIT, with no parameters. */
const isScript = (text: string, values?: unknown[]) => (!values || values.length === 0) && /^\s*BEGIN\s*;/i.test(text);

/**
 * pg-boss completes or fails a job after its handler without waiting for the answer: should the
 * database be away just then, that statement's error would be a promise nobody handles. Such errors
 * are reported to `onLost` instead; the job then stays active and is retried when its time runs out.
 */
const completion = (text: string) => /SET completed_on = now\(\),\s+state = 'completed'/.test(text) || /WITH deleted_jobs AS/.test(text);

/** Runs pg-boss's SQL on `db` (a transaction when a job is sent together with the business change). */
export function jobsSql(db: Kysely<any>, track?: <T>(run: () => Promise<T>) => Promise<T>, onLost?: (e: Error) => void): JobsSql {
  const run = async (text: string, values?: unknown[]): Promise<SqlResult> => {
    if (isScript(text, values)) {
      // One connection for the whole script; a script that fails midway leaves its transaction open: roll it back there.
      return db.connection().execute(async (c) => {
        try {
          const r = await c.executeQuery(CompiledQuery.raw(`${SCRIPT_MARK}\n${text}`, []));
          return { rows: r.rows as any[] };
        } catch (e) {
          await c.executeQuery(CompiledQuery.raw('rollback', [])).catch(() => undefined);
          throw e;
        }
      });
    }
    const r = await db.executeQuery(CompiledQuery.raw(text, (values ?? []).map((v) => (v === undefined ? null : v))));
    return { rows: r.rows as any[], rowCount: r.numAffectedRows !== undefined ? Number(r.numAffectedRows) : r.rows.length };
  };
  const guarded = (text: string, values?: unknown[]) => (onLost && completion(text)
    ? run(text, values).catch((e: Error) => { onLost(e); return { rows: [{ count: 0 }] }; })
    : run(text, values));
  return { executeSql: (text, values) => (track ? track(() => guarded(text, values)) : guarded(text, values)) };
}
