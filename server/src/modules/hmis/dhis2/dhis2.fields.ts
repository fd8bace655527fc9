/**
 * DHIS2's field filter (`fields=`), object filter (`filter=`), ordering and paging, applied to
 * DHIS2-shaped objects (see dhis2.metadata.export.ts), with DHIS2's semantics for the common forms:
 *  - `fields=id,name,code`; `*` and `:all` (every property); presets `:owner`, `:identifiable`,
 *    `:nameable`, `:simple`, `:persisted`; `!name` leaves a property out;
 *  - nested `dataSetElements[dataElement[id,name]]` (or with parentheses): a reference `{id}` asked
 *    for more than its id is looked up and shown with the fields asked for;
 *  - transformers `name~rename(label)`, `dataElements~size`, `dataElements~pluck` (ids) ;
 *  - `filter=property:operator:value`, dotted paths (`categoryCombo.id:eq:…`) matching any item of a
 *    list, joined by AND (or OR with `rootJunction=OR`).
 */
import { badRequest } from '../../../platform/errors.js';

export type Obj = Record<string, any>;
export interface Field { name: string; children?: Field[]; rename?: string; transform?: 'size' | 'pluck' | 'isEmpty' | 'isNotEmpty' }
export interface FieldSpec { include: Field[]; exclude: Set<string> }

/** Properties DHIS2 computes for display; shown by `*` but not part of what is imported (`:owner`). */
export const DISPLAY = new Set(['displayName', 'displayShortName', 'displayFormName', 'displayDescription']);
const IDENTIFIABLE = ['id', 'name', 'code', 'created', 'lastUpdated', 'lastUpdatedBy'];
const NAMEABLE = ['id', 'name', 'shortName', 'description', 'code', 'created', 'lastUpdated'];

const MAX_FIELDS_LENGTH = 4000;

/** Splits at top-level commas (outside brackets and parentheses). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '(' && depth >= 0) depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
    if (depth < 0) throw badFields(text, 'a closing bracket has no opening one');
  }
  if (depth !== 0) throw badFields(text, 'a bracket is not closed');
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

const badFields = (text: string, why: string) =>
  badRequest(`fields=${text.slice(0, 200)}: ${why}; write e.g. fields=id,name,dataSetElements[dataElement[id,name]]`,
    `fields=${text.slice(0, 200)}: ${why}; उदाहरण: fields=id,name,dataSetElements[dataElement[id,name]]`);

/** Parses one or more `fields` parameters (they add up, as in DHIS2). */
export function parseFields(values: string | string[] | undefined, fallback: string): FieldSpec {
  const texts = (values === undefined ? [] : Array.isArray(values) ? values : [values]).filter((v) => v.trim());
  const text = texts.length ? texts.join(',') : fallback;
  if (text.length > MAX_FIELDS_LENGTH) throw badFields(text, `longer than ${MAX_FIELDS_LENGTH} characters`);
  return parseList(text, 0);
}

function parseList(text: string, depth: number): FieldSpec {
  if (depth > 10) throw badFields(text, 'nested more than 10 levels');
  const spec: FieldSpec = { include: [], exclude: new Set() };
  for (const part of splitTop(text)) {
    if (part.startsWith('!')) { spec.exclude.add(part.slice(1)); continue; }
    const m = /^([^[(~]+?)\s*(?:[[(](.*)[\])])?\s*(?:~(rename|size|pluck|isEmpty|isNotEmpty)(?:\(([^)]*)\))?)?$/s.exec(part);
    if (!m) throw badFields(text, `"${part.slice(0, 60)}" is not a field`);
    const [, name, inner, transform, arg] = m;
    if (!/^(\*|:[A-Za-z]+|[A-Za-z][A-Za-z0-9_]*)$/.test(name)) throw badFields(text, `"${name.slice(0, 60)}" is not a field name`);
    const field: Field = { name };
    if (inner !== undefined) field.children = parseList(inner || 'id', depth + 1).include;
    if (transform === 'rename') {
      if (!arg || !/^[A-Za-z][A-Za-z0-9_]*$/.test(arg)) throw badFields(text, 'rename needs a name: field~rename(label)');
      field.rename = arg;
    } else if (transform) field.transform = transform as Field['transform'];
    spec.include.push(field);
  }
  return spec;
}

/** Expands presets into property names of this object. */
function namesFor(field: Field, o: Obj): string[] {
  switch (field.name) {
    case '*': case ':all': return Object.keys(o);
    case ':owner': case ':persisted': return Object.keys(o).filter((k) => !DISPLAY.has(k));
    case ':identifiable': return IDENTIFIABLE;
    case ':nameable': return NAMEABLE;
    case ':simple': return Object.keys(o).filter((k) => o[k] === null || typeof o[k] !== 'object');
    case ':id': return ['id'];
    default: return field.name.startsWith(':') ? [] : [field.name];
  }
}

const isRef = (v: unknown): v is { id: string } => !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Obj).id === 'string' && Object.keys(v as Obj).length === 1;

