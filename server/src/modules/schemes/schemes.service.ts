// Schemes (HIMCARE): the set-up by date and the enrolment of register families with their cards.
// Each function checks permission (and then the caller's area) first.
import { randomBytes, randomInt } from 'node:crypto';
import { inTransaction } from '../../db/transaction.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import type { Permission } from '../../platform/roles.js';
import { getFacility } from '../facilities/facilities.service.js';
import { ageOn, loadPatient } from '../patients/patients.service.js';
import * as repo from './schemes.repository.js';
import type { CardWindow, CategoryInput, EnrolInput, PackageInput, SettingsInput } from './schemes.schema.js';

type Db = repo.Db;
export const SCHEMES = ['himcare'] as const;
const READERS: Permission[] = ['can_manage_schemes', 'can_enrol_schemes', 'can_read_schemes', 'can_settle_scheme_claims', 'can_file_scheme_claims'];
const money = (n: number) => Math.round(n * 100) / 100;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function requireAny(actor: Actor, perms: Permission[]) {
  if (perms.some((p) => actor.permissions.has(p))) return;
  throw forbidden(`Your role (${actor.role}) does not have ${perms.join(' or ')}`, `आपकी भूमिका (${actor.role}) को ${perms.join(' या ')} की अनुमति नहीं है`);
}
export function schemeOf(name: string): string {
  if ((SCHEMES as readonly string[]).includes(name)) return name;
  throw notFound(`No scheme is called ${name}; the schemes are ${SCHEMES.join(', ')}`, `${name} नाम की कोई योजना नहीं है`);
}
export function checkDay(day: string, field: string) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw badRequest(`${field} ${day} is not a date; use YYYY-MM-DD`, `${field} ${day} तिथि नहीं है; YYYY-MM-DD लिखें`, { field });
  return day;
}
/**
 * For the family register's list (GET /api/families?enrolled=): an SQL condition, true where the
 * family in `familyIdColumn` has an active card of the scheme year of `on` (today, IST). The caller
 * has checked its own reader's permission; only a yes or no per family leaves here.
 */
export function activeCardCondition(schemeName: string, familyIdColumn: string, on = todayIst()) {
  const scheme = schemeOf(schemeName);
  const year = Number(on.slice(0, 4));
  return { scheme, year, exists: repo.activeCardExists(familyIdColumn, scheme, year) };
}
/**
 * A scheme is one state's (HIMCARE: Himachal Pradesh's, table scheme_states): its set-up, enrolments,
 * claims and settlements are for users posted in that state, or above it (the country's administrator).
 * A user of another state gets 403 whatever their role. Returns the scheme's name. The write routes call
 * it before the body is read (after the permission check); each service calls it again, first thing
 * after the permission.
 */
export async function requireSchemeState(db: Db, actor: Actor, schemeName: string): Promise<string> {
  const scheme = schemeOf(schemeName);
  const s = await repo.schemeState(db, scheme);
  const name = scheme.toUpperCase();
  if (!s?.path) throw forbidden(`${name} is tied to no state of the geography here (scheme_states), so no one may change or use it`, `${name} किसी राज्य से जुड़ी नहीं है, इसलिए इसे कोई बदल या उपयोग नहीं कर सकता`);
  if (s.path.startsWith(actor.orgPath) || actor.orgPath.startsWith(s.path)) return scheme;
  throw forbidden(
    `${name} is ${s.name}'s scheme: only users of ${s.name} change its set-up, enrol families, file claims or settle them`,
    `${name} ${s.name_hi ?? s.name} की योजना है: इसकी व्यवस्था, नामांकन, दावे और निपटान केवल ${s.name_hi ?? s.name} के उपयोगकर्ता कर सकते हैं`,
  );
}

/** The set-up is the state's: a state-level officer (or the administrator) changes it. */
function requireStateLevel(actor: Actor, what: string) {
  if (actor.orgPath.split('/').filter(Boolean).length > 2) throw forbidden(`${what} is the state's: a state officer changes it`, `${what} राज्य तय करता है: राज्य अधिकारी बदलें`);
}

