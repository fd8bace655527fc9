import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, OrgUnitLevel } from '../../db/types.js';

type Db = Kysely<Database>;

/** Sum and count of the numeric values of one element and option combo, in one month, org unit row and group. */
export interface SumRow { de: string; coc: string; period: string; ou: string; by: string; sum: number; count: number; last: Date | null }

export type By = 'ownership' | 'type' | undefined;

export interface SumQuery {
  elementIds: string[];
  months: string[];
  /** Path of the org unit asked about, e.g. '/c/s/d/'. */
  path: string;
  unitId: string;
  unitLevel: OrgUnitLevel;
  /** Level of the rows' org unit. */
  level: OrgUnitLevel;
  by: By;
}

/** Position of each level's id in a materialised path '/country/state/district/block/…' (split_part). */
const DEPTH: Partial<Record<OrgUnitLevel, number>> = { country: 2, state: 3, district: 4, block: 5 };

/** Whether the aggregate answers the query: rows at state or district level over a country, state or district. */
export function aggregateAnswers(q: Pick<SumQuery, 'unitLevel' | 'level'>): boolean {
  const agg: OrgUnitLevel[] = ['country', 'state', 'district'];
  return agg.includes(q.unitLevel) && agg.includes(q.level);
}

/**
 * Monthly sums from the aggregate hmis_agg_district_month, kept current by every write: a few rows
 * per element, month and district (one per ownership and facility type), however many facilities lie beneath.
 */
export async function sumsFromAggregate(db: Db, q: SumQuery): Promise<SumRow[]> {
  const key = q.level === q.unitLevel ? sql`${q.unitId}::text` : q.level === 'state' ? sql.ref('g.state_id') : sql.ref('g.district_id');
  const area = q.unitLevel === 'country' ? sql`true` : q.unitLevel === 'state' ? sql`g.state_id = ${q.unitId}` : sql`g.district_id = ${q.unitId}`;
  // Rows at a lower level than the unit asked about hold only units of that level (values entered
  // on a state unit itself belong to the state, not to any district).
  const levelOnly = q.level === q.unitLevel ? sql`true`
    : sql`${key} in (select u.id from org_units u where u.level = ${q.level} and u.path like ${`${q.path}%`})`;
  const by = q.by === 'ownership' ? sql.ref('g.ownership') : q.by === 'type' ? sql.ref('g.facility_type') : sql`''`;
  // Grouped here, to the rows' level and the split asked for: a state's districts hold a row per
  // ownership and facility type, five times what the answer needs, and the server adds up in C.
  const { rows } = await sql<SumRow>`
    select g.data_element_id as de, g.coc_id as coc, g.period, ${key} as ou, ${by} as by,
           sum(g.value_sum) as sum, sum(g.value_count)::int as count, max(g.updated_at) as last
    from hmis_agg_district_month g
    where g.data_element_id = any(${q.elementIds}::text[]) and g.period = any(${q.months}::text[]) and ${area} and ${levelOnly} and g.value_count > 0
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

/** Monthly sums straight from the data values under the unit (block and facility rows, or a unit below district). */
export async function sumsFromValues(db: Db, q: SumQuery): Promise<SumRow[]> {
  let key: RawBuilder<unknown>;
  let join = sql``;
  if (q.level === q.unitLevel) key = sql`${q.unitId}::text`;
  else if (q.level === 'facility') {
    key = sql.ref('v.org_unit_id');
    join = sql`join org_units u on u.id = v.org_unit_id and u.level = 'facility'`;
  } else {
    key = sql`split_part(v.ou_path, '/', ${DEPTH[q.level] ?? 0})`;
    join = sql`join org_units u on u.id = split_part(v.ou_path, '/', ${DEPTH[q.level] ?? 0}) and u.level = ${q.level}`;
  }
  const by = q.by === 'ownership' ? sql`coalesce(f.ownership, '')` : q.by === 'type' ? sql`coalesce(f.type, '')` : sql`''`;
  const facilities = q.by ? sql`left join facilities f on f.id = v.org_unit_id` : sql``;
  const { rows } = await sql<SumRow>`
    select v.data_element_id as de, v.coc_id as coc, v.period, ${key} as ou, ${by} as by,
           sum(v.num_value::numeric) as sum, count(v.num_value)::int as count, max(v.updated_at) as last
    from hmis_data_values v ${join} ${facilities}
    where v.ou_path like ${`${q.path}%`} and v.data_element_id = any(${q.elementIds}::text[]) and v.period = any(${q.months}::text[])
      and v.period_type = 'Monthly' and v.num_value is not null
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

export interface MetaRow { id: string; code: string | null; name: string; translations: unknown }
export interface CocMetaRow extends MetaRow { combo_id: string }
export interface IndicatorRow extends MetaRow { numerator: string; denominator: string; factor: number }

/** Data elements and option combos whose id or code is one of `refs`, and indicators likewise, with their type's factor. */
export async function loadMetadata(db: Db, refs: { elements: string[]; cocs: string[]; indicators: string[] }) {
  const none = Promise.resolve([]);
  const [elements, cocs, indicators] = await Promise.all([
    refs.elements.length ? db.selectFrom('hmis_data_elements').select(['id', 'code', 'name', 'translations'])
      .where((eb) => eb.or([eb('id', 'in', refs.elements), eb('code', 'in', refs.elements)])).execute() as Promise<MetaRow[]> : none,
    refs.cocs.length ? db.selectFrom('hmis_category_option_combos').select(['id', 'code', 'name', 'translations', 'combo_id'])
      .where((eb) => eb.or([eb('id', 'in', refs.cocs), eb('code', 'in', refs.cocs)])).execute() as Promise<CocMetaRow[]> : none,
    refs.indicators.length ? db.selectFrom('hmis_indicators as i').innerJoin('hmis_indicator_types as t', 't.id', 'i.indicator_type_id')
      .select(['i.id', 'i.code', 'i.name', 'i.translations', 'i.numerator', 'i.denominator', 't.factor'])
      .where((eb) => eb.or([eb('i.id', 'in', refs.indicators), eb('i.code', 'in', refs.indicators)])).execute() as Promise<IndicatorRow[]> : none,
  ]);
  return { elements, cocs, indicators };
}

export async function unitsAt(db: Db, path: string, level: OrgUnitLevel) {
  return db.selectFrom('org_units').select(['id', 'code', 'name', 'name_hi']).where('path', 'like', `${path}%`).where('level', '=', level).orderBy('name').execute();
}

export async function unitsById(db: Db, ids: string[]) {
  return ids.length ? db.selectFrom('org_units').select(['id', 'code', 'name', 'name_hi']).where('id', 'in', ids).execute() : [];
}
