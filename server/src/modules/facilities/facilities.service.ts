import type { Kysely } from 'kysely';
import type { Database, FacilityUpgradeRow, NewFacility, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound, type FieldProblem } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { isUniqueViolation } from '../../platform/races.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { facilityReclassified } from '../hmis/hmis.analytics.js';
import * as repo from './facilities.repository.js';
import type { FacilityJoinedRow } from './facilities.repository.js';
import type { FacilityPatchInput, ListQueryInput, NewFacilityInput, UpgradeInput } from './facilities.schema.js';
import { checkFacility, todayIst } from './facilities.rules.js';
import { Placement } from './facilities.placement.js';
import { districtOf } from '../geo/geo.repository.js';

type Db = Kysely<Database>;

const PLACE_LEVELS: OrgUnitLevel[] = ['district', 'block', 'panchayat', 'village'];

export function toDto(r: FacilityJoinedRow, upgrades?: FacilityUpgradeRow[]) {
  const ref = (id: string | null, lgd: number | null, name: string | null, hi: string | null) =>
    id && name ? { id, lgdCode: lgd, name, nameHi: hi } : null;
  return {
    id: r.id,
    name: r.name,
    nameHi: r.name_hi,
    type: r.type,
    ownership: r.ownership,
    system: r.system,
    ayushSystem: r.ayush_system,
    orgUnitId: r.parent_id!,
    state: ref(r.s_id, r.s_lgd, r.s_name, r.s_name_hi),
    district: ref(r.d_id, r.d_lgd, r.d_name, r.d_name_hi),
    block: ref(r.b_id, r.b_lgd, r.b_name, r.b_name_hi),
    latitude: r.latitude,
    longitude: r.longitude,
    beds: r.beds,
    phone: r.phone,
    email: r.email,
    address: r.address,
    pincode: r.pincode,
    hfrId: r.hfr_id,
    portalStatus: r.portal_status,
    registeredOn: r.registered_on,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    hwc: r.hwc,
    hwcSince: r.hwc_since,
    desktops: r.desktops,
    webcams: r.webcams,
    hubId: r.hub_id,
    source: r.source,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    ...(upgrades && {
      upgrades: upgrades.map((u) => ({
        kind: u.kind, fromType: u.from_type, toType: u.to_type, fromBeds: u.from_beds, toBeds: u.to_beds, date: u.upgraded_on, note: u.note,
      })),
    }),
  };
}
export type FacilityDto = ReturnType<typeof toDto>;

/** The area a list or summary is about: the named unit (which must be in scope) or the caller's own. */
async function areaFor(db: Db, actor: Actor, q: Pick<ListQueryInput, 'state' | 'district' | 'block' | 'orgUnit'>): Promise<string> {
  const named: [string | undefined, OrgUnitLevel[], string][] = [
    [q.block, ['block'], 'block'],
    [q.district, ['district'], 'district'],
    [q.state, ['state'], 'state'],
    [q.orgUnit, ['district', 'state', 'block', 'panchayat', 'village'], 'orgUnit'],
  ];
  let path = actor.orgPath;
  for (const [ref, levels, field] of named) {
    if (!ref) continue;
    const unit = await resolveOrgUnit(db, ref, levels, field);
    requireScope(actor, unit.path, `${unit.name}`);
    if (unit.path.length > path.length) path = unit.path;
    else if (!path.startsWith(unit.path)) return '\u0000none';
  }
  return path;
}

export async function listFacilities(db: Db, actor: Actor, q: ListQueryInput) {
  requirePermission(actor, 'can_read_facility');
  const under = await areaFor(db, actor, q);
  const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
  const { rows, total } = await repo.list(db, { ...filterOf(q), under }, page);
  return { items: rows.map((r) => toDto(r)), total, ...page };
}

export async function facilityPoints(db: Db, actor: Actor, q: ListQueryInput) {
  requirePermission(actor, 'can_read_facility');
  const under = await areaFor(db, actor, q);
  const rows = await repo.points(db, { ...filterOf(q), under }, 20_000);
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, type: r.type, ownership: r.ownership, portalStatus: r.portal_status, latitude: r.latitude, longitude: r.longitude })),
  };
}

function filterOf(q: ListQueryInput) {
  return { type: q.type, ownership: q.ownership, system: q.system, portalStatus: q.portalStatus, hwc: q.hwc, hubId: q.hub, q: q.q?.trim() || undefined };
}

