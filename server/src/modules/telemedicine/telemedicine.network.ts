// The hub-and-spoke network: what each hub offers, which spokes it serves, the doctors posted at it,
// their rosters and duty status, and each centre's equipment and readiness.
import { sql, type Kysely } from 'kysely';
import type { Database, DutyStatus, TeleEquipmentTable } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { cachedUnit } from '../geo/geo.cache.js';
import type { OrgUnitRow } from '../../db/types.js';
import { isSpecialty, SPECIALTIES, specialtyName, type Specialty } from './telemedicine.specialties.js';

type Db = Kysely<Database>;

/** NOTIFY channel on which every change to a queue or to who is on duty is announced (payload `hub|specialty`). */
export const QUEUE_CHANNEL = 'swasthya_tele_queue';

export async function loadFacility(db: Db, ref: string, field: string): Promise<OrgUnitRow> {
  // Hubs and spokes are read on every queue operation; the short-lived org unit cache serves them.
  const unit = (await cachedUnit(db, `facility:${ref}`, () => resolveOrgUnit(db, ref, ['district'], field)))!;
  if (unit.level !== 'facility') throw badRequest(`${field}: ${unit.name} is a ${unit.level}, not a facility`, `${field}: ${unit.name} संस्थान नहीं है`, { field });
  return unit;
}

export function requireSpecialty(code: string, field = 'specialty'): Specialty {
  if (!isSpecialty(code)) {
    throw badRequest(`Unknown specialty ${JSON.stringify(code)}; use one of ${Object.keys(SPECIALTIES).join(', ')}`, `अज्ञात विशेषज्ञता ${JSON.stringify(code)}`, { field });
  }
  return code;
}

/** Sets the specialties a hub offers (replacing the list); `homeOpd` opens one to citizens at home. */
export async function setHubSpecialties(db: Db, actor: Actor, hubId: string, items: { specialty: string; homeOpd?: boolean }[]) {
  requirePermission(actor, 'can_manage_telemedicine');
  const hub = await loadFacility(db, hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const rows = items.map((i, n) => ({ hub_id: hub.id, specialty: requireSpecialty(i.specialty, `items[${n}].specialty`), home_opd: i.homeOpd ?? false }));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('tele_hub_specialties').where('hub_id', '=', hub.id).execute();
    if (rows.length) await trx.insertInto('tele_hub_specialties').values(rows).execute();
    await recordAudit(trx, actor, { action: 'update', entity: 'tele_hub', entityId: hub.id, orgPath: hub.path, after: { specialties: rows.map((r) => r.specialty) } });
  });
  return hubDetail(db, actor, hub.id);
}

/** Links a spoke (HWC, sub-centre) to a hub; a spoke may have several. */
export async function linkSpoke(db: Db, actor: Actor, spokeId: string, hubId: string, linked = true) {
  requirePermission(actor, 'can_manage_telemedicine');
  const spoke = await loadFacility(db, spokeId, 'spokeId');
  const hub = await loadFacility(db, hubId, 'hubId');
  requireScope(actor, spoke.path, spoke.name);
  if (spoke.id === hub.id) throw badRequest('A centre cannot be its own hub', 'कोई केंद्र अपना ही हब नहीं हो सकता', { field: 'hubId' });
  if (linked) {
    const offers = await db.selectFrom('tele_hub_specialties').select('specialty').where('hub_id', '=', hub.id).limit(1).executeTakeFirst();
    if (!offers) throw conflict(`${hub.name} offers no specialty yet; set its specialties before linking spokes to it`, `${hub.name} अभी कोई विशेषज्ञता नहीं देता; पहले उसकी विशेषज्ञताएँ जोड़ें`);
    await db.insertInto('tele_spoke_hubs').values({ spoke_id: spoke.id, hub_id: hub.id }).onConflict((oc) => oc.doNothing()).execute();
  } else {
    await db.deleteFrom('tele_spoke_hubs').where('spoke_id', '=', spoke.id).where('hub_id', '=', hub.id).execute();
  }
  await recordAudit(db, actor, { action: linked ? 'create' : 'delete', entity: 'tele_link', entityId: `${spoke.id}>${hub.id}`, orgPath: spoke.path });
  return { spokeId: spoke.id, hubId: hub.id, linked };
}