/**
 * The object with only the fields asked for. `lookup` finds an object by id so that a reference
 * can be shown with more than its id.
 */
export function pick(o: Obj, fields: Field[], exclude: ReadonlySet<string>, lookup: (id: string) => Obj | undefined): Obj {
  const out: Obj = {};
  for (const f of fields) {
    for (const name of namesFor(f, o)) {
      if (exclude.has(name) || !(name in o) || o[name] === undefined) continue;
      let value = o[name];
      if (f.children) value = nested(value, f.children, lookup);
      if (f.transform === 'size') value = Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : value == null ? 0 : 1;
      else if (f.transform === 'isEmpty') value = Array.isArray(value) ? value.length === 0 : value == null || value === '';
      else if (f.transform === 'isNotEmpty') value = !(Array.isArray(value) ? value.length === 0 : value == null || value === '');
      else if (f.transform === 'pluck') value = Array.isArray(value) ? value.map((v) => (v && typeof v === 'object' ? v.id : v)) : value?.id ?? value;
      out[f.rename ?? name] = value;
    }
  }
  return out;
}

function nested(value: unknown, children: Field[], lookup: (id: string) => Obj | undefined): unknown {
  const one = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const wantsMore = children.some((c) => c.name !== 'id');
    const full = isRef(v) && wantsMore ? lookup(v.id) ?? v : (v as Obj);
    return pick(full, children, new Set(), lookup);
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

// ---- filter= ----

export interface Filter { path: string[]; op: string; value: string }
const OPS = new Set(['eq', '!eq', 'ne', 'neq', 'ieq', 'like', '!like', 'ilike', '!ilike', '$like', '!$like', 'like$', '!like$', '$ilike', '!$ilike', 'ilike$', '!ilike$',
  'in', '!in', 'null', '!null', 'empty', '!empty', 'gt', 'ge', 'lt', 'le', 'token', '!token']);

export function parseFilters(values: string | string[] | undefined): Filter[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.filter((v) => v.trim()).map((text) => {
    const m = /^([A-Za-z][A-Za-z0-9_.]*):([!$A-Za-z]+\$?)(?::(.*))?$/s.exec(text);
    if (!m || !OPS.has(m[2])) {
      throw badRequest(`filter=${text.slice(0, 200)}: write property:operator:value, e.g. filter=code:eq:ANC1 or filter=name:ilike:malaria (operators: ${[...OPS].join(', ')})`,
        `filter=${text.slice(0, 200)}: property:operator:value लिखें, जैसे filter=code:eq:ANC1`);
    }
    const needsValue = !['null', '!null', 'empty', '!empty'].includes(m[2]);
    if (needsValue && m[3] === undefined) throw badRequest(`filter=${text.slice(0, 200)}: operator ${m[2]} needs a value`, `filter=${text.slice(0, 200)}: ${m[2]} के लिए मान चाहिए`);
    return { path: m[1].split('.'), op: m[2], value: m[3] ?? '' };
  });
}

/** The values at a dotted path; lists along the way are flattened (any item may match). */
function valuesAt(o: unknown, path: string[], lookup: (id: string) => Obj | undefined): unknown[] {
  let current: unknown[] = [o];
  for (const [i, key] of path.entries()) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || c === undefined) continue;
      let v: unknown = c;
      // A reference asked for a property other than id is looked up.
      if (isRef(v) && key !== 'id' && i > 0) v = lookup((v as Obj).id) ?? v;
      const got = (v as Obj)[key];
      if (Array.isArray(got)) next.push(...got);
      else next.push(got);
    }
    current = next;
  }
  return current;
}

function matchOne(v: unknown, f: Filter): boolean {
  const s = v === null || v === undefined ? null : typeof v === 'object' ? (v as Obj).id ?? null : String(v);
  const neg = f.op.startsWith('!');
  const op = neg ? f.op.slice(1) : f.op;
  const lower = (x: string) => x.toLowerCase();
  let hit: boolean;
  switch (op) {
    case 'eq': hit = s === f.value; break;
    case 'ne': case 'neq': return s !== f.value;
    case 'ieq': hit = s !== null && lower(s) === lower(f.value); break;
    case 'like': hit = s !== null && s.includes(f.value); break;
    case 'ilike': hit = s !== null && lower(s).includes(lower(f.value)); break;
    case '$like': hit = s !== null && s.startsWith(f.value); break;
    case '$ilike': hit = s !== null && lower(s).startsWith(lower(f.value)); break;
    case 'like$': hit = s !== null && s.endsWith(f.value); break;
    case 'ilike$': hit = s !== null && lower(s).endsWith(lower(f.value)); break;
    case 'in': hit = s !== null && f.value.replace(/^\[|\]$/g, '').split(',').includes(s); break;
    case 'null': hit = s === null; break;
    case 'empty': hit = s === null || s === ''; break;
    case 'token': hit = s !== null && f.value.toLowerCase().split(/\s+/).filter(Boolean).every((w) => lower(s).includes(w)); break;
    case 'gt': case 'ge': case 'lt': case 'le': {
      if (s === null) return false;
      const [a, b] = Number.isFinite(Number(s)) && Number.isFinite(Number(f.value)) ? [Number(s), Number(f.value)] : [s, f.value];
      hit = op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : a <= b;
      break;
    }
    default: hit = false;
  }
  return neg ? !hit : hit;
}

