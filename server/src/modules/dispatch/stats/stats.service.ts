// Response times of 108 and 102 (issue 12, part 6): per district and service, calls, how many the
// ambulance reached, call-to-dispatch, dispatch-to-scene, call-to-scene and call-to-hospital medians
// and 90th percentiles, the share reached within the state's target, trips per vehicle per day and
// vehicles off road now; a monthly series; the state's ranking of districts; the targets themselves.
// Definitions are in docs/ambulances.md, "Response times".
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { badRequest, forbidden } from '../../../platform/errors.js';
import { resolveOrgUnit } from '../../geo/geo.service.js';
import * as repo from './stats.repository.js';
import { DEFAULT_TARGETS, type Area, type Service, type UnitRow } from './stats.repository.js';

type Db = Kysely<Database>;

export const SERVICES: Service[] = ['108', '102'];
export const AREAS: Area[] = ['urban', 'rural'];
/** At most this many months in one request. */
export const MAX_MONTHS = 24;
const IST_MS = 330 * 60_000;

const round = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? null : Math.round(Number(v) * 10 ** d) / 10 ** d);

/** This month in IST, as YYYY-MM. */
export function monthIst(now = new Date(), back = 0): string {
  const d = new Date(now.getTime() + IST_MS);
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));
  return m.toISOString().slice(0, 7);
}

const monthNo = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
/** The start of a month (IST) as an instant. */
const monthStart = (n: number) => new Date(Date.UTC(Math.floor(n / 12), n % 12, 1) - IST_MS);

function checkMonth(field: string, value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw badRequest(`${field} ${JSON.stringify(value)} is not a month; use YYYY-MM, e.g. 2026-11`, `${field} ${JSON.stringify(value)} महीना नहीं है; YYYY-MM रूप में दें, जैसे 2026-11`, { field, value });
  }
  const year = Number(value.slice(0, 4));
  if (year < 2000 || year > 2999) throw badRequest(`${field} ${value} has year ${year}; use a year from 2000`, `${field} ${value} का वर्ष ${year} मान्य नहीं; 2000 के बाद का वर्ष दें`, { field, value });
  return value;
}

export interface Window { from: string; to: string; months: string[]; start: Date; end: Date }

/** Months from..to (IST), both YYYY-MM, at most MAX_MONTHS. */
export function parseMonths(from: string | undefined, to: string | undefined, defaultBack: number): Window {
  if (from !== undefined) checkMonth('from', from);
  const t = checkMonth('to', to ?? monthIst(new Date(), defaultBack === 0 ? 1 : 0));
  const f = checkMonth('from', from ?? monthOf(monthNo(t) - defaultBack));
  const n = monthNo(t) - monthNo(f) + 1;
  if (n < 1) throw badRequest(`from ${f} is after to ${t}; swap them`, `from ${f}, to ${t} के बाद है; दोनों को बदलें`, { field: 'from' });
  if (n > MAX_MONTHS) throw badRequest(`${f} to ${t} is ${n} months; ask for at most ${MAX_MONTHS}`, `${f} से ${t} तक ${n} महीने हैं; अधिकतम ${MAX_MONTHS} महीने चुनें`, { field: 'from' });
  return { from: f, to: t, months: Array.from({ length: n }, (_, i) => monthOf(monthNo(f) + i)), start: monthStart(monthNo(f)), end: monthStart(monthNo(t) + 1) };
}

function checkService(s: string | undefined): Service | undefined {
  if (s === undefined || s === '') return undefined;
  if (!SERVICES.includes(s as Service)) throw badRequest(`service must be 108 or 102, not ${JSON.stringify(s)}`, `service 108 या 102 हो, ${JSON.stringify(s)} नहीं`, { field: 'service' });
  return s as Service;
}

/** The path of the state a path lies in (`/IN/<state>/`), or null at the country level. */
function statePathOf(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? `/${parts[0]}/${parts[1]}/` : null;
}

async function district(db: Db, actor: Actor, ref: string) {
  const unit = await resolveOrgUnit(db, ref, ['district'], 'district');
  if (unit.level !== 'district') throw badRequest(`${unit.name} is not a district; give a district's LGD code`, `${unit.name} जिला नहीं है; जिले का LGD कोड दें`, { field: 'district' });
  requireScope(actor, unit.path, unit.name);
  return unit;
}

