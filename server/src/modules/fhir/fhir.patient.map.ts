/**
 * FHIR Patient ⇄ the state patient registry, as pure functions (no I/O).
 *
 * In: the registry fields derived from a Patient (which itself is kept whole, see fhir.patient.view.ts):
 * name (Latin and/or Devanagari), gender (male/female/other), birthDate (a full date, or a year for an
 * estimated one), the first Indian mobile among `telecom`, ABHA number and address from `identifier`,
 * the home address as text (resolved to a district by the service).
 * Out: a registry row as a Patient (for patients registered without FHIR, and for the elements the
 * registry changed since a Patient was kept), with identifiers under the ABDM systems and Swasthya's own.
 */
import type { Selectable } from 'kysely';
import type { PatientsTable } from '../../db/types.js';
import { todayIst } from '../../platform/periods.js';
import { checkAadhaar, maskAadhaar, normaliseMobile, parseAbhaAddress, parseAbhaNumber } from '../patients/patients.identity.js';
import { scriptOf } from '../patients/patients.names.js';
import { isAadhaarIdentifier, UIDAI_SYSTEM } from './fhir.aadhaar.js';
import { invalid } from './fhir.outcome.js';
import { ABHA_ADDRESS_SYSTEMS, ABHA_NUMBER_SYSTEMS, isObject, parseReference, SYSTEM, type FhirResource } from './fhir.types.js';

type PatientRow = Selectable<PatientsTable>;

/** What a FHIR Patient says, in the registry's terms; the address is still text. */
export interface PatientFacts {
  name: string;
  nameHi?: string;
  sex: 'male' | 'female' | 'other';
  /** A full date, or undefined when only the year is known (then `age`). */
  birthDate?: string;
  age?: number;
  mobile?: string;
  abha?: string;
  abhaAddress?: string;
  /** From an Aadhaar identifier (the whole number, checked, or its masked form): only the last four digits. */
  aadhaarLast4?: string;
  address: { district?: string; city?: string; state?: string; lines: string[]; postalCode?: string; country?: string };
  /** `managingOrganization` when it names an org unit id. */
  organizationId?: string;
}

/** Place names shown in a Patient's address. */
export interface Places { home?: { name: string; level: string } | null; district?: string | null; state?: string | null }

/** The text of a HumanName: `text`, else given names then family. */
export function humanNameText(n: unknown): string {
  if (!isObject(n)) return '';
  if (typeof n.text === 'string' && n.text.trim()) return n.text.trim().replace(/\s+/g, ' ');
  const given = Array.isArray(n.given) ? n.given.filter((g: unknown) => typeof g === 'string') : [];
  return [...given, typeof n.family === 'string' ? n.family : ''].join(' ').trim().replace(/\s+/g, ' ');
}

/** True for a HumanName in Hindi: the language extension says `hi`, or it is written in Devanagari. */
function isHindiName(n: Record<string, any>, text: string): boolean {
  const lang = Array.isArray(n.extension) && n.extension.some((e: any) => e?.url === SYSTEM.language && /^hi\b/i.test(String(e.valueCode ?? '')));
  return lang || scriptOf(text) === 'devanagari';
}

/** ISO date check: a real calendar day. */
const realDate = (d: string) => { const t = new Date(`${d}T00:00:00Z`); return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d); };

/**
 * Reads a Patient resource into registry terms. Every refusal is a 400 naming the element
 * (`Patient.gender`, `Patient.identifier`…) with a message a person can act on.
 */
