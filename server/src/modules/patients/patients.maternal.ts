// Reads the maternal and family screens need beside the writes in patients.care.ts and
// patients.families.ts: a woman's pregnancy registrations, a person's family, and an ultrasound
// centre's own log of number checks. Each is a read of personal data, so each is audited.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { auditRow, recordAudit } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { ageOn, canRead, facilityFor, loadPatient, requireRecordArea } from './patients.service.js';

type Db = Kysely<Database>;

async function requireReadable(db: Db, actor: Actor, patientId: string) {
  const patient = await loadPatient(db, patientId);
  if (!(await canRead(db, actor, patient.id))) {
    throw forbidden('Only staff of a facility where this patient is registered or has been seen may see this; show the patient present first',
      'यह केवल उन्हीं संस्थानों के कर्मचारी देख सकते हैं जहाँ मरीज़ पंजीकृत है या दिखाया गया है; पहले मरीज़ की उपस्थिति दिखाएँ');
  }
  return patient;
}

/** A woman's pregnancy registrations, newest first, with the scans done against each number. */
export async function listPregnancies(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_read_patient');
  const patient = await requireReadable(db, actor, patientId);
  const rows = await db.selectFrom('pregnancies as g').innerJoin('org_units as o', 'o.id', 'g.facility_id')
    .select(['g.id', 'g.registration_number', 'g.status', 'g.lmp', 'g.created_at', 'g.created_by', 'g.closed_at', 'g.closed_reason', 'o.name as facility', 'o.name_hi as facility_hi'])
    .select((eb) => eb.selectFrom('ultrasound_scans as s').whereRef('s.pregnancy_id', '=', 'g.id').where('s.outcome', '=', 'accepted')
      .select(sql<number>`count(*)::int`.as('n')).as('scans'))
    .where('g.patient_id', '=', patient.id).orderBy('g.created_at', 'desc').limit(50).execute();
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patient.id, orgPath: actor.orgPath, purpose: 'pregnancies', after: { results: rows.length } });
  const today = Date.parse(todayIst());
  return {
    items: rows.map((r) => ({
      id: r.id, registrationNumber: r.registration_number, status: r.status, lmp: r.lmp,
      gestationWeeks: r.status === 'open' && r.lmp ? Math.floor((today - Date.parse(r.lmp)) / (7 * 86_400_000)) : null,
      facility: r.facility, facilityHi: r.facility_hi, registeredAt: r.created_at.toISOString(), registeredBy: r.created_by,
      closedAt: r.closed_at ? r.closed_at.toISOString() : null, closedReason: r.closed_reason, scans: Number(r.scans ?? 0),
    })),
  };
}

/** The family a person belongs to (a person is in one), with their relation to its head; null when none. */
export async function familyOf(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_search_patient');
  const patient = await requireReadable(db, actor, patientId);
  const row = await db.selectFrom('family_members as m').innerJoin('families as f', 'f.id', 'm.family_id')
    .select(['f.id', 'f.family_number', 'f.external_id', 'm.relation'])
    .select((eb) => eb.selectFrom('family_members as x').whereRef('x.family_id', '=', 'f.id').select(sql<number>`count(*)::int`.as('n')).as('members'))
    .where('m.patient_id', '=', patient.id).executeTakeFirst();
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: patient.id, orgPath: actor.orgPath, purpose: 'family', after: { family: row?.id ?? null } });
  return { family: row ? { id: row.id, familyNumber: row.family_number, externalId: row.external_id, relation: row.relation, members: Number(row.members ?? 0) } : null };
}

export interface CheckLogInput { facilityId?: string; from?: string; to?: string; outcome?: 'accepted' | 'refused'; limit?: number; offset?: number }

/**
 * An ultrasound centre's own checks of registration numbers, newest first, with counts for the
 * period and for today (IST). The operator sees numbers and outcomes, never the women's names.
 */
