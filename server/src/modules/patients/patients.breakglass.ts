// The review of break-glass access: the district officer of the patient's home district sees each
// time someone gave a reason instead of a code or a card, and marks it reviewed.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { statusesAbout } from '../../platform/outbox/index.js';

type Db = Kysely<Database>;

export interface BreakGlassQuery { orgUnit?: string; status?: 'open' | 'reviewed' | 'all'; limit?: number; offset?: number }

/**
 * Break-glass grants for patients whose home lies in the officer's area (or the part of it named),
 * newest first. Each shows who, where, when and why, and the patient's state number (not the name:
 * the officer reviews the access, not the record). Reading the list is audited.
 */
export async function listBreakGlass(db: Db, actor: Actor, q: BreakGlassQuery) {
  requirePermission(actor, 'can_review_break_glass');
  const unit = q.orgUnit ? await resolveOrgUnit(db, q.orgUnit) : null;
  const area = unit?.path ?? actor.orgPath;
  if (unit) requireScope(actor, unit.path, unit.name);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  let base = db.selectFrom('patient_presence as g').where('g.method', '=', 'break_glass').where('g.patient_home_path', 'like', `${area}%`);
  if (q.status === 'open' || q.status === undefined) base = base.where('g.reviewed_at', 'is', null);
  else if (q.status === 'reviewed') base = base.where('g.reviewed_at', 'is not', null);
  const { n } = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base.innerJoin('patients as p', 'p.id', 'g.patient_id').leftJoin('org_units as o', 'o.id', 'g.org_unit_id')
    .select(['g.id', 'g.created_at', 'g.username', 'g.role', 'g.reason', 'g.sms_sent', 'g.reviewed_by', 'g.reviewed_at', 'g.review_note', 'p.state_number', 'o.name as place', 'o.name_hi as place_hi'])
    .orderBy('g.created_at', 'desc').orderBy('g.id').limit(limit).offset(offset).execute();
  await recordAudit(db, actor, { action: 'read', entity: 'break_glass', orgPath: area, purpose: 'review', after: { status: q.status ?? 'open', results: rows.length } });
  // The patient's SMS goes through the outbox: one the gateway took later (a retry) counts too.
  const told = await statusesAbout(db, 'break_glass', rows.filter((r) => !r.sms_sent).map((r) => r.id));
  return {
    items: rows.map((r) => ({
      id: r.id, at: r.created_at.toISOString(), by: r.username, role: r.role, place: r.place, placeHi: r.place_hi, reason: r.reason,
      stateNumber: r.state_number, patientTold: r.sms_sent || told.get(r.id) === 'sent',
      reviewedBy: r.reviewed_by, reviewedAt: r.reviewed_at?.toISOString() ?? null, reviewNote: r.review_note,
    })),
    total: n, limit, offset,
  };
}

/** Marks a break-glass access reviewed (once), with an optional note. */
export async function reviewBreakGlass(db: Db, actor: Actor, id: string, note?: string) {
  requirePermission(actor, 'can_review_break_glass');
  const g = await db.selectFrom('patient_presence').select(['id', 'patient_home_path', 'reviewed_at', 'reviewed_by']).where('id', '=', id).where('method', '=', 'break_glass').executeTakeFirst();
  if (!g) throw notFound(`No break-glass access has id ${id}`, `आईडी ${id} की कोई ब्रेक-ग्लास पहुँच नहीं मिली`);
  requireScope(actor, g.patient_home_path, 'This patient\'s home');
  // One statement decides: of two officers at once, one marks it and the other is told.
  const done = await db.updateTable('patient_presence').set({ reviewed_by: actor.username, reviewed_at: new Date(), review_note: note?.trim() || null })
    .where('id', '=', id).where('reviewed_at', 'is', null).returning(['reviewed_at']).executeTakeFirst();
  if (!done) {
    const now = await db.selectFrom('patient_presence').select(['reviewed_by']).where('id', '=', id).executeTakeFirst();
    throw conflict(`Already reviewed by ${now?.reviewed_by ?? 'another officer'}`, `पहले ही ${now?.reviewed_by ?? 'किसी अन्य अधिकारी'} द्वारा समीक्षा की जा चुकी है`);
  }
  await recordAudit(db, actor, { action: 'update', entity: 'break_glass', entityId: id, orgPath: g.patient_home_path, purpose: 'review', after: { reviewed: true, note: note?.trim() || null } });
  return { id, reviewedBy: actor.username, reviewedAt: done.reviewed_at!.toISOString() };
}
