// The state family register (households and their members) and the merging of duplicate patients.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { luhnCheckDigit } from './patients.identity.js';
import { requirePresence } from './patients.presence.js';
import { ageOn, canRead, loadPatient, requireRecordArea, statePrefix } from './patients.service.js';

type Db = Kysely<Database>;

export const RELATIONS = ['head', 'spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'grandson', 'granddaughter', 'grandfather', 'grandmother', 'daughter_in_law', 'son_in_law', 'other'] as const;

async function loadFamily(db: Db, ref: string) {
  const f = await db.selectFrom('families').selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb('family_number', '=', ref.toUpperCase()), eb('external_id', '=', ref)])).executeTakeFirst();
  if (!f) throw notFound(`No family has id or number ${ref}`, `आईडी या नंबर ${ref} वाला कोई परिवार नहीं मिला`);
  return f;
}

/** Staff may see a family of their state (no role exempt); the members' records stay under the patient privacy rule. */
function requireFamilyScope(actor: Actor, homePath: string) {
  if (!homePath.startsWith(statePrefix(requireRecordArea(actor)))) throw forbidden('This family is registered in another state', 'यह परिवार दूसरे राज्य में पंजीकृत है');
}

async function addMember(db: Db, actor: Actor, familyId: string, patientId: string, relation: string) {
  const other = await db.selectFrom('family_members as m').innerJoin('families as f', 'f.id', 'm.family_id')
    .select(['f.family_number']).where('m.patient_id', '=', patientId).executeTakeFirst();
  if (other) throw conflict(`This person is already in family ${other.family_number}; remove them there first`, `यह व्यक्ति पहले से परिवार ${other.family_number} में है`, { familyNumber: other.family_number });
  // A person is in one family (unique patient_id): when someone added them elsewhere meanwhile, say where.
  const added = await db.insertInto('family_members').values({ family_id: familyId, patient_id: patientId, relation, added_by: actor.username })
    .onConflict((oc) => oc.column('patient_id').doNothing()).returning('patient_id').executeTakeFirst();
  if (!added) {
    const now = await db.selectFrom('family_members as m').innerJoin('families as f', 'f.id', 'm.family_id')
      .select(['f.family_number']).where('m.patient_id', '=', patientId).executeTakeFirst();
    throw conflict(`This person was just added to family ${now?.family_number ?? '(another)'}; remove them there first`, `यह व्यक्ति अभी परिवार ${now?.family_number ?? ''} में जोड़ा गया है; पहले वहाँ से हटाएँ`, { familyNumber: now?.family_number ?? null });
  }
}

/**
 * Registers a household with its head (a registered patient): the state's own family id when it has
 * one (e.g. Him Parivar), and a Swasthya family number F + state + serial + check digit.
 */
export async function insertFamily(db: Db, actor: Actor, input: { headPatientId: string; externalId?: string; addressLine?: string }) {
  requirePermission(actor, 'can_register_patient');
  const head = await loadPatient(db, input.headPatientId);
  requireFamilyScope(actor, head.home_path);
  if (input.externalId && await db.selectFrom('families').select('id').where('external_id', '=', input.externalId).executeTakeFirst()) {
    throw conflict(`Family id ${input.externalId} is already registered`, `परिवार आईडी ${input.externalId} पहले से पंजीकृत है`, { field: 'externalId' });
  }
  const { rows } = await sql<{ n: string }>`select nextval('family_number_seq')::text as n`.execute(db);
  const digits = `${String(head.state_lgd ?? 0).padStart(2, '0')}${rows[0].n.padStart(8, '0')}`;
  const family = {
    id: uid(), family_number: `F${digits}${luhnCheckDigit(digits)}`, external_id: input.externalId?.trim() || null, head_patient_id: head.id,
    home_id: head.home_id, home_path: head.home_path, address_line: input.addressLine?.trim() || head.address_line, created_by: actor.username,
  };
  // The state's family id is unique: a registration of it made meanwhile wins.
  const stored = await db.insertInto('families').values(family).onConflict((oc) => oc.column('external_id').doNothing()).returning('id').executeTakeFirst();
  if (!stored) throw conflict(`Family id ${family.external_id} was just registered by someone else; find that family and add to it`, `परिवार आईडी ${family.external_id} अभी किसी और ने पंजीकृत की है; वही परिवार खोजकर उसमें जोड़ें`, { field: 'externalId' });
  await addMember(db, actor, family.id, head.id, 'head');
  await recordAudit(db, actor, { action: 'create', entity: 'family', entityId: family.id, orgPath: family.home_path, after: family });
  return family;
}

/** Registers a household with its head and answers with the family view. */
export async function createFamily(db: Db, actor: Actor, input: { headPatientId: string; externalId?: string; addressLine?: string }) {
  // A household of an existing patient: the caller serves them (the survey registers its heads anew).
  requirePermission(actor, 'can_register_patient');
  await requirePresence(db, actor, (await loadPatient(db, input.headPatientId)).id);
  const family = await insertFamily(db, actor, input);
  return familyView(db, actor, family.id);
}

