import { forbidden } from './errors.js';
import type { Permission, Role } from './roles.js';

/** The signed-in user making a request, with the org unit path that bounds what they may touch. */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly orgUnitId: string;
  readonly orgPath: string;
  /** Level of that org unit (a facility for counter staff). */
  readonly orgLevel?: string;
  readonly permissions: ReadonlySet<Permission>;
  readonly ip: string | null;
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) {
    throw forbidden(
      `Your role (${actor.role}) does not have ${permission}`,
      `आपकी भूमिका (${actor.role}) को ${permission} की अनुमति नहीं है`,
    );
  }
}

/** True when the unit with this materialised path lies at or under the actor's org unit. */
export function inScope(actor: Actor, path: string): boolean {
  return path.startsWith(actor.orgPath);
}

export function requireScope(actor: Actor, path: string, what = 'this org unit'): void {
  if (!inScope(actor, path)) {
    throw forbidden(`${what} is outside your area`, `${what} आपके क्षेत्र से बाहर है`);
  }
}