export function readPatientResource(r: FhirResource, today = todayIst()): PatientFacts {
  // Names: the first Latin (or mixed) name is the name, the first Hindi one its Devanagari form.
  const names = (Array.isArray(r.name) ? r.name : []).filter(isObject)
    .filter((n) => n.use !== 'old' && n.use !== 'anonymous')
    .map((n) => ({ n, text: humanNameText(n) })).filter((x) => x.text);
  const latin = names.find((x) => !isHindiName(x.n, x.text));
  const hindi = names.find((x) => isHindiName(x.n, x.text));
  const name = latin?.text ?? hindi?.text;
  if (!name) throw invalid('Patient.name is required: give the name as text, or given and family names', 'Patient.name', 'Patient.name आवश्यक है', 'required');
  if (name.length > 200 || (hindi && hindi.text.length > 200)) throw invalid('Patient.name is longer than 200 characters', 'Patient.name');

  const gender = r.gender;
  if (gender === undefined) throw invalid('Patient.gender is required: male, female or other', 'Patient.gender', 'Patient.gender आवश्यक है (male, female या other)', 'required');
  if (gender === 'unknown') {
    throw invalid('Patient.gender "unknown" cannot be registered: the state registry needs male, female or other', 'Patient.gender',
      'Patient.gender "unknown" स्वीकार नहीं: male, female या other दें', 'value');
  }
  if (gender !== 'male' && gender !== 'female' && gender !== 'other') {
    throw invalid(`Patient.gender must be male, female or other, not ${JSON.stringify(gender)}`, 'Patient.gender', 'Patient.gender male, female या other होना चाहिए', 'value');
  }

  let birthDate: string | undefined;
  let age: number | undefined;
  const bd = r.birthDate;
  if (bd === undefined) throw invalid('Patient.birthDate is required (a date, or the year when only that is known)', 'Patient.birthDate', 'Patient.birthDate आवश्यक है', 'required');
  if (typeof bd !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(bd)) throw invalid(`Patient.birthDate must be YYYY, YYYY-MM or YYYY-MM-DD, not ${JSON.stringify(bd)}`, 'Patient.birthDate', 'Patient.birthDate YYYY-MM-DD रूप में दें', 'value');
  if (bd.length === 10) {
    if (!realDate(bd)) throw invalid(`Patient.birthDate ${bd} is not a date`, 'Patient.birthDate', 'Patient.birthDate सही तिथि नहीं है', 'value');
    if (bd > today) throw invalid('Patient.birthDate must not be in the future', 'Patient.birthDate', 'Patient.birthDate भविष्य की तिथि नहीं हो सकती', 'value');
    birthDate = bd;
  } else {
    // A year (or year and month) alone: kept as the registry keeps an age, 1 January of that year, marked estimated.
    age = Number(today.slice(0, 4)) - Number(bd.slice(0, 4));
    if (age < 0) throw invalid('Patient.birthDate must not be in the future', 'Patient.birthDate', 'Patient.birthDate भविष्य की तिथि नहीं हो सकती', 'value');
  }
  const years = birthDate ? Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) : age!;
  if (years > 130) throw invalid('Patient.birthDate makes the person older than 130', 'Patient.birthDate', 'आयु 130 वर्ष से अधिक हो जाती है', 'value');

  // The registry's mobile column holds one Indian mobile: the first phone that is one (mobile use
  // first). Every telecom stays in the kept resource.
  const phones = (Array.isArray(r.telecom) ? r.telecom : []).filter((t) => isObject(t) && t.system === 'phone' && typeof t.value === 'string');
  phones.sort((a, b) => Number(b.use === 'mobile') - Number(a.use === 'mobile'));
  let mobile: string | undefined;
  for (const p of phones) {
    const m = normaliseMobile(p.value);
    if (m.ok) { mobile = m.mobile; break; }
  }

  let abha: string | undefined;
  let abhaAddress: string | undefined;
  let aadhaarLast4: string | undefined;
  for (const id of (Array.isArray(r.identifier) ? r.identifier : []).filter(isObject)) {
    const system = typeof id.system === 'string' ? id.system.replace(/\/+$/, '') : '';
    const value = typeof id.value === 'string' ? id.value.trim() : typeof id.value === 'number' ? String(id.value) : '';
    if (!value) continue;
    if (isAadhaarIdentifier(id)) {
      const last4 = aadhaarDigits(value);
      if (aadhaarLast4 && aadhaarLast4 !== last4) throw invalid('Patient.identifier has two different Aadhaar numbers', 'Patient.identifier');
      aadhaarLast4 = last4;
      continue;
    }
    const numberSystem = ABHA_NUMBER_SYSTEMS.includes(system);
    if (ABHA_ADDRESS_SYSTEMS.includes(system) || (numberSystem && value.includes('@'))) {
      const a = parseAbhaAddress(value);
      if (!a.ok) throw invalid(`Patient.identifier (ABHA address ${value}): ${a.message}`, 'Patient.identifier', a.messageHi, 'value');
      if (abhaAddress && abhaAddress !== a.address) throw invalid('Patient.identifier has two different ABHA addresses', 'Patient.identifier');
      abhaAddress = a.address;
    } else if (numberSystem) {
      const n = parseAbhaNumber(value);
      if (!n.ok) throw invalid(`Patient.identifier (ABHA number ${value}): ${n.message}`, 'Patient.identifier', n.messageHi, 'value');
      if (abha && abha !== n.digits) throw invalid('Patient.identifier has two different ABHA numbers', 'Patient.identifier');
      abha = n.digits;
    }
  }

  const addresses = Array.isArray(r.address) ? r.address : [];
  const a = addresses[primaryAddressIndex(addresses)] ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const lines = (Array.isArray(a.line) ? a.line : []).map(text).filter((s: string | undefined): s is string => !!s);
  if (!lines.length && text(a.text)) lines.push(text(a.text)!);

  const org = parseReference(isObject(r.managingOrganization) ? r.managingOrganization.reference : undefined);
  return {
    name, ...(latin && hindi ? { nameHi: hindi.text } : {}), sex: gender, birthDate, age, mobile, abha, abhaAddress, ...(aadhaarLast4 ? { aadhaarLast4 } : {}),
    address: { district: text(a.district), city: text(a.city), state: text(a.state), lines, postalCode: text(a.postalCode), country: text(a.country) },
    ...(org?.type === 'Organization' ? { organizationId: org.id } : {}),
  };
}

/** Where the address the registry reads sits among a Patient's addresses: the home one, else the first not old; -1 when none. */
export function primaryAddressIndex(addresses: unknown[]): number {
  const home = addresses.findIndex((x) => isObject(x) && x.use === 'home');
  return home >= 0 ? home : addresses.findIndex((x) => isObject(x) && x.use !== 'old');
}