// ---- set-up -----------------------------------------------------------------------------------------------

type SettingsRow = NonNullable<Awaited<ReturnType<typeof repo.settingsOn>>>;
const settingsDto = (s: SettingsRow) => ({
  validFrom: s.valid_from, name: s.name, nameHi: s.name_hi, coverAmount: Number(s.cover_amount), membersPerCard: s.members_per_card,
  windows: json<CardWindow[]>(s.windows), exclusions: json<string[]>(s.exclusions), reviewClaimsPerPackage: s.review_claims_per_package, settleWithinDays: s.settle_within_days,
});
const categoryDto = (c: any) => ({ code: c.code, name: c.name, nameHi: c.name_hi, premium: Number(c.premium), validFrom: String(c.valid_from), active: c.active });
const packageDto = (p: any) => ({ code: p.code, name: p.name, nameHi: p.name_hi, rate: Number(p.rate), preauth: p.preauth, validFrom: String(p.valid_from), active: p.active });

export async function settingsIn(db: Db, scheme: string, on: string) {
  const s = await repo.settingsOn(db, scheme, on);
  if (!s) throw badRequest(`${scheme} has no set-up in force on ${on}`, `${on} को ${scheme} की कोई व्यवस्था लागू नहीं है`);
  return settingsDto(s);
}

/** Whether `day` lies in one of the windows (MM-DD ranges; none at all: open all year), and when the next opens. */
export function windowOn(windows: CardWindow[], day: string): { open: boolean; current: CardWindow | null; nextOpensOn: string | null } {
  if (!windows.length) return { open: true, current: null, nextOpensOn: null };
  const md = day.slice(5);
  const current = windows.find((w) => w.from <= md && md <= w.to) ?? null;
  if (current) return { open: true, current, nextOpensOn: null };
  const starts = windows.map((w) => w.from).sort();
  const later = starts.find((s) => s > md);
  const year = Number(day.slice(0, 4));
  return { open: false, current: null, nextOpensOn: later ? `${year}-${later}` : `${year + 1}-${starts[0]}` };
}

export async function getSetup(db: Db, actor: Actor, schemeName: string, on?: string) {
  requireAny(actor, READERS);
  const scheme = schemeOf(schemeName);
  const day = on ? checkDay(on, 'on') : todayIst();
  const settings = await settingsIn(db, scheme, day);
  const [categories, packages, sv, cv, pv] = await Promise.all([
    repo.categoriesOn(db, scheme, day), repo.packagesOn(db, scheme, day), repo.settingsVersions(db, scheme), repo.categoryVersions(db, scheme), repo.packageVersions(db, scheme),
  ]);
  return {
    scheme, on: day, settings,
    categories: categories.filter((c) => c.active).map(categoryDto), packages: packages.filter((p: any) => p.active).map(packageDto),
    window: windowOn(settings.windows, day),
    versions: { settings: sv.map(settingsDto), categories: cv.map(categoryDto), packages: pv.map(packageDto) },
  };
}

function checkWindows(windows: CardWindow[]) {
  const valid = (md: string) => !Number.isNaN(new Date(`2024-${md}T00:00:00Z`).getTime()) && new Date(`2024-${md}T00:00:00Z`).toISOString().slice(5, 10) === md;
  windows.forEach((w, i) => {
    if (!valid(w.from) || !valid(w.to)) throw badRequest(`window ${i + 1}: ${w.from}–${w.to} is not a range of days; use MM-DD like 01-01`, `खिड़की ${i + 1}: MM-DD लिखें`, { field: `windows/${i}` });
    if (w.from > w.to) throw badRequest(`window ${i + 1}: it opens (${w.from}) after it closes (${w.to}); a window lies within one year`, `खिड़की ${i + 1}: खुलने की तिथि बंद होने के बाद है`, { field: `windows/${i}` });
  });
}