/**
 * The state a question is about: the one named (which must hold the caller's area or lie in it), else
 * the caller's own. District officers and dispatchers read their own state's ranking and targets.
 */
async function stateFor(db: Db, actor: Actor, ref: string | undefined) {
  if (ref) {
    const unit = await resolveOrgUnit(db, ref, ['state'], 'state');
    if (unit.level !== 'state') throw badRequest(`${unit.name} is not a state; give a state's LGD code`, `${unit.name} राज्य नहीं है; राज्य का LGD कोड दें`, { field: 'state' });
    if (!unit.path.startsWith(actor.orgPath) && !actor.orgPath.startsWith(unit.path)) throw forbidden(`${unit.name} is outside your area`, `${unit.name} आपके क्षेत्र से बाहर है`);
    return unit;
  }
  const path = statePathOf(actor.orgPath);
  if (!path) throw badRequest('Choose a state (its LGD code, e.g. state=6)', 'राज्य चुनें (उसका LGD कोड, जैसे state=6)', { field: 'state' });
  const id = path.split('/')[2];
  return resolveOrgUnit(db, id, ['state'], 'state');
}

const unitDto = (u: UnitRow | undefined, id: string) => ({ districtId: id, name: u?.name ?? id, nameHi: u?.name_hi ?? null, lgdCode: u?.lgd_code ?? null });

/** The targets in force for a district: its own, else its state's, else the default. */
function targetLookup(rows: repo.TargetRow[]) {
  return (stateId: string | null, districtId: string | null, service: Service, area: Area): number => {
    const own = districtId ? rows.find((r) => r.district_id === districtId && r.service === service && r.area === area) : undefined;
    const state = rows.find((r) => r.state_id === stateId && r.district_id === null && r.service === service && r.area === area);
    return (own ?? state)?.call_to_scene_minutes ?? DEFAULT_TARGETS[service][area];
  };
}

function measures(r: repo.FigureRow | undefined) {
  return {
    calls: r?.calls ?? 0,
    reached: r?.reached ?? 0,
    withinTarget: r?.within_target ?? 0,
    withinTargetShare: r && r.reached ? round(r.within_target / r.reached, 4) : null,
    callToDispatchP50: round(r?.to_dispatch_p50), callToDispatchP90: round(r?.to_dispatch_p90),
    dispatchToSceneP50: round(r?.dispatch_to_scene_p50), dispatchToSceneP90: round(r?.dispatch_to_scene_p90),
    callToSceneP50: round(r?.to_scene_p50), callToSceneP90: round(r?.to_scene_p90),
    callToHospitalP50: round(r?.to_hospital_p50), callToHospitalP90: round(r?.to_hospital_p90),
  };
}

function fleetMeasures(f: repo.FleetRow | undefined, days: number) {
  const vehicles = f?.vehicles ?? 0;
  return {
    vehicles, offRoadNow: f?.off_road ?? 0, trips: f?.trips ?? 0,
    tripsPerVehiclePerDay: vehicles && days ? round((f?.trips ?? 0) / (vehicles * days), 2) : null,
  };
}

/** Days of the window that have begun (a month not over yet counts up to today). */
const daysIn = (w: Window, now = Date.now()) => Math.max(0, Math.ceil((Math.min(w.end.getTime(), now) - w.start.getTime()) / 86_400_000));

export interface FiguresQuery { from?: string; to?: string; service?: string; district?: string; state?: string }

/** The area of a question: a district in the caller's area, a state (for the country's admin), or the caller's own. */
async function areaOf(db: Db, actor: Actor, q: { district?: string; state?: string }) {
  if (q.district) {
    const d = await district(db, actor, q.district);
    return { path: d.path, districtId: d.id };
  }
  if (q.state) {
    const s = await resolveOrgUnit(db, q.state, ['state'], 'state');
    requireScope(actor, s.path, s.name);
    return { path: s.path, districtId: undefined };
  }
  return { path: actor.orgPath, districtId: undefined };
}

