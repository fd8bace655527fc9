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

export async function recordAttempt(db: Db, username: string, ip: string, success: boolean) {
  await db.insertInto('login_attempts').values({ username: username.toLowerCase(), ip, success }).execute();
}

/** Failed attempts for a username, and failed attempts from an address, within the windows given. */
export async function countRecentAttempts(db: Db, username: string, ip: string, userWindowMin: number, ipWindowMin: number) {
  const row = await db
    .selectFrom('login_attempts')
    .select([
      sql<number>`count(*) filter (where lower(username) = ${username.toLowerCase()} and not success and at > now() - make_interval(mins => ${userWindowMin}))::int`.as('userFailures'),
      sql<number>`count(*) filter (where ip = ${ip} and not success and at > now() - make_interval(mins => ${ipWindowMin}))::int`.as('ipAttempts'),
    ])
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${Math.max(userWindowMin, ipWindowMin)})`)
    .executeTakeFirstOrThrow();
  return row;
}