/** A new version of the scheme's settings from `validFrom`: what it does not name is taken from the version in force then. */
export async function addSettings(db: Db, actor: Actor, schemeName: string, input: SettingsInput) {
  requirePermission(actor, 'can_manage_schemes');
  requireStateLevel(actor, 'The scheme\'s set-up');
  const scheme = await requireSchemeState(db, actor, schemeName);
  checkDay(input.validFrom, 'validFrom');
  if (input.windows) checkWindows(input.windows);
  const base = await repo.settingsOn(db, scheme, input.validFrom) ?? (await repo.settingsVersions(db, scheme))[0];
  if (!base && (!input.name || !input.coverAmount || !input.membersPerCard)) throw badRequest('The first version of a scheme names it and gives its cover and members per card', 'पहला संस्करण योजना का नाम, कवर और प्रति कार्ड सदस्य बताए');
  const row = {
    scheme, valid_from: input.validFrom, name: input.name ?? base!.name, name_hi: input.nameHi ?? base?.name_hi ?? null,
    cover_amount: money(input.coverAmount ?? Number(base!.cover_amount)), members_per_card: input.membersPerCard ?? base!.members_per_card,
    windows: JSON.stringify(input.windows ?? json(base!.windows)), exclusions: JSON.stringify(input.exclusions ?? json(base!.exclusions)),
    review_claims_per_package: input.reviewClaimsPerPackage ?? base?.review_claims_per_package ?? 10, settle_within_days: input.settleWithinDays ?? base?.settle_within_days ?? 15,
    created_by: actor.userId,
  };
  return inTransaction(db, async (trx) => {
    if (!(await repo.insertSettings(trx, row))) throw conflict(`The set-up already has a version from ${input.validFrom}; give another date`, `${input.validFrom} से व्यवस्था का संस्करण पहले से है`, { field: 'validFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_settings', entityId: `${scheme}/${input.validFrom}`, orgPath: actor.orgPath, after: input });
    return settingsDto((await repo.settingsOn(trx, scheme, input.validFrom))!);
  });
}

export async function addCategory(db: Db, actor: Actor, schemeName: string, input: CategoryInput) {
  requirePermission(actor, 'can_manage_schemes');
  requireStateLevel(actor, 'A scheme\'s categories');
  const scheme = await requireSchemeState(db, actor, schemeName);
  checkDay(input.validFrom, 'validFrom');
  const row = { scheme, code: input.code, valid_from: input.validFrom, name: input.name.trim(), name_hi: input.nameHi?.trim() || null, premium: money(input.premium), active: input.active ?? true, created_by: actor.userId };
  return inTransaction(db, async (trx) => {
    if (!(await repo.insertCategory(trx, row))) throw conflict(`Category ${input.code} already has a version from ${input.validFrom}`, `श्रेणी ${input.code} का ${input.validFrom} से संस्करण पहले से है`, { field: 'validFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_category', entityId: `${scheme}/${input.code}/${input.validFrom}`, orgPath: actor.orgPath, after: input });
    return categoryDto(row);
  });
}

export async function addPackage(db: Db, actor: Actor, schemeName: string, input: PackageInput) {
  requirePermission(actor, 'can_manage_schemes');
  requireStateLevel(actor, 'A scheme\'s packages');
  const scheme = await requireSchemeState(db, actor, schemeName);
  checkDay(input.validFrom, 'validFrom');
  const row = { scheme, code: input.code.toUpperCase(), valid_from: input.validFrom, name: input.name.trim(), name_hi: input.nameHi?.trim() || null, rate: money(input.rate), preauth: input.preauth, active: input.active ?? true, created_by: actor.userId };
  return inTransaction(db, async (trx) => {
    if (!(await repo.insertPackage(trx, row))) throw conflict(`Package ${row.code} already has a version from ${input.validFrom}`, `पैकेज ${row.code} का ${input.validFrom} से संस्करण पहले से है`, { field: 'validFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_package', entityId: `${scheme}/${row.code}/${input.validFrom}`, orgPath: actor.orgPath, after: input });
    return packageDto(row);
  });
}