export async function getFacility(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_read_facility');
  const row = await loadInScope(db, actor, id);
  return toDto(row, await repo.upgrades(db, id));
}

async function loadInScope(db: Db, actor: Actor, id: string) {
  const row = await repo.findById(db, id);
  if (!row) throw notFound(`No facility has id ${id}`, `आईडी ${id} वाला कोई स्वास्थ्य संस्थान नहीं मिला`);
  requireScope(actor, row.path, `Facility ${row.name}`);
  return row;
}

async function placeOf(db: Db, actor: Actor, ref: string | number): Promise<OrgUnitRow> {
  const unit = await resolveOrgUnit(db, ref, PLACE_LEVELS, 'orgUnit');
  if (!PLACE_LEVELS.includes(unit.level)) {
    throw checkFacilityError([{ field: 'orgUnit', message: `must be a district or block, not a ${unit.level}`, messageHi: 'जिला या ब्लॉक होना चाहिए' }]);
  }
  requireScope(actor, unit.path, `${unit.name}`);
  return unit;
}

/** Coordinates must lie in the facility's district (its outline, else near its headquarters). */
async function checkPlacement(db: Db, placePath: string, lat: number | null | undefined, lon: number | null | undefined) {
  if (lat === null || lat === undefined || lon === null || lon === undefined) return;
  const problems = await new Placement(db).problems(await districtOf(db, placePath), lat, lon);
  if (problems.length) throw checkFacilityError(problems);
}

function checkFacilityError(fields: FieldProblem[]) {
  return checkFacility.error(fields);
}

const hfrTaken = (hfrId: string) =>
  conflict(`HFR id ${hfrId} belongs to another facility; find that facility instead of registering it again`, `HFR आईडी ${hfrId} किसी अन्य संस्थान की है; उसे दोबारा पंजीकृत करने के बजाय वही संस्थान खोजें`, { field: 'hfrId' });

/** The HFR id's unique index refused a write: another request stored the same id at the same moment. */
const hfrRace = (e: unknown, hfrId: string | null | undefined) => (hfrId && isUniqueViolation(e, 'facilities_hfr_id_key') ? hfrTaken(hfrId) : e);

export async function createFacility(db: Db, actor: Actor, input: NewFacilityInput) {
  requirePermission(actor, 'can_create_facility');
  checkFacility(input, null);
  const place = await placeOf(db, actor, input.orgUnit);
  await checkPlacement(db, place.path, input.latitude, input.longitude);
  if (input.hfrId && (await repo.existsHfr(db, input.hfrId))) throw hfrTaken(input.hfrId);
  if (input.hubId) await loadInScope(db, actor, input.hubId);
  const id = uid();
  const portalStatus = (input.portalStatus ?? 'registered') as 'listed' | 'registered';
  const row: NewFacility = {
    id,
    type: input.type,
    ownership: input.ownership as 'public' | 'private',
    system: input.system as 'allopathic' | 'ayush',
    ayush_system: input.ayushSystem ?? null,
    beds: input.beds ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    pincode: input.pincode ?? null,
    hfr_id: input.hfrId ?? null,
    portal_status: portalStatus,
    registered_on: portalStatus === 'registered' ? input.registeredOn ?? todayIst() : null,
    hwc: input.hwc ?? false,
    hwc_since: input.hwc ? input.hwcSince ?? null : null,
    desktops: input.desktops ?? 0,
    webcams: input.webcams ?? 0,
    hub_id: input.hubId ?? null,
    source: 'manual',
    state_lgd: place.state_lgd,
  };
  await repo.insert(db, { id, level: 'facility', name: input.name.trim(), name_hi: input.nameHi?.trim() || null, parent_id: place.id, path: `${place.path}${id}/`, state_lgd: place.state_lgd, opened_on: input.openedOn ?? null, closed_on: input.closedOn ?? null }, row).catch((e: unknown) => { throw hfrRace(e, input.hfrId); });
  const dto = toDto((await repo.findById(db, id))!, []);
  await recordAudit(db, actor, { action: 'create', entity: 'facility', entityId: id, orgPath: `${place.path}${id}/`, after: dto });
  return dto;
}