async function waitingAndOnline(db: Db, hubIds: string[]) {
  if (!hubIds.length) return { waiting: new Map<string, number>(), online: new Map<string, number>() };
  const [w, o] = await Promise.all([
    db.selectFrom('tele_requests').select(['hub_id', 'specialty', sql<number>`count(*)::int`.as('n')])
      .where('hub_id', 'in', hubIds).where('status', '=', 'waiting').where('expires_at', '>', new Date()).groupBy(['hub_id', 'specialty']).execute(),
    db.selectFrom('tele_duty').select(['hub_id', 'specialty', sql<number>`count(*)::int`.as('n')])
      .where('hub_id', 'in', hubIds).where('status', '=', 'online').groupBy(['hub_id', 'specialty']).execute(),
  ]);
  return {
    waiting: new Map(w.map((r) => [`${r.hub_id}|${r.specialty}`, r.n])),
    online: new Map(o.map((r) => [`${r.hub_id}|${r.specialty}`, r.n])),
  };
}

/**
 * Hubs the actor can consult or manage: for spoke staff, the hubs their spoke is linked to; for
 * officers, hubs in their area. Each with its specialties, doctors online and requests waiting.
 */
export async function listHubs(db: Db, actor: Actor | null, opts: { spokeId?: string; homeOpd?: boolean } = {}) {
  let q = db.selectFrom('tele_hub_specialties as s').innerJoin('org_units as o', 'o.id', 's.hub_id')
    .select(['o.id', 'o.name', 'o.name_hi', 'o.path', 's.specialty', 's.home_opd']);
  if (opts.homeOpd) q = q.where('s.home_opd', '=', true);
  else if (!actor) throw forbidden();
  else {
    requirePermission(actor, 'can_read_telemedicine');
    const spokeId = opts.spokeId ?? (actor.orgLevel === 'facility' ? actor.orgUnitId : undefined);
    if (spokeId) {
      const spoke = await loadFacility(db, spokeId, 'spokeId');
      requireScope(actor, spoke.path, spoke.name);
      q = q.where((eb) => eb.or([
        eb('s.hub_id', 'in', eb.selectFrom('tele_spoke_hubs').select('hub_id').where('spoke_id', '=', spoke.id)),
        eb('s.hub_id', '=', spoke.id),
      ]));
    } else {
      q = q.where('o.path', 'like', `${actor.orgPath}%`);
    }
  }
  const rows = await q.orderBy('o.name').orderBy('s.specialty').execute();
  const { waiting, online } = await waitingAndOnline(db, [...new Set(rows.map((r) => r.id))]);
  const hubs = new Map<string, { id: string; name: string; nameHi: string | null; specialties: { code: string; name: string; nameHi: string; homeOpd: boolean; doctorsOnline: number; waiting: number }[] }>();
  for (const r of rows) {
    const hub = hubs.get(r.id) ?? { id: r.id, name: r.name, nameHi: r.name_hi, specialties: [] };
    hubs.set(r.id, hub);
    const key = `${r.id}|${r.specialty}`;
    hub.specialties.push({ code: r.specialty, name: specialtyName(r.specialty), nameHi: specialtyName(r.specialty, 'hi'), homeOpd: r.home_opd, doctorsOnline: online.get(key) ?? 0, waiting: waiting.get(key) ?? 0 });
  }
  return { items: [...hubs.values()] };
}

