import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, fieldErrors, type FieldProblem } from '../../platform/errors.js';
import { nextPeriod, parsePeriod, periodOfType, previousPeriod, todayIst, tryParsePeriod, type Period } from '../../platform/periods.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { DISEASES, FORM_NAMES, FORMS, diseaseByCode, type Disease, type Form } from './surveillance.diseases.js';
import * as repo from './surveillance.repository.js';
import type { AreaWeekInput, BurdenInput, ReportInput, TrendsInput } from './surveillance.schema.js';

type Db = Kysely<Database>;

/** Past years a week is compared with. */
export const BASELINE_YEARS = 3;
/** A statistical alert needs at least this many cases in the district that week. */
export const MIN_STATISTICAL_CASES = 5;
const STAT_RULE = `mean + 2 SD of the same week ±1 in the previous ${BASELINE_YEARS} years, with at least ${MIN_STATISTICAL_CASES} cases`;
const STAT_RULE_HI = `पिछले ${BASELINE_YEARS} वर्षों के उसी सप्ताह ±1 का औसत + 2 मानक विचलन, कम से कम ${MIN_STATISTICAL_CASES} मामले`;

// ---------------------------------------------------------------- arguments
const r2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Mean and sample standard deviation (n − 1), as in the historical-limits method. */
export function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.length ? sum(xs) / xs.length : 0;
  const sd = xs.length > 1 ? Math.sqrt(sum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1)) : 0;
  return { mean, sd };
}

function fail(field: string, en: string, hi: string): never {
  throw badRequest(`${field}: ${en}`, `${field}: ${hi}`, { field, fields: [{ field, message: en, messageHi: hi }] });
}

/** An IDSP week (DHIS2 Weekly, Monday–Sunday); other period types are refused by name. */
export function weekArg(text: string, field = 'week'): Period {
  const p = parsePeriod(text, field);
  if (p.type !== 'Weekly') {
    fail(field, `${p.id} is a ${p.type} period; give an IDSP week (Monday to Sunday) as YYYYWn, e.g. 2024W47`,
      `${p.id} एक ${p.type} अवधि है; IDSP सप्ताह (सोमवार से रविवार) YYYYWn के रूप में दें, जैसे 2024W47`);
  }
  return p;
}

/** The last complete week: what IDSP reports on by default. */
export const lastCompleteWeek = (): Period => previousPeriod(periodOfType('Weekly', todayIst()));

/** The week with the same number `yearsBack` years earlier (W53 falls back to W52). */
export function sameWeek(p: Period, yearsBack: number): Period {
  const [, y, n] = /^(\d{4})W(\d{1,2})$/.exec(p.id)!;
  return tryParsePeriod(`${+y - yearsBack}W${n}`) ?? parsePeriod(`${+y - yearsBack}W52`);
}

function diseaseArg(code: string, field = 'disease'): Disease {
  const d = diseaseByCode(code);
  if (d) return d;
  const t = code.trim().toLowerCase();
  const like = t.length >= 3 ? DISEASES.filter((x) => x.code.toLowerCase().includes(t) || x.name.toLowerCase().includes(t)).map((x) => x.code).slice(0, 5) : [];
  const hint = like.length ? `; did you mean ${like.join(' or ')}?` : '; see GET /api/surveillance/diseases, e.g. P_ADD';
  const hintHi = like.length ? `; क्या आपका मतलब ${like.join(' या ')} था?` : '; GET /api/surveillance/diseases देखें, जैसे P_ADD';
  fail(field, `${code} is not a disease or syndrome code${hint}`, `${code} कोई रोग या लक्षण कोड नहीं है${hintHi}`);
}

/** The area asked about (default: the caller's own), checked against the caller's scope. */
async function areaOf(db: Db, actor: Actor, ref: string | undefined): Promise<OrgUnitRow> {
  const area = await resolveOrgUnit(db, ref ?? actor.orgUnitId);
  requireScope(actor, area.path, area.name);
  return area;
}

