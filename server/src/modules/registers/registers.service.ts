// Reading the family register by panchayat, and the review list of uncertain matches with its
// decisions. Officers read inside their area only; every read of members (personal data) is audited.
import { sql, type Kysely } from 'kysely';
import type { Database, RegisterMatchStatus } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/races.js';
import { requireRegisterOfficer, requireRegisterReader } from './registers.access.js';
import { activeCardCondition } from '../schemes/schemes.service.js';
import { linkToFamily } from './registers.match.js';

type Db = Kysely<Database>;

export interface FamilyListQuery { panchayat?: string; enrolled?: boolean; limit?: number; cursor?: string }

async function requirePanchayat(db: Db, actor: Actor, ref: string) {
  const gp = await db.selectFrom('org_units').select(['id', 'level', 'name', 'path']).where((eb) => eb.or([eb('id', '=', ref), eb('code', '=', ref)])).executeTakeFirst();
  if (!gp) throw notFound(`No gram panchayat has id ${ref}`, `आईडी ${ref} की कोई ग्राम पंचायत नहीं है`);
  if (gp.level !== 'panchayat') throw badRequest(`${gp.name} is a ${gp.level}, not a gram panchayat; pass a panchayat's id`, `${gp.name} ग्राम पंचायत नहीं है; पंचायत की आईडी दें`, { field: 'panchayat' });
  if (!gp.path.startsWith(actor.orgPath)) throw forbidden(`${gp.name} is outside your area`, `${gp.name} आपके क्षेत्र से बाहर है`);
  return gp;
}

/**
 * Register families of a panchayat (or of the caller's area), by family number with a cursor, each
 * with its members and who among them lacks an ABHA number (the register's own, or the linked
 * patient's), and whether it holds an active HIMCARE card of the scheme year (`enrolled`; the
 * condition comes from the schemes module, which owns the enrolments). `enrolled=true|false` filters
 * in SQL, so the cursor pages stay full.
 */
export async function listFamilies(db: Db, actor: Actor, q: FamilyListQuery) {
  requireRegisterReader(actor);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const gp = q.panchayat ? await requirePanchayat(db, actor, q.panchayat) : null;
  const card = activeCardCondition('himcare', 'f.id');
  let query = db.selectFrom('families as f').innerJoin('org_units as gp', 'gp.id', 'f.panchayat_id').innerJoin('org_units as v', 'v.id', 'f.home_id')
    .select(['f.id', 'f.family_number', 'f.external_id', 'f.category', 'f.home_path', 'gp.id as gp_id', 'gp.name as gp_name', 'gp.name_hi as gp_name_hi', 'gp.lgd_code as gp_lgd', 'v.id as v_id', 'v.name as v_name', 'v.name_hi as v_name_hi', card.exists.as('enrolled')])
    .where('f.source', '=', 'register').where('f.home_path', 'like', `${actor.orgPath}%`);
  if (gp) query = query.where('f.panchayat_id', '=', gp.id);
  if (q.enrolled === true) query = query.where(card.exists);
  if (q.enrolled === false) query = query.where(sql<boolean>`not ${card.exists}`);
  if (q.cursor) query = query.where('f.family_number', '>', q.cursor);
  const rows = await query.orderBy('f.family_number').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const members = page.length ? await db.selectFrom('register_members as m').leftJoin('patients as p', 'p.id', 'm.patient_id')
    .select(['m.family_id', 'm.id', 'm.member_id', 'm.name', 'm.name_hi', 'm.relation', 'm.sex', 'm.birth_year', 'm.abha_number', 'm.patient_id', 'm.match_status', 'p.abha_number as patient_abha'])
    .where('m.family_id', 'in', page.map((f) => f.id)).orderBy(sql`m.relation = 'head'`, 'desc').orderBy('m.birth_year').orderBy('m.member_id').execute() : [];
  const items = page.map((f) => {
    const mine = members.filter((m) => m.family_id === f.id).map((m) => ({
      id: m.id, memberId: m.member_id, name: m.name, nameHi: m.name_hi, relation: m.relation, sex: m.sex, birthYear: m.birth_year,
      hasAbha: !!(m.abha_number || m.patient_abha), patientId: m.patient_id, match: m.match_status as RegisterMatchStatus,
    }));
    return {
      id: f.id, familyNumber: f.family_number, externalId: f.external_id, category: f.category,
      panchayat: { id: f.gp_id, name: f.gp_name, nameHi: f.gp_name_hi, lgdCode: f.gp_lgd },
      village: { id: f.v_id, name: f.v_name, nameHi: f.v_name_hi },
      members: mine,
      withoutAbha: mine.filter((m) => !m.hasAbha).map((m) => m.memberId),
      enrolled: f.enrolled === true || (f.enrolled as unknown) === 't',
    };
  });
  await recordAudit(db, actor, { action: 'read', entity: 'family_register', orgPath: gp?.path ?? actor.orgPath, purpose: 'panchayat_list', after: { panchayat: gp?.id ?? null, enrolled: q.enrolled ?? null, families: items.map((i) => i.id) } });
  return { items, nextCursor: rows.length > limit ? page[page.length - 1].family_number : null };
}