export async function centreChecks(db: Db, actor: Actor, input: CheckLogInput) {
  requirePermission(actor, 'can_record_ultrasound');
  const centre = await facilityFor(db, actor, input.facilityId);
  if (!centre) throw badRequest('Name the ultrasound centre (facilityId)', 'अल्ट्रासाउंड केंद्र बताएँ (facilityId)', { field: 'facilityId' });
  if (input.from && input.to && input.from > input.to) throw badRequest('from must not be after to', 'आरंभ तिथि अंतिम तिथि के बाद नहीं हो सकती', { field: 'from' });
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  let base = db.selectFrom('ultrasound_scans as s').where('s.facility_path', '=', centre.path).where('s.facility_id', '=', centre.id);
  if (input.from) base = base.where('s.created_at', '>=', new Date(`${input.from}T00:00:00+05:30`));
  if (input.to) base = base.where('s.created_at', '<', new Date(Date.parse(`${input.to}T00:00:00+05:30`) + 86_400_000));
  const todayStart = new Date(`${todayIst()}T00:00:00+05:30`);
  const counts = await base
    .select(sql<number>`count(*) filter (where s.outcome = 'accepted')::int`.as('accepted'))
    .select(sql<number>`count(*) filter (where s.outcome = 'refused')::int`.as('refused'))
    .select(sql<number>`count(*) filter (where s.outcome = 'accepted' and s.created_at >= ${todayStart})::int`.as('today_accepted'))
    .select(sql<number>`count(*) filter (where s.outcome = 'refused' and s.created_at >= ${todayStart})::int`.as('today_refused'))
    .executeTakeFirstOrThrow();
  let list = base.select(['s.id', 's.created_at', 's.registration_number', 's.outcome', 's.refusal', 's.indication', 's.created_by']);
  if (input.outcome) list = list.where('s.outcome', '=', input.outcome);
  const rows = await list.orderBy('s.created_at', 'desc').orderBy('s.id').limit(limit + 1).offset(offset).execute();
  await recordAudit(db, actor, { action: 'read', entity: 'ultrasound_checks', entityId: centre.id, orgPath: centre.path, purpose: 'ultrasound', after: { results: Math.min(rows.length, limit), offset } });
  return {
    centre: { id: centre.id, name: centre.name, nameHi: centre.name_hi },
    counts: { accepted: Number(counts.accepted), refused: Number(counts.refused), todayAccepted: Number(counts.today_accepted), todayRefused: Number(counts.today_refused) },
    items: rows.slice(0, limit).map((r) => ({
      id: r.id, at: r.created_at.toISOString(), registrationNumber: r.registration_number, outcome: r.outcome, reason: r.refusal, indication: r.indication, by: r.created_by,
    })),
    more: rows.length > limit,
  };
}

/** Why a pregnancy is counted high-risk, from what the registry holds: the mother's age at her LMP, and a fourth or later registration. */
export type RiskFactor = 'under_18' | 'age_35_plus' | 'fourth_or_later';

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Open pregnancies in the caller's area whose expected date of delivery (LMP + 280 days) falls from
 * today (IST) within `days` days, for the helpline's outbound calls: name, mobile, due date and risk
 * factors; `risk: 'high'` keeps those with at least one. Each woman listed is an audited read.
 */
export async function pregnanciesDue(db: Db, actor: Actor, input: { days: number; risk: 'high' | 'all' }) {
  requirePermission(actor, 'can_log_helpline_calls');
  const area = requireRecordArea(actor);
  const from = todayIst();
  const to = addDays(from, input.days - 1);
  const rows = await db.selectFrom('pregnancies as g').innerJoin('patients as p', 'p.id', 'g.patient_id').innerJoin('org_units as o', 'o.id', 'g.facility_id')
    .select(['g.id', 'g.patient_id', 'g.registration_number', 'g.lmp', 'g.facility_path', 'p.name', 'p.name_hi', 'p.mobile', 'p.birth_date', 'o.name as facility', 'o.name_hi as facility_hi'])
    .select((eb) => eb.selectFrom('pregnancies as x').whereRef('x.patient_id', '=', 'g.patient_id').select(sql<number>`count(*)::int`.as('n')).as('registrations'))
    .where('g.status', '=', 'open').where('g.facility_path', 'like', `${area}%`)
    .where('g.lmp', '>=', addDays(from, -280)).where('g.lmp', '<=', addDays(to, -280))
    .orderBy('g.lmp').orderBy('g.id').limit(500).execute();
  const items = rows.map((r) => {
    const lmp = r.lmp!;
    const age = ageOn(r.birth_date, lmp);
    const riskFactors: RiskFactor[] = [];
    if (age < 18) riskFactors.push('under_18');
    if (age >= 35) riskFactors.push('age_35_plus');
    if (Number(r.registrations ?? 0) >= 4) riskFactors.push('fourth_or_later');
    return {
      pregnancyId: r.id, patientId: r.patient_id, registrationNumber: r.registration_number, name: r.name, nameHi: r.name_hi, mobile: r.mobile,
      age: ageOn(r.birth_date, from), lmp, dueDate: addDays(lmp, 280), facility: r.facility, facilityHi: r.facility_hi, riskFactors, facilityPath: r.facility_path,
    };
  }).filter((x) => input.risk === 'all' || x.riskFactors.length > 0);
  if (items.length) {
    await db.insertInto('audit_log').values(items.map((x) => auditRow(actor, { action: 'read', entity: 'patient', entityId: x.patientId, orgPath: x.facilityPath, purpose: 'helpline_outbound' }))).execute();
  }
  return { from, to, items: items.map(({ facilityPath: _, ...x }) => x) };
}

/** A pregnancy the helpline calls about (an outbound call's result names it): in the caller's area, else 404. */
export async function pregnancyForCall(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_log_helpline_calls');
  const area = requireRecordArea(actor);
  const row = await db.selectFrom('pregnancies').select(['id', 'patient_id', 'facility_path', 'status']).where('id', '=', id).executeTakeFirst();
  if (!row || !row.facility_path.startsWith(area)) throw notFound(`No pregnancy has id ${id} in your area`, `आपके क्षेत्र में आईडी ${id} वाली कोई गर्भावस्था नहीं है`);
  return row;
}