/** Adds a registered patient to a family (no checks of the caller's area: callers do them). */
export async function joinFamily(db: Db, actor: Actor, familyId: string, patientId: string, relation: string) {
  await addMember(db, actor, familyId, patientId, relation);
}

export async function addFamilyMember(db: Db, actor: Actor, familyRef: string, input: { patientId: string; relation: string }) {
  requirePermission(actor, 'can_register_patient');
  const f = await loadFamily(db, familyRef);
  requireFamilyScope(actor, f.home_path);
  // Scope over the family: the caller serves its head. Then the person added, before anything names them.
  if (f.head_patient_id) await requirePresence(db, actor, f.head_patient_id);
  if (!(RELATIONS as readonly string[]).includes(input.relation) || input.relation === 'head') {
    throw badRequest(`relation must be one of ${RELATIONS.filter((r) => r !== 'head').join(', ')}`, 'संबंध सूची में से चुनें', { field: 'relation' });
  }
  const p = await loadPatient(db, input.patientId);
  await requirePresence(db, actor, p.id);
  await addMember(db, actor, f.id, p.id, input.relation);
  await recordAudit(db, actor, { action: 'update', entity: 'family', entityId: f.id, orgPath: f.home_path, after: { added: p.id, relation: input.relation } });
  return familyView(db, actor, f.id);
}

/** A family with its members, and who among them lacks an ABHA number or a health card. */
export async function familyView(db: Db, actor: Actor, ref: string) {
  requirePermission(actor, 'can_search_patient');
  const f = await loadFamily(db, ref);
  requireFamilyScope(actor, f.home_path);
  const members = await db.selectFrom('family_members as m').innerJoin('patients as p', 'p.id', 'm.patient_id')
    .select(['p.id', 'p.state_number', 'p.name', 'p.name_hi', 'p.name_latin', 'p.sex', 'p.birth_date', 'p.abha_number', 'p.card_issued_at', 'm.relation'])
    .where('m.family_id', '=', f.id).orderBy(sql`m.relation = 'head'`, 'desc').orderBy('p.birth_date').execute();
  const items = members.map((m) => ({
    id: m.id, stateNumber: m.state_number, name: m.name, nameHi: m.name_hi, nameLatin: m.name_latin, sex: m.sex, age: ageOn(m.birth_date),
    relation: m.relation, hasAbha: !!m.abha_number, hasCard: !!m.card_issued_at,
  }));
  await recordAudit(db, actor, { action: 'read', entity: 'family', entityId: f.id, orgPath: f.home_path, purpose: 'family', after: { members: items.length } });
  return {
    id: f.id, familyNumber: f.family_number, externalId: f.external_id, headPatientId: f.head_patient_id, addressLine: f.address_line,
    members: items,
    withoutAbha: items.filter((m) => !m.hasAbha).map((m) => m.id),
    withoutCard: items.filter((m) => !m.hasCard).map((m) => m.id),
  };
}

/** The row sets a merge moves from the duplicate to the patient kept. */
const MOVES = [['opd_registrations', 'id'], ['pregnancies', 'id']] as const;

/**
 * Merges a duplicate into the patient kept: the duplicate's visits, pregnancies and facility links
 * move over and it is marked merged. What moved is recorded, so that the merge can be undone.
 */
export async function mergePatients(db: Db, actor: Actor, fromRef: string, intoRef: string, reason: string) {
  requirePermission(actor, 'can_update_patient');
  const from = await loadPatient(db, fromRef);
  const into = await loadPatient(db, intoRef);
  // Both records: read already, or the person shown present for each (a card or code of each record).
  await requirePresence(db, actor, from.id);
  await requirePresence(db, actor, into.id);
  if (from.id === into.id) throw badRequest('A patient cannot be merged into themself', 'मरीज़ को उसी में नहीं मिलाया जा सकता', { field: 'into' });
  if (from.merged_into) throw conflict(`Patient ${from.state_number} is already merged into another`, `मरीज़ ${from.state_number} पहले ही किसी अन्य में मिलाया जा चुका है`);
  if (into.merged_into) throw conflict(`Patient ${into.state_number} was itself merged; merge into the one it points to`, `मरीज़ ${into.state_number} स्वयं मिलाया जा चुका है`);
  await lockForMerge(db, from, into);
  const moved: Record<string, string[]> = {};
  for (const [table, key] of MOVES) {
    const rows = await sql<{ id: string }>`update ${sql.table(table)} set patient_id = ${into.id} where patient_id = ${from.id} returning ${sql.ref(key)} as id`.execute(db);
    moved[table] = rows.rows.map((r) => r.id);
  }
  // Facility links: the kept patient gains the duplicate's facilities (those it lacked).
  const links = await sql<{ facility_id: string }>`insert into patient_facilities (patient_id, facility_id, facility_path, first_seen, last_seen)
    select ${into.id}, facility_id, facility_path, first_seen, last_seen from patient_facilities where patient_id = ${from.id}
    on conflict do nothing returning facility_id`.execute(db);
  moved.patient_facilities = links.rows.map((r) => r.facility_id);
  const id = uid();
  await db.updateTable('patients').set({ merged_into: into.id, updated_at: new Date() }).where('id', '=', from.id).execute();
  await db.insertInto('patient_merges').values({ id, from_id: from.id, into_id: into.id, reason, moved: JSON.stringify(moved), merged_by: actor.username, undone_by: null, undone_at: null }).execute();
  await recordAudit(db, actor, { action: 'update', entity: 'patient', entityId: from.id, orgPath: actor.orgPath, purpose: 'merge', before: { mergedInto: null }, after: { mergedInto: into.id, mergeId: id, reason, moved } });
  return { mergeId: id, from: from.state_number, into: into.state_number, moved: Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, v.length])) };
}

