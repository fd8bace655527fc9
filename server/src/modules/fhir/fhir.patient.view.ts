/**
 * The FHIR Patient a client reads: the resource as it was sent (kept in `patient_fhir`), with the
 * server's `id` and `meta.versionId`/`lastUpdated`, and Swasthya's own identifiers added after the sent
 * ones (the state patient number; the ABHA number under the ABDM system the client did not use; the
 * ABHA address and the Aadhaar's last four digits when the resource does not carry them). Nothing sent
 * is replaced, except where the registry was changed another way since (a merge, an edit through the
 * plain API): then the element the registry manages shows the registry's value and the rest stays as
 * sent, so the FHIR view never contradicts the registry. A patient with no kept resource (registered at
 * a counter) is the registry row rendered as a Patient. Pure functions, no I/O.
 */
import type { Selectable } from 'kysely';
import type { PatientsTable } from '../../db/types.js';
import { normaliseMobile } from '../patients/patients.identity.js';
import { isAadhaarIdentifier } from './fhir.aadhaar.js';
import { patientVersion, primaryAddressIndex, toPatientResource, type Places } from './fhir.patient.map.js';
import { ABHA_ADDRESS_SYSTEMS, ABHA_NUMBER_SYSTEMS, isObject, SYSTEM, type FhirResource } from './fhir.types.js';

type PatientRow = Selectable<PatientsTable>;

/** The registry fields a kept Patient was stored beside, as they stood then. */
const MANAGED = ['name', 'name_hi', 'sex', 'birth_date', 'birth_date_estimated', 'mobile', 'abha_number', 'abha_address', 'aadhaar_last4', 'home_id', 'address_line'] as const;
export type RegistrySnapshot = { [K in (typeof MANAGED)[number]]: PatientRow[K] | null };

export const snapshotOf = (row: PatientRow): RegistrySnapshot =>
  Object.fromEntries(MANAGED.map((k) => [k, row[k] ?? null])) as RegistrySnapshot;

/** A kept Patient: the resource as sent and the registry fields beside it when it was kept. */
export interface KeptPatient { resource: Record<string, any>; registry: RegistrySnapshot }

/** What is kept of a sent Patient: everything but `id` and the server's meta.versionId/lastUpdated. */
export function keptForm(sent: FhirResource): Record<string, any> {
  const { id: _id, meta, ...rest } = structuredClone(sent);
  const kept: Record<string, any> = { ...rest };
  if (isObject(meta)) {
    const { versionId: _v, lastUpdated: _l, ...m } = meta;
    if (Object.keys(m).length) kept.meta = m;
  }
  return kept;
}

const array = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const sys = (s: unknown) => (typeof s === 'string' ? s.replace(/\/+$/, '') : '');
const isAbhaNumber = (i: any) => isObject(i) && ABHA_NUMBER_SYSTEMS.includes(sys(i.system)) && !String(i.value ?? '').includes('@');
const isAbhaAddress = (i: any) => isObject(i) && (ABHA_ADDRESS_SYSTEMS.includes(sys(i.system)) || (ABHA_NUMBER_SYSTEMS.includes(sys(i.system)) && String(i.value ?? '').includes('@')));

/** True when a sent identifier already says what one of Swasthya's own says. */
function says(sent: any, own: Record<string, any>): boolean {
  if (!isObject(sent)) return false;
  if (isAadhaarIdentifier(own)) return isAadhaarIdentifier(sent);
  if (isAbhaAddress(own)) return isAbhaAddress(sent) && String(sent.value).trim().toLowerCase() === String(own.value).toLowerCase();
  if (sys(sent.system) !== sys(own.system)) return false;
  const value = String(sent.value ?? '').trim();
  if (isAbhaNumber(own)) return value.replace(/[\s-]/g, '') === String(own.value).replace(/-/g, '');
  if (own.system === SYSTEM.stateNumber) return value.toUpperCase() === own.value;
  return value === own.value;
}

const samePhone = (value: unknown, mobile: string) => { const m = normaliseMobile(String(value ?? '')); return m.ok && m.mobile === mobile; };

/** The Patient a client reads (see the file comment). */
export function patientView(row: PatientRow, kept: KeptPatient | null | undefined, places: Places = {}): FhirResource {
  const registry = toPatientResource(row, places);
  if (!kept) return registry;
  const r = structuredClone(kept.resource);
  const moved = (...keys: (typeof MANAGED)[number][]) => keys.some((k) => String(kept.registry[k] ?? '') !== String(row[k] ?? ''));

  if (moved('name', 'name_hi')) r.name = registry.name;
  if (moved('sex')) r.gender = row.sex;
  if (moved('birth_date', 'birth_date_estimated')) r.birthDate = registry.birthDate;
  if (moved('mobile')) {
    const was = kept.registry.mobile;
    const others = array(r.telecom).filter((t) => !(isObject(t) && t.system === 'phone' && was && samePhone(t.value, was)));
    const telecom = [...array(registry.telecom), ...others];
    if (telecom.length) r.telecom = telecom; else delete r.telecom;
  }
  if (moved('home_id', 'address_line')) {
    const addresses = array(r.address);
    const at = primaryAddressIndex(addresses);
    const home = array(registry.address)[0];
    r.address = at < 0 ? [home, ...addresses] : addresses.map((a, i) => (i === at ? home : a));
  }
  let identifier = array(r.identifier).filter((i) => !(isObject(i) && sys(i.system) === SYSTEM.stateNumber && String(i.value ?? '').trim().toUpperCase() !== row.state_number));
  if (moved('abha_number')) identifier = identifier.filter((i) => !isAbhaNumber(i));
  if (moved('abha_address')) identifier = identifier.filter((i) => !isAbhaAddress(i));
  if (moved('aadhaar_last4')) identifier = identifier.filter((i) => !(isObject(i) && isAadhaarIdentifier(i)));
  for (const own of array(registry.identifier)) if (!identifier.some((i) => says(i, own))) identifier.push(own);
  r.identifier = identifier;
  if (row.merged_into) {
    r.active = false;
    const other = `Patient/${row.merged_into}`;
    r.link = [...array(r.link).filter((l) => !(isObject(l) && l.type === 'replaced-by')), { other: { reference: other }, type: 'replaced-by' }];
  }
  const { resourceType: _t, id: _i, meta, ...rest } = r;
  return {
    resourceType: 'Patient',
    id: row.id,
    meta: { ...(isObject(meta) ? meta : {}), versionId: patientVersion(row), lastUpdated: row.updated_at.toISOString() },
    ...rest,
  };
}

/** The identifiers of a kept Patient to index for search: (system or '', value), each once; very long values are not indexed. */
export function indexedIdentifiers(resource: Record<string, any>): { system: string; value: string }[] {
  const seen = new Map<string, { system: string; value: string }>();
  for (const i of array(resource.identifier)) {
    if (!isObject(i)) continue;
    const value = typeof i.value === 'string' ? i.value.trim() : '';
    if (!value || value.length > 1000) continue;
    const system = typeof i.system === 'string' ? i.system.trim().slice(0, 1000) : '';
    seen.set(`${system}|${value}`, { system, value });
  }
  return [...seen.values()];
}
