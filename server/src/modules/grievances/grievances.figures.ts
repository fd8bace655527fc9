// Figures: for officers in their area (volume by type, status, source, district and facility;
// first response and resolution against the deadlines; ageing of open tickets; facilities with
// repeated complaints), and for everyone an aggregate by district and month with no names and no text.
import { sql } from 'kysely';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { actorRank } from './grievances.rules.js';
import type { FiguresQueryT, PublicFiguresQueryT } from './grievances.schema.js';
import type { Db } from './grievances.service.js';

const count = sql<number>`count(*)::int`;
/** Facilities with at least this many complaints in the period are listed as repeated. */
export const REPEATED = 3;

/** The months [from, to] as instants (IST month starts), the default the last twelve months. */
export function period(from?: string, to?: string, now = new Date()) {
  const ist = new Date(now.getTime() + 330 * 60_000);
  const thisMonth = `${ist.getUTCFullYear()}${String(ist.getUTCMonth() + 1).padStart(2, '0')}`;
  const back = new Date(Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth() - 11, 1));
  const f = from ?? `${back.getUTCFullYear()}${String(back.getUTCMonth() + 1).padStart(2, '0')}`;
  const t = to ?? thisMonth;
  const start = (m: string) => {
    const y = Number(m.slice(0, 4));
    const mo = Number(m.slice(4, 6));
    if (mo < 1 || mo > 12) throw badRequest(`${m} is not a month; use YYYYMM`, `${m} महीना नहीं है; YYYYMM लिखें`, { field: 'from' });
    return new Date(Date.UTC(y, mo - 1, 1) - 330 * 60_000);
  };
  const s = start(f);
  start(t);
  // The first instant (IST) of the month after `to`.
  const end = new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(4, 6)), 1) - 330 * 60_000);
  if (end <= s) throw badRequest('from must not be after to', 'from, to के बाद नहीं हो सकता', { field: 'from' });
  return { from: f, to: t, start: s, end };
}

export async function figures(db: Db, actor: Actor, q: FiguresQueryT, now = new Date()) {
  requirePermission(actor, 'can_read_grievances');
  const p = period(q.from, q.to, now);
  let districtId: string | undefined;
  if (q.district) {
    const d = await resolveOrgUnit(db, q.district, ['district'], 'district');
    if (!d.path.startsWith(actor.orgPath) && !actor.orgPath.startsWith(d.path)) throw forbidden(`District ${d.name} is outside your area`, `ज़िला ${d.name} आपके क्षेत्र से बाहर है`);
    districtId = d.id;
  }
  const area = () => {
    let b = db.selectFrom('grievances as g').where('g.org_path', 'like', `${actor.orgPath}%`);
    if (actorRank(actor) < 1) b = b.where('g.level', '=', 'facility');
    if (districtId) b = b.where('g.district_id', '=', districtId);
    return b;
  };
  const base = () => area().where('g.created_at', '>=', p.start).where('g.created_at', '<', p.end);
  const [total, byType, byStatus, bySource, byDistrict, byFacility, response, resolution, ageing] = await Promise.all([
    base().select(count.as('count')).executeTakeFirstOrThrow(),
    base().select(['g.type', count.as('count')]).groupBy('g.type').orderBy('count', 'desc').execute(),
    base().select(['g.status', count.as('count')]).groupBy('g.status').orderBy('count', 'desc').execute(),
    base().select(['g.source', count.as('count')]).groupBy('g.source').orderBy('count', 'desc').execute(),
    base().innerJoin('org_units as d', 'd.id', 'g.district_id').select(['g.district_id', 'd.name', count.as('count')]).groupBy(['g.district_id', 'd.name']).orderBy('count', 'desc').execute(),
    base().innerJoin('org_units as f', 'f.id', 'g.facility_id')
      .select(['g.facility_id', 'f.name', count.as('count'), sql<string[]>`array_agg(distinct g.type)`.as('types')])
      .groupBy(['g.facility_id', 'f.name']).orderBy('count', 'desc').orderBy('f.name').limit(100).execute(),
    base().select([
      sql<number>`count(g.first_responded_at)::int`.as('responded'),
      sql<number>`(count(*) filter (where g.first_responded_at <= g.first_response_due))::int`.as('within'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (g.first_responded_at - g.created_at)) / 3600.0)`.as('median'),
    ]).executeTakeFirstOrThrow(),
    base().select([
      sql<number>`count(g.resolved_at)::int`.as('resolved'),
      sql<number>`(count(*) filter (where g.resolved_at <= g.resolution_due))::int`.as('within'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (g.resolved_at - g.created_at)) / 86400.0)`.as('median'),
    ]).executeTakeFirstOrThrow(),
    // Open tickets now, however old (not limited to the period).
    area().where('g.status', 'not in', ['resolved', 'closed'])
      .select([sql<string>`case when ${now}::timestamptz - g.created_at <= interval '7 days' then '0-7'
        when ${now}::timestamptz - g.created_at <= interval '21 days' then '8-21'
        when ${now}::timestamptz - g.created_at <= interval '30 days' then '22-30'
        when ${now}::timestamptz - g.created_at <= interval '60 days' then '31-60' else '61+' end`.as('bucket'), count.as('count')])
      .groupBy('bucket').execute(),
  ]);
  const round = (x: number | null, digits: number) => (x == null ? null : Math.round(Number(x) * 10 ** digits) / 10 ** digits);
  const buckets = ['0-7', '8-21', '22-30', '31-60', '61+'];
  return {
    from: p.from, to: p.to, total: total.count,
    byType: byType.map((r) => ({ type: r.type, count: r.count })),
    byStatus: byStatus.map((r) => ({ status: r.status, count: r.count })),
    bySource: bySource.map((r) => ({ source: r.source, count: r.count })),
    byDistrict: byDistrict.map((r) => ({ districtId: r.district_id, districtName: r.name, count: r.count })),
    byFacility: byFacility.map((r) => ({ facilityId: r.facility_id!, facilityName: r.name, count: r.count })),
    firstResponse: { responded: response.responded, withinDeadline: response.within, medianHours: round(response.median, 1) },
    resolution: { resolved: resolution.resolved, withinDeadline: resolution.within, medianDays: round(resolution.median, 1) },
    ageing: buckets.map((b) => ({ bucket: b, count: ageing.find((a) => a.bucket === b)?.count ?? 0 })),
    repeated: byFacility.filter((r) => r.count >= REPEATED).map((r) => ({ facilityId: r.facility_id!, facilityName: r.name, count: r.count, types: [...(r.types ?? [])].sort() })),
  };
}