/**
 * One merge per record: locks both patients' rows (in id order, so that merges of the same pair
 * wait for each other instead of deadlocking) until the merge commits, then checks again that
 * neither was merged meanwhile and that they do not both have an open pregnancy (a woman has one).
 */
async function lockForMerge(db: Db, from: { id: string; state_number: string }, into: { id: string; state_number: string }) {
  const rows = await db.selectFrom('patients').select(['id', 'merged_into']).where('id', 'in', [from.id, into.id]).orderBy('id').forUpdate().execute();
  const mergedInto = new Map(rows.map((r) => [r.id, r.merged_into]));
  if (mergedInto.get(from.id)) {
    throw conflict(`Patient ${from.state_number} was merged into another just now; reload the record: there is nothing left to merge`, `मरीज़ ${from.state_number} अभी किसी अन्य में मिलाया गया है; रिकॉर्ड फिर से खोलें, मिलाने को कुछ नहीं बचा`);
  }
  if (mergedInto.get(into.id)) {
    throw conflict(`Patient ${into.state_number} was merged into another just now; merge into the record it points to`, `मरीज़ ${into.state_number} अभी किसी अन्य में मिलाया गया है; उस रिकॉर्ड में मिलाएँ जिसकी ओर यह इंगित करता है`);
  }
  const open = await db.selectFrom('pregnancies').select(['patient_id', 'registration_number']).where('patient_id', 'in', [from.id, into.id]).where('status', '=', 'open').execute();
  if (open.length > 1) {
    const numbers = open.map((p) => p.registration_number).join(', ');
    throw conflict(`Both records have an open pregnancy registration (${numbers}); close the wrong one before merging`, `दोनों रिकॉर्ड में खुला गर्भावस्था पंजीकरण है (${numbers}); मिलाने से पहले गलत वाला बंद करें`, { registrationNumbers: open.map((p) => p.registration_number) });
  }
}

/** Undoes a merge: what moved goes back and the duplicate stands on its own again. */
export async function undoMerge(db: Db, actor: Actor, mergeId: string) {
  requirePermission(actor, 'can_update_patient');
  const m = await db.selectFrom('patient_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
  if (!m) throw notFound(`No merge has id ${mergeId}`, `आईडी ${mergeId} का कोई विलय नहीं मिला`);
  if (m.undone_at) throw conflict('This merge was already undone', 'यह विलय पहले ही वापस लिया जा चुका है');
  if (!(await canRead(db, actor, m.into_id))) throw forbidden('Only staff who may read the record can undo its merge', 'केवल रिकॉर्ड देखने वाले कर्मचारी विलय वापस ले सकते हैं');
  const moved = (typeof m.moved === 'string' ? JSON.parse(m.moved) : m.moved) as Record<string, string[]>;
  for (const [table, key] of MOVES) {
    const ids = moved[table] ?? [];
    if (ids.length) await sql`update ${sql.table(table)} set patient_id = ${m.from_id} where ${sql.ref(key)} = any(${ids}::text[])`.execute(db);
  }
  const links = moved.patient_facilities ?? [];
  if (links.length) await db.deleteFrom('patient_facilities').where('patient_id', '=', m.into_id).where('facility_id', 'in', links).execute();
  await db.updateTable('patients').set({ merged_into: null, updated_at: new Date() }).where('id', '=', m.from_id).execute();
  // Undone once: a second undo made at the same moment finds it undone.
  const undone = await db.updateTable('patient_merges').set({ undone_by: actor.username, undone_at: new Date() }).where('id', '=', m.id).where('undone_at', 'is', null).returning('id').executeTakeFirst();
  if (!undone) throw conflict('This merge was undone just now by someone else', 'यह विलय अभी किसी और ने वापस लिया है');
  await recordAudit(db, actor, { action: 'update', entity: 'patient', entityId: m.from_id, orgPath: actor.orgPath, purpose: 'unmerge', before: { mergedInto: m.into_id }, after: { mergedInto: null, mergeId } });
  return { mergeId, undone: true };
}
