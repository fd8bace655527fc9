// Crew on shift (issue 12, part 1 and 7): the driver and the EMT of a vehicle for a shift, with their
// mobile numbers, set by the base facility's operator, the dispatchers and the district officers
// (can_manage_ambulance_crew). Mobile numbers are personal data: every read of them is audited.
// A shift is one vehicle, one role, from–to (at most 24 hours); the same role's shifts on a vehicle
// never overlap, checked under the vehicle's row lock so that two people setting shifts at once are
// served one after the other (the second gets 409 if it overlaps what the first saved).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { uid } from '../../platform/ids.js';

type Db = Kysely<Database>;

export const CREW_ROLES = ['driver', 'emt'] as const;
export type CrewRole = (typeof CREW_ROLES)[number];
export interface CrewMember { name: string; mobile?: string; from: string; to: string }
export interface CrewOnShift { driver: CrewMember | null; emt: CrewMember | null }
export interface Shift { from: string; to: string; driver: CrewMember | null; emt: CrewMember | null }

/** The longest shift one entry may cover. */
export const MAX_SHIFT_HOURS = 24;
/** How far ahead a shift may be planned. */
export const MAX_AHEAD_DAYS = 31;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const noSuch = (id: string) => notFound(`No ambulance has id ${id}`, `आईडी ${id} वाली कोई एम्बुलेंस नहीं है`);

/** May read the fleet: the control room and officers, or the base facility's operator (their own vehicles). */
export function requireFleetRead(actor: Actor): void {
  if (!actor.permissions.has('can_manage_ambulance_crew')) requirePermission(actor, 'can_read_ambulances');
}

