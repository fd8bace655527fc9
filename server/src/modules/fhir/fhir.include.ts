/**
 * `_include` and `_revinclude`: the resources a page of search matches refers to (Encounter →
 * Patient, Condition → Encounter…) and those referring to them (Patient ← Encounter, Encounter ←
 * Condition). Each comes once, as `search.mode = include`, and only when the caller may read it: a
 * patient outside their scope is left out, never shown. Included patients are read as a read of
 * patients (one audit row naming them all); included stored resources are audited by id.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { readableSet, recordArea } from '../patients/patients.service.js';
import { INCLUDES } from './fhir.capability.js';
import { readFhirPatients } from './fhir.patient.js';
import type { Page, SearchEntry } from './fhir.search.js';
import { searchRows, type StoreFilter } from './fhir.search.store.js';
import { auditEntity, storedResource } from './fhir.store.js';
import { isObject, parseReference, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;

/** Most resources one `_revinclude` value adds to a page (a patient's whole record stays a search of its own). */
export const MAX_REVINCLUDE = 500;

/** The element a reference search parameter reads. */
const elementOf = (param: string) => (param === 'patient' ? 'subject' : param);

/** The readable stored resources of `f`, audited as reads by id. */
async function readStoredIncluded(db: Db, actor: Actor, f: StoreFilter, why: string): Promise<FhirResource[]> {
  const { rows } = await searchRows(db, f, { count: MAX_REVINCLUDE, offset: 0 }, [], false);
  if (rows.length) {
    await recordAudit(db, actor, { action: 'read', entity: auditEntity(f.type), orgPath: actor.orgPath, purpose: 'care', after: { [why]: true, ids: rows.map((r) => r.id) } });
  }
  return rows.map(storedResource);
}


/** Whether a match is a whole resource the caller read (not a patient shown with name and birth year only). */
const isWhole = (r: FhirResource) => !(r.meta as any)?.security?.some?.((s: any) => s?.code === 'REDACTED');

/**
 * The page's matches followed by what `_include` and `_revinclude` bring, each resource once (a
 * resource already among the matches is not repeated).
 */
export async function withIncluded(db: Db, actor: Actor, type: string, page: Page, matches: SearchEntry[]): Promise<SearchEntry[]> {
  if (!matches.length || (!page.include?.length && !page.revinclude?.length)) return matches;
  const seen = new Set(matches.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  const out = [...matches];
  const add = (resources: FhirResource[]) => {
    for (const r of resources) {
      const key = `${r.resourceType}/${r.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ resource: r, mode: 'include' });
    }
  };
  const whole = matches.map((e) => e.resource).filter(isWhole);
  const area = recordArea(actor);

  for (const value of page.include ?? []) {
    const target = INCLUDES[type]?.[value];
    const element = elementOf(value.split(':')[1]);
    const ids = [...new Set(whole.map((r) => (isObject(r[element]) ? parseReference(r[element].reference) : null))
      .filter((ref): ref is { type: string; id: string } => ref?.type === target).map((ref) => ref.id))]
      .filter((id) => !seen.has(`${target}/${id}`));
    if (!ids.length) continue;
    if (target === 'Patient') add(await readFhirPatients(db, actor, ids, { include: value }));
    else add(await readStoredIncluded(db, actor, { type: target, ids, readableUnder: area }, 'include'));
  }

  for (const value of page.revinclude ?? []) {
    const [source, param] = value.split(':');
    if (INCLUDES[source]?.[value] !== type) continue;
    const ids = whole.map((r) => String(r.id));
    if (!ids.length) continue;
    const f: StoreFilter = { type: source, readableUnder: area };
    if (type === 'Patient') {
      // Only patients the caller may read: a patient shown by name and birth year only brings nothing.
      const readable = await readableSet(db, actor, ids);
      f.patientIds = ids.filter((id) => readable.has(id));
      if (!f.patientIds.length) continue;
    } else f.contains = [ids.map((id) => JSON.stringify({ [elementOf(param)]: { reference: `${type}/${id}` } }))];
    add(await readStoredIncluded(db, actor, f, 'revinclude'));
  }
  return out;
}
