/**
 * DHIS2's metadata API over Swasthya's metadata: `GET /api/metadata` (every type, or those asked
 * for, each with its own `fields`/`filter`/`order`) and the per-type list and object endpoints,
 * with DHIS2's defaults: `:owner` for the metadata export, `id,displayName` for lists, `*` for one
 * object; lists are paged (`page`, `pageSize`, `paging=false`) with DHIS2's `pager`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { requirePermission, type Actor } from '../../../platform/actor.js';
import { notFound } from '../../../platform/errors.js';
import { DEFAULTS } from '../hmis.metadata.types.js';
import { applyFilters, applyOrder, paginate, parseFields, parseFilters, pick, toCsv, type Obj, type Pager } from './dhis2.fields.js';
import { EXPORT_TYPES, isExportType, loadMetadataSet, type ExportType } from './dhis2.metadata.export.js';
import { metadataSystem } from './dhis2.system.js';

type Db = Kysely<Database>;
type Query = Record<string, string | string[] | undefined>;

const DEFAULT_IDS = new Set<string>(Object.values(DEFAULTS));
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const truthy = (v: string | string[] | undefined) => v !== undefined && ['true', ''].includes(String(first(v)).toLowerCase());

/** Which types `GET /api/metadata` exports: those named `=true` (or with their own fields/filter/order), else all. */
export function selectedTypes(q: Query): Set<ExportType> {
  const named = new Set<ExportType>();
  for (const [key, value] of Object.entries(q)) {
    const [type, part] = key.split(':');
    if (!isExportType(type)) continue;
    if (part ? ['fields', 'filter', 'order'].includes(part) : truthy(value)) named.add(type);
  }
  return named.size ? named : new Set(EXPORT_TYPES.filter((t) => q[t] === undefined || truthy(q[t])));
}

export async function exportMetadata(db: Db, actor: Actor, q: Query) {
  requirePermission(actor, 'can_read_metadata');
  const types = selectedTypes(q);
  const set = await loadMetadataSet(db, actor, types, locale(q));
  const excludeDefaults = String(first(q.defaults) ?? '').toUpperCase() === 'EXCLUDE';
  const out: Record<string, unknown> = { system: metadataSystem() };
  for (const type of EXPORT_TYPES) {
    let list = set.objects[type];
    if (!list) continue;
    if (excludeDefaults) list = list.filter((o) => !DEFAULT_IDS.has(o.id));
    list = applyFilters(list, parseFilters(q[`${type}:filter`] ?? q.filter), rootJunction(q), set.lookup);
    if (q[`${type}:order`] ?? q.order) list = applyOrder(list, q[`${type}:order`] ?? q.order);
    const fields = parseFields(q[`${type}:fields`] ?? q.fields, ':owner');
    out[type] = list.map((o) => pick(o, fields.include, fields.exclude, set.lookup));
  }
  return out;
}

const locale = (q: Query) => {
  const l = first(q.locale);
  return l && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(l) ? l : undefined;
};
const rootJunction = (q: Query) => (String(first(q.rootJunction) ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND');

export interface ListOptions { page?: number; pageSize?: number; paging?: boolean; url: (page: number) => string }

/** A DHIS2 list: `{ pager, <type>: [...] }`, or without the pager when `paging=false`. */
export async function listObjects(db: Db, actor: Actor, type: ExportType, q: Query, opts: ListOptions): Promise<Obj> {
  const { list, fields, lookup } = await filtered(db, actor, type, q, 'id,displayName');
  const shaped = (items: Obj[]) => items.map((o) => pick(o, fields.include, fields.exclude, lookup));
  if (opts.paging === false) return { [type]: shaped(list) };
  const { items, pager } = paginate(list, opts.page ?? 1, opts.pageSize ?? 50, opts.url);
  return { pager, [type]: shaped(items) } as { pager: Pager } & Obj;
}

/** DHIS2's CSV of a list (all of it unless paged explicitly). */
export async function listCsv(db: Db, actor: Actor, type: ExportType, q: Query, opts: ListOptions & { separator?: string; arraySeparator?: string; skipHeader?: boolean }): Promise<string> {
  const { list, fields } = await filtered(db, actor, type, q, '*');
  const items = opts.paging === true || opts.page !== undefined || opts.pageSize !== undefined ? paginate(list, opts.page ?? 1, opts.pageSize ?? 50, opts.url).items : list;
  return toCsv(items, fields, opts);
}

async function filtered(db: Db, actor: Actor, type: ExportType, q: Query, defaultFields: string) {
  requirePermission(actor, 'can_read_metadata');
  const fields = parseFields(q.fields, defaultFields);
  const filters = parseFilters(q.filter);
  // Org units also take DHIS2's level= and query= (name contains, or code or id is).
  const level = first(q.level);
  if (type === 'organisationUnits' && level !== undefined) filters.push({ path: ['level'], op: 'eq', value: String(level) });
  const set = await loadMetadataSet(db, actor, new Set([type]), locale(q));
  let objects = set.objects[type] ?? [];
  const search = first(q.query)?.toLowerCase();
  if (type === 'organisationUnits' && search) objects = objects.filter((o) => o.id === first(q.query) || o.code === first(q.query) || String(o.name).toLowerCase().includes(search));
  const list = applyOrder(applyFilters(objects, filters, rootJunction(q), set.lookup), q.order, type === 'organisationUnits' ? 'level:asc,name:asc' : 'name:asc');
  return { list, fields, lookup: set.lookup };
}

/**
 * One object by id, with `fields` (`*` by default); org units only in the caller's area. For an org
 * unit, DHIS2's `includeChildren=true` / `includeDescendants=true` answer `{organisationUnits: [it,
 * its children or all below it]}`.
 */
export async function getObject(db: Db, actor: Actor, type: ExportType, id: string, q: Query): Promise<Obj> {
  requirePermission(actor, 'can_read_metadata');
  const fields = parseFields(q.fields, '*');
  const set = await loadMetadataSet(db, actor, new Set([type]), locale(q));
  const list = set.objects[type] ?? [];
  const hit = list.find((o) => o.id === id);
  if (!hit) throw notFound(`${type}: no object with id ${id.slice(0, 60)}${type === 'organisationUnits' ? ' in your area' : ''}`, `${type}: आईडी ${id.slice(0, 60)} वाला कोई ऑब्जेक्ट नहीं मिला`);
  const shape = (o: Obj) => pick(o, fields.include, fields.exclude, set.lookup);
  if (type === 'organisationUnits' && (truthy(q.includeChildren) || truthy(q.includeDescendants))) {
    const below = truthy(q.includeDescendants)
      ? list.filter((o) => o !== hit && String(o.path).startsWith(`${hit.path}/`))
      : list.filter((o) => o.parent?.id === hit.id);
    return { organisationUnits: [hit, ...below].map(shape) };
  }
  return shape(hit);
}
