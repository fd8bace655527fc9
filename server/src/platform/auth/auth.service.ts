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

export interface LoginLimits {
  /** Failed attempts allowed for one user name in `userWindowMin` minutes. */
  userFailures: number;
  userWindowMin: number;
  /** Failed attempts allowed from one address per minute. */
  ipPerMinute: number;
}

export async function login(
  db: Db,
  input: { username: string; password: string; ip: string },
  sessionHours: number,
  limits: LoginLimits,
) {
  const counts = await repo.countRecentAttempts(db, input.username, input.ip, limits.userWindowMin, 1);
  if (counts.userFailures >= limits.userFailures || counts.ipAttempts >= limits.ipPerMinute) {
    throw new AppError('rate_limited', {
      en: `Too many sign-in attempts; wait ${counts.userFailures >= limits.userFailures ? limits.userWindowMin : 1} minute(s) and try again`,
      hi: 'बहुत अधिक लॉगिन प्रयास; कुछ मिनट रुककर फिर प्रयास करें',
    });
  }
  const user = await repo.findUserByUsername(db, input.username);
  const ok = user && user.active ? await verifyPassword(user.password_hash, input.password) : (await verifyDummy(input.password), false);
  await repo.recordAttempt(db, input.username, input.ip, !!ok);
  if (!ok || !user) {
    await recordAudit(db, { userId: user?.id ?? '', username: input.username, ip: input.ip }, { action: 'login_failed', entity: 'session' });
    throw unauthenticated('Wrong user name or password', 'उपयोगकर्ता नाम या पासवर्ड गलत है');
  }
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

export async function logout(db: Db, actor: Actor, token: string) {
  sessionCache.delete(sha256(token));
  await repo.revokeSession(db, sha256(token));
  await recordAudit(db, actor, { action: 'logout', entity: 'session', entityId: actor.userId });
}
