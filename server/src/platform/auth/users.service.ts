import type { Kysely } from 'kysely';
import type { Database, OrgUnitLevel } from '../../db/types.js';
import { DEFAULT_LEVEL_ORDER, resolveOrgUnit, toDto } from '../../modules/geo/geo.service.js';
import { requirePermission, requireScope, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { conflict, fieldErrors, notFound } from '../errors.js';
import { uid } from '../ids.js';
import { isRole, ROLE_LEVEL, ROLE_PERMISSIONS, ROLES, type Role } from '../roles.js';
import { findUserByUsername } from './auth.repository.js';
import { passwordProblems } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { requireManageableRole, USERNAME_PATTERN } from './users.manage.js';

type Db = Kysely<Database>;

export interface NewUserInput { username: string; password: string; role: string; orgUnit: string | number; displayName?: string }

/** Levels tried, in order, for a bare LGD code given as a user's org unit: the role's own level first. */
function levelsFor(role: Role): OrgUnitLevel[] {
  const natural = ROLE_LEVEL[role];
  if (natural === 'facility' || natural === 'country') return DEFAULT_LEVEL_ORDER;
  return [natural, ...DEFAULT_LEVEL_ORDER.filter((l) => l !== natural)];
}

export async function createUser(db: Db, actor: Actor, input: NewUserInput) {
  requirePermission(actor, 'can_create_user');
  const problems = [];
  if (!USERNAME_PATTERN.test(input.username)) {
    problems.push({ field: 'username', message: 'use 3 to 64 letters, digits, dot, dash, underscore or @', messageHi: '3 से 64 अक्षर, अंक, बिंदु, डैश, अंडरस्कोर या @ का प्रयोग करें' });
  }
  const pw = passwordProblems(input.password, input.username);
  if (pw) problems.push({ field: 'password', message: pw.en, messageHi: pw.hi });
  if (!isRole(input.role)) problems.push({ field: 'role', message: `must be one of ${ROLES.join(', ')}`, messageHi: `इनमें से एक होना चाहिए: ${ROLES.join(', ')}` });
  if (problems.length) throw fieldErrors(problems);
  const role = input.role as Role;
  requireManageableRole(actor, role);
  const unit = await resolveOrgUnit(db, input.orgUnit, levelsFor(role), 'orgUnit');
  requireScope(actor, unit.path, `Org unit ${unit.name}`);
  if (await findUserByUsername(db, input.username)) {
    throw conflict(`User name ${input.username} is taken`, `उपयोगकर्ता नाम ${input.username} पहले से है`, { field: 'username' });
  }
  const id = uid();
  const stored = await db
    .insertInto('users')
    .values({
      id,
      username: input.username,
      password_hash: await hashPassword(input.password),
      role,
      org_unit_id: unit.id,
      display_name: input.displayName ?? null,
      created_by: actor.userId,
    })
    // User names are unique regardless of case (an index on lower(username)): a name taken meanwhile is a 409.
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!stored) throw conflict(`User name ${input.username} was just taken by someone else; choose another`, `उपयोगकर्ता नाम ${input.username} अभी किसी और ने ले लिया है; दूसरा नाम चुनें`, { field: 'username' });
  const user = { id, username: input.username, role, displayName: input.displayName ?? null, orgUnit: toDto(unit), active: true };
  await recordAudit(db, actor, { action: 'create', entity: 'user', entityId: id, orgPath: unit.path, after: { ...user, orgUnit: unit.id } });
  return user;
}

export async function listUsers(db: Db, actor: Actor, page: { limit: number; offset: number }) {
  requirePermission(actor, 'can_read_user');
  const base = db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .where('o.path', 'like', `${actor.orgPath}%`);
  const [rows, total] = await Promise.all([
    base
      .select(['u.id', 'u.username', 'u.role', 'u.display_name', 'u.active', 'u.created_at', 'o.id as org_id', 'o.name as org_name', 'o.level as org_level', 'o.lgd_code as org_lgd'])
      .orderBy('u.username')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  await recordAudit(db, actor, { action: 'read', entity: 'user', orgPath: actor.orgPath, purpose: 'user list', after: { count: rows.length, offset: page.offset } });
  return {
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      role: r.role,
      displayName: r.display_name,
      active: r.active,
      createdAt: r.created_at.toISOString(),
      orgUnit: { id: r.org_id, name: r.org_name, level: r.org_level, lgdCode: r.org_lgd },
    })),
    total: Number(total.n),
  };
}

export async function me(db: Db, actor: Actor) {
  const unit = await db.selectFrom('org_units').selectAll().where('id', '=', actor.orgUnitId).executeTakeFirst();
  if (!unit) throw notFound('Your org unit no longer exists', 'आपकी इकाई अब मौजूद नहीं है');
  return {
    id: actor.userId,
    username: actor.username,
    role: actor.role,
    permissions: [...ROLE_PERMISSIONS[actor.role]],
    orgUnit: toDto(unit),
  };
}

