// A consultation request as the screens show it: names, patient, doctor and, while it waits, its
// place in the queue with an honest estimate of the wait.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { ageOn, readableSet } from '../patients/patients.service.js';
import { priorityName, specialtyName } from './telemedicine.specialties.js';
import type { RequestRow } from './telemedicine.queue.js';

type Db = Kysely<Database>;

/** A citizen's waiting-room page that has not been seen for this long has been abandoned. */
export const ABANDONED_MINUTES = 10;
/** Consultation length assumed before a queue has any history. */
const DEFAULT_CONSULT_MINUTES = 8;

export const abandonedBefore = () => new Date(Date.now() - ABANDONED_MINUTES * 60_000);

/**
 * Position and an honest estimate of the wait: people ahead divided among the doctors actually
 * online for this queue, times the median length of its last 20 consultations. With nobody online
 * there is no estimate, and the page says so.
 */
export async function waitEstimate(db: Db, row: Pick<RequestRow, 'id' | 'hub_id' | 'specialty' | 'priority' | 'queued_at' | 'token' | 'status'>) {
  if (row.status !== 'waiting') return { position: 0, ahead: 0, doctorsOnline: 0, consultMinutes: null, estimatedWaitMinutes: null };
  const [ahead, online, recent] = await Promise.all([
    db.selectFrom('tele_requests').select(sql<number>`count(*)::int`.as('n'))
      .where('hub_id', '=', row.hub_id).where('specialty', '=', row.specialty).where('status', '=', 'waiting').where('expires_at', '>', new Date())
      .where((eb) => eb.or([eb('channel', '=', 'spoke'), eb('client_seen_at', '>', abandonedBefore())]))
      .where((eb) => eb.or([eb('priority', '<', row.priority), eb.and([eb('priority', '=', row.priority), eb.or([eb('queued_at', '<', row.queued_at), eb.and([eb('queued_at', '=', row.queued_at), eb('token', '<', row.token)])])])]))
      .executeTakeFirstOrThrow(),
    db.selectFrom('tele_duty').select(sql<number>`count(*)::int`.as('n')).where('hub_id', '=', row.hub_id).where('specialty', '=', row.specialty).where('status', '=', 'online').executeTakeFirstOrThrow(),
    db.selectFrom((eb) => eb.selectFrom('tele_requests').select(sql<number>`extract(epoch from ended_at - started_at) / 60`.as('m'))
      .where('hub_id', '=', row.hub_id).where('specialty', '=', row.specialty).where('status', '=', 'completed').where('started_at', 'is not', null)
      .orderBy('ended_at', 'desc').limit(20).as('recent'))
      .select([sql<number | null>`percentile_cont(0.5) within group (order by m)`.as('median'), sql<number>`count(*)::int`.as('n')]).executeTakeFirstOrThrow(),
  ]);
  const consultMinutes = recent.n ? Math.max(1, Number(recent.median)) : DEFAULT_CONSULT_MINUTES;
  const doctorsOnline = online.n;
  const estimatedWaitMinutes = doctorsOnline ? Math.ceil(((ahead.n + 1) / doctorsOnline) * consultMinutes) : null;
  return { position: ahead.n + 1, ahead: ahead.n, doctorsOnline, consultMinutes: Math.round(consultMinutes * 10) / 10, estimatedWaitMinutes };
}

/** A request as the screens show it, with its place in the queue while it waits. */
export async function requestView(db: Db, id: string) {
  const [view] = await requestViews(db, [id]);
  if (!view) throw notFound(`No consultation request ${id}`, `परामर्श अनुरोध ${id} नहीं मिला`);
  return view;
}

