// Grievances: filing (public page, helpline, a facility's help desk), who may see and act on a ticket,
// the ticket in full (an audited read) and the officers' lists. Officers' actions are in
// grievances.actions.ts, the citizen's in grievances.citizen.ts, escalation in grievances.escalation.ts.
import type { Kysely } from 'kysely';
import type { Database, GrievanceLevelCode } from '../../db/types.js';
import { inScope, requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import type { Outbox } from '../../platform/outbox/index.js';
import type { SmsSender } from '../../platform/sms.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { requireMobile } from '../patients/patients.identity.js';
import { notices, notifyCitizen } from './grievances.notify.js';
import * as repo from './grievances.repository.js';
import { actorRank, addWorkingDays, istDate, isOpen, levelRank, pathIds } from './grievances.rules.js';
import { GRIEVANCE_STATUSES, GRIEVANCE_TYPES, type FileGrievanceInput, type GrievanceLevel, type ListQueryT } from './grievances.schema.js';

export type Db = Kysely<Database>;
export interface Ctx { db: Db; sms?: SmsSender | Outbox; log?: (msg: string) => void }

export const iso = (d: Date | string | null | undefined) => (d == null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
export const maskMobile = (m: string) => `${'X'.repeat(Math.max(0, m.length - 4))}${m.slice(-4)}`;

/** Runs `fn` in the caller's transaction, or a new one. */
export const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

// ---- where a grievance is about -----------------------------------------------------------------

export interface Place {
  facility: { id: string; name: string; path: string } | null;
  district: { id: string; name: string; path: string; lgd: number | null; stateLgd: number | null };
}

/** The facility (and its district) or the district a grievance is about; 400 naming the field otherwise. */
export async function placeOf(db: Db, input: { facilityId?: string | null; district?: string | null }): Promise<Place> {
  if (input.facilityId) {
    const f = await repo.facilityUnit(db, input.facilityId);
    if (!f) throw badRequest(`No facility has id ${input.facilityId}; pick it from the list`, `आईडी ${input.facilityId} वाला कोई संस्थान नहीं है; सूची से चुनें`, { field: 'facilityId' });
    const d = await repo.unitById(db, pathIds(f.path)[2] ?? '');
    if (!d || d.level !== 'district') throw badRequest('This facility is not placed in a district; name the district instead', 'यह संस्थान किसी ज़िले में नहीं है; ज़िला चुनें', { field: 'facilityId' });
    return { facility: { id: f.id, name: f.name, path: f.path }, district: { id: d.id, name: d.name, path: d.path, lgd: d.lgd_code, stateLgd: d.state_lgd } };
  }
  if (input.district) {
    const d = await resolveOrgUnit(db, input.district, ['district'], 'district');
    if (d.level !== 'district') throw badRequest(`${input.district} is not a district; give the district's LGD code`, `${input.district} ज़िला नहीं है; ज़िले का LGD कोड दें`, { field: 'district' });
    return { facility: null, district: { id: d.id, name: d.name, path: d.path, lgd: d.lgd_code, stateLgd: d.state_lgd } };
  }
  throw badRequest('Say which facility the grievance is about (facilityId), or the district (district) when it is not about one facility', 'शिकायत किस संस्थान (facilityId) या ज़िले (district) के बारे में है, यह बताएँ', { field: 'facilityId' });
}

/** Checks what can be checked without writing: type, text, mobile and place (a typing mistake costs no code). */
export async function checkFiling(db: Db, input: FileGrievanceInput) {
  if (!(GRIEVANCE_TYPES as readonly string[]).includes(input.type)) {
    throw badRequest(`type must be one of ${GRIEVANCE_TYPES.join(', ')}`, `type इनमें से एक हो: ${GRIEVANCE_TYPES.join(', ')}`, { field: 'type' });
  }
  const description = input.description.trim();
  if (!description) throw badRequest('Describe what happened', 'क्या हुआ, इसका विवरण दें', { field: 'description' });
  return { mobile: requireMobile(input.mobile), description, place: await placeOf(db, input) };
}

/**
 * Files a grievance and gives it its ticket number (GRV-<district LGD>-<yymm>-<5 digits>, from a
 * per-district monthly counter, unique by constraint). It goes to the level its type is routed to
 * (the district when no facility is named), with deadlines in working days of the state's calendar.
 * `actor` is null for the public page (the caller has checked the code); the helpline and help desks
 * pass their user. Exported for the helpline module.
 */
export async function fileGrievance(db: Db, actor: Actor | null, input: FileGrievanceInput, opts: { sms?: SmsSender | Outbox; now?: Date; log?: (m: string) => void } = {}) {
  if (actor) requirePermission(actor, 'can_file_grievance');
  const { mobile, description, place } = await checkFiling(db, input);
  if (actor) requireScope(actor, place.facility?.path ?? place.district.path, place.facility ? `Facility ${place.facility.name}` : `District ${place.district.name}`);
  const now = opts.now ?? new Date();
  const rule = (await repo.routing(db, place.district.stateLgd))[input.type];
  const level: GrievanceLevel = rule.level === 'facility' && !place.facility ? 'district' : rule.level;
  const cal = await repo.calendar(db, place.district.stateLgd, now);
  const firstDue = addWorkingDays(now, rule.firstResponseDays, cal);
  const resolutionDue = addWorkingDays(now, rule.resolutionDays, cal);
  const d = istDate(now);
  const month = `${d.slice(2, 4)}${d.slice(5, 7)}`;
  const id = uid();
  const ticketNumber = await inTransaction(db, async (trx) => {
    const seq = await repo.nextSequence(trx, place.district.id, month);
    const number = `GRV-${place.district.lgd ?? 'D'}-${month}-${String(seq).padStart(5, '0')}`;
    await repo.insertTicket(trx, {
      id, ticket_number: number, type: input.type, level, source: input.source, language: input.language ?? null, mobile, name: input.name?.trim() || null,
      description, facility_id: place.facility?.id ?? null, district_id: place.district.id, state_lgd: place.district.stateLgd,
      org_path: place.facility?.path ?? place.district.path, helpline_call_id: input.helplineCallId ?? null, assigned_to: null,
      first_response_due: firstDue, resolution_due: resolutionDue, created_by: actor?.userId ?? null, created_at: now, updated_at: now,
    } as any);
    await repo.insertEvent(trx, { grievanceId: id, kind: 'filed', visible: true, toStatus: 'new', byUser: actor?.userId ?? null, byRole: actor?.role ?? null, byCitizen: !actor, at: now });
    await recordAudit(trx, actor, { action: 'create', entity: 'grievance', entityId: id, orgPath: place.facility?.path ?? place.district.path, after: { ticketNumber: number, type: input.type, level, source: input.source } });
    return number;
  });
  await notifyCitizen(opts.sms, mobile, notices.filed(ticketNumber, resolutionDue), opts.log, { ticketNumber, orgPath: place.facility?.path ?? place.district.path });
  return { id, ticketNumber, status: 'new' as const, level, firstResponseDue: firstDue.toISOString(), resolutionDue: resolutionDue.toISOString() };
}

/** Public facilities of a district by name, for the public form (the registry is public: names and types only). */
export async function publicFacilities(db: Db, q: { district: string; q?: string }) {
  const d = await resolveOrgUnit(db, q.district, ['district'], 'district');
  const rows = await repo.facilitiesUnder(db, d.path, q.q?.trim() || undefined, 50);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, type: r.type })) };
}

