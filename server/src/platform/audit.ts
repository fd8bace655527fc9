import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  action: 'create' | 'update' | 'delete' | 'read' | 'login' | 'logout' | 'login_failed' | 'import';
  entity: string;
  entityId?: string | null;
  /** Materialised path of the org unit the record belongs to, so scoped admins see their own. */
  orgPath?: string | null;
  before?: unknown;
  after?: unknown;
  purpose?: string | null;
}

/** The columns an audit row fills, in the order of `auditRow`'s fields (for statements written out in SQL). */
export const AUDIT_COLUMNS = ['actor_id', 'actor_username', 'action', 'entity', 'entity_id', 'org_unit_path', 'purpose', 'ip', 'before', 'after'] as const;

/** The audit_log row for an entry, for writers that insert it within a statement of their own. */
export function auditRow(actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, e: AuditEntry) {
  return {
    actor_id: actor?.userId ?? null,
    actor_username: actor?.username ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId ?? null,
    org_unit_path: e.orgPath ?? null,
    purpose: e.purpose ?? null,
    ip: actor?.ip ?? null,
    before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
    after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
  } satisfies Record<(typeof AUDIT_COLUMNS)[number], unknown>;
}

/** Writes one audit row. Call it with the same transaction as the change it records. */
export async function recordAudit(db: Kysely<Database>, actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, e: AuditEntry) {
  await db.insertInto('audit_log').values(auditRow(actor, e)).execute();
}