/** A hub with its specialties, linked spokes (count and first page), doctors with duty status and equipment. */
export async function hubDetail(db: Db, actor: Actor, hubId: string) {
  requirePermission(actor, 'can_read_telemedicine');
  const hub = await loadFacility(db, hubId, 'hubId');
  const isSpokeOfHub = actor.orgLevel === 'facility' && !!(await db.selectFrom('tele_spoke_hubs').select('hub_id').where('spoke_id', '=', actor.orgUnitId).where('hub_id', '=', hub.id).executeTakeFirst());
  if (!isSpokeOfHub) requireScope(actor, hub.path, hub.name);
  const [specialties, spokes, spokeCount, doctors, equipment] = await Promise.all([
    db.selectFrom('tele_hub_specialties').selectAll().where('hub_id', '=', hub.id).orderBy('specialty').execute(),
    db.selectFrom('tele_spoke_hubs as l').innerJoin('org_units as o', 'o.id', 'l.spoke_id').select(['o.id', 'o.name', 'o.name_hi']).where('l.hub_id', '=', hub.id).orderBy('o.name').limit(50).execute(),
    db.selectFrom('tele_spoke_hubs').select(sql<number>`count(*)::int`.as('n')).where('hub_id', '=', hub.id).executeTakeFirstOrThrow(),
    listDoctors(db, hub.id),
    equipmentOf(db, [hub.id]),
  ]);
  const { waiting, online } = await waitingAndOnline(db, [hub.id]);
  return {
    id: hub.id, name: hub.name, nameHi: hub.name_hi,
    specialties: specialties.map((s) => ({ code: s.specialty, name: specialtyName(s.specialty), nameHi: specialtyName(s.specialty, 'hi'), homeOpd: s.home_opd, doctorsOnline: online.get(`${hub.id}|${s.specialty}`) ?? 0, waiting: waiting.get(`${hub.id}|${s.specialty}`) ?? 0 })),
    spokes: { total: spokeCount.n, first: spokes.map((s) => ({ id: s.id, name: s.name, nameHi: s.name_hi })) },
    doctors,
    equipment: equipment.get(hub.id) ?? [],
  };
}

// ---- doctors ----

export interface DoctorInput {
  username: string; hubId: string; specialties: string[]; hprId?: string; registrationNumber?: string; council?: string;
  qualification?: string; name?: string; nameHi?: string;
}

/** Registers (or updates) the telemedicine profile of a user with the doctor role posted at a hub. */
export async function upsertDoctor(db: Db, actor: Actor, input: DoctorInput) {
  requirePermission(actor, 'can_manage_telemedicine');
  const hub = await loadFacility(db, input.hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const user = await db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', input.username.toLowerCase()).executeTakeFirst();
  if (!user) throw notFound(`No user ${input.username}`, `उपयोगकर्ता ${input.username} नहीं मिला`);
  if (user.role !== 'doctor') throw badRequest(`${user.username} has the role ${user.role}; only doctors consult`, `${user.username} डॉक्टर नहीं है`, { field: 'username' });
  if (user.org_unit_id !== hub.id) throw badRequest(`${user.username} is not posted at ${hub.name}; post the user at the hub first`, `${user.username} ${hub.name} में तैनात नहीं है`, { field: 'username' });
  if (!input.specialties.length) throw badRequest('Give at least one specialty', 'कम से कम एक विशेषज्ञता दें', { field: 'specialties' });
  const specialties = input.specialties.map((s, i) => requireSpecialty(s, `specialties[${i}]`));
  if (input.hprId && !/^\d{2}-\d{4}-\d{4}-\d{4}$|^\d{14}$|^[A-Za-z0-9]{6,20}$/.test(input.hprId)) {
    throw badRequest('hprId must be the 14-digit Healthcare Professionals Registry id (XX-XXXX-XXXX-XXXX)', 'hprId 14 अंकों का HPR आईडी होना चाहिए', { field: 'hprId' });
  }
  const row = {
    user_id: user.id, hub_id: hub.id, specialties, hpr_id: input.hprId ?? null, registration_number: input.registrationNumber ?? null,
    council: input.council ?? null, qualification: input.qualification ?? null, name: input.name ?? user.display_name ?? user.username, name_hi: input.nameHi ?? null,
  };
  try {
    await db.insertInto('tele_doctors').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict(`HPR id ${input.hprId} belongs to another doctor`, `HPR आईडी ${input.hprId} किसी अन्य डॉक्टर का है`, { field: 'hprId' });
    throw e;
  }
  await recordAudit(db, actor, { action: 'update', entity: 'tele_doctor', entityId: user.id, orgPath: hub.path, after: { specialties, hprId: row.hpr_id } });
  return { userId: user.id, username: user.username, hubId: hub.id, specialties, hprId: row.hpr_id, registrationNumber: row.registration_number, council: row.council, qualification: row.qualification, name: row.name, nameHi: row.name_hi };
}

export async function doctorProfile(db: Db, userId: string) {
  const d = await db.selectFrom('tele_doctors').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!d) return undefined;
  return { userId: d.user_id, name: d.name, nameHi: d.name_hi, hprId: d.hpr_id, registrationNumber: d.registration_number, council: d.council, qualification: d.qualification, hubId: d.hub_id, specialties: d.specialties };
}

