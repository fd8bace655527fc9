// The door-to-door health-card survey: assignments of villages/wards to enumerators, the sync of
// households recorded offline (each in its own transaction, reported one by one, idempotent by the
// phone's id), and coverage by village or ward for the district.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { insertFamily, joinFamily, RELATIONS } from './patients.families.js';
import type { NewPatientInput } from './patients.schema.js';
import { registerPatient } from './patients.service.js';

type Db = Kysely<Database>;

export interface SurveyMember extends Omit<NewPatientInput, 'address' | 'facilityId'> { relation: string }
export interface SurveyHousehold { clientId: string; area: string; addressLine?: string; familyExternalId?: string; recordedAt?: string; members: SurveyMember[] }
export interface SyncResult { clientId: string; status: 'created' | 'already_synced' | 'refused'; familyNumber?: string; stateNumbers?: string[]; problems?: { member?: number; field?: string; message: string; messageHi: string }[] }

/** Assigns a village or ward to an enumerator (an ASHA or CHO) in the officer's area. */
export async function assignArea(db: Db, actor: Actor, input: { username: string; area: string }) {
  requirePermission(actor, 'can_assign_survey');
  const area = await resolveOrgUnit(db, input.area, ['village', 'panchayat', 'block'], 'area');
  requireScope(actor, area.path, area.name);
  // Coverage is counted by village and ward: a block is too large a beat for one enumerator.
  if (area.level !== 'village' && area.level !== 'panchayat') {
    throw badRequest(`${area.name} is a ${area.level}; assign a village, or a panchayat or ward`, `${area.name} एक ${area.level} है; गाँव, पंचायत या वार्ड सौंपें`, { field: 'area' });
  }
  const user = await db.selectFrom('users').select(['id', 'username', 'role']).where('username', '=', input.username).executeTakeFirst();
  if (!user) throw notFound(`No user is called ${input.username}`, `${input.username} नाम का कोई उपयोगकर्ता नहीं है`);
  if (!['asha', 'cho'].includes(user.role)) throw badRequest(`${user.username} is a ${user.role}; the survey is done by ASHAs and CHOs`, 'सर्वेक्षण आशा और सीएचओ करती हैं', { field: 'username' });
  await db.insertInto('survey_assignments').values({ user_id: user.id, area_id: area.id, area_path: area.path, assigned_by: actor.username })
    .onConflict((oc) => oc.doNothing()).execute();
  await recordAudit(db, actor, { action: 'create', entity: 'survey_assignment', entityId: user.id, orgPath: area.path, after: { user: user.username, area: area.id } });
  return { username: user.username, area: { id: area.id, name: area.name, nameHi: area.name_hi, level: area.level } };
}

/** The areas an enumerator is assigned. */
export async function myAssignments(db: Db, actor: Actor) {
  requirePermission(actor, 'can_survey');
  const rows = await db.selectFrom('survey_assignments as a').innerJoin('org_units as o', 'o.id', 'a.area_id')
    .select(['o.id', 'o.name', 'o.name_hi', 'o.level', 'o.lgd_code']).where('a.user_id', '=', actor.userId).orderBy('o.name').execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, level: r.level, lgdCode: r.lgd_code })) };
}

/**
 * Stores households recorded offline. Each is all-or-nothing on its own: its members are registered
 * (the first as head), and the family is created; a household whose phone id was synced before is
 * reported `already_synced` and not stored again; a refused one says which member and field.
 */
export async function syncHouseholds(db: Db, actor: Actor, households: SurveyHousehold[]): Promise<{ results: SyncResult[] }> {
  requirePermission(actor, 'can_survey');
  const assigned = await db.selectFrom('survey_assignments').select(['area_id', 'area_path']).where('user_id', '=', actor.userId).execute();
  const results: SyncResult[] = [];
  for (const h of households) {
    const done = await db.selectFrom('survey_households as s').leftJoin('families as f', 'f.id', 's.family_id').select(['f.family_number'])
      .where('s.user_id', '=', actor.userId).where('s.client_id', '=', h.clientId).executeTakeFirst();
    if (done) { results.push({ clientId: h.clientId, status: 'already_synced', familyNumber: done.family_number ?? undefined }); continue; }
    try {
      results.push(await db.transaction().execute((trx) => storeHousehold(trx, actor, assigned, h)));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const fields = e.details?.fields as { field: string; message: string; messageHi?: string }[] | undefined;
      const member = (e as AppError & { member?: number }).member;
      const field = typeof e.details?.field === 'string' ? e.details.field : undefined;
      // Both languages: the phone shows the reason in the enumerator's language, whatever it was when it synced.
      results.push({
        clientId: h.clientId, status: 'refused',
        problems: fields?.length
          ? fields.map((f) => ({ member, field: f.field, message: f.message, messageHi: f.messageHi ?? f.message }))
          : [{ member, field, message: e.msg.en, messageHi: e.msg.hi ?? e.msg.en }],
      });
    }
  }
  return { results };
}