const unitDto = (u: OrgUnitRow) => ({ id: u.id, name: u.name, nameHi: u.name_hi, level: u.level });
const named = (d: Disease) => ({ code: d.code, name: d.name, nameHi: d.nameHi });

// ---------------------------------------------------------------- the list
export function diseaseList(actor: Actor) {
  requirePermission(actor, 'can_read_surveillance');
  return {
    forms: FORMS.map((f) => ({ code: f, ...FORM_NAMES[f] })),
    items: DISEASES.map((d) => ({
      ...named(d), form: d.form, alertAt: d.alertAt,
      alertRule: d.alertAt === null ? STAT_RULE : `${d.alertAt === 1 ? 'any single case' : `${d.alertAt} cases`} in a district in a week`,
      alertRuleHi: d.alertAt === null ? STAT_RULE_HI : `किसी ज़िले में एक सप्ताह में ${d.alertAt === 1 ? 'एक भी मामला' : `${d.alertAt} मामले`}`,
    })),
  };
}

// ---------------------------------------------------------------- weekly report
export async function submitReport(db: Db, actor: Actor, input: ReportInput) {
  requirePermission(actor, 'can_submit_surveillance');
  const unit = await resolveOrgUnit(db, input.orgUnit);
  requireScope(actor, unit.path, unit.name);
  if (unit.level !== 'facility') {
    fail('orgUnit', `${unit.name} is a ${unit.level}; weekly S/P/L reports come from a facility, so give the facility's org unit id`,
      `${unit.name} एक ${unit.level} है; साप्ताहिक S/P/L रिपोर्ट स्वास्थ्य संस्थान से आती है, संस्थान की आईडी दें`);
  }
  const week = weekArg(input.week);
  if (week.startDate > todayIst()) {
    fail('week', `${week.id} starts on ${week.startDate}, which is in the future; report a week that has begun`,
      `${week.id} ${week.startDate} से शुरू होता है, जो भविष्य में है; शुरू हो चुके सप्ताह की रिपोर्ट दें`);
  }
  const form = input.form as Form;
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const counts: (repo.CountRow & { d: Disease })[] = [];
  input.counts.forEach((c, i) => {
    const field = `counts.${i}.disease`;
    const d = diseaseByCode(c.disease);
    const deaths = c.deaths ?? 0;
    if (!d) {
      problems.push({ field, message: `${c.disease} is not a disease or syndrome code; see GET /api/surveillance/diseases`, messageHi: `${c.disease} कोई रोग या लक्षण कोड नहीं है; GET /api/surveillance/diseases देखें` });
    } else if (d.form !== form) {
      problems.push({ field, message: `${d.code} (${d.name}) is reported on the ${d.form} form (${FORM_NAMES[d.form].name}), not the ${form} form; send it with form ${d.form}`, messageHi: `${d.code} (${d.nameHi}) ${d.form} प्रपत्र (${FORM_NAMES[d.form].nameHi}) में दर्ज होता है, ${form} में नहीं` });
    } else if (seen.has(d.code)) {
      problems.push({ field, message: `${d.code} appears more than once; send one entry per disease`, messageHi: `${d.code} एक से अधिक बार है; हर रोग की एक ही पंक्ति दें` });
    } else {
      seen.add(d.code);
      counts.push({ disease: d.code, cases: c.cases, deaths, d });
    }
    if (deaths > c.cases) {
      problems.push({ field: `counts.${i}.deaths`, message: `${deaths} deaths is more than the ${c.cases} cases reported; deaths are counted among the week's cases`, messageHi: `${deaths} मृत्यु, दर्ज ${c.cases} मामलों से अधिक है` });
    }
  });
  if (problems.length) throw fieldErrors(problems);

  const submittedAt = new Date();
  const replaced = await repo.replaceReport(db, { facility: unit, week, form, submittedBy: actor.userId, submittedAt }, counts);
  const result = {
    orgUnit: unitDto(unit), week: week.id, startDate: week.startDate, endDate: week.endDate, form, replaced,
    submittedBy: actor.username, submittedAt: submittedAt.toISOString(),
    counts: counts.map((c) => ({ ...named(c.d), cases: c.cases, deaths: c.deaths })),
  };
  await recordAudit(db, actor, {
    action: replaced ? 'update' : 'create', entity: 'surveillanceReport', entityId: `${unit.id}/${week.id}/${form}`, orgPath: unit.path,
    after: { form, week: week.id, counts: counts.map((c) => ({ disease: c.disease, cases: c.cases, deaths: c.deaths })) },
  });
  return result;
}