async function listDoctors(db: Db, hubId: string) {
  const rows = await db.selectFrom('tele_doctors as d').innerJoin('users as u', 'u.id', 'd.user_id').leftJoin('tele_duty as t', 't.user_id', 'd.user_id')
    .select(['d.user_id', 'u.username', 'd.name', 'd.name_hi', 'd.hpr_id', 'd.registration_number', 'd.specialties', 't.status', 't.specialty as duty_specialty', 't.since'])
    .where('d.hub_id', '=', hubId).orderBy('d.name').execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, name: r.name, nameHi: r.name_hi, hprId: r.hpr_id, registrationNumber: r.registration_number, specialties: r.specialties, status: r.status ?? 'offline', dutySpecialty: r.duty_specialty, since: r.since?.toISOString() ?? null }));
}

/** A doctor marks themself online (taking the queue of a hub specialty), on a break, or offline. */
export async function setDuty(db: Db, actor: Actor, input: { hubId: string; specialty: string; status: DutyStatus }) {
  requirePermission(actor, 'can_consult');
  const hub = await loadFacility(db, input.hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const specialty = requireSpecialty(input.specialty);
  const doctor = await doctorProfile(db, actor.userId);
  if (!doctor || doctor.hubId !== hub.id) {
    throw forbidden(`You have no telemedicine profile at ${hub.name}; ask the hub manager to add you`, `${hub.name} में आपकी टेलीमेडिसिन प्रोफ़ाइल नहीं है; हब प्रबंधक से जुड़वाएँ`);
  }
  if (!doctor.specialties.includes(specialty)) {
    throw badRequest(`Your profile lists ${doctor.specialties.join(', ')}, not ${specialty}`, `आपकी प्रोफ़ाइल में ${specialtyName(specialty, 'hi')} नहीं है`, { field: 'specialty' });
  }
  const offered = await db.selectFrom('tele_hub_specialties').select('specialty').where('hub_id', '=', hub.id).where('specialty', '=', specialty).executeTakeFirst();
  if (!offered) throw badRequest(`${hub.name} does not offer ${specialtyName(specialty)}`, `${hub.name} में ${specialtyName(specialty, 'hi')} उपलब्ध नहीं है`, { field: 'specialty' });
  const previous = await db.selectFrom('tele_duty').selectAll().where('user_id', '=', actor.userId).executeTakeFirst();
  const row = { user_id: actor.userId, hub_id: hub.id, specialty, status: input.status, since: new Date(), seen_at: new Date() };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('tele_duty').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
    await trx.insertInto('tele_duty_log').values({ user_id: actor.userId, hub_id: hub.id, specialty, status: input.status }).execute();
  });
  await notifyQueue(db, hub.id, specialty);
  if (previous && (previous.hub_id !== hub.id || previous.specialty !== specialty)) await notifyQueue(db, previous.hub_id, previous.specialty);
  return { userId: actor.userId, hubId: hub.id, specialty, status: input.status, since: row.since.toISOString() };
}

/**
 * Announces that a queue changed. Call it after the change commits, not inside its transaction:
 * PostgreSQL holds one database-wide lock from a notifying transaction's commit until it ends, so
 * notifying inside every claim would line all claims up behind each other's disk flush. A
 * transaction that only notifies writes nothing to flush.
 */
export async function notifyQueue(db: Db, hubId: string, specialty: string) {
  const queue = `${hubId}|${specialty}`;
  // Coalesced per database handle: a busy queue (fifty doctors pressing "next") announces itself
  // once per NOTIFY_COALESCE_MS instead of once per claim; listeners recompute anyway.
  let pending = pendingNotifies.get(db);
  if (!pending) pendingNotifies.set(db, pending = new Set());
  if (pending.has(queue)) return;
  pending.add(queue);
  setTimeout(() => {
    pending.delete(queue);
    sql`select pg_notify(${QUEUE_CHANNEL}, ${queue})`.execute(db).catch(() => undefined);
  }, NOTIFY_COALESCE_MS);
}
const NOTIFY_COALESCE_MS = 50;
const pendingNotifies = new WeakMap<object, Set<string>>();

