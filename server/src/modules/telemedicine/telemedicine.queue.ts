// The consultation queue of each hub specialty. A request waits in order of priority, then arrival;
// a doctor on duty presses "next" and gets exactly one, claimed with FOR UPDATE SKIP LOCKED so that
// any number of doctors on any number of API instances never share a patient. A patient who does
// not answer goes back to their place once, then is marked no-show; requests nobody takes expire.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, TeleRequestsTable } from '../../db/types.js';
import { requirePermission, requireScope, inScope, type Actor } from '../../platform/actor.js';
import { auditRow, recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { sha256, uid } from '../../platform/ids.js';
import { inTransaction } from '../../db/transaction.js';
import { todayIst } from '../../platform/periods.js';
import { cachedUnit } from '../geo/geo.cache.js';
import { hasOpenPregnancy } from '../patients/patients.care.js';
import { requirePresence } from '../patients/patients.presence.js';
import { ageOn, canRead, facilityFor, linkFacility, loadPatient } from '../patients/patients.service.js';
import { loadFacility, notifyQueue, requireSpecialty } from './telemedicine.network.js';
import { PRIORITIES, priorityName, specialtyName, type PriorityName } from './telemedicine.specialties.js';
import { abandonedBefore, requestView, requestViewsFor } from './telemedicine.views.js';

type Db = Kysely<Database>;
export type RequestRow = Selectable<TeleRequestsTable>;

/** A follow-up that asked for a particular doctor waits this long for them before anyone may take it. */
export const PREFERRED_DOCTOR_WAIT_MINUTES = 15;

export interface QueueSettings { videoUrlTemplate: string; teleExpiryMinutes: number }

export interface NewRequestInput {
  patientId: string; hubId: string; specialty: string; priority?: PriorityName; spokeId?: string;
  complaint?: string; vitals?: Record<string, number | string>; preferredDoctorId?: string;
}

export async function loadRequest(db: Db, id: string): Promise<RequestRow> {
  const row = await db.selectFrom('tele_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`No consultation request ${id}`, `परामर्श अनुरोध ${id} नहीं मिला`);
  return row;
}

/**
 * Staff of the spoke or the hub (or officers over them; no role exempt), and the doctor who took it.
 * Who among them sees the patient's name is telemedicine.views.ts' namedFor.
 */
export async function canReadRequest(_db: Db, actor: Actor, row: Pick<RequestRow, 'hub_path' | 'spoke_path' | 'doctor_id'>): Promise<boolean> {
  if (row.doctor_id === actor.userId) return true;
  if (!actor.permissions.has('can_read_telemedicine')) return false;
  return inScope(actor, row.hub_path) || (!!row.spoke_path && inScope(actor, row.spoke_path));
}

/**
 * Whether `actor` may read what was written in a consultation (notes, diagnoses, prescriptions):
 * the patient's privacy rule (staff of a facility where the patient is registered or seen, a
 * doctor in an active consultation), or the doctor who held it. Officers see the queue, not notes.
 */
export async function canReadClinical(db: Db, actor: Actor, row: Pick<RequestRow, 'patient_id' | 'doctor_id'>): Promise<boolean> {
  if (row.doctor_id === actor.userId) return true;
  return canRead(db, actor, row.patient_id);
}

/** The actor is the doctor holding the request, which is called, in consultation or completed. */
export async function requireConsultingDoctor(db: Db, actor: Actor, requestId: string): Promise<RequestRow> {
  requirePermission(actor, 'can_consult');
  const row = await loadRequest(db, requestId);
  if (row.doctor_id !== actor.userId) throw forbidden('Another doctor has this consultation', 'यह परामर्श किसी अन्य डॉक्टर के पास है');
  if (!['called', 'in_consultation', 'completed'].includes(row.status)) {
    throw conflict(`This consultation is ${row.status}`, `यह परामर्श ${row.status} है`, { status: row.status });
  }
  return row;
}

/** Whether this doctor consulted this patient before (a follow-up may ask for them). */
async function consultedBefore(db: Db, patientId: string, doctorId: string) {
  return !!(await db.selectFrom('tele_requests').select('id').where('patient_id', '=', patientId).where('doctor_id', '=', doctorId).where('status', '=', 'completed').executeTakeFirst());
}

/** The next token of a hub specialty today (IST): one row per queue and day, bumped atomically. */
async function nextToken(db: Db, hubId: string, specialty: string, day: string): Promise<number> {
  const r = await db.insertInto('tele_tokens').values({ hub_id: hubId, specialty, day, last: 1 })
    .onConflict((oc) => oc.columns(['hub_id', 'specialty', 'day']).doUpdateSet({ last: sql`tele_tokens.last + 1` }))
    .returning('last').executeTakeFirstOrThrow();
  return r.last;
}

/**
 * Puts a patient in a hub specialty's queue. From a spoke, the spoke must be linked to the hub; from
 * home (`actor` null), the hub must run the specialty as a home OPD. Priority is asked for or follows
 * from the patient: 60 or older, or with an open pregnancy, goes before the rest; a follow-up with a
 * doctor who saw the patient before goes first for that doctor.
 */
export async function createRequest(db: Db, actor: Actor | null, input: NewRequestInput, settings: QueueSettings, opts: { channel?: 'spoke' | 'home' } = {}) {
  const channel = opts.channel ?? 'spoke';
  if (actor) requirePermission(actor, 'can_request_consultation');
  const hub = await loadFacility(db, input.hubId, 'hubId');
  const specialty = requireSpecialty(input.specialty);
  const offer = await db.selectFrom('tele_hub_specialties').selectAll().where('hub_id', '=', hub.id).where('specialty', '=', specialty).executeTakeFirst();
  if (!offer) throw badRequest(`${hub.name} does not offer ${specialtyName(specialty)}`, `${hub.name} में ${specialtyName(specialty, 'hi')} उपलब्ध नहीं है`, { field: 'specialty' });
  let spoke = null;
  if (channel === 'spoke') {
    spoke = actor ? await facilityFor(db, actor, input.spokeId) : null;
    if (!spoke) throw badRequest('Name the spoke that requests the consultation (spokeId)', 'परामर्श माँगने वाला केंद्र बताएँ (spokeId)', { field: 'spokeId' });
    const linked = spoke.id === hub.id || !!(await db.selectFrom('tele_spoke_hubs').select('hub_id').where('spoke_id', '=', spoke.id).where('hub_id', '=', hub.id).executeTakeFirst());
    if (!linked) throw badRequest(`${spoke.name} is not linked to the hub ${hub.name}`, `${spoke.name} हब ${hub.name} से जुड़ा नहीं है`, { field: 'hubId' });
  } else if (!offer.home_opd) {
    throw badRequest(`${hub.name} does not run a ${specialtyName(specialty)} OPD for patients at home`, `${hub.name} घर से ${specialtyName(specialty, 'hi')} ओपीडी नहीं चलाता`, { field: 'specialty' });
  }
  const patient = await loadPatient(db, input.patientId);
  // Staff at a spoke serve the patient in front of them: read already, or shown present (not needed from home: the code proved it).
  if (actor) await requirePresence(db, actor, patient.id);
  if (patient.merged_into) throw conflict(`${patient.name}'s record was merged into another; use that one`, `${patient.name} का रिकॉर्ड दूसरे में मिला दिया गया है`, { mergedInto: patient.merged_into });
  const open = await db.selectFrom('tele_requests').select('id').where('patient_id', '=', patient.id).where('hub_id', '=', hub.id)
    .where('specialty', '=', specialty).where('status', 'in', ['waiting', 'called', 'in_consultation']).executeTakeFirst();
  if (open) throw await alreadyQueued(db, patient, hub.id, specialty);

  let preferred: string | null = null;
  if (input.preferredDoctorId) {
    const doc = await db.selectFrom('tele_doctors').select(['user_id', 'hub_id']).where('user_id', '=', input.preferredDoctorId).executeTakeFirst();
    if (!doc || doc.hub_id !== hub.id) throw badRequest('The doctor asked for does not consult at this hub', 'माँगे गए डॉक्टर इस हब में परामर्श नहीं देते', { field: 'preferredDoctorId' });
    if (!(await consultedBefore(db, patient.id, doc.user_id))) {
      throw badRequest('A particular doctor can be asked for on a follow-up: this doctor has not seen the patient before', 'किसी विशेष डॉक्टर को फ़ॉलो-अप में ही माँगा जा सकता है; इन डॉक्टर ने पहले नहीं देखा', { field: 'preferredDoctorId' });
    }
    preferred = doc.user_id;
  }
  let priority: number = input.priority ? PRIORITIES[input.priority] : PRIORITIES.normal;
  let reason: string | null = input.priority ?? null;
  if (input.priority === 'follow_up' && !preferred) throw badRequest('A follow-up names the doctor (preferredDoctorId)', 'फ़ॉलो-अप में डॉक्टर बताएँ (preferredDoctorId)', { field: 'preferredDoctorId' });
  if (!input.priority) {
    if (preferred) { priority = PRIORITIES.follow_up; reason = 'follow_up'; }
    else if (ageOn(patient.birth_date) >= 60) { priority = PRIORITIES.elderly_pregnant; reason = 'elderly'; }
    else if (patient.sex === 'female' && (await hasOpenPregnancy(db, patient.id))) { priority = PRIORITIES.elderly_pregnant; reason = 'pregnant'; }
  }
  // Citizens cannot put themselves first: emergencies from home go to 108, not the OPD queue.
  if (channel === 'home' && priority === PRIORITIES.emergency) throw badRequest('For an emergency call 108; the OPD from home has no emergency queue', 'आपातकाल में 108 पर कॉल करें; घर से ओपीडी में आपातकालीन कतार नहीं है', { field: 'priority' });

  const key = channel === 'home' ? randomBytes(18).toString('base64url') : null;
  const day = todayIst();
  // Counted in the district of the spoke (home requests: of the hub). Paths run /country/state/district/….
  const districtId = (spoke ?? hub).path.split('/').filter(Boolean)[2] ?? '';
  // Looked up before the queue's token row is locked: other bookings to this queue wait on that lock.
  const districtUnit = await cachedUnit(db, `id:${districtId}`, () => db.selectFrom('org_units').selectAll().where('id', '=', districtId).executeTakeFirst());
  const row = await inTransaction(db, async (trx) => {
    const token = await nextToken(trx, hub.id, specialty, day);
    const r = {
      id: uid(), token, day, hub_id: hub.id, hub_path: hub.path, specialty, patient_id: patient.id, channel,
      spoke_id: spoke?.id ?? null, spoke_path: spoke?.path ?? null, state_lgd: districtUnit?.state_lgd ?? hub.state_lgd ?? null, district_lgd: districtUnit?.lgd_code ?? null,
      priority, priority_reason: reason, preferred_doctor_id: preferred, complaint: input.complaint ?? null,
      vitals: input.vitals ? JSON.stringify(input.vitals) : null, status: 'waiting' as const,
      expires_at: new Date(Date.now() + settings.teleExpiryMinutes * 60_000), access_key_hash: key ? sha256(key) : null,
      client_seen_at: key ? new Date() : null, requested_by: actor?.username ?? `citizen:${patient.mobile ?? ''}`, called_at: null, doctor_id: null, started_at: null, ended_at: null, room_url: null,
    };
    // Once per queue while open (a partial unique index): a request made meanwhile for the patient wins.
    const inserted = await trx.insertInto('tele_requests').values(r)
      .onConflict((oc) => oc.columns(['patient_id', 'hub_id', 'specialty']).where('status', 'in', ['waiting', 'called', 'in_consultation']).doNothing())
      .returning('id').executeTakeFirst();
    if (!inserted) throw await alreadyQueued(trx, patient, hub.id, specialty);
    if (spoke) await linkFacility(trx, patient.id, spoke);
    await recordAudit(trx, actor, { action: 'create', entity: 'tele_request', entityId: r.id, orgPath: (spoke ?? hub).path, after: { patient: patient.id, hub: hub.id, specialty, priority: priorityName(priority), token } });
    return r;
  });
  // Inside a caller's transaction the caller announces the change once it commits.
  if (!db.isTransaction) await notifyQueue(db, hub.id, specialty);
  const view = await requestView(db, row.id);
  return key ? { ...view, key } : view;
}

/** The 409 for a patient already in a queue, naming their token. */
async function alreadyQueued(db: Db, patient: { id: string; name: string }, hubId: string, specialty: string): Promise<AppError> {
  const open = await db.selectFrom('tele_requests').select(['id', 'token']).where('patient_id', '=', patient.id).where('hub_id', '=', hubId)
    .where('specialty', '=', specialty).where('status', 'in', ['waiting', 'called', 'in_consultation']).executeTakeFirst();
  return conflict(`${patient.name} is already in this queue${open ? ` with token ${open.token}` : ''}; wait for that turn, or cancel it before asking again`,
    `${patient.name} पहले से इस कतार में हैं${open ? `, टोकन ${open.token}` : ''}; उसी बारी की प्रतीक्षा करें या दोबारा माँगने से पहले उसे रद्द करें`, open ? { requestId: open.id, token: open.token } : undefined);
}

/** Requests nobody took in time, and home requests whose waiting room was closed, expire. */
export async function expireAbandoned(db: Db) {
  const rows = await db.updateTable('tele_requests').set({ status: 'expired' })
    .where('status', '=', 'waiting')
    .where((eb) => eb.or([
      eb('expires_at', '<=', new Date()),
      eb.and([eb('channel', '=', 'home'), eb('client_seen_at', '<', abandonedBefore())]),
    ]))
    .returning(['hub_id', 'specialty']).execute();
  for (const q of new Set(rows.map((r) => `${r.hub_id}|${r.specialty}`))) {
    const [hub, specialty] = q.split('|');
    await notifyQueue(db, hub, specialty);
  }
  return rows.length;
}

/**
 * A doctor on duty takes the next patient of a queue: emergencies first, then follow-ups that asked
 * for this doctor, then the elderly and pregnant, then everyone else, each in order of arrival. A
 * follow-up that asked for another doctor waits for them for PREFERRED_DOCTOR_WAIT_MINUTES.
 * Returns null when nobody is waiting.
 */
export async function claimNext(db: Db, actor: Actor, input: { hubId: string; specialty: string }) {
  requirePermission(actor, 'can_consult');
  const hub = await loadFacility(db, input.hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  const specialty = requireSpecialty(input.specialty);
  const me = actor.userId;
  const now = new Date();
  const preferredCutoff = new Date(now.getTime() - PREFERRED_DOCTOR_WAIT_MINUTES * 60_000);
  const audit = auditRow(actor, { action: 'update', entity: 'tele_request', orgPath: hub.path, after: { status: 'called' } });
  // One statement, so one round trip and one commit: the doctor must be online for this queue; the
  // first unlocked request in order is taken (rows other doctors are taking are skipped, not waited
  // for), and the claim is audited in the same statement.
  const { rows } = await sql<{ id: string }>`
    with claimed as (
      update tele_requests set status = 'called', doctor_id = ${me}, called_at = now()
      where id = (
        select id from tele_requests
        where hub_id = ${hub.id} and specialty = ${specialty} and status = 'waiting' and expires_at > ${now}
          and (channel = 'spoke' or client_seen_at > ${abandonedBefore()})
          and (preferred_doctor_id is null or preferred_doctor_id = ${me} or queued_at < ${preferredCutoff})
        order by case when priority = 1 and preferred_doctor_id is distinct from ${me} then 3 else priority end, queued_at, token
        limit 1
        for update skip locked
      ) and status = 'waiting'
        and exists (select 1 from tele_duty where user_id = ${me} and status = 'online' and hub_id = ${hub.id} and specialty = ${specialty})
      returning id
    ), audited as (
      insert into audit_log (actor_id, actor_username, action, entity, entity_id, org_unit_path, purpose, ip, after)
      select ${audit.actor_id}, ${audit.actor_username}, ${audit.action}, ${audit.entity}, id, ${audit.org_unit_path}, null, ${audit.ip}, ${audit.after}::jsonb from claimed
    )
    select id from claimed`.execute(db);
  const claimed = rows[0];
  if (!claimed) {
    const duty = await db.selectFrom('tele_duty').selectAll().where('user_id', '=', me).executeTakeFirst();
    if (!duty || duty.status !== 'online' || duty.hub_id !== hub.id || duty.specialty !== specialty) {
      throw conflict(`Mark yourself online for ${specialtyName(specialty)} at ${hub.name} before taking patients`, `मरीज़ लेने से पहले ${hub.name} में ${specialtyName(specialty, 'hi')} के लिए स्वयं को ऑनलाइन करें`);
    }
    await expireAbandoned(db);
    return null;
  }
  await notifyQueue(db, hub.id, specialty);
  return requestView(db, claimed.id);
}

/** Moves a request the doctor holds from one state to the next. */
async function transition(db: Db, actor: Actor, id: string, from: RequestRow['status'][], set: Partial<Record<keyof RequestRow, unknown>>) {
  requirePermission(actor, 'can_consult');
  const row = await loadRequest(db, id);
  if (row.doctor_id !== actor.userId) throw forbidden('This patient was called by another doctor', 'यह मरीज़ किसी अन्य डॉक्टर ने बुलाया है');
  if (!from.includes(row.status)) throw conflict(`This consultation is ${row.status}, not ${from.join(' or ')}`, `यह परामर्श ${row.status} अवस्था में है`, { status: row.status });
  const updated = await db.transaction().execute(async (trx) => {
    const u = await trx.updateTable('tele_requests').set(set as never).where('id', '=', id).where('status', 'in', from).returningAll().executeTakeFirst();
    if (!u) throw conflict('The consultation changed meanwhile; reload', 'परामर्श इस बीच बदल गया; फिर से खोलें');
    await recordAudit(trx, actor, { action: 'update', entity: 'tele_request', entityId: id, orgPath: row.hub_path, before: { status: row.status }, after: { status: u.status } });
    return u;
  });
  await notifyQueue(db, row.hub_id, row.specialty);
  return updated as RequestRow;
}

/** The doctor starts the call: a video room is made from the configured template. */
export async function startConsultation(db: Db, actor: Actor, id: string, settings: QueueSettings) {
  const room = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  const row = await transition(db, actor, id, ['called'], { status: 'in_consultation', started_at: new Date(), room_url: settings.videoUrlTemplate.replace('{room}', room) });
  // The patient has now been seen at the hub: its staff may read the record from here on.
  const hub = await loadFacility(db, row.hub_id, 'hubId');
  await linkFacility(db, row.patient_id, hub);
  return requestView(db, id);
}

export async function completeConsultation(db: Db, actor: Actor, id: string) {
  await transition(db, actor, id, ['in_consultation'], { status: 'completed', ended_at: new Date() });
  return requestView(db, id);
}

/** The patient did not answer: back to their place in the queue once, then marked no-show. */
export async function noAnswer(db: Db, actor: Actor, id: string) {
  const row = await loadRequest(db, id);
  if (row.requeues >= 1) await transition(db, actor, id, ['called'], { status: 'no_show', ended_at: new Date() });
  else await transition(db, actor, id, ['called'], { status: 'waiting', doctor_id: null, called_at: null, requeues: row.requeues + 1 });
  return requestView(db, id);
}

/** The spoke (or the citizen, through the public route) withdraws a request not yet started. */
export async function cancelRequest(db: Db, actor: Actor | null, id: string) {
  const row = await loadRequest(db, id);
  if (actor) {
    requirePermission(actor, 'can_request_consultation');
    if (!row.spoke_path || !inScope(actor, row.spoke_path)) throw forbidden('Only the centre that asked for this consultation may cancel it', 'यह परामर्श केवल अनुरोध करने वाला केंद्र रद्द कर सकता है');
  }
  const u = await db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('tele_requests').set({ status: 'cancelled', ended_at: new Date() }).where('id', '=', id).where('status', 'in', ['waiting', 'called']).returning('id').executeTakeFirst();
    if (r) {
      await recordAudit(trx, actor, { action: 'update', entity: 'tele_request', entityId: id, orgPath: row.spoke_path ?? row.hub_path, before: { status: row.status }, after: { status: 'cancelled' } });
    }
    return r;
  });
  if (u) await notifyQueue(db, row.hub_id, row.specialty);
  if (!u) throw conflict(`This consultation is ${row.status} and can no longer be cancelled`, `यह परामर्श ${row.status} है; अब रद्द नहीं हो सकता`, { status: row.status });
  return actor ? (await requestViewsFor(db, actor, [id]))[0] : requestView(db, id);
}


/** The request, when `actor` may follow it (403 otherwise). */
export async function readableRequest(db: Db, actor: Actor, id: string): Promise<RequestRow> {
  const row = await loadRequest(db, id);
  if (!(await canReadRequest(db, actor, row))) throw forbidden('This consultation belongs to a centre outside your area', 'यह परामर्श आपके क्षेत्र से बाहर के केंद्र का है');
  return row;
}

export async function getRequest(db: Db, actor: Actor, id: string) {
  await readableRequest(db, actor, id);
  const [view] = await requestViewsFor(db, actor, [id]);
  return view;
}

/** Requests of a spoke (the CHO's list) or, for a doctor, the ones they hold now. */
export async function listRequests(db: Db, actor: Actor, q: { spokeId?: string; status?: string; day?: string; mine?: boolean }) {
  requirePermission(actor, 'can_read_telemedicine');
  let query = db.selectFrom('tele_requests').select('id').orderBy('created_at', 'desc').limit(100);
  if (q.mine) {
    query = query.where('doctor_id', '=', actor.userId).where('status', 'in', ['called', 'in_consultation']);
  } else {
    const spoke = await facilityFor(db, actor, q.spokeId);
    if (!spoke) throw badRequest('Name the centre (spokeId)', 'केंद्र बताएँ (spokeId)', { field: 'spokeId' });
    query = query.where('spoke_id', '=', spoke.id).where('day', '=', q.day ?? todayIst());
    if (q.status) query = query.where('status', '=', q.status as RequestRow['status']);
  }
  const ids = await query.execute();
  return { items: await requestViewsFor(db, actor, ids.map((r) => r.id)) };
}

/** The live queue of a hub (hub manager, doctors): who waits, for how long, and who is online. */
export async function liveQueue(db: Db, actor: Actor, q: { hubId: string; specialty?: string }) {
  requirePermission(actor, 'can_read_telemedicine');
  const hub = await loadFacility(db, q.hubId, 'hubId');
  requireScope(actor, hub.path, hub.name);
  await expireAbandoned(db);
  let rq = db.selectFrom('tele_requests as r').leftJoin('org_units as s', 's.id', 'r.spoke_id').innerJoin('patients as p', 'p.id', 'r.patient_id')
    .select(['r.id', 'r.token', 'r.specialty', 'r.priority', 'r.priority_reason', 'r.status', 'r.queued_at', 'r.called_at', 'r.doctor_id', 'r.channel', 's.name as spoke_name', 's.name_hi as spoke_name_hi', 'p.sex', 'p.birth_date'])
    .where('r.hub_id', '=', hub.id).where('r.status', 'in', ['waiting', 'called', 'in_consultation']);
  if (q.specialty) rq = rq.where('r.specialty', '=', requireSpecialty(q.specialty));
  const rows = await rq.orderBy('r.specialty').orderBy('r.priority').orderBy('r.queued_at').limit(500).execute();
  let dq = db.selectFrom('tele_duty as t').innerJoin('tele_doctors as d', 'd.user_id', 't.user_id').select(['t.user_id', 't.specialty', 't.status', 't.since', 'd.name', 'd.name_hi']).where('t.hub_id', '=', hub.id).where('t.status', '!=', 'offline');
  if (q.specialty) dq = dq.where('t.specialty', '=', q.specialty);
  const doctors = await dq.execute();
  const now = Date.now();
  // Patients are shown by token, age and sex only: the hub manager runs the queue, not the record.
  return {
    hub: { id: hub.id, name: hub.name, nameHi: hub.name_hi },
    items: rows.map((r) => ({ id: r.id, token: r.token, specialty: r.specialty, priority: priorityName(r.priority), priorityReason: r.priority_reason, status: r.status, channel: r.channel, spoke: r.spoke_name, spokeHi: r.spoke_name_hi, sex: r.sex, age: ageOn(r.birth_date), waitingMinutes: Math.floor((now - r.queued_at.getTime()) / 60_000), doctorId: r.doctor_id })),
    doctors: doctors.map((d) => ({ userId: d.user_id, name: d.name, nameHi: d.name_hi, specialty: d.specialty, status: d.status, since: d.since.toISOString() })),
  };
}

/**
 * Checks the key the booking returned (404 when it is not this request's) and marks the waiting room
 * as still open (abandoned home requests expire): one statement.
 */
export async function checkKey(db: Db, id: string, key: string): Promise<void> {
  const seen = await db.updateTable('tele_requests').set({ client_seen_at: new Date() })
    .where('id', '=', id).where('access_key_hash', '=', sha256(key)).returning('id').executeTakeFirst();
  if (!seen) throw new AppError('not_found', { en: 'No such booking; check the link you were given', hi: 'ऐसी कोई बुकिंग नहीं मिली; दिया गया लिंक जाँचें' });
}

/** The patient's own view, for the public waiting room: checked against the key the booking returned. */
export async function requestForKey(db: Db, id: string, key: string) {
  await checkKey(db, id, key);
  return requestView(db, id);
}