// ---------------------------------------------------------------- trends and rising diseases
const lastWeeks = (end: Period, n: number) => Array.from({ length: n }, (_, i) => previousPeriod(end, n - 1 - i));
const pastYears = (w: Period) => Array.from({ length: BASELINE_YEARS }, (_, k) => sameWeek(w, k + 1));
const withPast = (weeks: Period[]) => [...new Set(weeks.flatMap((w) => [w.id, ...pastYears(w).map((p) => p.id)]))];

/** The last four weeks against the same four weeks of each past year: rising when above mean + 2 SD. */
function window4(cases: Map<string, number>, end: Period) {
  const weeks = lastWeeks(end, 4);
  const total = sum(weeks.map((w) => cases.get(w.id) ?? 0));
  const past = Array.from({ length: BASELINE_YEARS }, (_, k) => sum(weeks.map((w) => cases.get(sameWeek(w, k + 1).id) ?? 0)));
  const { mean, sd } = meanSd(past);
  const threshold = mean + 2 * sd;
  return {
    last4: { weeks: weeks.map((w) => w.id), cases: total, mean: r2(mean), sd: r2(sd), threshold: r2(threshold), pastYears: past },
    rising: total > threshold, excess: total - threshold,
  };
}

/** Weekly cases of one disease in an area against the same weeks of the previous three years. */
export async function trends(db: Db, actor: Actor, q: TrendsInput) {
  requirePermission(actor, 'can_read_surveillance');
  const disease = diseaseArg(q.disease);
  const area = await areaOf(db, actor, q.orgUnit);
  const end = q.week ? weekArg(q.week) : lastCompleteWeek();
  const weeks = lastWeeks(end, q.weeks ?? 12);
  const rows = await repo.casesByWeek(db, { path: area.path, stateLgd: area.state_lgd, disease: disease.code, weeks: withPast([...weeks, ...lastWeeks(end, 4)]) });
  const cases = new Map(rows.map((r) => [r.week, Number(r.cases)]));
  const deaths = new Map(rows.map((r) => [r.week, Number(r.deaths)]));
  const w4 = window4(cases, end);
  return {
    disease: named(disease), orgUnit: unitDto(area), week: end.id,
    weeks: weeks.map((w) => {
      const past = pastYears(w).map((p) => cases.get(p.id) ?? 0);
      const { mean, sd } = meanSd(past);
      return { week: w.id, startDate: w.startDate, cases: cases.get(w.id) ?? 0, deaths: deaths.get(w.id) ?? 0, mean: r2(mean), sd: r2(sd), pastYears: past };
    }),
    last4: w4.last4, rising: w4.rising,
  };
}

/** Diseases whose last four weeks in the area exceed mean + 2 SD of the same weeks of past years, by excess. */
export async function risingDiseases(db: Db, actor: Actor, q: AreaWeekInput) {
  requirePermission(actor, 'can_read_surveillance');
  const area = await areaOf(db, actor, q.orgUnit);
  const end = q.week ? weekArg(q.week) : lastCompleteWeek();
  const rows = await repo.casesByWeek(db, { path: area.path, stateLgd: area.state_lgd, weeks: withPast(lastWeeks(end, 4)) });
  const byDisease = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byDisease.get(r.disease) ?? new Map<string, number>();
    m.set(r.week, Number(r.cases));
    byDisease.set(r.disease, m);
  }
  const items = [...byDisease].flatMap(([code, cases]) => {
    const d = diseaseByCode(code);
    const w = window4(cases, end);
    return d && w.rising ? [{ ...named(d), form: d.form, last4: w.last4, excess: r2(w.excess) }] : [];
  }).sort((a, b) => b.excess - a.excess || a.code.localeCompare(b.code));
  return { orgUnit: unitDto(area), week: end.id, items };
}

