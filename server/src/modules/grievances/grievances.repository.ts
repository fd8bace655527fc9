// The only place with SQL for grievance tickets, their events, attachments, access tokens, notices,
// settings and calendar. Figures are in grievances.figures.ts.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, GrievanceAttachmentsTable, GrievanceLevelCode, GrievancesTable } from '../../db/types.js';
import { DEFAULT_ROUTING, DEFAULT_WEEKEND, type RoutingRule, type WorkCalendar } from './grievances.rules.js';
import { GRIEVANCE_TYPES, type GrievanceType } from './grievances.schema.js';

type Db = Kysely<Database>;

const ticketColumns = [
  'g.id', 'g.ticket_number', 'g.type', 'g.status', 'g.level', 'g.source', 'g.language', 'g.mobile', 'g.name', 'g.description',
  'g.facility_id', 'g.district_id', 'g.state_lgd', 'g.org_path', 'g.helpline_call_id', 'g.assigned_to', 'g.escalated_level', 'g.escalated_at',
  'g.first_response_due', 'g.first_responded_at', 'g.resolution_due', 'g.extension_reason', 'g.extended_at', 'g.resolution', 'g.resolved_at',
  'g.closed_at', 'g.rating_satisfied', 'g.rating_score', 'g.rating_comment', 'g.rated_at', 'g.appeal_level', 'g.appeal_opened_at', 'g.appeal_due',
  'g.appeal_decided_at', 'g.created_by', 'g.created_at', 'g.updated_at',
] as const;

function ticketQuery(db: Db) {
  return db.selectFrom('grievances as g')
    .innerJoin('org_units as d', 'd.id', 'g.district_id')
    .leftJoin('org_units as f', 'f.id', 'g.facility_id')
    .leftJoin('users as u', 'u.id', 'g.assigned_to')
    .select(ticketColumns)
    .select(['d.name as district_name', 'd.name_hi as district_name_hi', 'f.name as facility_name', 'f.name_hi as facility_name_hi', 'u.display_name as assignee_display', 'u.username as assignee_username']);
}
export type TicketRow = NonNullable<Awaited<ReturnType<typeof loadTicket>>>;

export function loadTicket(db: Db, ticketNumber: string) {
  return ticketQuery(db).where('g.ticket_number', '=', ticketNumber).executeTakeFirst();
}

/** The ticket's row locked for the rest of the transaction (two officers acting at once wait for each other). */
export async function lockTicket(trx: Transaction<Database>, ticketNumber: string) {
  const row = await trx.selectFrom('grievances').select('id').where('ticket_number', '=', ticketNumber).forUpdate().executeTakeFirst();
  return row ? loadTicket(trx, ticketNumber) : undefined;
}

/** A facility with its org unit (path, names); undefined when there is none or it is closed. */
export function facilityUnit(db: Db, id: string) {
  return db.selectFrom('facilities as fa').innerJoin('org_units as o', 'o.id', 'fa.id')
    .select(['o.id', 'o.name', 'o.name_hi', 'o.path', 'o.state_lgd', 'o.closed_on']).where('fa.id', '=', id).executeTakeFirst();
}

/** Public facilities under a place (for the public form), by name. */
export function facilitiesUnder(db: Db, path: string, q: string | undefined, limit: number) {
  let b = db.selectFrom('facilities as fa').innerJoin('org_units as o', 'o.id', 'fa.id')
    .select(['o.id', 'o.name', 'o.name_hi', 'fa.type']).where('o.path', 'like', `${path}%`).where('o.closed_on', 'is', null).where('fa.ownership', '=', 'public');
  if (q) b = b.where('o.name', 'ilike', `%${q.replace(/[%_\\]/g, '')}%`);
  return b.orderBy('o.name').limit(limit).execute();
}

export function unitById(db: Db, id: string) {
  return db.selectFrom('org_units').select(['id', 'level', 'lgd_code', 'name', 'name_hi', 'path', 'state_lgd']).where('id', '=', id).executeTakeFirst();
}

/** The next number of the district's month: one counter row, incremented in place (safe with parallel filings). */
export async function nextSequence(db: Db, districtId: string, month: string): Promise<number> {
  const r = await db.insertInto('grievance_sequences').values({ district_id: districtId, month, last: 1 })
    .onConflict((oc) => oc.columns(['district_id', 'month']).doUpdateSet({ last: sql`grievance_sequences.last + 1` }))
    .returning('last').executeTakeFirstOrThrow();
  return r.last;
}

