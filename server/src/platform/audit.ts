import { sql, type Kysely, type RawBuilder } from 'kysely';
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
  /**
   * Every patient a read returned (a search page, a FHIR Bundle): one row per request names them all,
   * and a patient's access log finds the row by them (index audit_log_patient_ids).
   */
  patientIds?: string[] | null;
}

/** The columns an audit row fills, in the order of `auditRow`'s fields (for statements written out in SQL). */
export const AUDIT_COLUMNS = ['actor_id', 'actor_username', 'action', 'entity', 'entity_id', 'org_unit_path', 'purpose', 'ip', 'before', 'after', 'patient_ids'] as const;

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
    patient_ids: e.patientIds ?? null,
  } satisfies Record<(typeof AUDIT_COLUMNS)[number], unknown>;
}

/** Writes one audit row. Call it with the same transaction as the change it records. */
export async function recordAudit(db: Kysely<Database>, actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, e: AuditEntry) {
  await db.insertInto('audit_log').values(auditRow(actor, e)).execute();
}

/**
 * `insert into audit_log (…) select …` for a read that audits itself in the statement that reads (a
 * data-modifying CTE: no round trip of its own, and no read answered without its row). Columns an
 * expression gives (`entityId`, `patientIds`, `after`: SQL over the statement's own rows) take the
 * place of the entry's values; `tail` follows the select list (`from p where p.readable`).
 */
export function auditInsert(actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, e: AuditEntry,
  exprs: { entityId?: RawBuilder<unknown>; patientIds?: RawBuilder<unknown>; after?: RawBuilder<unknown> } = {}, tail: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  const r = auditRow(actor, e);
  return sql`insert into audit_log (${sql.raw(AUDIT_COLUMNS.join(', '))})
    select ${r.actor_id}::text, ${r.actor_username}::text, ${r.action}::text, ${r.entity}::text, ${exprs.entityId ?? sql`${r.entity_id}::text`},
      ${r.org_unit_path}::text, ${r.purpose}::text, ${r.ip}::text, ${r.before}::jsonb, ${exprs.after ?? sql`${r.after}::jsonb`},
      ${exprs.patientIds ?? sql`${r.patient_ids}::text[]`} ${tail}`;
}
