// Telemedicine counts for officers: consultations by day, hub, spoke, specialty, district and state
// with waiting-time percentiles and no-show rates; doctors' utilisation; the national ranking of
// states. Definitions (also in docs/telemedicine.md, "Counts and ranking"):
// - a request is counted on its `day` (the IST date it joined the queue);
// - consultation: a request the doctor started (in consultation or completed);
// - waiting time: called_at − queued_at, in minutes, over requests a doctor called;
// - no-show rate: no_show / (completed + no_show);
// - utilisation: minutes in consultation (started → ended) / minutes online (tele_duty_log).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { REF_STATES } from '../geo/geo.reference.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { SPECIALTIES, isSpecialty } from './telemedicine.specialties.js';
import * as repo from './telemedicine.stats.repository.js';
import type { StatsBy, Window } from './telemedicine.stats.repository.js';
import { loadFacility } from './telemedicine.network.js';

type Db = Kysely<Database>;

export const STATS_BY: StatsBy[] = ['day', 'hub', 'spoke', 'specialty', 'district', 'state'];
export const MAX_DAYS = 366;
const DAY_MS = 86_400_000;
const IST_MS = 330 * 60_000;

const round = (v: number | null, d: number) => (v === null || v === undefined ? null : Math.round(v * 10 ** d) / 10 ** d);
const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const isoDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

function checkDate(field: string, value: string | undefined): string {
  if (!value) throw badRequest(`${field} is required; give a date as YYYY-MM-DD`, `${field} आवश्यक है; तिथि YYYY-MM-DD रूप में दें`, { field });
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!ok) throw badRequest(`${field} ${value} is not a date; use YYYY-MM-DD, e.g. 2025-11-01`, `${field} ${value} सही तिथि नहीं है; YYYY-MM-DD रूप में दें, जैसे 2025-11-01`, { field, value });
  const year = Number(value.slice(0, 4));
  if (year < 2000 || year > 2999) throw badRequest(`${field} ${value} has year ${year}; use a year from 2000`, `${field} ${value} का वर्ष ${year} मान्य नहीं; 2000 के बाद का वर्ष दें`, { field, value });
  return value;
}

/** The period of a query: both dates valid, from ≤ to, at most 366 days. */
export function parseWindow(from: string | undefined, to: string | undefined): Window {
  const f = checkDate('from', from), t = checkDate('to', to);
  const days = dayNo(t) - dayNo(f) + 1;
  if (days < 1) throw badRequest(`from ${f} is after to ${t}; swap them`, `from ${f}, to ${t} के बाद है; दोनों को बदलें`, { field: 'from' });
  if (days > MAX_DAYS) throw badRequest(`The period ${f} to ${t} has ${days} days; ask for at most ${MAX_DAYS}`, `अवधि ${f} से ${t} में ${days} दिन हैं; अधिकतम ${MAX_DAYS} दिन चुनें`, { field: 'to' });
  return { from: f, to: t, start: new Date(dayNo(f) * DAY_MS - IST_MS), end: new Date((dayNo(t) + 1) * DAY_MS - IST_MS) };
}

/** The area of a query: the actor's own, or a unit named in it (which must lie in their area). */
async function areaPath(db: Db, actor: Actor, orgUnit: string | undefined): Promise<string> {
  if (!orgUnit) return actor.orgPath;
  const unit = await resolveOrgUnit(db, orgUnit, undefined, 'orgUnit');
  requireScope(actor, unit.path, unit.name);
  return unit.path;
}

export interface StatsQuery { from?: string; to?: string; by?: string; orgUnit?: string }

export interface StatsItem {
  key: string;
  name: string;
  nameHi: string | null;
  /** Org unit of a hub, spoke, district or state row, for maps and links. */
  orgUnitId: string | null;
  lgdCode: number | null;
  requests: number;
  consultations: number;
  completed: number;
  noShows: number;
  noShowRate: number | null;
  waitP50Minutes: number | null;
  waitP90Minutes: number | null;
  waitP95Minutes: number | null;
}

function measures(r: repo.StatsRow) {
  const decided = r.completed + r.no_shows;
  return {
    requests: r.requests,
    consultations: r.consultations,
    completed: r.completed,
    noShows: r.no_shows,
    noShowRate: decided ? round(r.no_shows / decided, 4) : null,
    waitP50Minutes: round(r.wait_p50, 1),
    waitP90Minutes: round(r.wait_p90, 1),
    waitP95Minutes: round(r.wait_p95, 1),
  };
}

const EMPTY: repo.StatsRow = { key: null, requests: 0, consultations: 0, completed: 0, no_shows: 0, waits: 0, wait_p50: null, wait_p90: null, wait_p95: null };

