/**
 * Conditional create: `If-None-Exist: identifier=system|value` on POST /fhir/<type>, and
 * `entry.request.ifNoneExist` in transaction bundles. The condition is a search of the type (any search
 * parameter the type takes): no match creates (201), one match answers that resource (200) and creates
 * nothing, more than one is 412.
 *
 * Parallel identical requests must not both create. Inside the write's transaction, before searching,
 * the request takes PostgreSQL advisory locks keyed by the condition: one per identifier value named
 * (whatever its system, so `identifier=x` and `identifier=s|x` wait for each other), else one for the
 * whole condition. A second request waits until the first commits, then its search sees what the first
 * made and answers it with 200.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import { searchParamNames } from './fhir.capability.js';
import { FhirError, invalid } from './fhir.outcome.js';
import { searchFhirPatients } from './fhir.patient.search.js';
import * as repo from './fhir.repository.js';
import type { Query } from './fhir.search.js';
import { searchStored } from './fhir.search.store.js';
import { PRIVACY, PRIVACY_HI } from './fhir.store.js';
import type { FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;

/**
 * The search an If-None-Exist header (or a bundle entry's ifNoneExist) names, as a query. A leading
 * `?` or `<type>?` is allowed. 400 when it is empty or names a parameter the type's search does not take
 * (a condition this server would ignore could create a duplicate).
 */
export function conditionOf(type: string, text: string, at = 'If-None-Exist'): Query {
  const query = text.trim().replace(new RegExp(`^(?:${type})?\\?`), '');
  const params = new URLSearchParams(query);
  const q: Query = {};
  for (const [k, v] of params) {
    if (!v.trim()) continue;
    const had = q[k];
    q[k] = had === undefined ? v : [had, v].flat();
  }
  const names = Object.keys(q);
  if (!names.length) throw invalid(`${at} must be a search such as identifier=<system>|<value>, not ${JSON.stringify(text)}`, at, `${at} में खोज दें, जैसे identifier=<system>|<value>`);
  const takes = new Set(searchParamNames(type));
  const unknown = names.filter((n) => !takes.has(n));
  if (unknown.length) {
    throw invalid(`${at}: a ${type} search here does not take ${unknown.join(', ')}; use ${[...takes].join(', ')}`, at,
      `${at}: ${type} खोज में ${unknown.join(', ')} समर्थित नहीं है`, 'not-supported');
  }
  return q;
}

/** The advisory lock keys of a condition: each identifier value named, else the whole condition. */
function lockKeysOf(type: string, q: Query): string[] {
  const ids = [q.identifier ?? []].flat().flatMap((v) => String(v).split(','))
    .map((t) => t.slice(t.lastIndexOf('|') + 1).replace(/[\s-]/g, '').toLowerCase()).filter(Boolean);
  if (ids.length) return ids.map((v) => `fhir:${type}:identifier:${v}`);
  return [`fhir:${type}:${Object.keys(q).sort().map((k) => `${k}=${[q[k]].flat().join('&')}`).join('&')}`];
}

/** Locks a resource's identifier values (for matching Organizations and Practitioners in bundles). */
export async function lockIdentifiers(db: Db, type: string, identifiers: { value: string }[]) {
  if (identifiers.length) await repo.lockKeys(db, identifiers.map((i) => `fhir:${type}:identifier:${i.value.replace(/[\s-]/g, '').toLowerCase()}`));
}

/**
 * What a condition finds, inside the write's transaction and holding its locks until commit: null when
 * nothing matches (create), the one match, or 412 when several do. A match that is a patient the caller
 * may not read is 403, as a read of it would be.
 */
export async function existingMatch(db: Db, actor: Actor, type: string, q: Query, at = 'If-None-Exist'): Promise<FhirResource | null> {
  await repo.lockKeys(db, lockKeysOf(type, q));
  const page = { count: 2, offset: 0 };
  const found = type === 'Patient' ? await searchFhirPatients(db, actor, q, page) : await searchStored(db, actor, type, q, page);
  const n = found.total ?? found.entries.length + (found.more ? 1 : 0);
  if (n === 0 || !found.entries.length) return null;
  if (n > 1 || found.entries.length > 1) {
    throw new FhirError(412, 'duplicate', { en: `${at} matches ${n > 2 ? n : 'more than one'} ${type}s; make the condition select one (an identifier with its system)`, hi: `${at} एक से अधिक ${type} से मेल खाता है; शर्त ऐसी दें जो एक ही चुने` }, [at]);
  }
  const match = found.entries[0].resource;
  const meta = match.meta as { security?: { code?: string }[] } | undefined;
  if (meta?.security?.some((s) => s.code === 'REDACTED')) throw forbidden(PRIVACY, PRIVACY_HI);
  return match;
}

/** The condition of a request's If-None-Exist header, if it has one. */
export function ifNoneExistOf(header: unknown, type: string): Query | undefined {
  return typeof header === 'string' && header.trim() ? conditionOf(type, header) : undefined;
}

/**
 * Runs a create under its If-None-Exist condition (inside the transaction): the existing match when
 * there is one (nothing is created), else what `create` makes.
 */
export async function createUnless<T>(db: Db, actor: Actor, type: string, condition: Query | undefined, create: () => Promise<T>): Promise<{ existing: FhirResource } | { created: T }> {
  const existing = condition ? await existingMatch(db, actor, type, condition) : null;
  return existing ? { existing } : { created: await create() };
}