/**
 * The last four digits of an Aadhaar identifier's value: a whole number (12 digits, Verhoeff-checked)
 * or one already masked (`XXXX-XXXX-1234`). Refusals never repeat the number.
 */
function aadhaarDigits(value: string): string {
  if (/^[Xx*•\s-]*[0-9\u0966-\u096F]{4}$/.test(value)) return maskAadhaar(value).slice(-4);
  const a = checkAadhaar(value);
  if (!a.ok) throw invalid(`Patient.identifier (Aadhaar number): ${a.message}, or send only its last four digits as XXXX-XXXX-1234`, 'Patient.identifier', a.messageHi, 'value');
  return a.last4;
}

/** A name split for HumanName: the last word is the family name, the rest given names. */
function humanName(text: string, extra: Record<string, unknown>) {
  const words = text.split(' ').filter(Boolean);
  return { ...extra, text, ...(words.length > 1 ? { family: words[words.length - 1] } : {}), given: words.length > 1 ? words.slice(0, -1) : words };
}

const hyphenated = (d: string) => `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6, 10)}-${d.slice(10)}`;

/** The version of a registry row as FHIR sees it: the time of its last change, in milliseconds. */
export const patientVersion = (row: Pick<PatientRow, 'updated_at'>) => String(row.updated_at.getTime());

/**
 * A registry row as a FHIR Patient. The Latin name (as typed, or romanised from Devanagari) is the
 * `official` HumanName; the Devanagari form is a second, `usual` HumanName carrying the language
 * extension `hi`. ABHA numbers appear under both ABDM systems; an estimated birth date as its year.
 */
export function toPatientResource(p: PatientRow, places: Places = {}): FhirResource {
  const latinName = scriptOf(p.name) === 'devanagari' ? p.name_latin : p.name;
  const names = [humanName(latinName, { use: 'official' })];
  if (p.name_hi) names.push(humanName(p.name_hi, { use: 'usual', extension: [{ url: SYSTEM.language, valueCode: 'hi' }] }));
  const identifier: Record<string, unknown>[] = [
    { use: 'usual', type: { text: 'State patient number' }, system: SYSTEM.stateNumber, value: p.state_number },
  ];
  if (p.abha_number) {
    for (const system of [SYSTEM.abhaNumber, SYSTEM.abhaNumberAbdm]) {
      identifier.push({ use: 'official', type: { coding: [{ system: SYSTEM.v2IdentifierType, code: 'MR', display: 'Medical record number' }], text: 'ABHA number' }, system, value: hyphenated(p.abha_number) });
    }
  }
  if (p.abha_address) identifier.push({ use: 'secondary', type: { text: 'ABHA address' }, system: SYSTEM.abhaAddress, value: p.abha_address });
  // Aadhaar: only the last four digits are ever kept, and shown masked.
  if (p.aadhaar_last4) identifier.push({ use: 'secondary', type: { text: 'Aadhaar number (last four digits)' }, system: UIDAI_SYSTEM, value: maskAadhaar(p.aadhaar_last4) });
  const home = places.home;
  const city = home && (home.level === 'village' || home.level === 'block' || home.level === 'panchayat') ? home.name : undefined;
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { versionId: patientVersion(p), lastUpdated: p.updated_at.toISOString() },
    identifier,
    active: !p.merged_into,
    name: names,
    ...(p.mobile ? { telecom: [{ system: 'phone', value: `+91${p.mobile}`, use: 'mobile' }] } : {}),
    gender: p.sex,
    birthDate: p.birth_date_estimated ? p.birth_date.slice(0, 4) : p.birth_date,
    address: [{
      use: 'home', type: 'physical',
      ...(p.address_line ? { line: [p.address_line] } : {}),
      ...(city ? { city } : {}),
      ...(places.district ? { district: places.district } : {}),
      ...(places.state ? { state: places.state } : {}),
      country: 'IN',
    }],
    ...(p.registered_at_facility_id ? { managingOrganization: { reference: `Organization/${p.registered_at_facility_id}` } } : {}),
    ...(p.merged_into ? { link: [{ other: { reference: `Patient/${p.merged_into}` }, type: 'replaced-by' }] } : {}),
  };
}

/** What a search shows of a patient the caller may not read: name, gender and birth year, marked REDACTED. */
export function toLimitedPatient(item: { id: string; name: string; nameHi: string | null; nameLatin: string; sex: string; birthYear: number }): FhirResource {
  const latinName = scriptOf(item.name) === 'devanagari' ? item.nameLatin : item.name;
  const names = [humanName(latinName, { use: 'official' })];
  if (item.nameHi) names.push(humanName(item.nameHi, { use: 'usual', extension: [{ url: SYSTEM.language, valueCode: 'hi' }] }));
  return {
    resourceType: 'Patient',
    id: item.id,
    meta: { security: [{ system: SYSTEM.security, code: 'REDACTED', display: 'redacted' }] },
    name: names,
    gender: item.sex,
    birthDate: String(item.birthYear),
  };
}