export async function updateFacility(db: Db, actor: Actor, id: string, patch: FacilityPatchInput) {
  requirePermission(actor, 'can_update_facility');
  const current = await loadInScope(db, actor, id);
  const before = toDto(current);
  const merged = { ...before, ...patch } as NewFacilityInput & typeof before;
  checkFacility(merged, before);
  const unitPatch: { name?: string; name_hi?: string | null; parent_id?: string; path?: string; opened_on?: string | null; closed_on?: string | null } = {};
  if (patch.name !== undefined) unitPatch.name = patch.name.trim();
  if (patch.openedOn !== undefined) unitPatch.opened_on = patch.openedOn;
  if (patch.closedOn !== undefined) unitPatch.closed_on = patch.closedOn;
  if (patch.nameHi !== undefined) unitPatch.name_hi = patch.nameHi?.trim() || null;
  let statePath = current.path;
  if (patch.orgUnit !== undefined) {
    const place = await placeOf(db, actor, patch.orgUnit);
    if (place.id !== current.parent_id) {
      unitPatch.parent_id = place.id;
      unitPatch.path = statePath = `${place.path}${id}/`;
    }
  }
  // Coordinates are checked against the district when they or the place change, so an old
  // misplaced point does not block an unrelated edit.
  if (patch.latitude !== undefined || patch.longitude !== undefined || unitPatch.path) {
    await checkPlacement(db, unitPatch.path ?? current.path, merged.latitude, merged.longitude);
  }
  if (patch.hfrId && (await repo.existsHfr(db, patch.hfrId, id))) throw hfrTaken(patch.hfrId);
  const f: Partial<NewFacility> = {};
  const map: [keyof FacilityPatchInput, keyof NewFacility][] = [
    ['type', 'type'], ['ownership', 'ownership'], ['system', 'system'], ['ayushSystem', 'ayush_system'], ['beds', 'beds'],
    ['latitude', 'latitude'], ['longitude', 'longitude'], ['phone', 'phone'], ['email', 'email'], ['address', 'address'],
    ['pincode', 'pincode'], ['hfrId', 'hfr_id'], ['portalStatus', 'portal_status'], ['registeredOn', 'registered_on'],
    ['hwc', 'hwc'], ['hwcSince', 'hwc_since'], ['desktops', 'desktops'], ['webcams', 'webcams'], ['hubId', 'hub_id'],
  ];
  for (const [from, to] of map) if (patch[from] !== undefined) (f as any)[to] = patch[from];
  if (patch.portalStatus === 'registered' && !current.registered_on && !patch.registeredOn) f.registered_on = todayIst();
  if (patch.portalStatus === 'listed') f.registered_on = null;
  if (patch.system === 'allopathic') f.ayush_system = null;
  await repo.update(db, id, unitPatch, f).catch((e: unknown) => { throw hfrRace(e, patch.hfrId); });
  if (unitPatch.path || (f.type && f.type !== current.type) || (f.ownership && f.ownership !== current.ownership)) {
    await facilityReclassified(db, id, { ownership: current.ownership, type: current.type }, unitPatch.path);
  }
  await recordUpgrades(db, actor, before, merged);
  const row = (await repo.findById(db, id))!;
  await recordAudit(db, actor, { action: 'update', entity: 'facility', entityId: id, orgPath: statePath, before, after: toDto(row) });
  return toDto(row, await repo.upgrades(db, id));
}

/** A change of type, beds or HWC status made through an edit is kept in the upgrade history too. */
async function recordUpgrades(db: Db, actor: Actor, before: FacilityDto, after: { type: string; beds?: number | null; hwc?: boolean; hwcSince?: string | null }) {
  const on = todayIst();
  if (after.type !== before.type) {
    await repo.insertUpgrade(db, { facility_id: before.id, kind: 'type', from_type: before.type, to_type: after.type, from_beds: before.beds, to_beds: after.beds ?? before.beds, upgraded_on: on, created_by: actor.userId });
  } else if (after.beds !== undefined && after.beds !== before.beds) {
    await repo.insertUpgrade(db, { facility_id: before.id, kind: 'beds', from_beds: before.beds, to_beds: after.beds, upgraded_on: on, created_by: actor.userId });
  }
  if (after.hwc && !before.hwc) {
    await repo.insertUpgrade(db, { facility_id: before.id, kind: 'hwc', from_type: before.type, to_type: before.type, upgraded_on: after.hwcSince ?? on, created_by: actor.userId });
  }
}