export async function responseTimes(db: Db, actor: Actor, q: FiguresQuery) {
  requirePermission(actor, 'can_read_ambulances');
  const w = parseMonths(q.from, q.to, 0);
  const service = checkService(q.service);
  const area = await areaOf(db, actor, q);
  const filter = { start: w.start, end: w.end, areaPath: area.path, districtId: area.districtId, service };
  const [rows, fleet] = await Promise.all([repo.figures(db, filter, 'district'), repo.fleet(db, filter)]);
  const keys = new Map<string, { districtId: string; service: Service }>();
  for (const r of [...rows, ...fleet]) if (r.district_id) keys.set(`${r.district_id}|${r.service}`, { districtId: r.district_id, service: r.service });
  const units = new Map((await repo.unitsById(db, [...new Set([...keys.values()].map((k) => k.districtId))])).map((u) => [u.id, u]));
  const targets = targetLookup(await repo.targetsOfStates(db, [...new Set([...units.values()].map((u) => u.parent_id).filter((x): x is string => !!x))]));
  const days = daysIn(w);
  const districts = [...keys.values()].map(({ districtId, service: s }) => {
    const u = units.get(districtId);
    return {
      ...unitDto(u, districtId), service: s,
      targetUrbanMinutes: targets(u?.parent_id ?? null, districtId, s, 'urban'), targetRuralMinutes: targets(u?.parent_id ?? null, districtId, s, 'rural'),
      ...measures(rows.find((r) => r.district_id === districtId && r.service === s)),
      ...fleetMeasures(fleet.find((f) => f.district_id === districtId && f.service === s), days),
    };
  }).sort((a, b) => a.name.localeCompare(b.name) || a.service.localeCompare(b.service));
  const totals = (service ? [service] : SERVICES).map((s) => ({
    service: s, ...measures(rows.find((r) => r.district_id === null && r.service === s)), ...fleetMeasures(fleet.find((f) => f.district_id === null && f.service === s), days),
  }));
  return { from: w.from, to: w.to, days, service: service ?? null, districts, totals };
}

export async function monthlySeries(db: Db, actor: Actor, q: FiguresQuery) {
  requirePermission(actor, 'can_read_ambulances');
  const w = parseMonths(q.from, q.to, 11);
  const service = checkService(q.service);
  const area = await areaOf(db, actor, q);
  const rows = await repo.figures(db, { start: w.start, end: w.end, areaPath: area.path, districtId: area.districtId, service }, 'month');
  const series = (service ? [service] : SERVICES).map((s) => ({
    service: s,
    items: w.months.map((month) => ({ month, ...measures(rows.find((r) => r.month === month && r.service === s)) })),
  }));
  return { from: w.from, to: w.to, districtId: area.districtId ?? null, series };
}

export async function ranking(db: Db, actor: Actor, q: { month?: string; service?: string; state?: string }) {
  requirePermission(actor, 'can_read_ambulances');
  const month = checkMonth('month', q.month ?? monthIst(new Date(), 1));
  const w = parseMonths(month, month, 0);
  const service = checkService(q.service) ?? '108';
  const state = await stateFor(db, actor, q.state);
  const rows = await repo.figures(db, { start: w.start, end: w.end, areaPath: state.path, service }, 'district');
  const districts = await repo.districtsOf(db, state.id);
  const items = districts.map((d) => ({ ...unitDto(d, d.id), ...measures(rows.find((r) => r.district_id === d.id)) }))
    // Share within target (higher first), then the 90th percentile of call to scene (lower first); districts without calls last.
    .sort((a, b) => (b.withinTargetShare ?? -1) - (a.withinTargetShare ?? -1)
      || (a.callToSceneP90 ?? Infinity) - (b.callToSceneP90 ?? Infinity) || a.name.localeCompare(b.name))
    .map((x, i) => ({ rank: x.reached ? i + 1 : null, ...x }));
  return { month: w.from, service, state: { id: state.id, name: state.name, nameHi: state.name_hi, lgdCode: state.lgd_code }, items };
}