function matches(o: Obj, f: Filter, lookup: (id: string) => Obj | undefined): boolean {
  // DHIS2's `identifiable` stands for id, code and name together (`filter=identifiable:token:hisar`).
  if (f.path.length === 1 && f.path[0] === 'identifiable') return ['id', 'code', 'name'].some((k) => matches(o, { ...f, path: [k] }, lookup));
  const values = valuesAt(o, f.path, lookup);
  if (!values.length) values.push(undefined);
  const neg = f.op.startsWith('!') || f.op === 'ne' || f.op === 'neq';
  // Negated operators hold when no value matches the positive form; the rest when any value matches.
  return neg ? values.every((v) => matchOne(v, f)) : values.some((v) => matchOne(v, f));
}

export function applyFilters(list: Obj[], filters: Filter[], junction: 'AND' | 'OR', lookup: (id: string) => Obj | undefined): Obj[] {
  if (!filters.length) return list;
  return list.filter((o) => (junction === 'OR' ? filters.some((f) => matches(o, f, lookup)) : filters.every((f) => matches(o, f, lookup))));
}

// ---- order= ----

export function applyOrder(list: Obj[], order: string | string[] | undefined, fallback = 'name:asc'): Obj[] {
  const specs = (order === undefined ? [fallback] : Array.isArray(order) ? order : [order]).flatMap((o) => o.split(',')).filter(Boolean).map((o) => {
    const [prop, dir = 'asc'] = o.split(':');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prop) || !['asc', 'desc', 'iasc', 'idesc'].includes(dir)) {
      throw badRequest(`order=${o.slice(0, 100)}: write property:asc or property:desc, e.g. order=name:asc`, `order=${o.slice(0, 100)}: जैसे order=name:asc`);
    }
    return { prop, desc: dir.endsWith('desc'), ci: dir.startsWith('i') };
  });
  const key = (o: Obj, p: string, ci: boolean) => {
    const v = o[p];
    if (v === null || v === undefined) return '';
    return ci && typeof v === 'string' ? v.toLowerCase() : v;
  };
  return [...list].sort((a, b) => {
    for (const s of specs) {
      const x = key(a, s.prop, s.ci);
      const y = key(b, s.prop, s.ci);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en');
      if (c) return s.desc ? -c : c;
    }
    return String(a.id).localeCompare(String(b.id));
  });
}

// ---- paging ----

export interface Pager { page: number; pageCount: number; total: number; pageSize: number; nextPage?: string; prevPage?: string }

/** One page of `list` and DHIS2's pager; `url` makes nextPage and prevPage. */
export function paginate<T>(list: T[], page: number, pageSize: number, url: (page: number) => string): { items: T[]; pager: Pager } {
  const total = list.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const items = list.slice((page - 1) * pageSize, page * pageSize);
  const pager: Pager = { page, pageCount, total, pageSize };
  if (page < pageCount) pager.nextPage = url(page + 1);
  if (page > 1) pager.prevPage = url(Math.min(page - 1, pageCount));
  return { items, pager };
}

// ---- CSV (list endpoints) ----

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r;]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * DHIS2's CSV form of a list: one column per simple property asked for, and lists of references as
 * their ids joined by `;`; nested fields and single references are left out, as DHIS2 does.
 */
export function toCsv(list: Obj[], fields: FieldSpec, opts: { separator?: string; arraySeparator?: string; skipHeader?: boolean } = {}): string {
  const sep = opts.separator ?? ',';
  const arraySep = opts.arraySeparator ?? ';';
  const sample = list[0] ?? {};
  const columns: string[] = [];
  for (const f of fields.include) {
    if (f.children) continue;
    const names = f.name === '*' || f.name === ':all' ? ['id', 'displayName'] : namesFor(f, sample).length ? namesFor(f, sample) : [f.name];
    for (const n of names) if (!fields.exclude.has(n) && !columns.includes(n)) columns.push(n);
  }
  const usable = columns.filter((c) => list.every((o) => {
    const v = o[c];
    return v === null || v === undefined || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object' || isRef(x)));
  }));
  const cell = (v: unknown) => {
    if (Array.isArray(v)) return csvCell(v.map((x) => (x && typeof x === 'object' ? x.id : x)).join(arraySep));
    return csvCell(v);
  };
  const lines = list.map((o) => usable.map((c) => cell(o[c])).join(sep));
  if (!opts.skipHeader) lines.unshift(usable.join(sep));
  return `${lines.join('\n')}\n`;
}