const UNKNOWN: Record<StatsBy, [string, string]> = {
  day: ['', ''],
  hub: ['Unknown hub', 'अज्ञात हब'],
  spoke: ['From home (no spoke)', 'घर से (बिना स्पोक)'],
  specialty: ['', ''],
  district: ['District not recorded', 'ज़िला दर्ज नहीं'],
  state: ['State not recorded', 'राज्य दर्ज नहीं'],
};

/** Names of the groups: facilities, districts and states from the hierarchy, specialties from their list. */
async function namesFor(db: Db, by: StatsBy, keys: string[]): Promise<Map<string, { name: string; nameHi: string | null; orgUnitId: string | null; lgdCode: number | null }>> {
  const out = new Map<string, { name: string; nameHi: string | null; orgUnitId: string | null; lgdCode: number | null }>();
  if (by === 'day') for (const k of keys) out.set(k, { name: k, nameHi: k, orgUnitId: null, lgdCode: null });
  if (by === 'specialty') {
    for (const k of keys) out.set(k, isSpecialty(k) ? { name: SPECIALTIES[k].en, nameHi: SPECIALTIES[k].hi, orgUnitId: null, lgdCode: null } : { name: k, nameHi: null, orgUnitId: null, lgdCode: null });
  }
  const units = by === 'hub' || by === 'spoke' ? await repo.unitsById(db, keys)
    : by === 'district' || by === 'state' ? await repo.unitsByLgd(db, by, keys.map(Number).filter(Number.isInteger)) : [];
  for (const u of units) out.set(u.key, { name: u.name, nameHi: u.name_hi, orgUnitId: u.id, lgdCode: u.lgd_code });
  return out;
}

/** Consultations and waiting times grouped one way, for requests whose hub or spoke lies in the area. */
export async function teleStats(db: Db, actor: Actor, q: StatsQuery) {
  requirePermission(actor, 'can_read_telemedicine');
  const w = parseWindow(q.from, q.to);
  const by = (q.by ?? 'day') as StatsBy;
  if (!STATS_BY.includes(by)) throw badRequest(`by must be one of ${STATS_BY.join(', ')}`, `by इनमें से एक हो: ${STATS_BY.join(', ')}`, { field: 'by' });
  const path = await areaPath(db, actor, q.orgUnit);
  const { rows, total } = await repo.requestStats(db, path, w, by);
  const names = await namesFor(db, by, rows.map((r) => r.key).filter((k): k is string => k !== null));
  let items: StatsItem[] = rows.map((r) => {
    const n = r.key === null ? null : names.get(r.key);
    const [en, hi] = UNKNOWN[by];
    return {
      key: r.key ?? 'none',
      name: n?.name ?? (r.key === null ? en : r.key),
      nameHi: n?.nameHi ?? (r.key === null ? hi : null),
      orgUnitId: n?.orgUnitId ?? null,
      lgdCode: n?.lgdCode ?? null,
      ...measures(r),
    };
  });
  if (by === 'day') {
    // Every day of the period, in order, days without requests as zeros (a chart needs them).
    const have = new Map(items.map((i) => [i.key, i]));
    items = [];
    for (let n = dayNo(w.from); n <= dayNo(w.to); n++) {
      const key = isoDay(n);
      items.push(have.get(key) ?? { key, name: key, nameHi: key, orgUnitId: null, lgdCode: null, ...measures({ ...EMPTY, key }) });
    }
  } else {
    items.sort((a, b) => b.consultations - a.consultations || b.requests - a.requests || a.name.localeCompare(b.name));
  }
  return { from: w.from, to: w.to, by, rows: items, total: { key: 'total', ...measures(total ?? EMPTY) } };
}

export interface UtilisationQuery { from?: string; to?: string; hubId?: string; orgUnit?: string }

/**
 * Doctors' time online and in consultation. Officers and hub managers see every doctor of the hubs in
 * their area; a doctor who does not manage the network sees only their own figures.
 */