/** Requests as the screens show them, in the order of `ids` (unknown ids left out): one query, and the wait of those waiting. */
export async function requestViews(db: Db, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db.selectFrom('tele_requests as r').innerJoin('org_units as h', 'h.id', 'r.hub_id').leftJoin('org_units as s', 's.id', 'r.spoke_id')
    .innerJoin('patients as p', 'p.id', 'r.patient_id').leftJoin('tele_doctors as d', 'd.user_id', 'r.doctor_id')
    .selectAll('r').select(['h.name as hub_name', 'h.name_hi as hub_name_hi', 's.name as spoke_name', 's.name_hi as spoke_name_hi', 'p.name as patient_name', 'p.name_hi as patient_name_hi', 'p.state_number', 'p.sex', 'p.birth_date', 'd.name as doctor_name', 'd.name_hi as doctor_name_hi'])
    .where('r.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(ids.flatMap((id) => byId.get(id) ?? []).map(async (r) => ({
    id: r.id, token: r.token, day: r.day, status: r.status, channel: r.channel,
    hub: { id: r.hub_id, name: r.hub_name, nameHi: r.hub_name_hi },
    spoke: r.spoke_id ? { id: r.spoke_id, name: r.spoke_name, nameHi: r.spoke_name_hi } : null,
    specialty: r.specialty, specialtyName: specialtyName(r.specialty), specialtyNameHi: specialtyName(r.specialty, 'hi'),
    patientId: r.patient_id,
    patient: { id: r.patient_id, name: r.patient_name, nameHi: r.patient_name_hi, stateNumber: r.state_number, sex: r.sex, age: ageOn(r.birth_date) },
    priority: priorityName(r.priority), priorityReason: r.priority_reason, complaint: r.complaint, vitals: r.vitals,
    doctor: r.doctor_id ? { id: r.doctor_id, name: r.doctor_name, nameHi: r.doctor_name_hi } : null,
    preferredDoctorId: r.preferred_doctor_id, requeues: r.requeues,
    queuedAt: r.queued_at.toISOString(), calledAt: r.called_at?.toISOString() ?? null, startedAt: r.started_at?.toISOString() ?? null, endedAt: r.ended_at?.toISOString() ?? null,
    expiresAt: r.expires_at.toISOString(), roomUrl: r.room_url,
    ...(await waitEstimate(db, r)),
  })));
}
export type RequestView = Awaited<ReturnType<typeof requestView>>;

/**
 * The requests among `views` whose patient `actor` may see by name: the doctor holding the request,
 * and staff posted at the spoke that asked who may read the patient's record. Everyone else who may
 * follow a request (officers, the hub manager, other doctors of the hub) gets tokens, status, age,
 * sex and the wait, as the live queue shows them.
 */
export async function namedFor(db: Db, actor: Actor, views: Pick<RequestView, 'id' | 'patientId' | 'doctor' | 'spoke'>[]): Promise<Set<string>> {
  const atSpoke = views.filter((v) => v.spoke?.id === actor.orgUnitId);
  const readable = await readableSet(db, actor, [...new Set(atSpoke.map((v) => v.patientId))]);
  return new Set(views.filter((v) => v.doctor?.id === actor.userId || (v.spoke?.id === actor.orgUnitId && readable.has(v.patientId))).map((v) => v.id));
}

/** A request without what tells who the patient is or what ails them (name, number, complaint, vitals) or the video room. */
export function withoutPatient(v: RequestView) {
  return { ...v, patient: { id: v.patient.id, name: null, nameHi: null, stateNumber: null, sex: v.patient.sex, age: v.patient.age }, complaint: null, vitals: null, roomUrl: null, patientHidden: true };
}

/** One audit row for a view that showed patients by name (one per view, not per request). */
export async function auditNamedView(db: Db, actor: Actor, named: string[]) {
  if (!named.length) return;
  await recordAudit(db, actor, { action: 'read', entity: 'tele_request', entityId: named.length === 1 ? named[0] : null, orgPath: actor.orgPath, purpose: 'telemedicine', after: { requests: named.length } });
}

/** Requests as `actor` may see them (see namedFor); a view with names is audited. */
export async function requestViewsFor(db: Db, actor: Actor, ids: string[]) {
  const views = await requestViews(db, ids);
  const named = await namedFor(db, actor, views);
  await auditNamedView(db, actor, [...named]);
  return views.map((v) => (named.has(v.id) ? v : withoutPatient(v)));
}
