import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { AppError, unauthenticated } from '../errors.js';
import { newToken, sha256 } from '../ids.js';
import { isRole, ROLE_PERMISSIONS } from '../roles.js';
import * as repo from './auth.repository.js';
import { verifyDummy, verifyPassword } from './passwords.js';

type Db = Kysely<Database>;

/**
 * Sign-in limits. They back off the guesser, not the owner: a lock holds a user name only for the
 * address that failed, so nobody can lock an officer (or the admin) out from elsewhere. Every count
 * is taken in PostgreSQL before the password is checked (see repo.countAttempt), so it holds for
 * parallel requests and across server instances.
 */
export const LOGIN_LIMITS = {
  /** Failures for one user name from one address, in `pairWindowMin`, before that address is refused for that name. */
  pairFailures: 5,
  pairWindowMin: 15,
  /**
   * Failures for one user name from all addresses together, in `pairWindowMin`, after which the name
   * counts as under attack: each address then gets `pairFailuresUnderAttack` tries instead. Slowed,
   * never locked: an address that has not been failing still gets its tries, so the owner gets in.
   */
  nameSlowAfter: 20,
  pairFailuresUnderAttack: 2,
  /** The per-address limit (SWASTHYA_LOGIN_RATE_LIMIT) counts over this window, all names together. */
  addressWindowMin: 1,
} as const;

function tooMany(what: 'name' | 'address', seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  const unit = minutes === 1 ? 'minute' : 'minutes';
  const msg = what === 'name'
    ? {
      en: `Too many failed sign-ins for this user name from this address; wait ${minutes} ${unit} and try again (sign-ins from other addresses are not held back)`,
      hi: `इस पते (IP) से इस उपयोगकर्ता नाम के लिए बहुत अधिक असफल लॉगिन प्रयास; ${minutes} मिनट रुककर फिर प्रयास करें (दूसरे पतों से लॉगिन पर रोक नहीं है)`,
    }
    : {
      en: `Too many failed sign-ins from this address; wait ${minutes} ${unit} and try again`,
      hi: `इस पते (IP) से बहुत अधिक असफल लॉगिन प्रयास; ${minutes} मिनट रुककर फिर प्रयास करें`,
    };
  return new AppError('rate_limited', msg, { retryAfterSeconds: seconds });
}

/**
 * Counts this attempt for the name from this address, for the address and for the name, in one
 * transaction, or refuses it (429) and counts nothing. Rows are locked in one order (name, pair,
 * address), so parallel attempts queue rather than deadlock.
 */
async function countAttempt(db: Db, name: string, ip: string, addressLimit: number) {
  const L = LOGIN_LIMITS;
  const pair = { username: name, ip };
  const address = { username: '', ip };
  await db.transaction().execute(async (trx) => {
    const nameFailures = (await repo.countAttempt(trx, { username: name, ip: '' }, L.pairWindowMin, null)) ?? 1;
    const pairLimit = nameFailures - 1 >= L.nameSlowAfter ? L.pairFailuresUnderAttack : L.pairFailures;
    if ((await repo.countAttempt(trx, pair, L.pairWindowMin, pairLimit)) === null) {
      throw tooMany('name', await repo.secondsLeft(trx, pair, L.pairWindowMin));
    }
    if ((await repo.countAttempt(trx, address, L.addressWindowMin, addressLimit)) === null) {
      throw tooMany('address', await repo.secondsLeft(trx, address, L.addressWindowMin));
    }
  });
}

/**
 * Signs in. The attempt is counted as a failure first and the password checked after, so at most the
 * limit of guesses is ever checked; a right password then takes its count back and clears the
 * failures of this name from this address.
 */
export async function login(
  db: Db,
  input: { username: string; password: string; ip: string },
  sessionHours: number,
  addressLimit: number,
) {
  const name = input.username.toLowerCase();
  await countAttempt(db, name, input.ip, addressLimit);
  const user = await repo.findUserByUsername(db, input.username);
  const ok = user && user.active ? await verifyPassword(user.password_hash, input.password) : (await verifyDummy(input.password), false);
  if (!ok || !user) {
    await recordAudit(db, { userId: user?.id ?? '', username: input.username, ip: input.ip }, { action: 'login_failed', entity: 'session' });
    if (Math.random() < 0.01) await repo.pruneFailures(db).catch(() => undefined);
    throw unauthenticated('Wrong user name or password', 'उपयोगकर्ता नाम या पासवर्ड गलत है');
  }
  await repo.forgetFailures(db, { username: name, ip: input.ip });
  await repo.uncountAttempt(db, { username: '', ip: input.ip });
  await repo.uncountAttempt(db, { username: name, ip: '' });
  const token = newToken();
  const expiresAt = new Date(Date.now() + sessionHours * 3600_000);
  await repo.insertSession(db, sha256(token), user.id, expiresAt);
  await recordAudit(db, { userId: user.id, username: user.username, ip: input.ip }, { action: 'login', entity: 'session', entityId: user.id });
  return { token, expiresAt: expiresAt.toISOString(), userId: user.id };
}

/**
 * Sessions looked up in the last SESSION_CACHE_MS, by token hash: every API request authenticates,
 * and at a busy counter that lookup was a third of the database round trips. A logout on this
 * instance takes effect at once; a revocation elsewhere (another instance, a deactivated user)
 * within SESSION_CACHE_MS. Only live sessions are kept, and never past their expiry.
 */
export const SESSION_CACHE_MS = 5_000;
type SessionRow = NonNullable<Awaited<ReturnType<typeof repo.findLiveSession>>>;
const sessionCache = new Map<string, { at: number; row: SessionRow }>();

async function liveSession(db: Db, hash: string, cache: boolean): Promise<SessionRow | undefined> {
  const now = Date.now();
  const hit = cache ? sessionCache.get(hash) : undefined;
  if (hit && now - hit.at < SESSION_CACHE_MS && hit.row.expires_at.getTime() > now) return hit.row;
  const row = await repo.findLiveSession(db, hash);
  if (!cache) return row;
  if (row) {
    if (sessionCache.size >= 10_000) sessionCache.clear();
    sessionCache.set(hash, { at: now, row });
  } else {
    sessionCache.delete(hash);
  }
  return row;
}

/**
 * The actor behind a bearer token, or null when the token is unknown, revoked or expired.
 * `cache: false` reads the database and leaves the cache alone (sign-in describing its new session).
 */
export async function authenticate(db: Db, token: string, ip: string | null, opts: { cache?: boolean } = {}): Promise<Actor | null> {
  const hash = sha256(token);
  const row = await liveSession(db, hash, opts.cache ?? true);
  if (!row || !isRole(row.role)) return null;
  return {
    userId: row.id,
    username: row.username,
    role: row.role,
    orgUnitId: row.org_unit_id,
    orgPath: row.path,
    orgLevel: row.level,
    permissions: new Set(ROLE_PERMISSIONS[row.role]),
    ip,
  };
}

/** Drops this instance's cached sessions of a user (deactivated, or given a new password). */
export function forgetSessionsOf(userId: string): void {
  for (const [hash, hit] of sessionCache) if (hit.row.id === userId) sessionCache.delete(hash);
}

export async function logout(db: Db, actor: Actor, token: string) {
  sessionCache.delete(sha256(token));
  await repo.revokeSession(db, sha256(token));
  await recordAudit(db, actor, { action: 'logout', entity: 'session', entityId: actor.userId });
}