// ---- rosters ----

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function addRoster(db: Db, actor: Actor, input: { hubId: string; specialty: string; username: string; weekday: number; starts: string; ends: string }) {
  requirePermission(actor, 'can_manage_telemedicine');
  const hub = await loadFacility(db, input.hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const specialty = requireSpecialty(input.specialty);
  if (!TIME.test(input.starts) || !TIME.test(input.ends) || input.starts >= input.ends) {
    throw badRequest('starts and ends are times HH:MM with starts before ends', 'आरंभ और समाप्ति HH:MM में हों और आरंभ पहले हो', { field: 'ends' });
  }
  const doc = await db.selectFrom('tele_doctors as d').innerJoin('users as u', 'u.id', 'd.user_id').select(['d.user_id', 'd.specialties', 'u.username'])
    .where(sql`lower(u.username)`, '=', input.username.toLowerCase()).where('d.hub_id', '=', hub.id).executeTakeFirst();
  if (!doc) throw badRequest(`${input.username} is not a doctor of ${hub.name}`, `${input.username} ${hub.name} के डॉक्टर नहीं हैं`, { field: 'username' });
  if (!doc.specialties.includes(specialty)) throw badRequest(`${doc.username} does not practise ${specialtyName(specialty)}`, `${doc.username} की विशेषज्ञता ${specialtyName(specialty, 'hi')} नहीं है`, { field: 'specialty' });
  const clash = await db.selectFrom('tele_rosters').select('id').where('user_id', '=', doc.user_id).where('weekday', '=', input.weekday)
    .where('starts', '<', input.ends).where('ends', '>', input.starts).executeTakeFirst();
  if (clash) throw conflict(`${doc.username} is already rostered at an overlapping time that day`, `${doc.username} उस दिन इसी समय पहले से रोस्टर में हैं`);
  const row = { id: uid(), hub_id: hub.id, specialty, user_id: doc.user_id, weekday: input.weekday, starts: input.starts, ends: input.ends, created_by: actor.username };
  await db.insertInto('tele_rosters').values(row).execute();
  return { id: row.id, hubId: hub.id, specialty, username: doc.username, weekday: row.weekday, starts: row.starts, ends: row.ends };
}

export async function removeRoster(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_manage_telemedicine');
  const row = await db.selectFrom('tele_rosters as r').innerJoin('org_units as o', 'o.id', 'r.hub_id').select(['r.id', 'o.path', 'o.name']).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`No roster entry ${id}`, `रोस्टर प्रविष्टि ${id} नहीं मिली`);
  requireScope(actor, row.path, row.name);
  await db.deleteFrom('tele_rosters').where('id', '=', id).execute();
  return { id, removed: true };
}