// ---------------------------------------------------------------- burden by area
const ABOVE: Record<'district' | 'block', string[]> = { district: ['country', 'state'], block: ['country', 'state', 'district'] };

/** Where a disease is heaviest: areas one level down ranked by cases, with cases per reporting facility. */
export async function burden(db: Db, actor: Actor, q: BurdenInput) {
  requirePermission(actor, 'can_read_surveillance');
  const disease = diseaseArg(q.disease);
  const level = (q.level ?? 'district') as 'district' | 'block';
  const area = await areaOf(db, actor, q.orgUnit);
  if (!ABOVE[level].includes(area.level)) {
    fail('level', `${area.name} is a ${area.level}, so it cannot be split by ${level}; give a ${ABOVE[level].slice(1).join(' or ')} as orgUnit`,
      `${area.name} एक ${area.level} है, इसे ${level} में नहीं बाँटा जा सकता; orgUnit में ${ABOVE[level].slice(1).join(' या ')} दें`);
  }
  const to = q.to ? weekArg(q.to, 'to') : lastCompleteWeek();
  const from = q.from ? weekArg(q.from, 'from') : previousPeriod(to, 11);
  if (from.startDate > to.startDate) {
    fail('from', `${from.id} is after to=${to.id}; give the earlier week as from`, `${from.id}, to=${to.id} के बाद है; पहले वाला सप्ताह from में दें`);
  }
  const rows = await repo.burdenByArea(db, {
    path: area.path, stateLgd: area.state_lgd, disease: disease.code, form: disease.form, from: from.startDate, to: to.startDate, segment: level === 'district' ? 4 : 5,
  });
  // Facilities placed straight under a district have no block: they are pooled in one row.
  const merged = new Map<string, { id: string | null; name: string; nameHi: string | null; cases: number; deaths: number; facilitiesReporting: number }>();
  for (const r of rows) {
    const inLevel = r.level === level;
    const key = inLevel ? r.area : '';
    const g = merged.get(key) ?? { id: inLevel ? r.area : null, name: inLevel ? r.name ?? r.area : `Not in a ${level}`, nameHi: inLevel ? r.name_hi : (level === 'block' ? 'किसी ब्लॉक में नहीं' : 'किसी ज़िले में नहीं'), cases: 0, deaths: 0, facilitiesReporting: 0 };
    g.cases += r.cases; g.deaths += r.deaths; g.facilitiesReporting += r.facilities;
    merged.set(key, g);
  }
  const items = [...merged.values()]
    .map((g) => ({ ...g, casesPerFacility: g.facilitiesReporting ? r2(g.cases / g.facilitiesReporting) : null }))
    .sort((a, b) => b.cases - a.cases || (b.casesPerFacility ?? 0) - (a.casesPerFacility ?? 0) || a.name.localeCompare(b.name))
    .map((g, i) => ({ rank: i + 1, ...g }));
  return {
    disease: named(disease), orgUnit: unitDto(area), level, from: from.id, to: to.id,
    total: { cases: sum(items.map((i) => i.cases)), deaths: sum(items.map((i) => i.deaths)), facilitiesReporting: sum(items.map((i) => i.facilitiesReporting)) },
    items,
  };
}