// ---- empanelled hospitals ------------------------------------------------------------------------------------

const hospitalDto = (h: { facility_id: string; name: string; empanelled_from: string; ended_on: string | null }) => ({ id: h.facility_id, name: h.name, empanelledFrom: h.empanelled_from, endedOn: h.ended_on });

export async function empanel(db: Db, actor: Actor, schemeName: string, input: { hospitalId: string; from?: string }) {
  requirePermission(actor, 'can_manage_schemes');
  requireStateLevel(actor, 'Empanelment');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const from = input.from ? checkDay(input.from, 'from') : todayIst();
  // A facility of the registry in the caller's area (getFacility answers 404 for one outside it).
  const facility = await getFacility(db, { ...actor, permissions: new Set([...actor.permissions, 'can_read_facility']) }, input.hospitalId);
  const unit = await repo.unitById(db, facility.id);
  if (!unit) throw badRequest(`Facility ${facility.name} is not placed in the hierarchy`, undefined, { field: 'hospitalId' });
  return inTransaction(db, async (trx) => {
    if (!(await repo.insertHospital(trx, { scheme, facility_id: facility.id, facility_path: unit.path, empanelled_from: from, ended_on: null, created_by: actor.userId }))) {
      throw conflict(`${facility.name} is already empanelled in ${scheme}`, `${facility.name} पहले से योजना में सूचीबद्ध है`, { field: 'hospitalId' });
    }
    await recordAudit(trx, actor, { action: 'create', entity: 'scheme_hospital', entityId: `${scheme}/${facility.id}`, orgPath: unit.path, after: { from } });
    return hospitalDto({ facility_id: facility.id, name: facility.name, empanelled_from: from, ended_on: null });
  });
}

export async function listHospitals(db: Db, actor: Actor, schemeName: string) {
  requireAny(actor, READERS);
  const scheme = schemeOf(schemeName);
  // A hospital's operator sees its own; officers see their area's (the state's for the state).
  return { items: (await repo.hospitalsUnder(db, scheme, actor.orgPath)).map(hospitalDto) };
}

// ---- enrolments and cards ------------------------------------------------------------------------------------------

/** A family of the register in the caller's area, or 404 (another area's family is not named). */
async function familyIn(db: Db, actor: Actor, ref: string) {
  const f = await repo.familyByRef(db, ref.trim());
  if (!f || !f.home_path.startsWith(actor.orgPath)) throw notFound(`No family has id or number ${ref} in your area`, `आपके क्षेत्र में आईडी या नंबर ${ref} वाला कोई परिवार नहीं है`);
  return f;
}

async function categoryIn(db: Db, scheme: string, code: string, on: string) {
  const all = (await repo.categoriesOn(db, scheme, on)).filter((c) => c.active);
  const c = all.find((x) => x.code === code.trim().toLowerCase());
  if (!c) throw badRequest(`${code} is not a category of ${scheme} on ${on}; the categories are ${all.map((x) => `${x.code} (₹${Number(x.premium)})`).join(', ')}`, `${code} इस योजना की श्रेणी नहीं है; श्रेणियाँ: ${all.map((x) => x.code).join(', ')}`, { field: 'category' });
  return c;
}

/** A card number: HC, the scheme year and ten random digits (the unique index decides, also on a clash). */
const cardNumber = (year: number) => `HC${year}${String(randomInt(0, 1e9)).padStart(9, '0')}${randomInt(0, 10)}`;

