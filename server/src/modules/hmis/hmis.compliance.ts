import { sql, type Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { isTimely, parsePeriod, periodsWithin, type Period } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { Lookup, type DataSetInfo } from './hmis.lookup.js';

type Db = Kysely<Database>;

export interface ExpectedUnit {
  id: string; name: string; nameHi: string | null; path: string; type: string | null; ownership: string | null; phone: string | null; email: string | null;
  address: string | null; district: string | null; districtName: string | null; districtNameHi: string | null; block: string | null; blockName: string | null; blockNameHi: string | null;
  opened_on: string | null; closed_on: string | null;
}

export interface ComplianceScope { ds: DataSetInfo; area: OrgUnitRow; period: Period; periods: Period[]; units: ExpectedUnit[] }

/** The data set, area and period asked about, checked, with the units expected to report. */
export async function complianceScope(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }): Promise<ComplianceScope> {
  requirePermission(actor, 'can_read_data');
  const lookup = await Lookup.load(db);
  const ds = lookup.dataSet(q.dataSet, 'UID');
  if (!ds) throw notFound(`No data set has id or code ${q.dataSet}`, `डेटा सेट ${q.dataSet} नहीं मिला`);
  const period = parsePeriod(q.period);
  const periods = period.type === ds.periodType ? [period] : periodsWithin(period, ds.periodType as Period['type']);
  if (!periods.length) throw badRequest(`Period ${period.id} holds no ${ds.periodType} period of data set ${ds.code ?? ds.id}`, `अवधि ${period.id} में इस डेटा सेट की कोई अवधि नहीं है`, { field: 'period' });
  const area = await resolveOrgUnit(db, q.orgUnit);
  requireScope(actor, area.path, area.name);
  const types = (await db.selectFrom('hmis_data_sets').select('facility_types').where('id', '=', ds.id).executeTakeFirstOrThrow()).facility_types;
  const units = await sql<ExpectedUnit>`
    select o.id, o.name, o.name_hi as "nameHi", o.path, f.type, f.ownership, f.phone, f.email, f.address, o.opened_on, o.closed_on,
           d.id as district, d.name as "districtName", d.name_hi as "districtNameHi", b.id as block, b.name as "blockName", b.name_hi as "blockNameHi"
    from org_units o
    left join facilities f on f.id = o.id
    left join org_units d on d.id = split_part(o.path, '/', 4) and d.level = 'district'
    left join org_units b on b.id = split_part(o.path, '/', 5) and b.level = 'block'
    where o.path like ${`${area.path}%`}
      and (o.id in (select org_unit_id from hmis_data_set_org_units where data_set_id = ${ds.id})
           or (o.level = 'facility' and f.portal_status = 'registered' and f.type = any(${types}::text[])))
    order by o.name`.execute(db);
  return { ds, area, period, periods, units: units.rows };
}

const openIn = (u: ExpectedUnit, p: Period) => (!u.opened_on || u.opened_on <= p.endDate) && (!u.closed_on || u.closed_on >= p.startDate);

export interface Completion { org_unit_id: string; period: string; completed_at: Date }

export async function completions(db: Db, s: ComplianceScope): Promise<Completion[]> {
  return db.selectFrom('hmis_complete_registrations').select(['org_unit_id', 'period', 'completed_at'])
    .where('data_set_id', '=', s.ds.id).where('period', 'in', s.periods.map((p) => p.id)).where('ou_path', 'like', `${s.area.path}%`).execute();
}

type Counts = { expected: number; actual: number; actualOnTime: number; rate: number; rateOnTime: number };
const rates = (expected: number, actual: number, onTime: number): Counts => ({
  expected, actual, actualOnTime: onTime,
  rate: expected ? Math.round((actual / expected) * 10000) / 100 : 0,
  rateOnTime: expected ? Math.round((onTime / expected) * 10000) / 100 : 0,
});

/**
 * DHIS2's reporting rates: expected = units assigned and open in each period × periods; actual =
 * completed returns of those units; on time = completed before the end of day timelyDays after the
 * period, in IST. `by` breaks the figures down by district, block, facility type or ownership.
 */
export async function reportingRates(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string; by?: string }) {
  const s = await complianceScope(db, actor, q);
  const done = await completions(db, s);
  const periodById = new Map(s.periods.map((p) => [p.id, p]));
  const doneBy = new Map(done.map((c) => [`${c.org_unit_id}|${c.period}`, c]));
  const groups = new Map<string, { key: string; name: string; expected: number; actual: number; onTime: number }>();
  const keyOf = (u: ExpectedUnit): [string, string] => {
    switch (q.by) {
      case 'district': return [u.district ?? 'none', u.districtName ?? '—'];
      case 'block': return [u.block ?? 'none', u.blockName ?? '—'];
      case 'type': return [u.type ?? 'OTHER', u.type ?? 'OTHER'];
      case 'ownership': return [u.ownership ?? 'unknown', u.ownership ?? 'unknown'];
      case 'facility': return [u.id, u.name];
      default: return ['all', s.area.name];
    }
  };
  let expected = 0, actual = 0, onTime = 0;
  for (const u of s.units) {
    const [key, name] = keyOf(u);
    const g = groups.get(key) ?? { key, name, expected: 0, actual: 0, onTime: 0 };
    for (const p of s.periods) {
      if (!openIn(u, p)) continue;
      g.expected++; expected++;
      const c = doneBy.get(`${u.id}|${p.id}`);
      if (!c) continue;
      g.actual++; actual++;
      if (isTimely(periodById.get(p.id)!, s.ds.timelyDays, c.completed_at)) { g.onTime++; onTime++; }
    }
    groups.set(key, g);
  }
  return {
    dataSet: s.ds.id, period: s.period.id, orgUnit: { id: s.area.id, name: s.area.name, level: s.area.level },
    ...rates(expected, actual, onTime),
    ...(q.by ? { by: q.by, rows: [...groups.values()].map((g) => ({ key: g.key, name: g.name, ...rates(g.expected, g.actual, g.onTime) })).sort((a, b) => a.name.localeCompare(b.name)) } : {}),
  };
}

/** Units expected to report that have no completed return for the period, with how to reach them. */
export async function defaulters(db: Db, actor: Actor, q: { dataSet: string; period: string; orgUnit: string }) {
  const s = await complianceScope(db, actor, q);
  const done = new Set((await completions(db, s)).map((c) => `${c.org_unit_id}|${c.period}`));
  const items = s.units.flatMap((u) => s.periods.filter((p) => openIn(u, p) && !done.has(`${u.id}|${p.id}`)).map((p) => ({
    id: u.id, name: u.name, nameHi: u.nameHi, type: u.type, ownership: u.ownership, period: p.id, phone: u.phone, email: u.email, address: u.address,
    district: u.district ? { id: u.district, name: u.districtName } : null, block: u.block ? { id: u.block, name: u.blockName } : null,
  })));
  return { dataSet: s.ds.id, period: s.period.id, orgUnit: { id: s.area.id, name: s.area.name }, total: items.length, items };
}
