/**
 * Where a FHIR Patient belongs in the registry: the Indian district its address names, else the
 * registering facility's district, else the caller's own district or block (422 above that); and the
 * address line the registry keeps.
 */
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { statePrefix } from '../patients/patients.service.js';
import { invalid, unprocessable } from './fhir.outcome.js';
import type { PatientFacts } from './fhir.patient.map.js';
import * as repo from './fhir.repository.js';

type Db = Kysely<Database>;

/** True when an address's country is absent or India (IN, IND, India, भारत). */
const inIndia = (country?: string) => !country || /^(in|ind|india|bharat|भारत)$/i.test(country.trim());

/**
 * The Indian district an address names: `district`, else `city`, matched case-insensitively against
 * district names (English or Hindi; an LGD code works too), unless the address is in another country.
 * Several districts of one name are told apart by `state`, else the caller's own state (400 naming
 * Patient.address when still ambiguous). Null when it names none.
 */
export async function indianDistrict(db: Db, actor: Actor, address: PatientFacts['address']): Promise<{ district: OrgUnitRow; matched: string } | null> {
  if (!inIndia(address.country)) return null;
  for (const text of [address.district, address.city]) {
    if (!text) continue;
    const rows = /^\d{1,9}$/.test(text)
      ? (await db.selectFrom('org_units').selectAll().where('level', '=', 'district').where('lgd_code', '=', Number(text)).execute()).map((r) => ({ ...r, state_name: null, state_name_hi: null }))
      : await repo.districtsNamed(db, text.replace(/\s+/g, ' '));
    if (!rows.length) continue;
    let pick = rows;
    const state = address.state?.toLowerCase();
    if (state && pick.length > 1) pick = pick.filter((r) => r.state_name?.toLowerCase() === state || r.state_name_hi === address.state);
    if (pick.length > 1) pick = pick.filter((r) => r.path.startsWith(statePrefix(actor.orgPath)));
    if (pick.length === 1) {
      const { state_name: _s, state_name_hi: _h, ...district } = pick[0];
      return { district, matched: text };
    }
    throw invalid(`Patient.address: ${rows.length} districts are called ${text}; give Patient.address.state (${rows.map((r) => r.state_name).join(', ')})`,
      'Patient.address', `${text} नाम के ${rows.length} ज़िले हैं; Patient.address.state दें`);
  }
  return null;
}

/**
 * Where a new patient belongs in the registry: the Indian district its address names; else (an address
 * abroad, or none, as ABDM's Patient profile allows) the district of the registering facility; else,
 * for a caller posted at a district or below without a facility (district staff, a partner system's
 * account), the caller's own district and block. A caller posted at a state gets 422 naming the
 * elements that would place the patient.
 */
export async function placeFor(db: Db, actor: Actor, address: PatientFacts['address'], facility: OrgUnitRow | null): Promise<{ district: OrgUnitRow; block?: OrgUnitRow; matched?: string }> {
  const named = await indianDistrict(db, actor, address);
  if (named) return named;
  const parts = (facility?.path ?? actor.orgPath).split('/');
  const [district, block] = await repo.unitsByIds(db, [parts[3], parts[4]]).then((units) => [parts[3], parts[4]].map((id) => units.find((u) => u.id === id)));
  if (district?.level === 'district') return { district, ...(!facility && block?.level === 'block' ? { block } : {}) };
  throw unprocessable('Patient.address names no Indian district, and your account is not posted at a facility or district whose area the patient could belong to: give Patient.address.district (an Indian district, e.g. "Hisar") or Patient.managingOrganization (Organization/<id> of a facility in your area)',
    ['Patient.address', 'Patient.managingOrganization'],
    'Patient.address में कोई भारतीय ज़िला नहीं है और आपका खाता किसी संस्थान या ज़िले में नहीं है: Patient.address.district (जैसे "Hisar") या Patient.managingOrganization (आपके क्षेत्र का संस्थान) दें');
}

/** The free-text address line kept in the registry: the lines, the city (unless it was the district), PIN and country. */
export function addressLine(a: PatientFacts['address'], matched?: string): string | undefined {
  const parts = [...a.lines, a.city !== matched ? a.city : undefined, a.postalCode, a.country && !/^(in|ind|india)$/i.test(a.country) ? a.country : undefined];
  const line = parts.filter(Boolean).join(', ');
  return line ? line.slice(0, 300) : undefined;
}