async function issue(trx: Db, actor: Actor, scheme: string, f: { id: string; home_path: string }, year: number, category: { code: string; premium: string }, members: string[], premiumReference: string | undefined, renewedFrom: string | null) {
  // The card counts in its family's gram panchayat as it is now (the figures by panchayat read it from the card).
  const panchayat = await repo.familyPanchayat(trx, f.id);
  const row = {
    id: uid(), scheme, family_id: f.id, home_path: f.home_path, panchayat_id: panchayat, scheme_year: year, category: category.code, premium: Number(category.premium),
    premium_reference: premiumReference?.trim() || null, card_number: cardNumber(year), card_token: randomBytes(18).toString('base64url'), renewed_from: renewedFrom, enrolled_by: actor.userId,
  };
  try {
    await repo.insertEnrolment(trx, row);
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw conflict(`This family already has an active ${scheme.toUpperCase()} card for ${year}; renew or change that card instead`, `इस परिवार के पास ${year} का सक्रिय कार्ड पहले से है`, { field: 'familyId' });
    }
    throw e;
  }
  await repo.insertMembers(trx, row.id, members, actor.userId);
  await recordAudit(trx, actor, { action: 'create', entity: 'scheme_enrolment', entityId: row.id, orgPath: f.home_path, after: { scheme, family: f.id, year, category: category.code, premium: row.premium, premiumReference: row.premium_reference, members: members.length, renewedFrom } });
  return { id: row.id, cardNumber: row.card_number, schemeYear: year, category: category.code, premium: row.premium, members: members.length };
}

/**
 * Enrols a register family for this scheme year, inside an open card window: the premium of its
 * category is recorded paid and a card issued. One active card per family and year (the partial
 * unique index: of two parallel enrolments one is 201, the other 409).
 */
export async function enrol(db: Db, actor: Actor, schemeName: string, input: EnrolInput) {
  requirePermission(actor, 'can_enrol_schemes');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const f = await familyIn(db, actor, input.familyId);
  const today = todayIst();
  const settings = await settingsIn(db, scheme, today);
  const w = windowOn(settings.windows, today);
  if (!w.open) throw conflict(`Cards are issued only inside an enrolment window; the next opens on ${w.nextOpensOn}`, `कार्ड केवल नामांकन अवधि में बनते हैं; अगली अवधि ${w.nextOpensOn} को खुलेगी`, { nextOpensOn: w.nextOpensOn });
  const category = await categoryIn(db, scheme, input.category, today);
  const family = (await repo.familyMembers(db, f.id)).map((m) => m.patient_id);
  let members = family;
  if (input.members) {
    members = [...new Set(input.members)];
    const strangers = members.filter((m) => !family.includes(m));
    if (strangers.length) throw badRequest(`${strangers.join(', ')} ${strangers.length > 1 ? 'are' : 'is'} not in this family; add them to the family first`, 'ये व्यक्ति इस परिवार में नहीं हैं', { field: 'members' });
  }
  if (!members.length) throw badRequest('This family has no members on record; add its members first', 'इस परिवार का कोई सदस्य दर्ज नहीं है', { field: 'familyId' });
  if (members.length > settings.membersPerCard) {
    throw badRequest(`A card holds up to ${settings.membersPerCard} members and this family has ${members.length}: choose the members for the card (members)`, `एक कार्ड पर अधिकतम ${settings.membersPerCard} सदस्य हो सकते हैं: सदस्य चुनें`, { field: 'members' });
  }
  const year = Number(today.slice(0, 4));
  return inTransaction(db, (trx) => issue(trx, actor, scheme, f, year, category, members, input.premiumReference, null));
}

/** An active card of the caller's area, or 404. */
async function enrolmentIn(db: Db, actor: Actor, scheme: string, id: string) {
  const e = await repo.enrolmentById(db, scheme, id);
  if (!e || !e.home_path.startsWith(actor.orgPath)) throw notFound(`No enrolment has id ${id} in your area`, `आपके क्षेत्र में आईडी ${id} का कोई नामांकन नहीं है`);
  return e;
}

