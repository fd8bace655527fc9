// OPD tokens, pregnancy registration and the ultrasound check against its number. The queue the
// tokens make, and its states through the day, are in patients.opd.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { isUniqueViolation } from '../../platform/races.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { newPregnancyRegistrationNumber, validPregnancyRegistrationNumber } from './patients.identity.js';
import type { OpdInput, PregnancyInput, UltrasoundInput, UltrasoundSummaryInput } from './patients.schema.js';
import { requirePresence } from './patients.presence.js';
import { canRead, facilityFor, linkFacility, loadPatient } from './patients.service.js';

type Db = Kysely<Database>;

async function requireFacility(db: Db, actor: Actor, facilityId: string | undefined) {
  const facility = await facilityFor(db, actor, facilityId);
  if (!facility) throw badRequest('Name the facility (facilityId)', 'संस्थान बताएँ (facilityId)', { field: 'facilityId' });
  return facility;
}

/**
 * Registers a patient at an OPD counter: the next token of the department today (IST), and a link
 * that lets the facility's staff read the record. Tokens are numbered 1, 2, 3… per department per day.
 * Staff who may not read the record yet must first show the patient present (patients.presence.ts).
 */
export async function registerOpd(db: Db, actor: Actor, input: OpdInput) {
  requirePermission(actor, 'can_register_opd');
  const facility = await requireFacility(db, actor, input.facilityId);
  const patient = await loadPatient(db, input.patientId);
  await requirePresence(db, actor, patient.id);
  const department = input.department.trim().toLowerCase();
  const day = todayIst();
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.transaction().execute(async (trx) => {
        const token = await nextOpdToken(trx, facility.id, department, day);
        const r = { id: uid(), patient_id: patient.id, facility_id: facility.id, department, day, token, created_by: actor.username };
        await trx.insertInto('opd_registrations').values(r).execute();
        await linkFacility(trx, patient.id, facility);
        await recordAudit(trx, actor, { action: 'create', entity: 'opd_registration', entityId: r.id, orgPath: facility.path, after: { patient: patient.id, department, token: r.token } });
        return r;
      });
      return { id: row.id, patientId: patient.id, stateNumber: patient.state_number, facilityId: facility.id, department, day, token: row.token, status: 'waiting' };
    } catch (e) {
      // The counter row makes this rare (a token issued before the counter existed): take the next one.
      if (isUniqueViolation(e) && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * The next token of a department today: one counter row per facility, department and day, bumped
 * atomically. Its row lock is held until the registration commits, so counters at any number of
 * server instances never take the same number. A day without a row starts after the highest token
 * already issued that day.
 */
async function nextOpdToken(trx: Db, facilityId: string, department: string, day: string): Promise<number> {
  const { rows } = await sql<{ last: number }>`
    insert into opd_token_counters as c (facility_id, department, day, last)
    values (${facilityId}, ${department}, ${day}, (select coalesce(max(token), 0) + 1 from opd_registrations where facility_id = ${facilityId} and department = ${department} and day = ${day}))
    on conflict (facility_id, department, day) do update set last = c.last + 1
    returning last`.execute(trx);
  return Number(rows[0].last);
}

/**
 * Registers a pregnancy (ANC) and issues its 12-digit registration number, which an ultrasound
 * centre must verify before a scan. One open pregnancy per woman.
 */
export async function registerPregnancy(db: Db, actor: Actor, input: PregnancyInput) {
  requirePermission(actor, 'can_register_pregnancy');
  const facility = await requireFacility(db, actor, input.facilityId);
  const patient = await loadPatient(db, input.patientId);
  // Before anything that names her (sex, an open registration): presence or the right to read.
  await requirePresence(db, actor, patient.id);
  if (patient.sex !== 'female') {
    throw badRequest(`${patient.name} is registered as ${patient.sex}; a pregnancy is registered for a woman`, `${patient.name} का लिंग ${patient.sex} दर्ज है; गर्भावस्था केवल महिला के लिए दर्ज होती है`, { field: 'patientId' });
  }
  if (input.lmp && (input.lmp > todayIst() || Date.parse(todayIst()) - Date.parse(input.lmp) > 300 * 86_400_000)) {
    throw badRequest('lmp must be within the last 300 days', 'अंतिम मासिक धर्म की तिथि पिछले 300 दिनों में होनी चाहिए', { field: 'lmp' });
  }
  const open = await alreadyOpen(db, patient);
  if (open) throw open;
  for (let attempt = 0; ; attempt++) {
    const number = newPregnancyRegistrationNumber();
    try {
      const row = await db.transaction().execute(async (trx) => {
        const r = { id: uid(), registration_number: number, patient_id: patient.id, facility_id: facility.id, facility_path: facility.path, lmp: input.lmp ?? null, created_by: actor.username, closed_reason: null, closed_at: null };
        // One open pregnancy per woman (a partial unique index): a registration made meanwhile wins.
        const inserted = await trx.insertInto('pregnancies').values(r)
          .onConflict((oc) => oc.column('patient_id').where('status', '=', 'open').doNothing()).returning('id').executeTakeFirst();
        if (!inserted) {
          throw (await alreadyOpen(trx, patient)) ?? conflict(`${patient.name}'s pregnancy registration changed just now; look her up again and retry`, `${patient.name} का गर्भावस्था पंजीकरण अभी बदला है; फिर से खोजकर प्रयास करें`);
        }
        await linkFacility(trx, patient.id, facility);
        await recordAudit(trx, actor, { action: 'create', entity: 'pregnancy', entityId: r.id, orgPath: facility.path, after: { patient: patient.id, registrationNumber: number } });
        return r;
      });
      return { id: row.id, registrationNumber: row.registration_number, patientId: patient.id, facilityId: facility.id, lmp: row.lmp, status: 'open' };
    } catch (e) {
      if (isUniqueViolation(e) && attempt < 5) continue;
      throw e;
    }
  }
}

/** A 409 naming the woman's open registration, or null when she has none. */
async function alreadyOpen(db: Db, patient: { id: string; name: string }) {
  const open = await db.selectFrom('pregnancies').select(['registration_number']).where('patient_id', '=', patient.id).where('status', '=', 'open').executeTakeFirst();
  if (!open) return null;
  return conflict(`${patient.name} already has an open pregnancy registration, number ${open.registration_number}; use that number, or close it first`,
    `${patient.name} का गर्भावस्था पंजीकरण पहले से खुला है, नंबर ${open.registration_number}; वही नंबर इस्तेमाल करें या पहले उसे बंद करें`, { registrationNumber: open.registration_number });
}

/** Closes a pregnancy registration (delivery, abortion, moved away…): its number no longer admits a scan. */
export async function closePregnancy(db: Db, actor: Actor, registrationNumber: string, reason: string) {
  requirePermission(actor, 'can_register_pregnancy');
  const p = await db.selectFrom('pregnancies').selectAll().where('registration_number', '=', registrationNumber).executeTakeFirst();
  if (!p) throw notFound(`No pregnancy has registration number ${registrationNumber}`, `पंजीकरण नंबर ${registrationNumber} की कोई गर्भावस्था नहीं मिली`);
  if (!(await canRead(db, actor, p.patient_id))) requireScope(actor, p.facility_path, 'This pregnancy');
  await db.updateTable('pregnancies').set({ status: 'closed', closed_reason: reason, closed_at: new Date() }).where('id', '=', p.id).execute();
  await recordAudit(db, actor, { action: 'update', entity: 'pregnancy', entityId: p.id, orgPath: p.facility_path, before: { status: p.status }, after: { status: 'closed', reason } });
  return { registrationNumber, status: 'closed', reason };
}

/**
 * An ultrasound centre checks a registration number before a scan. Every attempt is logged at the
 * centre; a refused one (malformed, unknown, closed, or another woman's number) is a 4xx that says
 * why, and the district sees it.
 */
export async function recordUltrasound(db: Db, actor: Actor, input: UltrasoundInput) {
  requirePermission(actor, 'can_record_ultrasound');
  const centre = await requireFacility(db, actor, input.facilityId);
  const number = input.registrationNumber.replace(/[\s-]/g, '');
  const refuse = async (error: AppError, reason: string, pregnancyId: string | null = null) => {
    await db.insertInto('ultrasound_scans').values({
      id: uid(), pregnancy_id: pregnancyId, registration_number: number.slice(0, 30), facility_id: centre.id, facility_path: centre.path,
      outcome: 'refused', refusal: reason, indication: input.indication ?? null, created_by: actor.username,
    }).execute();
    await recordAudit(db, actor, { action: 'create', entity: 'ultrasound_refusal', orgPath: centre.path, after: { registrationNumber: number, reason } });
    return error;
  };
  if (!validPregnancyRegistrationNumber(number)) {
    throw await refuse(badRequest(
      `${input.registrationNumber} is not a pregnancy registration number: it has 12 digits with a check digit; ask for the number on her ANC card`,
      `${input.registrationNumber} गर्भावस्था पंजीकरण नंबर नहीं है: इसमें 12 अंक होते हैं; उसके एएनसी कार्ड से नंबर लें`, { field: 'registrationNumber' }), 'malformed');
  }
  const p = await db.selectFrom('pregnancies as g').innerJoin('patients as w', 'w.id', 'g.patient_id')
    .select(['g.id', 'g.status', 'g.patient_id', 'g.lmp', 'g.created_at', 'w.name', 'w.name_hi', 'w.birth_date'])
    .where('g.registration_number', '=', number).executeTakeFirst();
  if (!p) {
    throw await refuse(notFound(
      `No pregnancy is registered with number ${number}; she must register at a government facility or ANC clinic before a scan`,
      `नंबर ${number} से कोई गर्भावस्था पंजीकृत नहीं है; जाँच से पहले उसका पंजीकरण सरकारी संस्थान या एएनसी क्लिनिक में होना चाहिए`), 'unknown');
  }
  if (p.status !== 'open') {
    throw await refuse(conflict(`Pregnancy registration ${number} is closed; no scan may be done against it`, `गर्भावस्था पंजीकरण ${number} बंद है; इस पर जाँच नहीं हो सकती`), 'closed', p.id);
  }
  if (input.patientId) {
    const woman = await loadPatient(db, input.patientId).catch(() => null);
    if (!woman || woman.id !== p.patient_id) {
      throw await refuse(conflict(`Registration number ${number} belongs to another woman; check her ANC card`, `पंजीकरण नंबर ${number} किसी अन्य महिला का है; उसका एएनसी कार्ड जाँचें`), 'other_woman', p.id);
    }
  }
  const id = uid();
  await db.insertInto('ultrasound_scans').values({
    id, pregnancy_id: p.id, registration_number: number, facility_id: centre.id, facility_path: centre.path, outcome: 'accepted', refusal: null,
    indication: input.indication ?? null, created_by: actor.username,
  }).execute();
  await recordAudit(db, actor, { action: 'create', entity: 'ultrasound_scan', entityId: id, orgPath: centre.path, after: { registrationNumber: number, pregnancy: p.id } });
  const weeks = p.lmp ? Math.floor((Date.parse(todayIst()) - Date.parse(p.lmp)) / (7 * 86_400_000)) : null;
  // The centre sees enough to confirm it is her, not her record.
  return { id, registrationNumber: number, outcome: 'accepted', woman: { name: p.name, nameHi: p.name_hi, birthYear: Number(p.birth_date.slice(0, 4)) }, gestationWeeks: weeks, at: new Date().toISOString() };
}

/** Scans per centre in an area, accepted and refused, with the refused attempts listed. */
export async function ultrasoundSummary(db: Db, actor: Actor, input: UltrasoundSummaryInput) {
  requirePermission(actor, 'can_read_ultrasound');
  const unit = input.orgUnit ? await resolveOrgUnit(db, input.orgUnit) : await db.selectFrom('org_units').selectAll().where('id', '=', actor.orgUnitId).executeTakeFirstOrThrow();
  requireScope(actor, unit.path, unit.name);
  let base = db.selectFrom('ultrasound_scans as s').where('s.facility_path', 'like', `${unit.path}%`);
  if (input.from) base = base.where('s.created_at', '>=', new Date(`${input.from}T00:00:00+05:30`));
  if (input.to) base = base.where('s.created_at', '<', new Date(Date.parse(`${input.to}T00:00:00+05:30`) + 86_400_000));
  const centres = await base.innerJoin('org_units as o', 'o.id', 's.facility_id').leftJoin('facilities as f', 'f.id', 's.facility_id')
    .select(['o.id', 'o.name', 'o.name_hi', 'f.ownership'])
    .select(sql<number>`count(*) filter (where s.outcome = 'accepted')::int`.as('accepted'))
    .select(sql<number>`count(*) filter (where s.outcome = 'refused')::int`.as('refused'))
    .groupBy(['o.id', 'o.name', 'o.name_hi', 'f.ownership']).orderBy('o.name').execute();
  const refusals = await base.innerJoin('org_units as o', 'o.id', 's.facility_id')
    .select(['s.created_at', 's.registration_number', 's.refusal', 's.created_by', 'o.name'])
    .where('s.outcome', '=', 'refused').orderBy('s.created_at', 'desc').limit(200).execute();
  return {
    orgUnit: { id: unit.id, name: unit.name, nameHi: unit.name_hi },
    centres: centres.map((c) => ({ id: c.id, name: c.name, nameHi: c.name_hi, ownership: c.ownership, accepted: c.accepted, refused: c.refused })),
    refused: refusals.map((r) => ({ at: r.created_at.toISOString(), centre: r.name, registrationNumber: r.registration_number, reason: r.refusal, by: r.created_by })),
  };
}

/** Whether a woman has an open pregnancy registration (telemedicine gives her priority). */
export async function hasOpenPregnancy(db: Db, patientId: string): Promise<boolean> {
  return !!(await db.selectFrom('pregnancies').select('id').where('patient_id', '=', patientId).where('status', '=', 'open').executeTakeFirst());
}
