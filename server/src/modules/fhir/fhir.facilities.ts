/**
 * Organization and Location, generated from the facility registry (org_units + facilities, as
 * `/api/facilities` shows it, under the same scope rules): read and search only. An Organization or
 * Location that arrived inside a bundle and is not a facility is read from the resource store.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { getFacility, listFacilities, type FacilityDto } from '../facilities/facilities.service.js';
import { isUid } from '../../platform/ids.js';
import * as repo from './fhir.repository.js';
import { searchStored } from './fhir.search.store.js';
import { readStored } from './fhir.store.js';
import { single, type Page, type Query, type SearchEntry } from './fhir.search.js';
import { SYSTEM, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;
/** The two resource types made from facilities. */
export type FacilityType = 'Organization' | 'Location';

const TYPE_NAMES: Record<string, string> = {
  SC: 'Sub-Centre', PHC: 'Primary Health Centre', CHC: 'Community Health Centre', SDH: 'Sub-District Hospital', DH: 'District Hospital',
  MC: 'Medical College', PRIVATE_HOSPITAL: 'Private hospital', NURSING_HOME: 'Nursing home', CLINIC: 'Clinic', AYUSH: 'AYUSH facility',
  DIAGNOSTIC: 'Diagnostic centre',
};

function common(f: FacilityDto) {
  return {
    id: f.id,
    meta: { versionId: String(Date.parse(f.updatedAt)), lastUpdated: f.updatedAt },
    identifier: [
      { use: 'secondary', system: SYSTEM.orgUnit, value: f.id },
      ...(f.hfrId ? [{ use: 'official', type: { coding: [{ system: SYSTEM.v2IdentifierType, code: 'PRN', display: 'Provider number' }], text: 'HFR facility id' }, system: SYSTEM.hfr, value: f.hfrId }] : []),
    ],
    name: f.name,
    ...(f.nameHi ? { alias: [f.nameHi] } : {}),
    ...(f.phone || f.email ? {
      telecom: [
        ...(f.phone ? [{ system: 'phone', value: f.phone, use: 'work' }] : []),
        ...(f.email ? [{ system: 'email', value: f.email, use: 'work' }] : []),
      ],
    } : {}),
    address: [{
      use: 'work',
      ...(f.address ? { line: [f.address] } : {}),
      ...(f.block ? { city: f.block.name } : {}),
      ...(f.district ? { district: f.district.name } : {}),
      ...(f.state ? { state: f.state.name } : {}),
      ...(f.pincode ? { postalCode: f.pincode } : {}),
      country: 'IN',
    }],
  };
}

/** A facility as an Organization: HFR id (https://facility.ndhm.gov.in) when it has one, type, contacts, address. */
export function toOrganization(f: FacilityDto): FhirResource {
  const c = common(f);
  return {
    resourceType: 'Organization',
    ...c,
    active: !f.closedOn,
    type: [{ coding: [{ system: SYSTEM.facilityType, code: f.type, display: TYPE_NAMES[f.type] ?? f.type }], text: `${TYPE_NAMES[f.type] ?? f.type} (${f.ownership})` }],
    name: f.name,
  };
}

/** A facility as a Location: position (latitude/longitude) when known, managed by its Organization. */
export function toLocation(f: FacilityDto): FhirResource {
  const { address, ...c } = common(f);
  return {
    resourceType: 'Location',
    ...c,
    status: f.closedOn ? 'inactive' : 'active',
    mode: 'instance',
    type: [{ coding: [{ system: SYSTEM.facilityType, code: f.type, display: TYPE_NAMES[f.type] ?? f.type }] }],
    address: address[0],
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bu', display: 'Building' }] },
    ...(f.latitude !== null && f.longitude !== null ? { position: { latitude: f.latitude, longitude: f.longitude } } : {}),
    managingOrganization: { reference: `Organization/${f.id}`, display: f.name },
  };
}

