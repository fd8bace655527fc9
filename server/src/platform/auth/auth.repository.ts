import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

type Db = Kysely<Database>;

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function insertSession(db: Db, tokenHash: string, userId: string, expiresAt: Date) {
  await db.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt }).execute();
}

/** The session's user with the path of their org unit, when the token is live. */
export async function findLiveSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select(['u.id', 'u.username', 'u.role', 'u.org_unit_id', 'o.path', 'o.level', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.active', '=', true)
    .executeTakeFirst();
}

export async function revokeSession(db: Db, tokenHash: string) {
  await db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('token_hash', '=', tokenHash).execute();
}

/** A failure count's key: (name, address), ('', address) or (name, ''); names lower-cased. */
export interface FailureKey { username: string; ip: string }

/**
 * Counts one more attempt against `key` in one atomic statement, starting a new window when the
 * last one (of `windowMin` minutes) has passed. With `limit`, a count that has reached it is left
 * alone and null is returned: the caller refuses the attempt without checking the password, so N
 * parallel requests on any number of server instances get at most `limit` checks. Concurrent
 * statements on one key queue on its row lock and each sees the count the one before it left.
 */
export async function countAttempt(trx: Db, key: FailureKey, windowMin: number, limit: number | null): Promise<number | null> {
  const expired = sql`f.window_start <= now() - make_interval(mins => ${windowMin})`;
  const { rows } = await sql<{ failures: number }>`
    insert into login_failures as f (username, ip, failures, window_start)
    values (${key.username}, ${key.ip}, 1, now())
    on conflict (username, ip) do update set
      failures = case when ${expired} then 1 else f.failures + 1 end,
      window_start = case when ${expired} then now() else f.window_start end
    ${limit === null ? sql`` : sql`where ${expired} or f.failures < ${limit}`}
    returning failures`.execute(trx);
  return rows[0] ? Number(rows[0].failures) : null;
}

/** Seconds until the window of `key` ends (at least 1). */
export async function secondsLeft(db: Db, key: FailureKey, windowMin: number): Promise<number> {
  const { rows } = await sql<{ s: number }>`
    select ceil(extract(epoch from (window_start + make_interval(mins => ${windowMin}) - now())))::int as s
    from login_failures where username = ${key.username} and ip = ${key.ip}`.execute(db);
  return Math.max(1, Number(rows[0]?.s ?? windowMin * 60));
}

/** A sign-in that succeeded: its failures from this address for this name are forgiven. */
export async function forgetFailures(db: Db, key: FailureKey) {
  await db.deleteFrom('login_failures').where('username', '=', key.username).where('ip', '=', key.ip).execute();
}

/** Takes back an attempt counted before its password was checked (one row per statement: no lock order to get wrong). */
export async function uncountAttempt(db: Db, key: FailureKey) {
  await db.updateTable('login_failures')
    .set({ failures: sql<number>`greatest(failures - 1, 0)` })
    .where('username', '=', key.username).where('ip', '=', key.ip)
    .execute();
}

/**
 * Drops counts whose windows began a day ago or more (names tried once by a guesser, mostly). Rows
 * another sign-in holds are skipped, never waited for, so this cannot deadlock with one.
 */
export async function pruneFailures(db: Db) {
  await sql`
    delete from login_failures where (username, ip) in (
      select username, ip from login_failures where window_start < now() - interval '1 day'
      limit 1000 for update skip locked)`.execute(db);
}