// ---------------------------------------------------------------- outbreak alerts
export interface Alert {
  district: { id: string; name: string; nameHi: string | null };
  disease: { code: string; name: string; nameHi: string; form: Form };
  cases: number; deaths: number; kind: 'absolute' | 'statistical';
  threshold: number; mean: number | null; sd: number | null; why: string; whyHi: string;
}

/**
 * Districts that crossed a threshold in the week: IDSP's absolute thresholds for the alert diseases
 * (a single case of AFP, measles, diphtheria, cholera…); otherwise cases above mean + 2 SD of the
 * same week ±1 in the previous three years (nine weeks), and at least five cases.
 */
export async function alerts(db: Db, actor: Actor, q: AreaWeekInput) {
  requirePermission(actor, 'can_read_surveillance');
  const area = await areaOf(db, actor, q.orgUnit);
  if (!['country', 'state', 'district'].includes(area.level)) {
    fail('orgUnit', `${area.name} is a ${area.level}; alerts are reckoned per district, so give a district or a state`,
      `${area.name} एक ${area.level} है; अलर्ट ज़िलेवार बनते हैं, ज़िला या राज्य दें`);
  }
  const week = q.week ? weekArg(q.week) : lastCompleteWeek();
  const baseline = pastYears(week).flatMap((s) => [previousPeriod(s), s, nextPeriod(s)]).map((p) => p.id);
  const rows = await repo.casesByDistrictWeek(db, { path: area.path, stateLgd: area.state_lgd, weeks: [week.id, ...baseline] });
  const key = (district: string, disease: string, wk: string) => `${district}|${disease}|${wk}`;
  const cases = new Map(rows.map((r) => [key(r.district, r.disease, r.week), Number(r.cases)]));
  const [y] = week.id.split('W');
  const items = rows.filter((r) => r.week === week.id && Number(r.cases) > 0).flatMap((r): Alert[] => {
    const d = diseaseByCode(r.disease);
    if (!d) return [];
    const n = Number(r.cases);
    const district = { id: r.district, name: r.name, nameHi: r.name_hi };
    const base = { district, disease: { ...named(d), form: d.form }, cases: n, deaths: Number(r.deaths) };
    if (d.alertAt !== null) {
      if (n < d.alertAt) return [];
      return [{ ...base, kind: 'absolute', threshold: d.alertAt, mean: null, sd: null,
        why: `${n} case${n === 1 ? '' : 's'} of ${d.name} in ${r.name} in ${week.id}; IDSP treats ${d.alertAt === 1 ? 'a single case' : `${d.alertAt} cases`} as an alert`,
        whyHi: `${week.id} में ${r.name_hi ?? r.name} में ${d.nameHi} ${n === 1 ? 'का 1 मामला' : `के ${n} मामले`}; IDSP में ${d.alertAt === 1 ? 'एक भी मामला' : `${d.alertAt} मामले`} अलर्ट है` }];
    }
    const { mean, sd } = meanSd(baseline.map((w) => cases.get(key(r.district, r.disease, w)) ?? 0));
    const threshold = mean + 2 * sd;
    if (n <= threshold || n < MIN_STATISTICAL_CASES) return [];
    const span = `${+y - BASELINE_YEARS}–${+y - 1}`;
    return [{ ...base, kind: 'statistical', threshold: r2(threshold), mean: r2(mean), sd: r2(sd),
      why: `${n} cases of ${d.name} in ${r.name} in ${week.id}, above the threshold ${r2(threshold)} (mean ${r2(mean)} + 2 × SD ${r2(sd)} of the same week ±1 in ${span})`,
      whyHi: `${week.id} में ${r.name_hi ?? r.name} में ${d.nameHi} के ${n} मामले, सीमा ${r2(threshold)} से अधिक (${span} में उसी सप्ताह ±1 का औसत ${r2(mean)} + 2 × मानक विचलन ${r2(sd)})` }];
  }).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'absolute' ? -1 : 1) || b.cases - a.cases || a.district.name.localeCompare(b.district.name));
  return { orgUnit: unitDto(area), week: week.id, items };
}