/** Renews a card for the next scheme year (its active members carried over), in an open window. */
export async function renew(db: Db, actor: Actor, schemeName: string, id: string, input: { category?: string; premiumReference?: string }) {
  requirePermission(actor, 'can_enrol_schemes');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const e = await enrolmentIn(db, actor, scheme, id);
  const today = todayIst();
  const year = e.scheme_year + 1;
  if (year > Number(today.slice(0, 4)) + 1) throw conflict(`This card is for ${e.scheme_year}; it can be renewed for ${year} from ${year - 1}`, `यह कार्ड ${e.scheme_year} का है`);
  const settings = await settingsIn(db, scheme, today);
  const w = windowOn(settings.windows, today);
  if (!w.open) throw conflict(`Cards are renewed only inside an enrolment window; the next opens on ${w.nextOpensOn}`, `कार्ड केवल नामांकन अवधि में नवीनीकृत होते हैं; अगली अवधि ${w.nextOpensOn} को खुलेगी`, { nextOpensOn: w.nextOpensOn });
  const category = await categoryIn(db, scheme, input.category ?? e.category, today);
  const members = (await repo.activeMembers(db, e.id)).map((m) => m.patient_id).slice(0, settings.membersPerCard);
  return inTransaction(db, (trx) => issue(trx, actor, scheme, { id: e.family_id, home_path: e.home_path }, year, category, members, input.premiumReference, e.id));
}

/** Adds a member of the family to the card: under a lock of the card's row, so two parallel additions cannot pass the limit. */
export async function addMember(db: Db, actor: Actor, schemeName: string, id: string, patientId: string) {
  requirePermission(actor, 'can_enrol_schemes');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const e = await enrolmentIn(db, actor, scheme, id);
  const settings = await settingsIn(db, scheme, todayIst());
  const family = (await repo.familyMembers(db, e.family_id)).map((m) => m.patient_id);
  if (!family.includes(patientId)) throw badRequest(`${patientId} is not in this card's family; add them to the family first`, 'यह व्यक्ति इस कार्ड के परिवार में नहीं है', { field: 'patientId' });
  return inTransaction(db, async (trx) => {
    const locked = await repo.lockEnrolment(trx, e.id);
    if (locked?.status !== 'active') throw conflict('This card is cancelled', 'यह कार्ड रद्द है');
    const now = await repo.activeMembers(trx, e.id);
    if (now.some((m) => m.patient_id === patientId)) throw conflict(`${patientId} is already on this card`, 'यह व्यक्ति पहले से कार्ड पर है', { field: 'patientId' });
    if (now.length >= settings.membersPerCard) throw conflict(`The card is full (${now.length} of ${settings.membersPerCard} members); remove a member first`, `कार्ड भरा है (${now.length}/${settings.membersPerCard}); पहले किसी सदस्य को हटाएँ`, { field: 'patientId' });
    await repo.insertMembers(trx, e.id, [patientId], actor.userId);
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_enrolment', entityId: e.id, orgPath: e.home_path, after: { added: patientId } });
    return { id: e.id, cardNumber: e.card_number, schemeYear: e.scheme_year, category: e.category, premium: Number(e.premium), members: now.length + 1 };
  });
}

export async function removeMember(db: Db, actor: Actor, schemeName: string, id: string, patientId: string) {
  requirePermission(actor, 'can_enrol_schemes');
  const scheme = await requireSchemeState(db, actor, schemeName);
  const e = await enrolmentIn(db, actor, scheme, id);
  return inTransaction(db, async (trx) => {
    await repo.lockEnrolment(trx, e.id);
    if (!(await repo.removeMember(trx, e.id, patientId, actor.userId))) throw notFound(`${patientId} is not on this card`, 'यह व्यक्ति इस कार्ड पर नहीं है');
    await recordAudit(trx, actor, { action: 'update', entity: 'scheme_enrolment', entityId: e.id, orgPath: e.home_path, after: { removed: patientId } });
    const left = (await repo.activeMembers(trx, e.id)).length;
    return { id: e.id, cardNumber: e.card_number, schemeYear: e.scheme_year, category: e.category, premium: Number(e.premium), members: left };
  });
}