// ---- who may see and act -------------------------------------------------------------------------

/**
 * A ticket is seen by those over its place: a district or state officer (and the helpline) for
 * everything in their area; a facility's staff only while the ticket is with the facility level
 * (a complaint sent on to the district is not shown to the facility it is about).
 */
export function canSee(actor: Actor, row: { org_path: string; level: string; created_by?: string | null }): boolean {
  if (!inScope(actor, row.org_path)) return false;
  return actorRank(actor) >= 1 || row.level === 'facility';
}

/** The ticket as the caller may see it, or 404 (another area's tickets are as if there were none). */
export function requireSeen(actor: Actor, row: repo.TicketRow | undefined, ticketNumber: string): repo.TicketRow {
  if (!row || !canSee(actor, row)) throw notFound(`No grievance ${ticketNumber} in your area`, `आपके क्षेत्र में शिकायत ${ticketNumber} नहीं है`);
  return row;
}

/** Only the level a ticket is with, or one above it, acts on it. */
export function requireHandler(actor: Actor, row: repo.TicketRow): void {
  requirePermission(actor, 'can_handle_grievances');
  if (Math.min(actorRank(actor), 2) < levelRank(row.level as GrievanceLevel)) {
    throw forbidden(`Grievance ${row.ticket_number} is with the ${row.level} level now; it is handled there`, `शिकायत ${row.ticket_number} अब ${row.level} स्तर पर है; वहीं निपटाई जाएगी`);
  }
}

// ---- reading ------------------------------------------------------------------------------------

const who = (id: string | null, display: string | null | undefined, username: string | null | undefined) => (id ? { userId: id, name: display ?? username ?? id } : null);