export interface MatchListQuery { status?: RegisterMatchStatus; panchayat?: string; limit?: number; cursor?: string }

/** The review list (or the decided matches): each member with the candidate patients to choose from. */
export async function listMatches(db: Db, actor: Actor, q: MatchListQuery) {
  requireRegisterOfficer(actor);
  const status = q.status ?? 'review';
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const gp = q.panchayat ? await requirePanchayat(db, actor, q.panchayat) : null;
  let query = db.selectFrom('register_members as m').innerJoin('families as f', 'f.id', 'm.family_id').innerJoin('org_units as gp', 'gp.id', 'f.panchayat_id')
    .select(['m.id', 'm.member_id', 'm.name', 'm.name_hi', 'm.relation', 'm.sex', 'm.birth_year', 'm.match_status', 'm.match_reason', 'm.candidates', 'm.patient_id', 'm.decided_by', 'm.decided_at',
      'f.id as family_id', 'f.family_number', 'f.external_id', 'gp.id as gp_id', 'gp.name as gp_name', 'gp.name_hi as gp_name_hi'])
    .where('m.match_status', '=', status).where('f.home_path', 'like', `${actor.orgPath}%`);
  if (gp) query = query.where('f.panchayat_id', '=', gp.id);
  if (q.cursor) query = query.where('m.id', '>', q.cursor);
  const rows = await query.orderBy('m.id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const candidateIds = (r: (typeof page)[number]) => {
    const c = typeof r.candidates === 'string' ? JSON.parse(r.candidates) : r.candidates;
    return [...(Array.isArray(c) ? c as string[] : []), ...(r.patient_id ? [r.patient_id] : [])];
  };
  const ids = [...new Set(page.flatMap(candidateIds))];
  const patients = ids.length ? await db.selectFrom('patients').select(['id', 'state_number', 'name', 'name_hi', 'sex', 'birth_date', 'abha_number', 'home_path']).where('id', 'in', ids).execute() : [];
  const byId = new Map(patients.map((p) => [p.id, p]));
  const items = page.map((r) => ({
    id: r.id, status: r.match_status, reason: r.match_reason,
    family: { id: r.family_id, familyNumber: r.family_number, externalId: r.external_id },
    panchayat: { id: r.gp_id, name: r.gp_name, nameHi: r.gp_name_hi },
    member: { memberId: r.member_id, name: r.name, nameHi: r.name_hi, relation: r.relation, sex: r.sex, birthYear: r.birth_year },
    candidates: candidateIds(r).filter((id) => id !== r.patient_id || r.match_status === 'review').map((id) => byId.get(id)).filter((p) => !!p).map((p) => ({
      patientId: p!.id, stateNumber: p!.state_number, name: p!.name, nameHi: p!.name_hi, sex: p!.sex, birthYear: Number(String(p!.birth_date).slice(0, 4)), hasAbha: !!p!.abha_number,
    })),
    patientId: r.patient_id, decidedBy: r.decided_by, decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  }));
  await recordAudit(db, actor, { action: 'read', entity: 'family_match', orgPath: gp?.path ?? actor.orgPath, purpose: 'match_review', after: { status, members: items.map((i) => i.id), patients: ids } });
  return { items, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

async function loadForDecision(db: Db, actor: Actor, id: string) {
  requireRegisterOfficer(actor);
  const m = await db.selectFrom('register_members as m').innerJoin('families as f', 'f.id', 'm.family_id')
    .select(['m.id', 'm.family_id', 'm.relation', 'm.match_status', 'm.candidates', 'f.home_path']).where('m.id', '=', id).executeTakeFirst();
  // Outside the area it does not exist for the caller.
  if (!m || !m.home_path.startsWith(actor.orgPath)) throw notFound(`No match under review has id ${id}`, `आईडी ${id} का कोई मिलान समीक्षा में नहीं है`);
  if (m.match_status !== 'review') throw conflict(`This match was already decided (${m.match_status}); reload the review list`, `यह मिलान पहले ही तय हो चुका है (${m.match_status}); समीक्षा सूची फिर से खोलें`);
  return m;
}

const districtPrefix = async (db: Db, path: string) => {
  const parts = path.split('/').filter(Boolean);
  const all = parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
  const d = await db.selectFrom('org_units').select('path').where('level', '=', 'district').where('path', 'in', all).executeTakeFirst();
  return d?.path ?? path;
};

/** A person confirms which patient the member is (one of the candidates, or another patient of the family's district). */
export async function confirmMatch(db: Db, actor: Actor, id: string, patientId: string) {
  const m = await loadForDecision(db, actor, id);
  const p = await db.selectFrom('patients').select(['id', 'home_path', 'merged_into', 'state_number']).where('id', '=', patientId).executeTakeFirst();
  const district = await districtPrefix(db, m.home_path);
  if (!p || !p.home_path.startsWith(district)) throw badRequest(`No patient ${patientId} lives in this family's district; pick one of the candidates`, `इस परिवार के ज़िले में ${patientId} नाम का कोई मरीज़ नहीं है; सुझाए गए में से चुनें`, { field: 'patientId' });
  if (p.merged_into) throw badRequest(`Patient ${p.state_number} was merged into another record; pick that record`, `मरीज़ ${p.state_number} किसी अन्य रिकॉर्ड में मिलाया गया है; वही रिकॉर्ड चुनें`, { field: 'patientId' });
  const linked = await db.selectFrom('register_members').select('id').where('patient_id', '=', p.id).executeTakeFirst();
  if (linked) throw conflict(`Patient ${p.state_number} is already linked to another member of the register`, `मरीज़ ${p.state_number} पहले से रजिस्टर के किसी अन्य सदस्य से जुड़ा है`);
  let done;
  try {
    done = await db.updateTable('register_members').set({ patient_id: p.id, match_status: 'confirmed', decided_by: actor.username, decided_at: new Date(), updated_at: new Date() })
      .where('id', '=', m.id).where('match_status', '=', 'review').returning('id').executeTakeFirst();
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(`Patient ${p.state_number} was linked to another member just now`, `मरीज़ ${p.state_number} अभी किसी अन्य सदस्य से जोड़ा गया है`);
    throw e;
  }
  if (!done) throw conflict('This match was decided by someone else just now; reload the review list', 'यह मिलान अभी किसी और ने तय किया है; समीक्षा सूची फिर से खोलें');
  await linkToFamily(db, actor, m.family_id, p.id, m.relation);
  await recordAudit(db, actor, { action: 'update', entity: 'family_match', entityId: m.id, orgPath: m.home_path, purpose: 'match_review', before: { status: 'review' }, after: { status: 'confirmed', patientId: p.id } });
  return { id: m.id, status: 'confirmed' as const, patientId: p.id };
}

export async function rejectMatch(db: Db, actor: Actor, id: string) {
  const m = await loadForDecision(db, actor, id);
  const done = await db.updateTable('register_members').set({ match_status: 'rejected', decided_by: actor.username, decided_at: new Date(), updated_at: new Date() })
    .where('id', '=', m.id).where('match_status', '=', 'review').returning('id').executeTakeFirst();
  if (!done) throw conflict('This match was decided by someone else just now; reload the review list', 'यह मिलान अभी किसी और ने तय किया है; समीक्षा सूची फिर से खोलें');
  await recordAudit(db, actor, { action: 'update', entity: 'family_match', entityId: m.id, orgPath: m.home_path, purpose: 'match_review', before: { status: 'review' }, after: { status: 'rejected' } });
  return { id: m.id, status: 'rejected' as const, patientId: null };
}

/** A register family's members as the register lists them, with the patient each is linked to (for the schemes module's enrolment). */
export async function registerMembersOf(db: Db, familyId: string) {
  const rows = await db.selectFrom('register_members').select(['id', 'member_id', 'name', 'name_hi', 'relation', 'sex', 'birth_year', 'abha_number', 'patient_id', 'match_status'])
    .where('family_id', '=', familyId).orderBy(sql`relation = 'head'`, 'desc').orderBy('birth_year').orderBy('member_id').execute();
  return rows.map((m) => ({ id: m.id, memberId: m.member_id, name: m.name, nameHi: m.name_hi, relation: m.relation, sex: m.sex, birthYear: m.birth_year, hasAbha: !!m.abha_number, patientId: m.patient_id, match: m.match_status }));
}

/** The panchayats of the caller's area that have register families, with their counts (no names: no audit needed). */
export async function listRegisterPanchayats(db: Db, actor: Actor) {
  requireRegisterReader(actor);
  const rows = await db.selectFrom('families as f').innerJoin('org_units as gp', 'gp.id', 'f.panchayat_id')
    .select(['gp.id', 'gp.name', 'gp.name_hi', 'gp.lgd_code', (eb) => eb.fn.countAll<string>().as('families')])
    .where('f.source', '=', 'register').where('f.home_path', 'like', `${actor.orgPath}%`)
    .groupBy(['gp.id', 'gp.name', 'gp.name_hi', 'gp.lgd_code']).orderBy('gp.name').limit(5000).execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.name, nameHi: r.name_hi, lgdCode: r.lgd_code, families: Number(r.families) })) };
}

/**
 * The register's families and members in each gram panchayat under `path`, for the schemes module's
 * figures by panchayat: counts only (nothing personal is read, so nothing is audited). Read from the
 * index families_panchayat_members alone (the members of a family are kept on it by the import).
 */
export async function registerCountsByPanchayat(db: Db, path: string) {
  const rows = await sql<{ panchayat_id: string; families: string; members: string | null }>`
    select f.panchayat_id, count(*) as families, sum(f.member_count) as members
    from families f
    where f.panchayat_id is not null
      and f.panchayat_id in (select id from org_units where level = 'panchayat' and path like ${`${path}%`})
    group by f.panchayat_id`.execute(db);
  return rows.rows.map((r) => ({ panchayatId: r.panchayat_id, families: Number(r.families), members: Number(r.members ?? 0) }));
}