/** Records an upgrade with its own date: sub-centre → HWC, PHC (6 beds) → CHC (30 beds), more beds. */
export async function upgradeFacility(db: Db, actor: Actor, id: string, input: UpgradeInput) {
  requirePermission(actor, 'can_update_facility');
  const current = await loadInScope(db, actor, id);
  const before = toDto(current);
  const problems: FieldProblem[] = [];
  if (input.kind === 'type' && !input.toType) problems.push({ field: 'toType', message: 'is required for a change of type', messageHi: 'प्रकार बदलने के लिए आवश्यक है' });
  if (input.kind === 'type' && input.toType === current.type) problems.push({ field: 'toType', message: `the facility is already a ${current.type}`, messageHi: `संस्थान पहले से ${current.type} है` });
  if (input.kind === 'beds' && input.beds === undefined) problems.push({ field: 'beds', message: 'is required for a change of beds', messageHi: 'बिस्तर संख्या आवश्यक है' });
  if (input.kind === 'hwc' && current.hwc) problems.push({ field: 'kind', message: 'the facility is already a Health & Wellness Centre', messageHi: 'संस्थान पहले से हेल्थ एंड वेलनेस सेंटर है' });
  if (input.date > todayIst()) problems.push({ field: 'date', message: 'must not be in the future', messageHi: 'भविष्य की तिथि नहीं हो सकती' });
  if (problems.length) throw checkFacilityError(problems);
  const f: Partial<NewFacility> = {};
  if (input.kind === 'hwc') { f.hwc = true; f.hwc_since = input.date; }
  if (input.kind === 'type') { f.type = input.toType!; if (input.beds !== undefined) f.beds = input.beds; }
  if (input.kind === 'beds') f.beds = input.beds!;
  checkFacility({ ...before, type: f.type ?? before.type } as any, before);
  await repo.update(db, id, {}, f);
  if (f.type && f.type !== current.type) await facilityReclassified(db, id, { ownership: current.ownership, type: current.type });
  await repo.insertUpgrade(db, {
    facility_id: id, kind: input.kind as 'hwc' | 'type' | 'beds',
    from_type: current.type, to_type: f.type ?? current.type,
    from_beds: current.beds, to_beds: f.beds ?? current.beds,
    upgraded_on: input.date, note: input.note ?? null, created_by: actor.userId,
  });
  const after = toDto((await repo.findById(db, id))!, await repo.upgrades(db, id));
  await recordAudit(db, actor, { action: 'update', entity: 'facility', entityId: id, orgPath: current.path, before, after });
  return after;
}

export async function registerFacility(db: Db, actor: Actor, id: string, date?: string) {
  return updateFacility(db, actor, id, { portalStatus: 'registered', registeredOn: date ?? todayIst() });
}

export async function deleteFacility(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_delete_facility');
  const current = await loadInScope(db, actor, id);
  if (await repo.hasDependants(db, id)) {
    throw conflict(`${current.name} still has users or units under it; move or remove them first`, `${current.name} के अंतर्गत अभी भी उपयोगकर्ता या इकाइयाँ हैं`);
  }
  if (await repo.hasReportedData(db, id)) {
    throw conflict(`${current.name} has reported HMIS or surveillance data, which must stay; set its closing date instead of deleting it`,
      `${current.name} का HMIS या निगरानी डेटा दर्ज है, जिसे रखना ज़रूरी है; इसे हटाने के बजाय बंद होने की तिथि दर्ज करें`);
  }
  const before = toDto(current);
  await repo.remove(db, id);
  await recordAudit(db, actor, { action: 'delete', entity: 'facility', entityId: id, orgPath: current.path, before });
}

export async function facilitySummary(db: Db, actor: Actor, orgUnit: string) {
  requirePermission(actor, 'can_read_facility');
  const unit = await resolveOrgUnit(db, orgUnit);
  requireScope(actor, unit.path, unit.name);
  const rows = await repo.summary(db, unit.path);
  const sum = (k: keyof (typeof rows)[number]) => rows.reduce((a, r) => a + (r[k] as number), 0);
  return {
    orgUnit: { id: unit.id, level: unit.level, lgdCode: unit.lgd_code, name: unit.name, nameHi: unit.name_hi },
    total: sum('total'),
    registered: sum('registered'),
    registeredAyush: sum('registered_ayush'),
    listed: sum('total') - sum('registered'),
    hwc: sum('hwc'),
    private: { total: sum('private_total'), registered: sum('private_registered') },
    byType: Object.fromEntries(rows.map((r) => [r.type, { total: r.total, registered: r.registered }])),
  };
}
