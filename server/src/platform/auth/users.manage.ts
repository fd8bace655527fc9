import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { badRequest, fieldErrors, forbidden, notFound } from '../errors.js';
import type { Role } from '../roles.js';
import { forgetSessionsOf } from './auth.service.js';
import { passwordProblems } from './password-policy.js';
import { hashPassword } from './passwords.js';

type Db = Kysely<Database>;

/** What a user name may look like (also guards lookups: a NUL or 5,000 characters never reach SQL). */
export const USERNAME_PATTERN = /^[a-zA-Z0-9._@-]{3,64}$/;

/**
 * The care and field roles a district officer creates and looks after inside the district. Officers
 * (state, district, block), the admin, helpline agents (state-wide) and citizens (who register
 * themselves) are created by the admin only.
 */
export const OFFICER_MANAGED_ROLES: readonly Role[] = ['facility_operator', 'doctor', 'cho', 'ultrasound_operator', 'asha', 'dispatcher', 'block_accountant'];

/** Throws 403 unless the actor may create or look after users of `role` (the admin: every role). */
export function requireManageableRole(actor: Actor, role: Role): void {
  if (actor.role === 'admin' || OFFICER_MANAGED_ROLES.includes(role)) return;
  throw forbidden(
    `Your role (${actor.role}) cannot create or change users of the role ${role}; the state's admin does`,
    `आपकी भूमिका (${actor.role}) ${role} भूमिका के उपयोगकर्ता नहीं बना या बदल सकती; यह राज्य के एडमिन करते हैं`,
  );
}

/**
 * The user `username` when the actor may look after them: the permission, then the user's area (403
 * outside it), then their role. Run before the request's body is read, and again inside the change's
 * transaction (with the row locked) so a parallel change waits for this one.
 */
export async function managedUser(db: Db, actor: Actor, username: string, opts: { lock?: boolean } = {}) {
  requirePermission(actor, 'can_update_user');
  const missing = () => notFound(`No user named ${USERNAME_PATTERN.test(username) ? username : 'so'}`, 'इस नाम का कोई उपयोगकर्ता नहीं है');
  if (!USERNAME_PATTERN.test(username)) throw missing();
  let q = db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select(['u.id', 'u.username', 'u.role', 'u.active', 'o.path'])
    .where(sql<string>`lower(u.username)`, '=', username.toLowerCase());
  if (opts.lock) q = q.forUpdate('u');
  const user = await q.executeTakeFirst();
  if (!user) throw missing();
  requireScope(actor, user.path, `User ${user.username}`);
  requireManageableRole(actor, user.role as Role);
  return user;
}

/** Every live session of the user ends (here at once; on other server instances within SESSION_CACHE_MS). */
async function endSessions(db: Db, userId: string) {
  await db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * Sets a new password (argon2id, the password policy) for a user the actor looks after. The user's
 * sessions end, so whoever held the old password is signed out. The password is neither returned
 * nor written to the audit trail or the log.
 */
export async function setPassword(db: Db, actor: Actor, username: string, password: string) {
  return db.transaction().execute(async (trx) => {
    const user = await managedUser(trx, actor, username, { lock: true });
    const problem = passwordProblems(password, user.username);
    if (problem) throw fieldErrors([{ field: 'password', message: problem.en, messageHi: problem.hi }]);
    await trx.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute();
    await endSessions(trx, user.id);
    await recordAudit(trx, actor, { action: 'update', entity: 'user', entityId: user.id, orgPath: user.path, purpose: 'password set', after: { passwordChanged: true, sessionsEnded: true } });
    forgetSessionsOf(user.id);
    return { username: user.username, passwordChanged: true };
  });
}

/** Lets a deactivated user sign in again (with the password they had; set a new one if it is not known). */
export async function activateUser(db: Db, actor: Actor, username: string) {
  return db.transaction().execute(async (trx) => {
    const user = await managedUser(trx, actor, username, { lock: true });
    if (!user.active) {
      await trx.updateTable('users').set({ active: true }).where('id', '=', user.id).execute();
      await recordAudit(trx, actor, { action: 'update', entity: 'user', entityId: user.id, orgPath: user.path, purpose: 'activated', before: { active: false }, after: { active: true } });
    }
    return { username: user.username, role: user.role, active: true };
  });
}

/** Deactivates a user: they can no longer sign in, and their sessions stop working. */
export async function deactivateUser(db: Db, actor: Actor, username: string) {
  return db.transaction().execute(async (trx) => {
    const user = await managedUser(trx, actor, username, { lock: true });
    if (user.id === actor.userId) throw badRequest('You cannot deactivate yourself', 'आप स्वयं को निष्क्रिय नहीं कर सकते');
    if (user.active) {
      await trx.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
      await recordAudit(trx, actor, { action: 'update', entity: 'user', entityId: user.id, orgPath: user.path, purpose: 'deactivated', before: { active: true }, after: { active: false } });
    }
    await endSessions(trx, user.id);
    forgetSessionsOf(user.id);
    return { username: user.username, role: user.role, active: false };
  });
}