const enrolmentItem = (e: repo.EnrolmentRow) => ({
  id: e.id, cardNumber: e.card_number, schemeYear: e.scheme_year, category: e.category, premium: Number(e.premium), status: e.status, enrolledAt: iso(e.enrolled_at)!,
  family: { id: e.family_id, familyNumber: e.family_number, externalId: e.external_id }, members: Number(e.members),
});

export async function listEnrolments(db: Db, actor: Actor, schemeName: string, q: { family?: string; cursor?: string; limit?: number }) {
  requireAny(actor, ['can_enrol_schemes', 'can_read_schemes']);
  const scheme = schemeOf(schemeName);
  const familyId = q.family ? (await familyIn(db, actor, q.family)).id : undefined;
  const limit = q.limit ?? 50;
  const rows = await repo.enrolmentsUnder(db, scheme, { path: actor.orgPath, familyId, after: q.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  await recordAudit(db, actor, { action: 'read', entity: 'scheme_enrolment', orgPath: actor.orgPath, purpose: 'enrolments', after: { family: familyId ?? null, results: page.length } });
  return { items: page.map(enrolmentItem), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

/** The members on a card (names, sex, age), for the card and the enrolment's view: the caller reads them, so callers audit. */
export async function cardMembers(db: Db, enrolmentId: string) {
  const rows = await repo.activeMembers(db, enrolmentId);
  return Promise.all(rows.map(async (m) => {
    const p = await loadPatient(db, m.patient_id);
    return { patientId: p.id, stateNumber: p.state_number, name: p.name_latin ?? p.name, nameHi: p.name_hi, sex: p.sex, age: ageOn(p.birth_date), relation: m.relation };
  }));
}

export async function getEnrolment(db: Db, actor: Actor, schemeName: string, id: string) {
  requireAny(actor, ['can_enrol_schemes', 'can_read_schemes']);
  const scheme = schemeOf(schemeName);
  const e = await enrolmentIn(db, actor, scheme, id);
  const settings = await settingsIn(db, scheme, `${e.scheme_year}-12-31` < todayIst() ? `${e.scheme_year}-12-31` : todayIst());
  const memberList = await cardMembers(db, e.id);
  const used = Number((await repo.usedOf(db, e.id)).used);
  await recordAudit(db, actor, { action: 'read', entity: 'scheme_enrolment', entityId: e.id, orgPath: e.home_path, purpose: 'card members' });
  return { ...enrolmentItem(e), coverAmount: settings.coverAmount, membersPerCard: settings.membersPerCard, used, memberList };
}

/** The card by its number for the PDF, in the caller's area (else 404), audited as a read of its members. */
export async function cardFor(db: Db, actor: Actor, schemeName: string, number: string) {
  requireAny(actor, ['can_enrol_schemes', 'can_read_schemes']);
  const scheme = schemeOf(schemeName);
  const e = await repo.enrolmentByCard(db, scheme, number);
  if (!e || !e.home_path.startsWith(actor.orgPath)) throw notFound(`No card has number ${number} in your area`, `आपके क्षेत्र में ${number} नंबर का कोई कार्ड नहीं है`);
  const settings = await settingsIn(db, scheme, `${e.scheme_year}-01-01` > todayIst() ? `${e.scheme_year}-01-01` : todayIst());
  const category = (await repo.categoriesOn(db, scheme, todayIst())).find((c) => c.code === e.category);
  const members = await cardMembers(db, e.id);
  await recordAudit(db, actor, { action: 'read', entity: 'scheme_enrolment', entityId: e.id, orgPath: e.home_path, purpose: 'card print' });
  return { e, settings, category: category ? { name: String(category.name), nameHi: category.name_hi as string | null } : null, members };
}