/** Systems under which an HFR facility id is read (NDHM's, as ABDM's examples write it, and ABDM's). */
const HFR_SYSTEMS: readonly string[] = [SYSTEM.hfr, 'https://facility.abdm.gov.in'];

/**
 * The facility of the registry that identifiers name, if any: an HFR id (either system) or the org-unit
 * identifier this server writes into Organization and Location. Used to match an Organization or
 * Location arriving in a bundle instead of keeping it again.
 */
export async function facilityByIdentifiers(db: Db, identifiers: { system: string; value: string }[]): Promise<{ id: string } | undefined> {
  for (const i of identifiers) {
    const system = i.system.trim().replace(/\/+$/, '');
    const found = HFR_SYSTEMS.includes(system) ? await repo.facilityByHfr(db, i.value.trim())
      : system === SYSTEM.orgUnit && isUid(i.value.trim()) ? await repo.facilityById(db, i.value.trim()) : undefined;
    if (found) return found;
  }
  return undefined;
}

const convert = (type: FacilityType, f: FacilityDto) => (type === 'Organization' ? toOrganization(f) : toLocation(f));

/** Reads an Organization or Location by facility id (scope rules of /api/facilities), else from the store. */
export async function readFacilityResource(db: Db, actor: Actor, type: FacilityType, id: string): Promise<FhirResource> {
  try {
    return convert(type, await getFacility(db, actor, id));
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return readStored(db, actor, type, id);
    throw e;
  }
}

/**
 * Searches facilities in the caller's area as Organizations or Locations: `name` (contains, English or
 * Hindi), `_id`, `identifier` (HFR id, https://facility.ndhm.gov.in|IN…), in name order.
 */
export async function searchFacilityResources(db: Db, actor: Actor, type: FacilityType, q: Query, page: Page): Promise<{ entries: SearchEntry[]; more: boolean; total?: number }> {
  const id = single(q, '_id');
  if (id) {
    const one = await getFacility(db, actor, id).catch((e) => {
      if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) return null;
      throw e;
    });
    const entries = one && page.offset === 0 && page.count > 0 ? [{ resource: convert(type, one) }] : [];
    return { entries, more: false, total: one ? 1 : 0 };
  }
  const identifier = single(q, 'identifier');
  let hfr: string | undefined;
  if (identifier) {
    // Every identifier toOrganization and toLocation write: the org-unit id and the HFR id, with or without system.
    const bar = identifier.lastIndexOf('|');
    const system = bar >= 0 ? identifier.slice(0, bar).replace(/\/+$/, '') : '';
    const value = identifier.slice(bar + 1).trim();
    if (system === SYSTEM.orgUnit || (!system && isUid(value))) {
      const one = await getFacility(db, actor, value).catch((e) => {
        if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden')) return null;
        throw e;
      });
      if (one || system) return { entries: one && page.offset === 0 && page.count > 0 ? [{ resource: convert(type, one) }] : [], more: false, total: one ? 1 : 0 };
    }
    // Another system's identifier is one of the Organizations or Locations kept from bundles.
    if (system && !HFR_SYSTEMS.includes(system)) return searchStored(db, actor, type, q, page);
    hfr = value.toUpperCase();
  }
  const name = single(q, 'name');
  const text = hfr ?? name;
  // _count=0 asks for the total only: one row is read for it, none is answered.
  const r = await listFacilities(db, actor, { q: text?.slice(0, 100), limit: page.count || 1, offset: page.count ? page.offset : 0 });
  let items = r.items;
  if (hfr) items = items.filter((f) => f.hfrId === hfr);
  if (hfr && name) items = items.filter((f) => `${f.name} ${f.nameHi ?? ''}`.toLowerCase().includes(name.toLowerCase()));
  // An HFR id no facility here has may be that of a hospital elsewhere, kept from a bundle.
  if (hfr && !items.length) return searchStored(db, actor, type, q, page);
  const total = hfr ? items.length : r.total;
  if (!page.count) items = [];
  return { entries: items.map((f) => ({ resource: convert(type, f) })), more: !hfr && page.offset + r.items.length < r.total, total };
}