export function insertTicket(db: Db, row: Insertable<GrievancesTable>) {
  return db.insertInto('grievances').values(row).execute();
}

export interface EventInput {
  grievanceId: string;
  kind: string;
  text?: string | null;
  visible: boolean;
  fromStatus?: string | null;
  toStatus?: string | null;
  byUser?: string | null;
  byRole?: string | null;
  byCitizen?: boolean;
  at?: Date;
}
export function insertEvent(db: Db, e: EventInput) {
  return db.insertInto('grievance_events').values({
    grievance_id: e.grievanceId, kind: e.kind, text: e.text ?? null, visible: e.visible, from_status: e.fromStatus ?? null, to_status: e.toStatus ?? null,
    by_user: e.byUser ?? null, by_role: e.byRole ?? null, by_citizen: e.byCitizen ?? false, ...(e.at ? { at: e.at } : {}),
  }).execute();
}

export function eventsOf(db: Db, grievanceId: string, visibleOnly = false) {
  let q = db.selectFrom('grievance_events as e').leftJoin('users as u', 'u.id', 'e.by_user')
    .select(['e.id', 'e.at', 'e.kind', 'e.text', 'e.visible', 'e.from_status', 'e.to_status', 'e.by_user', 'e.by_role', 'e.by_citizen', 'u.display_name', 'u.username'])
    .where('e.grievance_id', '=', grievanceId);
  if (visibleOnly) q = q.where('e.visible', '=', true);
  return q.orderBy('e.id').execute();
}

export function attachmentsOf(db: Db, grievanceId: string) {
  return db.selectFrom('grievance_attachments').selectAll().where('grievance_id', '=', grievanceId).orderBy('created_at').execute();
}
export function attachment(db: Db, grievanceId: string, id: string) {
  return db.selectFrom('grievance_attachments').selectAll().where('grievance_id', '=', grievanceId).where('id', '=', id).executeTakeFirst();
}
export function insertAttachment(db: Db, row: Insertable<GrievanceAttachmentsTable>) {
  return db.insertInto('grievance_attachments').values(row).execute();
}

/**
 * Moves a ticket on only if it is still in one of `from` (a conditional update: of two parallel moves
 * one wins, the other finds nothing to update). Returns whether it moved.
 */