async function storeHousehold(db: Db, actor: Actor, assigned: { area_id: string; area_path: string }[], h: SurveyHousehold): Promise<SyncResult> {
  const area = await resolveOrgUnit(db, h.area, ['village', 'panchayat', 'block'], 'area');
  if (!assigned.some((a) => area.path.startsWith(a.area_path))) {
    throw badRequest(`${area.name} is not one of your assigned areas`, `${area.name} आपको सौंपा गया क्षेत्र नहीं है`, { field: 'area' });
  }
  if (!h.members.length) throw badRequest('A household needs at least one member', 'परिवार में कम से कम एक सदस्य हो', { field: 'members' });
  const district = area.path.split('/')[3];
  const stateNumbers: string[] = [];
  const ids: string[] = [];
  for (const [i, m] of h.members.entries()) {
    if (i > 0 && (!(RELATIONS as readonly string[]).includes(m.relation) || m.relation === 'head')) {
      throw Object.assign(badRequest(`member ${i + 1}: relation must be one of ${RELATIONS.filter((r) => r !== 'head').join(', ')}`, 'संबंध सूची में से चुनें', { field: 'relation' }), { member: i });
    }
    const { relation: _relation, ...person } = m;
    const address = { district, ...(area.level === 'village' ? { village: area.id } : {}), line: h.addressLine };
    try {
      const p = await registerPatient(db, actor, { ...person, address }, 'survey');
      stateNumbers.push(p.stateNumber);
      ids.push(p.id);
    } catch (e) {
      throw Object.assign(e as object, { member: i });
    }
  }
  const family = await insertFamily(db, actor, { headPatientId: ids[0], externalId: h.familyExternalId, addressLine: h.addressLine });
  for (const [i, id] of ids.entries()) if (i > 0) await joinFamily(db, actor, family.id, id, h.members[i].relation);
  await db.insertInto('survey_households').values({
    user_id: actor.userId, client_id: h.clientId, family_id: family.id, area_id: area.id, area_path: area.path, members: ids.length,
    recorded_at: h.recordedAt ? new Date(h.recordedAt) : null,
  }).execute();
  return { clientId: h.clientId, status: 'created', familyNumber: family.family_number, stateNumbers };
}

/** Coverage by village or ward under an area: households and people surveyed, with ABHA and with a card. */
export async function coverage(db: Db, actor: Actor, orgUnit: string) {
  requirePermission(actor, 'can_assign_survey');
  const unit = await resolveOrgUnit(db, orgUnit);
  requireScope(actor, unit.path, unit.name);
  const rows = await sql<{ id: string; name: string; name_hi: string | null; households: number; people: number; with_abha: number; with_card: number; enumerators: number }>`
    select o.id, o.name, o.name_hi,
      (select count(*)::int from survey_households s where s.area_id = o.id) as households,
      (select coalesce(sum(s.members), 0)::int from survey_households s where s.area_id = o.id) as people,
      (select count(*)::int from survey_households s join family_members m on m.family_id = s.family_id join patients p on p.id = m.patient_id
        where s.area_id = o.id and p.abha_number is not null) as with_abha,
      (select count(*)::int from survey_households s join family_members m on m.family_id = s.family_id join patients p on p.id = m.patient_id
        where s.area_id = o.id and p.card_issued_at is not null) as with_card,
      (select count(*)::int from survey_assignments a where a.area_id = o.id) as enumerators
    from org_units o
    where o.path like ${`${unit.path}%`} and o.level in ('village', 'panchayat')
      and (exists (select 1 from survey_assignments a where a.area_id = o.id) or exists (select 1 from survey_households s where s.area_id = o.id))
    order by o.name`.execute(db);
  return {
    orgUnit: { id: unit.id, name: unit.name, nameHi: unit.name_hi },
    items: rows.rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, households: r.households, people: r.people, withAbha: r.with_abha, withCard: r.with_card, enumerators: r.enumerators })),
  };
}