async function targetsView(db: Db, actor: Actor, state: { id: string; name: string; name_hi: string | null; lgd_code: number | null }) {
  const rows = await repo.targetsOfStates(db, [state.id]);
  const own = rows.filter((r) => r.district_id !== null);
  const units = new Map((await repo.unitsById(db, own.map((r) => r.district_id!))).map((u) => [u.id, u]));
  return {
    state: { id: state.id, name: state.name, nameHi: state.name_hi, lgdCode: state.lgd_code },
    canEdit: actor.permissions.has('can_manage_ambulance_targets'),
    items: SERVICES.flatMap((s) => AREAS.map((a) => {
      const set = rows.find((r) => r.district_id === null && r.service === s && r.area === a);
      return { service: s, area: a, callToSceneMinutes: set?.call_to_scene_minutes ?? DEFAULT_TARGETS[s][a], defaultMinutes: DEFAULT_TARGETS[s][a], source: set ? 'state' as const : 'default' as const };
    })),
    // Districts' own targets, those in the caller's area.
    districts: own.filter((r) => units.get(r.district_id!)?.path.startsWith(actor.orgPath) || actor.orgPath.startsWith(units.get(r.district_id!)?.path ?? '\0'))
      .map((r) => ({ ...unitDto(units.get(r.district_id!), r.district_id!), service: r.service, area: r.area, callToSceneMinutes: r.call_to_scene_minutes }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.service.localeCompare(b.service) || a.area.localeCompare(b.area)),
  };
}

export async function getTargets(db: Db, actor: Actor, q: { state?: string }) {
  requirePermission(actor, 'can_read_ambulances');
  return targetsView(db, actor, await stateFor(db, actor, q.state));
}

export interface TargetsInput { state?: string; district?: string; items: { service: Service; area: Area; callToSceneMinutes: number | null }[] }

/** Sets (or, with null, removes) the state's targets, or one district's own. */
export async function putTargets(db: Db, actor: Actor, input: TargetsInput) {
  requirePermission(actor, 'can_manage_ambulance_targets');
  const d = input.district ? await district(db, actor, input.district) : null;
  const state = d ? await resolveOrgUnit(db, d.parent_id!, ['state'], 'state') : await stateFor(db, actor, input.state);
  if (d && input.state && String(state.lgd_code) !== input.state.replace(/^state:/, '') && state.id !== input.state) {
    throw badRequest(`${d.name} is not in state ${input.state}`, `${d.name} राज्य ${input.state} में नहीं है`, { field: 'district' });
  }
  requireScope(actor, d ? d.path : state.path, d ? d.name : state.name);
  const seen = new Set<string>();
  input.items.forEach((it, i) => {
    const key = `${it.service}|${it.area}`;
    if (seen.has(key)) throw badRequest(`items[${i}] repeats ${it.service} ${it.area}; give each service and area once`, `items[${i}] में ${it.service} ${it.area} दोबारा है`, { field: `items.${i}` });
    seen.add(key);
    if (it.callToSceneMinutes !== null && (!Number.isInteger(it.callToSceneMinutes) || it.callToSceneMinutes < 1 || it.callToSceneMinutes > 240)) {
      throw badRequest(`A target is whole minutes from 1 to 240, not ${it.callToSceneMinutes}`, `लक्ष्य 1 से 240 तक पूरे मिनट हो, ${it.callToSceneMinutes} नहीं`, { field: `items.${i}.callToSceneMinutes` });
    }
  });
  const before = await repo.targetsOfStates(db, [state.id]);
  for (const it of input.items) {
    const row = { stateId: state.id, districtId: d?.id ?? null, service: it.service, area: it.area };
    if (it.callToSceneMinutes === null) await repo.deleteTarget(db, row);
    else await repo.upsertTarget(db, { ...row, minutes: it.callToSceneMinutes, userId: actor.userId });
  }
  await recordAudit(db, actor, {
    action: 'update', entity: 'dispatch_targets', entityId: d?.id ?? state.id, orgPath: d?.path ?? state.path,
    before: { targets: before.filter((r) => r.district_id === (d?.id ?? null)).map((r) => ({ service: r.service, area: r.area, minutes: r.call_to_scene_minutes })) },
    after: { targets: input.items },
  });
  return targetsView(db, actor, state);
}
