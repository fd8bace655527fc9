/**
 * Search plumbing shared by every resource type: `_count`/`_offset` paging, `_summary=count`, `_total`,
 * `_sort`, `_include`/`_revinclude` (the values this server applies), reading query parameters
 * (repeated ones included) and the `searchset` Bundle with self, next and previous links.
 */
import type { FastifyRequest } from 'fastify';
import { uid } from '../../platform/ids.js';
import { includesOf, revIncludesOf, searchParamNames, sortKeysOf } from './fhir.capability.js';
import { invalid } from './fhir.outcome.js';
import { baseUrl } from './fhir.http.js';
import type { FhirResource } from './fhir.types.js';

/** A search query as Fastify parses it: repeated parameters come as arrays. */
export type Query = Record<string, string | string[] | undefined>;
/** A sort key: a search parameter (or _lastUpdated, _id), descending when written with a leading `-`. */
export interface SortKey { key: string; desc: boolean }
/**
 * One page of a search and how it is answered: `total` none skips counting; `sort` (empty: the type's
 * own order), `include`/`revinclude` as Type:param values this server follows; `applied` the result
 * parameters' values as applied, for the links.
 */
export interface Page {
  count: number;
  offset: number;
  total?: 'none' | 'estimate' | 'accurate';
  sort?: SortKey[];
  include?: string[];
  revinclude?: string[];
  applied?: Record<string, string[]>;
}

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
/** Result parameters whose values are checked one by one: what is not applied is left out. */
const CHECKED = ['_summary', '_total', '_sort', '_include', '_revinclude'];
const usedBy = (type: string) => new Set([...searchParamNames(type), ...RESULT_PARAMS]);

/** Splits every value of a parameter at commas. */
const parts = (q: Query, name: string) => values(q, name).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);

/**
 * The result parameters of a search of `type` as this server applies them, and what it does not
 * apply (as name=value). `_summary=count` is a page of no entries with the total; `_summary=false` is
 * the default; `_total` none skips counting (estimate counts as accurate does).
 */
function resultParams(q: Query, type: string) {
  const applied: Record<string, string[]> = {};
  const unused: string[] = [];
  const take = (name: string, value: string, ok: boolean) => {
    if (ok) (applied[name] ??= []).push(value);
    else unused.push(`${name}=${value}`);
  };
  for (const v of parts(q, '_summary')) take('_summary', v, v === 'count' || v === 'false');
  for (const v of parts(q, '_total')) take('_total', v, ['none', 'estimate', 'accurate'].includes(v));
  const sortable = sortKeysOf(type);
  for (const v of parts(q, '_sort')) take('_sort', v, sortable.includes(v.replace(/^-/, '')));
  const includes = includesOf(type);
  for (const v of values(q, '_include')) take('_include', v, includes.includes(v));
  const revincludes = revIncludesOf(type);
  for (const v of values(q, '_revinclude')) take('_revinclude', v, revincludes.includes(v));
  // One answer per question: a repeated _summary or _total keeps its first value.
  for (const name of ['_summary', '_total']) {
    for (const extra of applied[name]?.splice(1) ?? []) unused.push(`${name}=${extra}`);
  }
  if (applied._sort) applied._sort = [applied._sort.join(',')];
  return { applied, unused };
}

/**
 * The page of a search of `type`. Parameters it does not apply (unknown names, modifiers, sort keys
 * and include values it does not take) are ignored, unless the client sends `Prefer: handling=strict`:
 * then 400 naming each of them.
 */
export function searchPage(request: FastifyRequest, type: string): Page {
  const q = (request.query ?? {}) as Query;
  const { applied, unused } = resultParams(q, type);
  if (/\bhandling\s*=\s*strict\b/i.test(String(request.headers.prefer ?? ''))) {
    const used = usedBy(type);
    // In the order of the query: unknown names, and the values of result parameters not applied.
    const refused = Object.keys(q).flatMap((k) => (CHECKED.includes(k) ? unused.filter((u) => u.startsWith(`${k}=`)) : used.has(k) ? [] : [k]));
    if (refused.length) {
      const names = [...new Set(refused.map((u) => u.replace(/=.*$/, '')))];
      throw invalid(`This server does not support ${refused.join(', ')} on a ${type} search; see /fhir/metadata (without Prefer: handling=strict such parameters are ignored)`,
        names, `${type} खोज में ${refused.join(', ')} समर्थित नहीं है; /fhir/metadata देखें`, 'not-supported');
    }
  }
  const page = pageOf(q);
  const summaryCount = applied._summary?.[0] === 'count';
  const total = summaryCount ? 'accurate' : (applied._total?.[0] as Page['total']) ?? 'accurate';
  const sort = (applied._sort?.[0] ?? '').split(',').filter(Boolean).map((k) => ({ key: k.replace(/^-/, ''), desc: k.startsWith('-') }));
  return {
    count: summaryCount ? 0 : page.count, offset: page.offset, total, sort,
    include: applied._include ?? [], revinclude: applied._revinclude ?? [], applied,
  };
}

/** An entry of a search result: the resource, `match` or `include`. */
export interface SearchEntry { resource: FhirResource; mode?: 'match' | 'include' }

/**
 * A `searchset` Bundle for one page, with a self link and, when there are more or earlier results,
 * next and previous links that repeat the query with another `_offset` (what paging clients follow).
 * The links carry only the parameters the search applied (FHIR: the self link says what was used).
 */
export function searchset(request: FastifyRequest, type: string, page: Page, entries: SearchEntry[], more: boolean, total?: number) {
  if (page.total === 'none') total = undefined;
  const base = baseUrl(request);
  const query = (request.query ?? {}) as Query;
  const used = usedBy(type);
  const link = (offset: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === '_offset' || k === '_count' || v === undefined || !used.has(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
    }
    for (const [k, vs] of Object.entries(page.applied ?? {})) for (const v of vs) params.append(k, v);
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
