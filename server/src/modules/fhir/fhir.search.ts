/**
 * Search plumbing shared by every resource type: `_count`/`_offset` paging, reading query parameters
 * (repeated ones included) and the `searchset` Bundle with self, next and previous links.
 */
import type { FastifyRequest } from 'fastify';
import { uid } from '../../platform/ids.js';
import { searchParamNames } from './fhir.capability.js';
import { invalid } from './fhir.outcome.js';
import { baseUrl } from './fhir.http.js';
import type { FhirResource } from './fhir.types.js';

/** A search query as Fastify parses it: repeated parameters come as arrays. */
export type Query = Record<string, string | string[] | undefined>;
/** One page of a search. */
export interface Page { count: number; offset: number }

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;
export const MAX_OFFSET = 10_000;

/** Every value given for a parameter, comma-separated values not split (FHIR ORs them within one value). */
export function values(q: Query, name: string): string[] {
  const v = q[name];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => String(s).trim()).filter(Boolean);
}

/** The one value of a parameter; 400 when it is repeated, since this server does not AND repeats of it. */
export function single(q: Query, name: string): string | undefined {
  const all = values(q, name);
  if (all.length > 1) throw invalid(`Give ${name} once; this server does not combine repeated ${name} parameters`, name);
  return all[0];
}

function integer(q: Query, name: string, min: number, max: number, fallback: number): number {
  const text = single(q, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw invalid(`${name} must be a whole number, not ${JSON.stringify(text)}`, name, `${name} पूर्ण संख्या होनी चाहिए`);
  return Math.min(Math.max(Number(text), min), max);
}

/** `_count` (0–100, default 20; 0 asks for the total only) and `_offset` (0–10000) of a search. */
export function pageOf(q: Query): Page {
  return { count: integer(q, '_count', 0, MAX_COUNT, DEFAULT_COUNT), offset: integer(q, '_offset', 0, MAX_OFFSET, 0) };
}

/** Parameters every search takes besides its type's own search parameters. */
const RESULT_PARAMS = ['_count', '_offset', '_format'];
const usedBy = (type: string) => new Set([...searchParamNames(type), ...RESULT_PARAMS]);

/**
 * The page of a search of `type`. Parameters it does not apply (_sort, _include, modifiers, unknown
 * names) are ignored, unless the client sends `Prefer: handling=strict`: then 400 naming each of them.
 */
export function searchPage(request: FastifyRequest, type: string): Page {
  const q = (request.query ?? {}) as Query;
  if (/\bhandling\s*=\s*strict\b/i.test(String(request.headers.prefer ?? ''))) {
    const used = usedBy(type);
    const unused = Object.keys(q).filter((k) => !used.has(k));
    if (unused.length) {
      throw invalid(`This server does not support ${unused.join(', ')} on a ${type} search; see /fhir/metadata (without Prefer: handling=strict such parameters are ignored)`,
        unused, `${type} खोज में ${unused.join(', ')} समर्थित नहीं है; /fhir/metadata देखें`, 'not-supported');
    }
  }
  return pageOf(q);
}

/** An entry of a search result: the resource, `match` or `include`. */
export interface SearchEntry { resource: FhirResource; mode?: 'match' | 'include' }

/**
 * A `searchset` Bundle for one page, with a self link and, when there are more or earlier results,
 * next and previous links that repeat the query with another `_offset` (what paging clients follow).
 * The links carry only the parameters the search applied (FHIR: the self link says what was used).
 */
export function searchset(request: FastifyRequest, type: string, page: Page, entries: SearchEntry[], more: boolean, total?: number) {
  const base = baseUrl(request);
  const query = (request.query ?? {}) as Query;
  const used = usedBy(type);
  const link = (offset: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === '_offset' || k === '_count' || v === undefined || !used.has(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
    }
    params.set('_count', String(page.count));
    params.set('_offset', String(offset));
    return `${base}/${type}?${params.toString()}`;
  };
  const links = [{ relation: 'self', url: link(page.offset) }];
  if (more && page.count > 0) links.push({ relation: 'next', url: link(page.offset + page.count) });
  if (page.offset > 0 && page.count > 0) links.push({ relation: 'previous', url: link(Math.max(0, page.offset - page.count)) });
  return {
    resourceType: 'Bundle',
    id: uid(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: links,
    entry: entries.map((e) => ({
      fullUrl: `${base}/${e.resource.resourceType}/${e.resource.id}`,
      resource: e.resource,
      search: { mode: e.mode ?? 'match' },
    })),
  };
}