export async function ticketDto(db: Db, row: repo.TicketRow, now = new Date()) {
  const [events, files] = await Promise.all([repo.eventsOf(db, row.id), repo.attachmentsOf(db, row.id)]);
  return {
    id: row.id, ticketNumber: row.ticket_number, type: row.type as any, status: row.status, level: row.level, source: row.source, language: row.language,
    mobile: row.mobile, name: row.name, description: row.description, facilityId: row.facility_id, facilityName: row.facility_name ?? null,
    districtId: row.district_id, districtName: row.district_name, helplineCallId: row.helpline_call_id,
    assignedTo: who(row.assigned_to, row.assignee_display, row.assignee_username), escalatedLevel: row.escalated_level, escalatedAt: iso(row.escalated_at),
    firstResponseDue: iso(row.first_response_due)!, firstRespondedAt: iso(row.first_responded_at), resolutionDue: iso(row.resolution_due)!,
    overdue: overdue(row, now),
    extension: row.extended_at ? { reason: row.extension_reason ?? '', at: iso(row.extended_at)! } : null,
    resolution: row.resolution, resolvedAt: iso(row.resolved_at), closedAt: iso(row.closed_at),
    rating: row.rated_at ? { satisfied: !!row.rating_satisfied, score: row.rating_score, comment: row.rating_comment, at: iso(row.rated_at)! } : null,
    appeal: row.appeal_opened_at ? { level: row.appeal_level!, openedAt: iso(row.appeal_opened_at)!, due: iso(row.appeal_due)!, decidedAt: iso(row.appeal_decided_at) } : null,
    filedAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!,
    events: events.map((e) => ({
      id: Number(e.id), at: iso(e.at)!, kind: e.kind, text: e.text, visibleToCitizen: e.visible, fromStatus: e.from_status, toStatus: e.to_status,
      by: e.by_user ? { userId: e.by_user, name: e.display_name ?? e.username ?? e.by_user, role: e.by_role ?? '' } : null, byCitizen: e.by_citizen,
    })),
    attachments: files.map((f) => ({ id: f.id, mediaType: f.media_type, bytes: f.bytes, title: f.title, byCitizen: f.by_citizen, createdAt: iso(f.created_at)! })),
  };
}

export function overdue(row: { status: string; first_responded_at: Date | null; first_response_due: Date; resolution_due: Date }, now: Date): boolean {
  if (!isOpen(row.status)) return false;
  return row.resolution_due.getTime() < now.getTime() || (!row.first_responded_at && row.first_response_due.getTime() < now.getTime());
}

/** One ticket in full for those who may see it: its mobile and text make the read an audited one. */
export async function getTicket(db: Db, actor: Actor, ticketNumber: string) {
  requirePermission(actor, 'can_read_grievances');
  const row = requireSeen(actor, await repo.loadTicket(db, ticketNumber), ticketNumber);
  await recordAudit(db, actor, { action: 'read', entity: 'grievance', entityId: row.id, orgPath: row.org_path, purpose: 'mobile, description' });
  return ticketDto(db, row);
}

/** Tickets in the caller's area (a facility's staff: those with their facility), newest first; mobiles masked, no text. */
export async function listTickets(db: Db, actor: Actor, q: ListQueryT, now = new Date()) {
  requirePermission(actor, 'can_read_grievances');
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  let statuses: string[] | undefined;
  if (q.status) {
    statuses = q.status === 'open' ? ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'] : q.status.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = statuses.filter((s) => !(GRIEVANCE_STATUSES as readonly string[]).includes(s));
    if (bad.length) throw badRequest(`status ${bad.join(', ')} is not known; use ${GRIEVANCE_STATUSES.join(', ')} or open`, `स्थिति ${bad.join(', ')} मान्य नहीं है`, { field: 'status' });
  }
  let districtId: string | undefined;
  if (q.district) {
    const d = await resolveOrgUnit(db, q.district, ['district'], 'district');
    if (!d.path.startsWith(actor.orgPath) && !actor.orgPath.startsWith(d.path)) throw forbidden(`District ${d.name} is outside your area`, `ज़िला ${d.name} आपके क्षेत्र से बाहर है`);
    districtId = d.id;
  }
  const { rows, total } = await repo.listTickets(db, {
    areaPath: actor.orgPath, levels: actorRank(actor) >= 1 ? undefined : ['facility'], statuses, districtId,
    facilityId: q.facility, type: q.type, level: q.level, overdueAt: q.overdue ? now : undefined, limit, offset,
  });
  return {
    items: rows.map((r) => ({
      id: r.id, ticketNumber: r.ticket_number, type: r.type as any, status: r.status, level: r.level as GrievanceLevelCode, source: r.source,
      facilityId: r.facility_id, facilityName: r.facility_name ?? null, districtId: r.district_id, districtName: r.district_name,
      mobileMasked: maskMobile(r.mobile), assignedTo: who(r.assigned_to, r.assignee_display, r.assignee_username), escalatedLevel: r.escalated_level,
      filedAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, firstResponseDue: iso(r.first_response_due)!, firstRespondedAt: iso(r.first_responded_at),
      resolutionDue: iso(r.resolution_due)!, overdue: overdue(r, now),
    })),
    total, limit, offset,
  };
}

/** The notices to the caller's level and below (escalations, appeals), newest first. */
export async function notifications(db: Db, actor: Actor) {
  requirePermission(actor, 'can_read_grievances');
  const rows = await repo.notificationsFor(db, actor.orgPath);
  return { items: rows.map((r) => ({ id: Number(r.id), at: iso(r.at)!, kind: r.kind, ticketNumber: r.ticket_number, text: r.text, level: r.level })) };
}