/** A vehicle in the caller's area (its base facility at or under the caller's unit), else 404. */
export async function vehicleInScope(db: Db, actor: Actor, id: string, lock = false) {
  let q = db.selectFrom('ambulances as a').innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
    .select(['a.id', 'a.status', 'a.registration_number', 'f.path as base_path']).where('a.id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || !row.base_path.startsWith(actor.orgPath)) throw noSuch(id);
  return row;
}

/** What the base facility's operator may do to its vehicles' status: take one off the road and back. */
const BASE_MOVES = ['available', 'off_road'] as const;

/**
 * Callers who change a status only as the base facility's operator (no dispatch or fleet permission):
 * available ↔ off_road, never a vehicle on a call (dispatched, on_trip). Returns true when the caller
 * is such an operator. Call it first in the status change, and again with the statuses once read.
 */
export function baseOperatorOnly(actor: Actor): boolean {
  if (actor.permissions.has('can_dispatch_ambulances') || actor.permissions.has('can_manage_ambulances')) return false;
  requirePermission(actor, 'can_manage_ambulance_crew');
  return true;
}
export function requireBaseMove(from: string, to: string): void {
  if (!(BASE_MOVES as readonly string[]).includes(from) || !(BASE_MOVES as readonly string[]).includes(to)) {
    throw forbidden(
      `The base facility sets a vehicle available or off road; a vehicle that is ${from} is the control room's to change`,
      `बेस संस्थान वाहन को उपलब्ध या सड़क से बाहर कर सकता है; ${from} वाहन की स्थिति कंट्रोल रूम बदलता है`,
    );
  }
}

type CrewRow = { ambulance_id: string; role: CrewRole; name: string; mobile: string; starts_at: Date | string; ends_at: Date | string };
const member = (r: CrewRow, withMobile: boolean): CrewMember => ({
  name: r.name, ...(withMobile ? { mobile: r.mobile } : {}), from: iso(r.starts_at), to: iso(r.ends_at),
});

/** The crew on shift now of each vehicle (one query for all of them). */
export async function crewOnShift(db: Db, ambulanceIds: string[], withMobile: boolean, now = new Date()): Promise<Map<string, CrewOnShift>> {
  const out = new Map<string, CrewOnShift>();
  if (ambulanceIds.length === 0) return out;
  const rows = await db.selectFrom('ambulance_crew').select(['ambulance_id', 'role', 'name', 'mobile', 'starts_at', 'ends_at'])
    .where('ambulance_id', 'in', ambulanceIds).where('starts_at', '<=', now).where('ends_at', '>', now).execute();
  for (const r of rows) {
    const c = out.get(r.ambulance_id) ?? { driver: null, emt: null };
    c[r.role] = member(r, withMobile);
    out.set(r.ambulance_id, c);
  }
  return out;
}

/** One vehicle with its crew on shift, mobiles included: the read is audited when there is a crew. */
export async function withCrew<T extends { id: string }>(db: Db, actor: Actor, item: T, orgPath: string | null = null): Promise<T & { crew: CrewOnShift }> {
  const crew = (await crewOnShift(db, [item.id], true)).get(item.id) ?? { driver: null, emt: null };
  if (crew.driver || crew.emt) {
    await recordAudit(db, actor, { action: 'read', entity: 'ambulance_crew', entityId: item.id, orgPath, purpose: 'crew on shift (mobile numbers)' });
  }
  return { ...item, crew };
}

/** Vehicles of a list with their crew on shift by name (no mobile numbers in lists: nothing to audit). */
export async function withCrewNames<T extends { id: string }>(db: Db, items: T[]): Promise<(T & { crew: CrewOnShift })[]> {
  const crew = await crewOnShift(db, items.map((a) => a.id), false);
  return items.map((a) => ({ ...a, crew: crew.get(a.id) ?? { driver: null, emt: null } }));
}

/** The vehicle's shifts from the last 12 hours on, with mobile numbers (audited), and who is on now. */
export async function getCrew(db: Db, actor: Actor, id: string) {
  requireFleetRead(actor);
  const v = await vehicleInScope(db, actor, id);
  const rows = await db.selectFrom('ambulance_crew').select(['ambulance_id', 'role', 'name', 'mobile', 'starts_at', 'ends_at'])
    .where('ambulance_id', '=', id).where('ends_at', '>', sql<Date>`now() - interval '12 hours'`)
    .orderBy('starts_at').orderBy('role').limit(200).execute();
  if (rows.length) {
    await recordAudit(db, actor, { action: 'read', entity: 'ambulance_crew', entityId: id, orgPath: v.base_path, purpose: 'crew shifts (mobile numbers)' });
  }
  const now = Date.now();
  const onShift: CrewOnShift = { driver: null, emt: null };
  const shifts = new Map<string, Shift>();
  for (const r of rows) {
    const m = member(r, true);
    if (new Date(r.starts_at).getTime() <= now && new Date(r.ends_at).getTime() > now) onShift[r.role] = m;
    const key = `${m.from} ${m.to}`;
    const s = shifts.get(key) ?? { from: m.from, to: m.to, driver: null, emt: null };
    s[r.role] = m;
    shifts.set(key, s);
  }
  return { ambulanceId: id, registrationNumber: v.registration_number, onShift, shifts: [...shifts.values()] };
}

export interface PersonInput { name: string; mobile: string }
export interface CrewInput { from: string; to: string; driver?: PersonInput; emt?: PersonInput }

/** A mobile as people write it (+91, spaces, hyphens) → its 10 digits, or a 400 naming the field. */
export function cleanMobile(s: string, field: string): string {
  const d = s.replace(/[\s-]/g, '').replace(/^(\+91|0091|0)(?=\d{10}$)/, '');
  if (!/^[6-9]\d{9}$/.test(d)) {
    throw badRequest(`${field}: give a 10-digit mobile number starting with 6, 7, 8 or 9 (e.g. 98765 43210)`, `${field}: 6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का मोबाइल नंबर दें`, { field });
  }
  return d;
}

function time(s: string, field: string): Date {
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || !Number.isFinite(t)) {
    throw badRequest(`${field} must be a date and time in ISO 8601 with its offset, e.g. 2026-12-04T08:00:00+05:30`, `${field} ISO 8601 में दिनांक और समय हो, जैसे 2026-12-04T08:00:00+05:30`, { field });
  }
  return new Date(t);
}

/**
 * Sets the crew of the shift that starts at `from` (replacing what that shift had: a second PUT corrects
 * names, numbers or the end). A role left out has nobody for the shift. Run inside a transaction.
 */