/** Counts by district and month for the public page: no names of people, no text, no facilities. */
export async function publicFigures(db: Db, q: PublicFiguresQueryT, now = new Date()) {
  const p = period(q.from, q.to, now);
  const lgd = (v: string | undefined, field: string) => {
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v)) throw badRequest(`${field} is an LGD code (digits)`, `${field} LGD कोड (अंक) होना चाहिए`, { field });
    return Number(v);
  };
  const state = lgd(q.state, 'state');
  const district = lgd(q.district, 'district');
  const month = sql<string>`to_char(g.created_at at time zone 'Asia/Kolkata', 'YYYYMM')`;
  const base = () => {
    let b = db.selectFrom('grievances as g').innerJoin('org_units as d', 'd.id', 'g.district_id')
      .where('g.created_at', '>=', p.start).where('g.created_at', '<', p.end);
    if (state !== undefined) b = b.where('g.state_lgd', '=', state);
    if (district !== undefined) b = b.where('d.lgd_code', '=', district);
    return b;
  };
  const [rows, types] = await Promise.all([
    base().select(['d.id', 'd.lgd_code', 'd.name', 'd.name_hi', month.as('month'), count.as('filed'),
      sql<number>`(count(*) filter (where g.resolved_at is not null))::int`.as('resolved'),
      sql<number>`(count(*) filter (where g.resolved_at <= g.resolution_due))::int`.as('within'),
      sql<number>`(count(*) filter (where g.status not in ('resolved', 'closed')))::int`.as('open')])
      .groupBy(['d.id', 'd.lgd_code', 'd.name', 'd.name_hi', month]).orderBy('month').orderBy('d.name').execute(),
    base().select(['d.id', month.as('month'), 'g.type', count.as('n')]).groupBy(['d.id', month, 'g.type']).execute(),
  ]);
  return {
    from: p.from, to: p.to,
    items: rows.map((r) => ({
      districtLgd: r.lgd_code, districtName: r.name, districtNameHi: r.name_hi, month: r.month,
      filed: r.filed, resolved: r.resolved, resolvedWithinDeadline: r.within, open: r.open,
      byType: Object.fromEntries(types.filter((t) => t.id === r.id && t.month === r.month).map((t) => [t.type, t.n])),
    })),
  };
}