export async function teleUtilisation(db: Db, actor: Actor, q: UtilisationQuery) {
  requirePermission(actor, 'can_read_telemedicine');
  const w = parseWindow(q.from, q.to);
  let path = await areaPath(db, actor, q.orgUnit);
  if (q.hubId) {
    const hub = await loadFacility(db, q.hubId, 'hubId');
    requireScope(actor, hub.path, hub.name);
    path = hub.path;
  }
  const onlySelf = actor.permissions.has('can_consult') && !actor.permissions.has('can_manage_telemedicine');
  const rows = await repo.utilisation(db, path, w, { userId: onlySelf ? actor.userId : undefined });
  const items = rows.map((r) => ({
    doctorId: r.user_id,
    name: r.name,
    nameHi: r.name_hi,
    hubId: r.hub_id,
    hubName: r.hub_name,
    hubNameHi: r.hub_name_hi,
    specialties: r.specialties,
    onlineMinutes: round(r.online_minutes, 1)!,
    consultingMinutes: round(r.consulting_minutes, 1)!,
    utilisation: r.online_minutes > 0 ? round(r.consulting_minutes / r.online_minutes, 4) : null,
    consultations: r.consultations,
  }));
  const online = rows.reduce((s, r) => s + r.online_minutes, 0);
  const consulting = rows.reduce((s, r) => s + r.consulting_minutes, 0);
  return {
    from: w.from, to: w.to, items,
    total: { onlineMinutes: round(online, 1)!, consultingMinutes: round(consulting, 1)!, utilisation: online > 0 ? round(consulting / online, 4) : null, consultations: rows.reduce((s, r) => s + r.consultations, 0) },
  };
}

const STATE_BY_LGD = new Map(REF_STATES.map((s) => [s.lgd, s]));

/**
 * States ranked by national consultations over the period (summed from tele_state_counts), with each
 * state's share of the total. Beside each state: consultations recorded in Swasthya itself for
 * requests in the caller's area (null where Swasthya has none), so a state sees its own figure
 * against the one the national portal publishes.
 */
export async function teleRanking(db: Db, actor: Actor, q: { from?: string; to?: string }) {
  requirePermission(actor, 'can_read_telemedicine');
  const w = parseWindow(q.from, q.to);
  const national = await repo.nationalCounts(db, w);
  const own = await repo.ownByState(db, actor.orgPath, w);
  const ownBy = new Map(own.filter((o) => o.state_lgd !== null).map((o) => [o.state_lgd!, o.consultations]));
  const total = national.rows.reduce((s, r) => s + r.consultations, 0);
  const items = national.rows.map((r) => ({
    rank: r.rank,
    stateLgd: r.state_lgd,
    name: STATE_BY_LGD.get(r.state_lgd)?.name ?? r.state_name,
    nameHi: STATE_BY_LGD.get(r.state_lgd)?.hi ?? null,
    consultations: r.consultations,
    share: total ? round(r.consultations / total, 4) : null,
    days: r.days,
    ownConsultations: ownBy.get(r.state_lgd) ?? null,
  }));
  return {
    from: w.from, to: w.to, total, days: national.days, latestDay: national.latest, sources: national.sources, items,
    own: own.filter((o) => o.state_lgd !== null).map((o) => ({
      stateLgd: o.state_lgd!, name: STATE_BY_LGD.get(o.state_lgd!)?.name ?? String(o.state_lgd), nameHi: STATE_BY_LGD.get(o.state_lgd!)?.hi ?? null, consultations: o.consultations,
    })).sort((a, b) => b.consultations - a.consultations),
  };
}

export interface StateCount { stateLgd: number; day: string; consultations: number; stateName?: string }

/**
 * Loads national consultation counts by state and day (as the national portal publishes them). Every
 * row is checked first (known LGD state code, date, whole non-negative count); then a state's count
 * for a day already held is replaced. Returns how many rows were stored.
 */
export async function loadTeleStateCounts(db: Db, counts: StateCount[], source: string): Promise<number> {
  if (!source.trim()) throw badRequest('Say where the counts come from (source)', 'आँकड़ों का स्रोत बताएँ (source)', { field: 'source' });
  const rows = counts.map((c, i) => {
    const state = STATE_BY_LGD.get(c.stateLgd);
    if (!state) throw badRequest(`Row ${i + 1}: ${c.stateLgd} is not the LGD code of a state or union territory`, `पंक्ति ${i + 1}: ${c.stateLgd} किसी राज्य का LGD कोड नहीं है`, { row: i + 1, field: 'stateLgd' });
    try { checkDate('day', c.day); } catch {
      throw badRequest(`Row ${i + 1}: day ${c.day} is not a date; use YYYY-MM-DD`, `पंक्ति ${i + 1}: दिन ${c.day} सही तिथि नहीं है; YYYY-MM-DD दें`, { row: i + 1, field: 'day' });
    }
    if (!Number.isInteger(c.consultations) || c.consultations < 0) {
      throw badRequest(`Row ${i + 1}: consultations ${c.consultations} must be a whole number, 0 or more`, `पंक्ति ${i + 1}: परामर्श ${c.consultations} शून्य या उससे अधिक पूर्ण संख्या हो`, { row: i + 1, field: 'consultations' });
    }
    return { state_lgd: c.stateLgd, state_name: c.stateName?.trim() || state.name, day: c.day, consultations: c.consultations, source: source.trim() };
  });
  await repo.upsertStateCounts(db, rows);
  return rows.length;
}