export async function setCrew(trx: Transaction<Database>, actor: Actor, id: string, input: CrewInput) {
  requirePermission(actor, 'can_manage_ambulance_crew');
  await vehicleInScope(trx, actor, id);
  const from = time(input.from, 'from');
  const to = time(input.to, 'to');
  if (to <= from) throw badRequest('The shift must end after it starts', 'पाली शुरू होने के बाद ही खत्म हो सकती है', { field: 'to' });
  if (to.getTime() - from.getTime() > MAX_SHIFT_HOURS * 3_600_000) throw badRequest(`A shift is at most ${MAX_SHIFT_HOURS} hours; enter longer duty as several shifts`, `एक पाली अधिकतम ${MAX_SHIFT_HOURS} घंटे की है`, { field: 'to' });
  if (to.getTime() <= Date.now()) throw badRequest('This shift is already over; give the current or a coming shift', 'यह पाली खत्म हो चुकी है; चालू या आने वाली पाली दें', { field: 'to' });
  if (from.getTime() > Date.now() + MAX_AHEAD_DAYS * 86_400_000) throw badRequest(`Shifts can be planned up to ${MAX_AHEAD_DAYS} days ahead`, `पालियाँ ${MAX_AHEAD_DAYS} दिन आगे तक तय की जा सकती हैं`, { field: 'from' });
  const people: { role: CrewRole; name: string; mobile: string }[] = [];
  for (const role of CREW_ROLES) {
    const p = input[role];
    if (!p) continue;
    const name = p.name.trim().replace(/\s+/g, ' ');
    if (name.length < 2 || name.length > 100) throw badRequest(`${role}.name: give the name (2 to 100 letters)`, `${role}.name: नाम दें (2 से 100 अक्षर)`, { field: `${role}.name` });
    people.push({ role, name, mobile: cleanMobile(p.mobile, `${role}.mobile`) });
  }
  if (people.length === 0) throw badRequest('Give the driver, the EMT or both for the shift', 'पाली के लिए चालक, EMT या दोनों दें', { field: 'driver' });

  // The vehicle's row lock: shifts of one vehicle are set one at a time, on every server instance.
  const v = await vehicleInScope(trx, actor, id, true);
  await trx.deleteFrom('ambulance_crew').where('ambulance_id', '=', id).where('starts_at', '=', from).execute();
  const clash = await trx.selectFrom('ambulance_crew').select(['role', 'name', 'starts_at', 'ends_at'])
    .where('ambulance_id', '=', id).where('role', 'in', people.map((p) => p.role))
    .where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').executeTakeFirst();
  if (clash) {
    const span = `${iso(clash.starts_at)} – ${iso(clash.ends_at)}`;
    throw conflict(
      `The ${clash.role === 'emt' ? 'EMT' : 'driver'}'s shift ${span} (${clash.name}) overlaps this one; change that shift (same start) or pick times that do not overlap`,
      `${clash.role === 'emt' ? 'EMT' : 'चालक'} की पाली ${span} (${clash.name}) इस पाली से टकराती है`,
      { field: 'from', role: clash.role, from: iso(clash.starts_at), to: iso(clash.ends_at) },
    );
  }
  await trx.insertInto('ambulance_crew').values(people.map((p) => ({
    id: uid(), ambulance_id: id, role: p.role, name: p.name, mobile: p.mobile, starts_at: from, ends_at: to, set_by: actor.userId,
  }))).execute();
  await recordAudit(trx, actor, {
    action: 'update', entity: 'ambulance_crew', entityId: id, orgPath: v.base_path,
    after: { from: iso(from), to: iso(to), ...Object.fromEntries(people.map((p) => [p.role, { name: p.name, mobile: `XXXXXX${p.mobile.slice(6)}` }])) },
  });
  const shift: Shift = { from: iso(from), to: iso(to), driver: null, emt: null };
  for (const p of people) shift[p.role] = { name: p.name, mobile: p.mobile, from: shift.from, to: shift.to };
  return shift;
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const MemberT = Type.Object({ name: Type.String(), mobile: Type.Optional(Type.String()), from: Type.String(), to: Type.String() });
export const CrewT = Type.Object({ driver: Type.Union([MemberT, Type.Null()]), emt: Type.Union([MemberT, Type.Null()]) });
const ShiftT = Type.Object({ from: Type.String(), to: Type.String(), driver: Type.Union([MemberT, Type.Null()]), emt: Type.Union([MemberT, Type.Null()]) });
const Person = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mobile: Type.String({ minLength: 1, maxLength: 20, description: '10 digits, first 6–9; +91 allowed' }),
}, { additionalProperties: false });
const CrewBody = Type.Object({
  from: Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 with offset' }),
  to: Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 with offset; at most 24 hours after from' }),
  driver: Type.Optional(Person),
  emt: Type.Optional(Person),
}, { additionalProperties: false });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['ambulances'];

export function crewRoutes(app: FastifyInstance, db: Db): void {
  app.get('/api/ambulances/:id/crew', {
    schema: {
      tags, summary: 'The vehicle\'s crew shifts (driver, EMT) from the last 12 hours on, with mobile numbers (the read is audited), and who is on shift now',
      params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ ambulanceId: Type.String(), registrationNumber: Type.String(), onShift: CrewT, shifts: Type.Array(ShiftT) }), ...errors },
    },
  }, async (request) => getCrew(db, actorOf(request), (request.params as { id: string }).id));

  app.put('/api/ambulances/:id/crew', {
    schema: {
      tags, summary: 'Set the crew of the shift starting at `from` (base facility operator, dispatcher, district officer); a shift of the same role that overlaps is 409',
      params: Type.Object({ id: Id }), body: CrewBody, response: { 200: ShiftT, ...errors },
    },
  }, async (request) => {
    const actor = actorOf(request);
    const id = (request.params as { id: string }).id;
    return db.transaction().execute((trx) => setCrew(trx, actor, id, request.body as CrewInput));
  });
}