/** The week's roster of a hub, and who is rostered now (IST) but not online. */
export async function roster(db: Db, actor: Actor, hubId: string) {
  requirePermission(actor, 'can_read_telemedicine');
  const hub = await loadFacility(db, hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const rows = await db.selectFrom('tele_rosters as r').innerJoin('users as u', 'u.id', 'r.user_id').innerJoin('tele_doctors as d', 'd.user_id', 'r.user_id')
    .leftJoin('tele_duty as t', 't.user_id', 'r.user_id')
    .select(['r.id', 'r.specialty', 'r.weekday', 'r.starts', 'r.ends', 'u.username', 'd.name', 'd.name_hi', 't.status'])
    .where('r.hub_id', '=', hub.id).orderBy('r.weekday').orderBy('r.starts').execute();
  const ist = new Date(Date.now() + 330 * 60_000);
  const weekday = ist.getUTCDay();
  const now = ist.toISOString().slice(11, 16);
  return {
    hub: { id: hub.id, name: hub.name, nameHi: hub.name_hi },
    items: rows.map((r) => {
      const onShift = r.weekday === weekday && r.starts <= now && now < r.ends;
      return { id: r.id, specialty: r.specialty, weekday: r.weekday, starts: r.starts, ends: r.ends, username: r.username, name: r.name, nameHi: r.name_hi, onShiftNow: onShift, missing: onShift && r.status !== 'online' };
    }),
  };
}

// ---- equipment and readiness ----

type Kind = TeleEquipmentTable['kind'];
const KINDS: Kind[] = ['desktop', 'webcam', 'headset', 'printer', 'connectivity'];

async function equipmentOf(db: Db, ids: string[]) {
  const out = new Map<string, { kind: Kind; installed: number; onOrder: number; working: number }[]>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('tele_equipment').selectAll().where('facility_id', 'in', ids).execute();
  for (const r of rows) {
    const list = out.get(r.facility_id) ?? [];
    list.push({ kind: r.kind, installed: r.installed, onOrder: r.on_order, working: r.working });
    out.set(r.facility_id, list);
  }
  return out;
}

export async function setEquipment(db: Db, actor: Actor, facilityId: string, items: { kind: string; installed: number; onOrder?: number; working?: number }[]) {
  const centre = await loadFacility(db, facilityId, 'facilityId');
  if (!actor.permissions.has('can_manage_telemedicine')) requirePermission(actor, 'can_request_consultation');
  requireScope(actor, centre.path, centre.name);
  for (const [n, i] of items.entries()) {
    if (!KINDS.includes(i.kind as Kind)) throw badRequest(`items[${n}].kind must be one of ${KINDS.join(', ')}`, `items[${n}].kind अमान्य है`, { field: `items[${n}].kind` });
    if ((i.working ?? i.installed) > i.installed) throw badRequest(`items[${n}]: more working than installed`, `items[${n}]: चालू संख्या लगी संख्या से अधिक है`, { field: `items[${n}].working` });
  }
  await db.transaction().execute(async (trx) => {
    for (const i of items) {
      const row = { facility_id: centre.id, kind: i.kind as Kind, installed: i.installed, on_order: i.onOrder ?? 0, working: i.working ?? i.installed, updated_at: new Date(), updated_by: actor.username };
      await trx.insertInto('tele_equipment').values(row).onConflict((oc) => oc.columns(['facility_id', 'kind']).doUpdateSet(row)).execute();
    }
    await recordAudit(trx, actor, { action: 'update', entity: 'tele_equipment', entityId: centre.id, orgPath: centre.path, after: items });
  });
  return { facilityId: centre.id, equipment: (await equipmentOf(db, [centre.id])).get(centre.id) ?? [] };
}

/**
 * Readiness of the network in an area: centres (hubs and linked spokes), equipment installed, on
 * order and working, and centres ready to consult (a working desktop, webcam and connection).
 */
export async function readiness(db: Db, actor: Actor, area?: string) {
  requirePermission(actor, 'can_read_telemedicine');
  const unit = area ? await resolveOrgUnit(db, area) : null;
  const path = unit?.path ?? actor.orgPath;
  if (unit) requireScope(actor, unit.path, unit.name);
  const centres = db.selectFrom('org_units as o').select('o.id').where('o.path', 'like', `${path}%`).where((eb) => eb.or([
    eb.exists(eb.selectFrom('tele_hub_specialties as s').select('s.hub_id').whereRef('s.hub_id', '=', 'o.id')),
    eb.exists(eb.selectFrom('tele_spoke_hubs as l').select('l.spoke_id').whereRef('l.spoke_id', '=', 'o.id')),
  ]));
  const totals = await db.selectFrom('tele_equipment').select(['kind', sql<number>`sum(installed)::int`.as('installed'), sql<number>`sum(on_order)::int`.as('on_order'), sql<number>`sum(working)::int`.as('working')])
    .where('facility_id', 'in', centres).groupBy('kind').execute();
  const counts = await db.selectFrom(centres.as('c')).select([
    sql<number>`count(*)::int`.as('centres'),
    sql<number>`count(*) filter (where (select count(*) from tele_equipment e where e.facility_id = c.id and e.working > 0 and e.kind in ('desktop','webcam','connectivity')) = 3)::int`.as('ready'),
  ]).executeTakeFirstOrThrow();
  return {
    area: unit ? { id: unit.id, name: unit.name, nameHi: unit.name_hi } : null,
    centres: counts.centres, ready: counts.ready, notReady: counts.centres - counts.ready,
    equipment: KINDS.map((k) => {
      const t = totals.find((r) => r.kind === k);
      return { kind: k, installed: t?.installed ?? 0, onOrder: t?.on_order ?? 0, working: t?.working ?? 0 };
    }),
  };
}