export async function moveTicket(db: Db, id: string, from: readonly string[], set: Record<string, unknown>): Promise<boolean> {
  const r = await db.updateTable('grievances').set({ ...set, updated_at: sql`now()` } as any)
    .where('id', '=', id).where('status', 'in', from as any).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- lists ----------------------------------------------------------------------------------

export interface ListFilter {
  areaPath: string;
  /** Only tickets at these levels (a facility's staff see their facility's own). */
  levels?: GrievanceLevelCode[];
  statuses?: string[];
  districtId?: string;
  facilityId?: string;
  type?: string;
  level?: GrievanceLevelCode;
  overdueAt?: Date;
  limit: number;
  offset: number;
}

export async function listTickets(db: Db, f: ListFilter) {
  let q = db.selectFrom('grievances as g').where('g.org_path', 'like', `${f.areaPath}%`);
  if (f.levels) q = q.where('g.level', 'in', f.levels);
  if (f.statuses?.length) q = q.where('g.status', 'in', f.statuses as any);
  if (f.districtId) q = q.where('g.district_id', '=', f.districtId);
  if (f.facilityId) q = q.where('g.facility_id', '=', f.facilityId);
  if (f.type) q = q.where('g.type', '=', f.type);
  if (f.level) q = q.where('g.level', '=', f.level);
  if (f.overdueAt) {
    const at = f.overdueAt;
    q = q.where('g.status', 'not in', ['resolved', 'closed']).where((eb) => eb.or([
      eb('g.resolution_due', '<', at),
      eb.and([eb('g.first_responded_at', 'is', null), eb('g.first_response_due', '<', at)]),
    ]));
  }
  const [{ n }, rows] = await Promise.all([
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    q.innerJoin('org_units as d', 'd.id', 'g.district_id').leftJoin('org_units as f', 'f.id', 'g.facility_id').leftJoin('users as u', 'u.id', 'g.assigned_to')
      .select(['g.id', 'g.ticket_number', 'g.type', 'g.status', 'g.level', 'g.source', 'g.facility_id', 'g.district_id', 'g.mobile', 'g.assigned_to',
        'g.escalated_level', 'g.first_response_due', 'g.first_responded_at', 'g.resolution_due', 'g.created_at', 'g.updated_at',
        'd.name as district_name', 'f.name as facility_name', 'u.display_name as assignee_display', 'u.username as assignee_username'])
      .orderBy('g.created_at', 'desc').orderBy('g.id').limit(f.limit).offset(f.offset).execute(),
  ]);
  return { total: n, rows };
}

// ---- escalation ------------------------------------------------------------------------------

/** Open tickets past a deadline at `now` (first response not given, resolution, or an undecided appeal). */
export function overdueTickets(db: Db, now: Date, limit: number) {
  return db.selectFrom('grievances')
    .select(['id', 'ticket_number', 'level', 'escalated_level', 'state_lgd', 'org_path', 'facility_id', 'district_id', 'first_responded_at', 'appeal_opened_at', 'appeal_decided_at', 'mobile'])
    .where('status', 'not in', ['resolved', 'closed'])
    .where((eb) => eb.or([
      eb('resolution_due', '<', now),
      eb.and([eb('first_responded_at', 'is', null), eb('first_response_due', '<', now)]),
      eb.and([eb('appeal_decided_at', 'is', null), eb('appeal_due', '<', now)]),
    ]))
    .orderBy('resolution_due').limit(limit).execute();
}

/**
 * Escalates one ticket one level if nobody has since: `where escalated_level = old` makes it happen
 * once however many instances run the sweep at the same time. Returns whether this call did it.
 */
export async function escalateTicket(db: Db, id: string, oldEscalated: number, set: { level: GrievanceLevelCode; at: Date; due: Date }): Promise<boolean> {
  const r = await db.updateTable('grievances').set({
    level: set.level,
    escalated_level: oldEscalated + 1,
    escalated_at: set.at,
    first_response_due: sql`case when first_responded_at is null then greatest(first_response_due, ${set.due}::timestamptz) else first_response_due end`,
    resolution_due: sql`greatest(resolution_due, ${set.due}::timestamptz)`,
    appeal_due: sql`case when appeal_opened_at is not null and appeal_decided_at is null then greatest(appeal_due, ${set.due}::timestamptz) else appeal_due end`,
    updated_at: set.at,
  }).where('id', '=', id).where('escalated_level', '=', oldEscalated).where('status', 'not in', ['resolved', 'closed']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function insertNotification(db: Db, n: { grievanceId: string; orgUnitId: string; orgPath: string; level: GrievanceLevelCode; kind: string; text: string; at?: Date }) {
  return db.insertInto('grievance_notifications').values({
    grievance_id: n.grievanceId, org_unit_id: n.orgUnitId, org_path: n.orgPath, level: n.level, kind: n.kind, text: n.text, ...(n.at ? { at: n.at } : {}),
  }).execute();
}

export function notificationsFor(db: Db, areaPath: string, limit = 100) {
  return db.selectFrom('grievance_notifications as n').innerJoin('grievances as g', 'g.id', 'n.grievance_id')
    .select(['n.id', 'n.at', 'n.kind', 'n.text', 'n.level', 'g.ticket_number'])
    .where('n.org_path', 'like', `${areaPath}%`).orderBy('n.id', 'desc').limit(limit).execute();
}

// ---- access for citizens ---------------------------------------------------------------------

export function insertAccess(db: Db, tokenHash: string, grievanceId: string, expires: Date) {
  return db.insertInto('grievance_access').values({ token_hash: tokenHash, grievance_id: grievanceId, expires_at: expires }).execute();
}
export async function ticketByAccess(db: Db, tokenHash: string, ticketNumber: string) {
  const r = await db.selectFrom('grievance_access as a').innerJoin('grievances as g', 'g.id', 'a.grievance_id')
    .select(['g.ticket_number', 'a.expires_at']).where('a.token_hash', '=', tokenHash).where('g.ticket_number', '=', ticketNumber)
    .where('a.expires_at', '>', sql<Date>`now()`).executeTakeFirst();
  return r ? { ticketNumber: r.ticket_number, expiresAt: r.expires_at } : undefined;
}
export async function ticketNumberForMobile(db: Db, ticketNumber: string, mobile: string) {
  return db.selectFrom('grievances').select(['id', 'ticket_number']).where('ticket_number', '=', ticketNumber).where('mobile', '=', mobile).executeTakeFirst();
}

// ---- settings --------------------------------------------------------------------------------

export async function routing(db: Db, stateLgd: number | null): Promise<Record<GrievanceType, RoutingRule>> {
  const rows = stateLgd == null ? [] : await db.selectFrom('grievance_routing').selectAll().where('state_lgd', '=', stateLgd).execute();
  const out = { ...DEFAULT_ROUTING };
  for (const r of rows) {
    if ((GRIEVANCE_TYPES as readonly string[]).includes(r.type)) out[r.type as GrievanceType] = { level: r.level, firstResponseDays: r.first_response_days, resolutionDays: r.resolution_days };
  }
  return out;
}

export function saveRouting(db: Db, stateLgd: number, type: string, rule: RoutingRule, by: string) {
  const v = { level: rule.level, first_response_days: rule.firstResponseDays, resolution_days: rule.resolutionDays, updated_by: by };
  return db.insertInto('grievance_routing').values({ state_lgd: stateLgd, type, ...v })
    .onConflict((oc) => oc.columns(['state_lgd', 'type']).doUpdateSet({ ...v, updated_at: sql`now()` })).execute();
}

/** The state's working calendar: its weekend days and holidays from `from` on (two years ahead). */
export async function calendar(db: Db, stateLgd: number | null, from?: Date): Promise<WorkCalendar> {
  if (stateLgd == null) return { weekendDays: new Set(DEFAULT_WEEKEND), holidays: new Set() };
  const since = (from ?? new Date(0)).toISOString().slice(0, 10);
  const [cal, days] = await Promise.all([
    db.selectFrom('grievance_calendars').select('weekend_days').where('state_lgd', '=', stateLgd).executeTakeFirst(),
    db.selectFrom('grievance_holidays').select('day').where('state_lgd', '=', stateLgd)
      .where('day', '>=', sql<string>`${since}::date - 1`).where('day', '<=', sql<string>`${since}::date + 800`).execute(),
  ]);
  return { weekendDays: new Set(cal?.weekend_days ?? DEFAULT_WEEKEND), holidays: new Set(days.map((d) => String(d.day).slice(0, 10))) };
}

export async function calendarYear(db: Db, stateLgd: number, year?: number) {
  const cal = await db.selectFrom('grievance_calendars').select('weekend_days').where('state_lgd', '=', stateLgd).executeTakeFirst();
  let q = db.selectFrom('grievance_holidays').select(['day', 'name']).where('state_lgd', '=', stateLgd);
  if (year) q = q.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  const holidays = await q.orderBy('day').execute();
  return { weekendDays: cal?.weekend_days ?? DEFAULT_WEEKEND, holidays: holidays.map((h) => ({ date: String(h.day).slice(0, 10), name: h.name })) };
}

export async function saveCalendar(db: Db, stateLgd: number, by: string, change: { weekendDays?: number[]; add?: { date: string; name: string }[]; remove?: string[] }) {
  const weekend = change.weekendDays;
  if (weekend) {
    await db.insertInto('grievance_calendars').values({ state_lgd: stateLgd, weekend_days: weekend, updated_by: by })
      .onConflict((oc) => oc.column('state_lgd').doUpdateSet({ weekend_days: weekend, updated_by: by, updated_at: sql`now()` })).execute();
  }
  if (change.remove?.length) await db.deleteFrom('grievance_holidays').where('state_lgd', '=', stateLgd).where('day', 'in', change.remove).execute();
  if (change.add?.length) {
    await db.insertInto('grievance_holidays').values(change.add.map((h) => ({ state_lgd: stateLgd, day: h.date, name: h.name.trim() })))
      .onConflict((oc) => oc.columns(['state_lgd', 'day']).doUpdateSet({ name: sql`excluded.name` })).execute();
  }
}

/** Active users who may handle grievances, with their unit (for assignment). */
export function handlerUser(db: Db, userId: string) {
  return db.selectFrom('users as u').innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.active', 'o.path', 'o.level']).where('u.id', '=', userId).executeTakeFirst();
}
