// Timeliness: for claims of claim months from..to, per block of a district (or of the caller's area),
// how many were made, how many are paid, and the days from the claim's submission to its payment
// (median and 90th percentile). The chart on the web draws these.
import { sql } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { actingArea, monthAdd, requireAny, type Db } from './asha.service.js';

export async function timeliness(db: Db, actor: Actor, q: { district?: string; from?: string; to?: string }) {
  requireAny(actor, ['can_manage_asha', 'can_pay_asha', 'can_approve_asha_claims']);
  let area = await actingArea(db, actor);
  if (q.district) {
    const d = await resolveOrgUnit(db, q.district, ['district'], 'district');
    if (d.level !== 'district') throw badRequest(`${q.district} is not a district; give its LGD code`, `${q.district} ज़िला नहीं है`, { field: 'district' });
    if (!d.path.startsWith(area) && !area.startsWith(d.path)) throw forbidden(`District ${d.name} is outside your area`, `ज़िला ${d.name} आपके क्षेत्र से बाहर है`);
    if (d.path.length > area.length) area = d.path;
  }
  const to = q.to ?? todayIst().slice(0, 7);
  const from = q.from ?? monthAdd(to, -11);
  if (from > to) throw badRequest('from must not be after to', 'from, to के बाद नहीं हो सकता', { field: 'from' });
  const like = `${area.replace(/[\\%_]/g, '\\$&')}%`;
  const { rows } = await sql<{ id: string; name: string; claims: number; paid: number; median: number | null; p90: number | null }>`
    select b.id, b.name, count(c.id)::int as claims, count(c.paid_on)::int as paid,
      percentile_cont(0.5) within group (order by (c.paid_on - (c.submitted_at at time zone 'Asia/Kolkata')::date)) filter (where c.paid_on is not null) as median,
      percentile_cont(0.9) within group (order by (c.paid_on - (c.submitted_at at time zone 'Asia/Kolkata')::date)) filter (where c.paid_on is not null) as p90
    from org_units b
    left join asha_claims c on c.block_id = b.id and c.claim_month between ${from} and ${to} and c.status <> 'rejected'
    where b.level = 'block' and (b.path like ${like} or ${area} like b.path || '%')
    group by b.id, b.name order by b.name`.execute(db);
  return {
    blocks: rows.map((r) => ({
      block: { id: r.id, name: r.name }, claims: Number(r.claims), paid: Number(r.paid),
      medianDaysToPay: r.median == null ? null : Number(r.median), p90DaysToPay: r.p90 == null ? null : Number(r.p90),
    })),
  };
}
