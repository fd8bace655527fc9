/**
 * Reporting periods in DHIS2's ISO form (`20241105`, `2024W47`, `202411`, `2024Q4`, `2024April`, …)
 * and in the ADX / ISO 8601 form (`2024-11-01/P1M`), plus the deadline arithmetic of the monthly
 * returns (timeliness, expiry, open future periods) reckoned in Asia/Kolkata.
 *
 * Pure functions: dates are 'YYYY-MM-DD' strings handled as UTC day numbers, so the machine's time
 * zone never matters. IST is UTC+05:30 with no daylight saving.
 *
 * DHIS2 rules followed (dhis2-core DateUnitPeriodTypeParser and the *PeriodType classes):
 * - Weekly types use java.time `WeekFields.of(startDay, 4)`: week 1 is the week (starting on the
 *   type's weekday) that holds at least four days of the new year, i.e. the week holding 4 January.
 * - BiWeekly `yyyyBiWn` covers ISO weeks 2n-1 and 2n. In a 53-week year `BiW27` starts on the Monday
 *   of ISO week 53 and, as in DHIS2, runs 14 days into the next year's `BiW1`.
 * - SixMonthlyNov and FinancialNov are named by the year in which they end: `2025NovS1` is
 *   November 2024–April 2025, `2025NovS2` May–October 2025, `2025Nov` November 2024–October 2025.
 */
import { badRequest } from './errors.js';

/** Every DHIS2 period type Swasthya knows. */
export const PERIOD_TYPES = [
  'Daily', 'Weekly', 'WeeklyWednesday', 'WeeklyThursday', 'WeeklySaturday', 'WeeklySunday', 'BiWeekly',
  'Monthly', 'BiMonthly', 'Quarterly', 'SixMonthly', 'SixMonthlyApril', 'SixMonthlyNov', 'Yearly',
  'FinancialApril', 'FinancialJuly', 'FinancialOct', 'FinancialNov',
] as const;

/** A DHIS2 period type name, e.g. `Monthly` or `FinancialApril`. */
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** One reporting period. `id` is the canonical DHIS2 ISO id; dates are 'YYYY-MM-DD', both inclusive. */
export interface Period { id: string; type: PeriodType; startDate: string; endDate: string }

const DAY_MS = 86_400_000;
const IST_OFFSET_MS = 330 * 60_000;
/** Years accepted when parsing; anything else is almost certainly a typing mistake. */
const YEAR_MIN = 1900;
const YEAR_MAX = 2999;
const DAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_HI = ['रविवार', 'सोमवार', 'मंगलवार', 'बुधवार', 'गुरुवार', 'शुक्रवार', 'शनिवार'];

// ---------------------------------------------------------------- day arithmetic (UTC day numbers)
const mod = (a: number, n: number) => ((a % n) + n) % n;
const pad = (n: number) => String(n).padStart(2, '0');
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;
const isoOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const weekday = (n: number) => mod(n + 4, 7); // day 0 (1970-01-01) was a Thursday; 0 = Sunday
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function ymdOf(n: number) {
  const d = new Date(n * DAY_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
/** Day number of a 'YYYY-MM-DD' string already known to be valid. */
const daysOf = (date: string) => dayNumber(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10));

// ---------------------------------------------------------------- errors a person can act on
function fail(field: string, en: string, hi: string, value?: string): never {
  throw badRequest(`${field} ${en}`, `${field} ${hi}`, { field, value, fields: [{ field, message: en, messageHi: hi }] });
}
function checkYear(y: number, v: string, field: string) {
  if (y < YEAR_MIN || y > YEAR_MAX) {
    fail(field, `${v} has year ${y}, which is out of range; use a year from ${YEAR_MIN} to ${YEAR_MAX}`,
      `${v} में वर्ष ${y} सीमा से बाहर है; ${YEAR_MIN} से ${YEAR_MAX} तक का वर्ष लिखें`, v);
  }
}
/** Day number of a calendar date, refusing impossible dates such as 2023-02-29. */
function checkedDay(y: number, m: number, d: number, v: string, field: string, form: string): number {
  checkYear(y, v, field);
  if (m < 1 || m > 12) {
    fail(field, `${v} is not a date; use ${form} with a month from 01 to 12`,
      `${v} कोई तारीख़ नहीं है; ${form} लिखें, जिसमें महीना 01 से 12 तक हो`, v);
  }
  const dim = daysInMonth(y, m);
  if (d < 1 || d > dim) {
    fail(field, `${v} is not a date; ${y}-${pad(m)} has days 01 to ${dim}`,
      `${v} कोई तारीख़ नहीं है; ${y}-${pad(m)} में 01 से ${dim} तक दिन हैं`, v);
  }
  return dayNumber(y, m, d);
}
/** Validates a 'YYYY-MM-DD' argument and returns its day number. */
function dateArg(date: string, field: string): number {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim()) : null;
  if (!m) fail(field, `${String(date)} is not a date; use YYYY-MM-DD, e.g. 2024-11-05`, `${String(date)} कोई तारीख़ नहीं है; YYYY-MM-DD लिखें, जैसे 2024-11-05`, String(date));
  return checkedDay(+m[1], +m[2], +m[3], date.trim(), field, 'YYYY-MM-DD');
}
function typeArg(type: string): asserts type is PeriodType {
  if (!isPeriodType(type)) {
    fail('periodType', `${String(type)} is not a period type; use one of ${PERIOD_TYPES.join(', ')}`,
      `${String(type)} कोई अवधि-प्रकार नहीं है; इनमें से एक लें: ${PERIOD_TYPES.join(', ')}`, String(type));
  }
}
function countArg(n: number, name: string) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number of 0 or more, got ${n}`);
}

// ---------------------------------------------------------------- the period types
const mk = (type: PeriodType, id: string, start: number, end: number): Period =>
  ({ id, type, startDate: isoOf(start), endDate: isoOf(end) });

/** Weekly types: JS weekday the week starts on and the id infix. */
const WEEKLY: Partial<Record<PeriodType, { day: number; tag: string; en: string; hi: string }>> = {
  Weekly: { day: 1, tag: 'W', en: 'ISO weeks (Monday start)', hi: 'ISO सप्ताह (सोमवार से)' },
  WeeklyWednesday: { day: 3, tag: 'WedW', en: 'Wednesday-start weeks', hi: 'बुधवार से शुरू होने वाले सप्ताह' },
  WeeklyThursday: { day: 4, tag: 'ThuW', en: 'Thursday-start weeks', hi: 'गुरुवार से शुरू होने वाले सप्ताह' },
  WeeklySaturday: { day: 6, tag: 'SatW', en: 'Saturday-start weeks', hi: 'शनिवार से शुरू होने वाले सप्ताह' },
  WeeklySunday: { day: 0, tag: 'SunW', en: 'Sunday-start weeks', hi: 'रविवार से शुरू होने वाले सप्ताह' },
};
const WEEK_TAG_TYPE: Record<string, PeriodType> = { W: 'Weekly', WedW: 'WeeklyWednesday', ThuW: 'WeeklyThursday', SatW: 'WeeklySaturday', SunW: 'WeeklySunday' };

/** Month-based types: length in months, first start month (0-based) and the id of a start (y, m 1-based). */
const MONTHLY: Partial<Record<PeriodType, { span: number; offset: number; id: (y: number, m: number) => string }>> = {
  Monthly: { span: 1, offset: 0, id: (y, m) => `${y}${pad(m)}` },
  BiMonthly: { span: 2, offset: 0, id: (y, m) => `${y}${pad((m + 1) / 2)}B` },
  Quarterly: { span: 3, offset: 0, id: (y, m) => `${y}Q${(m + 2) / 3}` },
  SixMonthly: { span: 6, offset: 0, id: (y, m) => `${y}S${m === 1 ? 1 : 2}` },
  SixMonthlyApril: { span: 6, offset: 3, id: (y, m) => `${y}AprilS${m === 4 ? 1 : 2}` },
  SixMonthlyNov: { span: 6, offset: 10, id: (y, m) => (m === 11 ? `${y + 1}NovS1` : `${y}NovS2`) },
  Yearly: { span: 12, offset: 0, id: (y) => `${y}` },
  FinancialApril: { span: 12, offset: 3, id: (y) => `${y}April` },
  FinancialJuly: { span: 12, offset: 6, id: (y) => `${y}July` },
  FinancialOct: { span: 12, offset: 9, id: (y) => `${y}Oct` },
  FinancialNov: { span: 12, offset: 10, id: (y) => `${y + 1}Nov` },
};

/** ISO 8601 duration of each type, for ADX. */
const DURATION: Record<PeriodType, string> = {
  Daily: 'P1D', Weekly: 'P7D', WeeklyWednesday: 'P7D', WeeklyThursday: 'P7D', WeeklySaturday: 'P7D',
  WeeklySunday: 'P7D', BiWeekly: 'P14D', Monthly: 'P1M', BiMonthly: 'P2M', Quarterly: 'P3M',
  SixMonthly: 'P6M', SixMonthlyApril: 'P6M', SixMonthlyNov: 'P6M', Yearly: 'P1Y', FinancialApril: 'P1Y',
  FinancialJuly: 'P1Y', FinancialOct: 'P1Y', FinancialNov: 'P1Y',
};

/** First day of week 1 of `year` for weeks starting on `day`: that weekday on or before 4 January. */
const week1Start = (year: number, day: number) => dayNumber(year, 1, 4) - mod(weekday(dayNumber(year, 1, 4)) - day, 7);
const weeksIn = (year: number, day: number) => (week1Start(year + 1, day) - week1Start(year, day)) / 7;
/** Week-based year and week number of the week starting on day `s`. */
function weekOfStart(s: number, day: number) {
  const year = ymdOf(s + 3).y; // the week belongs to the year holding its fourth day
  return { year, week: (s - week1Start(year, day)) / 7 + 1 };
}
function weekPeriod(type: PeriodType, s: number): Period {
  const { day, tag } = WEEKLY[type]!;
  const { year, week } = weekOfStart(s, day);
  return mk(type, `${year}${tag}${week}`, s, s + 6);
}
const biWeekCount = (year: number) => Math.ceil(weeksIn(year, 1) / 2);
function biWeek(year: number, b: number): Period {
  const s = week1Start(year, 1) + (b - 1) * 14;
  return mk('BiWeekly', `${year}BiW${b}`, s, s + 13);
}
/** The period of a month-based type starting at absolute month `a` (year * 12 + month - 1). */
function monthPeriod(type: PeriodType, a: number): Period {
  const { span, id } = MONTHLY[type]!;
  const y = Math.floor(a / 12), m = mod(a, 12) + 1;
  const e = a + span - 1, ey = Math.floor(e / 12), em = mod(e, 12) + 1;
  return mk(type, id(y, m), dayNumber(y, m, 1), dayNumber(ey, em, daysInMonth(ey, em)));
}
function periodAtDay(type: PeriodType, n: number): Period {
  if (type === 'Daily') { const { y, m, d } = ymdOf(n); return mk(type, `${y}${pad(m)}${pad(d)}`, n, n); }
  const wk = WEEKLY[type];
  if (wk) return weekPeriod(type, n - mod(weekday(n) - wk.day, 7));
  if (type === 'BiWeekly') {
    const { year, week } = weekOfStart(n - mod(weekday(n) - 1, 7), 1);
    return biWeek(year, Math.ceil(week / 2));
  }
  const { span, offset } = MONTHLY[type]!;
  const { y, m } = ymdOf(n), a = y * 12 + m - 1;
  return monthPeriod(type, a - mod(a - offset, span));
}

// ---------------------------------------------------------------- parsing
const EXAMPLES_EN = 'e.g. 20241105 (day), 2024W47 (week), 202411 (month), 2024Q4 (quarter), 2024 (year), 2024April (April–March financial year) or 2024-11-01/P1M';
const EXAMPLES_HI = 'जैसे 20241105 (दिन), 2024W47 (सप्ताह), 202411 (महीना), 2024Q4 (तिमाही), 2024 (वर्ष), 2024April (अप्रैल–मार्च वित्तीय वर्ष) या 2024-11-01/P1M';
const SUFFIXES = ['W', 'WedW', 'ThuW', 'SatW', 'SunW', 'BiW', 'B', 'Q', 'S', 'AprilS', 'NovS', 'April', 'July', 'Oct', 'Nov'];

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
/** A likely intended id for a near miss such as `2024Aprl` or `2024april`, if there is one. */
function suggestion(v: string): string | null {
  const m = /^(\d{4})([A-Za-z]+)(\d*)$/.exec(v);
  if (!m) return null;
  let best: string | null = null, bestDist = Infinity;
  const got = m[2].toLowerCase();
  for (const s of SUFFIXES) {
    const want = s.toLowerCase(), short = Math.min(got.length, want.length);
    const abbrev = got !== want && short >= 3 && (want.startsWith(got) || got.startsWith(want)); // Apr, October
    const d = abbrev ? 0.5 + Math.abs(want.length - got.length) / 100 : editDistance(got, want);
    if (d < bestDist && d <= Math.min(2, Math.floor(got.length / 2))) { best = s; bestDist = d; }
  }
  const candidate = best && `${m[1]}${best}${m[3]}`;
  return candidate && candidate !== v && tryParsePeriod(candidate) ? candidate : null;
}

function rangeFail(field: string, v: string, what: [string, string], form: string, range: [number, number, string]): never {
  const [lo, hi, note] = range;
  fail(field, `${v} is not ${what[0]}; use ${form} with a number from ${lo} to ${hi}${note}`,
    `${v} कोई ${what[1]} नहीं है; ${form} लिखें, जिसमें संख्या ${lo} से ${hi} तक हो`, v);
}

function parseIsoId(v: string, field: string): Period | null {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(v))) return periodAtDay('Daily', checkedDay(+m[1], +m[2], +m[3], v, field, 'YYYYMMDD'));
  if ((m = /^(\d{4})(\d{2})?$/.exec(v))) {
    const y = +m[1]; checkYear(y, v, field);
    if (m[2] === undefined) return monthPeriod('Yearly', y * 12);
    const mo = +m[2];
    if (mo < 1 || mo > 12) fail(field, `${v} is not a month; use YYYYMM with a month from 01 to 12`, `${v} कोई महीना नहीं है; YYYYMM लिखें, जिसमें महीना 01 से 12 तक हो`, v);
    return monthPeriod('Monthly', y * 12 + mo - 1);
  }
  if ((m = /^(\d{4})(\d{2})B$/.exec(v))) {
    const y = +m[1], k = +m[2]; checkYear(y, v, field);
    if (k < 1 || k > 6) rangeFail(field, v, ['a bi-month', 'द्विमासिक अवधि'], 'YYYYnnB', [1, 6, ' (01 = January–February)']);
    return monthPeriod('BiMonthly', y * 12 + 2 * k - 2);
  }
  if ((m = /^(\d{4})Q(\d{1,3})$/.exec(v))) {
    const y = +m[1], k = +m[2]; checkYear(y, v, field);
    if (k < 1 || k > 4) rangeFail(field, v, ['a quarter', 'तिमाही'], 'YYYYQn', [1, 4, '']);
    return monthPeriod('Quarterly', y * 12 + 3 * k - 3);
  }
  if ((m = /^(\d{4})(April|Nov)?S(\d{1,3})$/.exec(v))) {
    const y = +m[1], k = +m[3], tag = m[2] ?? ''; checkYear(y, v, field);
    if (k < 1 || k > 2) rangeFail(field, v, ['a six-month period', 'छमाही'], `YYYY${tag}Sn`, [1, 2, '']);
    if (tag === '') return monthPeriod('SixMonthly', y * 12 + (k === 1 ? 0 : 6));
    if (tag === 'April') return monthPeriod('SixMonthlyApril', y * 12 + (k === 1 ? 3 : 9));
    return monthPeriod('SixMonthlyNov', k === 1 ? (y - 1) * 12 + 10 : y * 12 + 4);
  }
  if ((m = /^(\d{4})(W|WedW|ThuW|SatW|SunW|BiW)(\d{1,3})$/.exec(v))) {
    const y = +m[1], w = +m[3]; checkYear(y, v, field);
    if (m[2] === 'BiW') {
      const count = biWeekCount(y);
      if (w < 1 || w > count) rangeFail(field, v, ['a bi-week', 'द्विसाप्ताहिक अवधि'], 'YYYYBiWn', [1, count, ` (${y} has ${count} bi-weeks)`]);
      return biWeek(y, w);
    }
    const type = WEEK_TAG_TYPE[m[2]], wk = WEEKLY[type]!, count = weeksIn(y, wk.day);
    if (w < 1 || w > count) {
      fail(field, `${v} is not a week; ${y} has ${wk.en} 1 to ${count}`, `${v} कोई सप्ताह नहीं है; ${y} में ${wk.hi} 1 से ${count} तक हैं`, v);
    }
    return weekPeriod(type, week1Start(y, wk.day) + (w - 1) * 7);
  }
  if ((m = /^(\d{4})(April|July|Oct|Nov)$/.exec(v))) {
    const y = +m[1]; checkYear(y, v, field);
    const starts = { April: [y, 3, 'FinancialApril'], July: [y, 6, 'FinancialJuly'], Oct: [y, 9, 'FinancialOct'], Nov: [y - 1, 10, 'FinancialNov'] } as const;
    const [sy, sm, type] = starts[m[2] as keyof typeof starts];
    return monthPeriod(type, sy * 12 + sm);
  }
  return null;
}

/** ADX durations: the types each may mean, and what a start must look like. */
const ADX: Record<string, { types: PeriodType[]; unit: [string, string]; rule: [string, string] }> = {
  P1D: { types: ['Daily'], unit: ['a day', 'दिन'], rule: ['any date', 'किसी भी तारीख़'] },
  P7D: { types: ['Weekly', 'WeeklyWednesday', 'WeeklyThursday', 'WeeklySaturday', 'WeeklySunday'], unit: ['a week', 'सप्ताह'], rule: ['a Monday, Wednesday, Thursday, Saturday or Sunday', 'सोमवार, बुधवार, गुरुवार, शनिवार या रविवार'] },
  P14D: { types: ['BiWeekly'], unit: ['a bi-week', 'द्विसाप्ताहिक अवधि'], rule: ['the Monday of an odd-numbered ISO week', 'किसी विषम क्रमांक वाले ISO सप्ताह के सोमवार'] },
  P1M: { types: ['Monthly'], unit: ['a month', 'महीने'], rule: ['the 1st of a month', 'महीने की 1 तारीख़'] },
  P2M: { types: ['BiMonthly'], unit: ['a bi-month', 'द्विमासिक अवधि'], rule: ['1 January, March, May, July, September or November', '1 जनवरी, मार्च, मई, जुलाई, सितंबर या नवंबर'] },
  P3M: { types: ['Quarterly'], unit: ['a quarter', 'तिमाही'], rule: ['1 January, April, July or October', '1 जनवरी, अप्रैल, जुलाई या अक्टूबर'] },
  P6M: { types: ['SixMonthly', 'SixMonthlyApril', 'SixMonthlyNov'], unit: ['a six-month period', 'छमाही'], rule: ['1 January or 1 July, 1 April or 1 October (April six-months), or 1 November or 1 May (November six-months)', '1 जनवरी या 1 जुलाई, 1 अप्रैल या 1 अक्टूबर, अथवा 1 नवंबर या 1 मई'] },
  P1Y: { types: ['Yearly', 'FinancialApril', 'FinancialJuly', 'FinancialOct', 'FinancialNov'], unit: ['a year', 'वर्ष'], rule: ['1 January (calendar year), or 1 April, 1 July, 1 October or 1 November (financial years)', '1 जनवरी (कैलेंडर वर्ष), अथवा 1 अप्रैल, 1 जुलाई, 1 अक्टूबर या 1 नवंबर (वित्तीय वर्ष)'] },
};

function parseAdx(v: string, field: string): Period | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})\/(P\w+)$/.exec(v);
  if (!m) return null;
  const start = checkedDay(+m[1], +m[2], +m[3], v, field, 'YYYY-MM-DD/duration');
  const rule = ADX[m[4]];
  if (!rule) {
    fail(field, `${v} has duration ${m[4]}, which is not supported; use one of ${Object.keys(ADX).join(', ')}`,
      `${v} की अवधि ${m[4]} समर्थित नहीं है; इनमें से एक लें: ${Object.keys(ADX).join(', ')}`, v);
  }
  for (const type of rule.types) {
    const p = periodAtDay(type, start);
    if (daysOf(p.startDate) === start) return p;
  }
  const date = isoOf(start), wd = weekday(start);
  const eg = `${periodAtDay(rule.types[0], start).startDate}/${m[4]}`;
  const why = m[4] === 'P7D' ? [` (${date} is a ${DAY_EN[wd]})`, ` (${date} ${DAY_HI[wd]} है)`] : ['', ''];
  fail(field, `${v} does not begin ${rule.unit[0]}; a ${m[4]} period must start on ${rule.rule[0]}${why[0]}, e.g. ${eg}`,
    `${v} किसी ${rule.unit[1]} की शुरुआत नहीं है; ${m[4]} अवधि ${rule.rule[1]} से शुरू होनी चाहिए${why[1]}, जैसे ${eg}`, v);
}

/**
 * Parses a DHIS2 ISO period id (`202411`, `2024W47`, `2024April`, …) or an ADX period
 * (`2024-11-01/P1M`); surrounding spaces are ignored and the returned id is canonical (`2024W05` → `2024W5`).
 * Throws a 400 AppError, in English and Hindi, naming `field` and what is wrong.
 */
export function parsePeriod(text: string, field = 'period'): Period {
  const v = typeof text === 'string' ? text.trim() : '';
  if (v === '') fail(field, `is empty; give a period, ${EXAMPLES_EN}`, `खाली है; कोई अवधि दें, ${EXAMPLES_HI}`, v);
  const p = parseIsoId(v, field) ?? parseAdx(v, field);
  if (p) return p;
  const hint = suggestion(v);
  fail(field, `${v} is not a period${hint ? `; did you mean ${hint}?` : '.'} Use the DHIS2 form, ${EXAMPLES_EN}`,
    `${v} कोई मान्य अवधि नहीं है${hint ? `; क्या आपका मतलब ${hint} था?` : '।'} DHIS2 का रूप लिखें, ${EXAMPLES_HI}`, v);
}

/** Like parsePeriod, but returns null instead of throwing. */
export function tryParsePeriod(text: string): Period | null {
  try { return parsePeriod(text); } catch { return null; }
}

/** Whether `s` names a period type (case-sensitive, as DHIS2 spells it). */
export function isPeriodType(s: string): s is PeriodType {
  return (PERIOD_TYPES as readonly string[]).includes(s);
}

/** The period of `type` containing `date` ('YYYY-MM-DD'). */
export function periodOfType(type: PeriodType, date: string): Period {
  typeArg(type);
  return periodAtDay(type, dateArg(date, 'date'));
}

/** The period `n` steps after `p` (negative `n` goes back). After 2020BiW27 comes 2021BiW1. */
export function nextPeriod(p: Period, n = 1): Period {
  if (!Number.isInteger(n)) throw new RangeError(`n must be a whole number, got ${n}`);
  typeArg(p.type);
  const s = dateArg(p.startDate, 'startDate');
  if (p.type === 'Daily') return periodAtDay('Daily', s + n);
  if (WEEKLY[p.type]) return periodAtDay(p.type, s + 7 * n);
  if (p.type === 'BiWeekly') {
    const { year, week } = weekOfStart(s, 1);
    let y = year, b = Math.ceil(week / 2);
    for (let i = 0; i < Math.abs(n); i++) {
      if (n > 0) { if (b < biWeekCount(y)) b++; else { y++; b = 1; } }
      else if (b > 1) b--; else { y--; b = biWeekCount(y); }
    }
    return biWeek(y, b);
  }
  const { y, m } = ymdOf(s);
  return monthPeriod(p.type, y * 12 + m - 1 + n * MONTHLY[p.type]!.span);
}

/** The period `n` steps before `p`. */
export function previousPeriod(p: Period, n = 1): Period {
  return nextPeriod(p, -n);
}

/** All periods of `type` that overlap [start, end] (dates 'YYYY-MM-DD', inclusive), in order. */
export function periodsBetween(type: PeriodType, start: string, end: string): Period[] {
  typeArg(type);
  const s = dateArg(start, 'start'), e = dateArg(end, 'end');
  if (s > e) fail('start', `${isoOf(s)} is after end ${isoOf(e)}; give the earlier date as start`, `${isoOf(s)} अंतिम तारीख़ ${isoOf(e)} के बाद है; पहले वाली तारीख़ को start में दें`, start);
  const out: Period[] = [];
  for (let p = periodAtDay(type, s); daysOf(p.startDate) <= e; p = nextPeriod(p)) out.push(p);
  return out;
}

/** The periods of `type` lying wholly inside `outer`, e.g. the 12 months of 2024April. */
export function periodsWithin(outer: Period, type: PeriodType): Period[] {
  return periodsBetween(type, outer.startDate, outer.endDate)
    .filter((p) => p.startDate >= outer.startDate && p.endDate <= outer.endDate);
}

/** The ADX / ISO 8601 form of a period, e.g. `2024-11-01/P1M`. */
export function toAdx(p: Period): string {
  return `${p.startDate}/${DURATION[p.type]}`;
}

// ---------------------------------------------------------------- deadlines, in Asia/Kolkata
/** The instant 00:00 IST at the start of day number `n`. */
const istMidnight = (n: number) => new Date(n * DAY_MS - IST_OFFSET_MS);

/** DHIS2 timeliness: completed on or before the end of day endDate + timelyDays, in Asia/Kolkata. Returns that instant's upper bound (exclusive) as a Date in UTC. */
export function timelinessDeadline(p: Period, timelyDays: number): Date {
  countArg(timelyDays, 'timelyDays');
  return istMidnight(dateArg(p.endDate, 'endDate') + timelyDays + 1);
}

/** Whether a return completed at `completedAt` was on time, e.g. a 202411 return with timelyDays 5 is on time until 2024-12-05 23:59:59.999 IST. */
export function isTimely(p: Period, timelyDays: number, completedAt: Date): boolean {
  return completedAt.getTime() < timelinessDeadline(p, timelyDays).getTime();
}

/** DHIS2 expiryDays: data entry closes after endDate + expiryDays (end of that day, IST); 0 = never expires. Returns null for 0, otherwise the first instant entry is closed. */
export function expiryInstant(p: Period, expiryDays: number): Date | null {
  countArg(expiryDays, 'expiryDays');
  return expiryDays === 0 ? null : istMidnight(dateArg(p.endDate, 'endDate') + expiryDays + 1);
}

/**
 * DHIS2 openFuturePeriods: the number of periods after the current one open for entry (0 = none;
 * the current period and all earlier ones are open). Returns true when `p` lies beyond the last open
 * period at `now` (today reckoned in IST), i.e. entry for it must be refused.
 */
export function isFutureBeyondOpen(p: Period, openFuturePeriods: number, now: Date): boolean {
  countArg(openFuturePeriods, 'openFuturePeriods');
  const lastOpen = nextPeriod(periodOfType(p.type, todayIst(now)), openFuturePeriods);
  return p.startDate > lastOpen.startDate;
}

/** Today's date in Asia/Kolkata as 'YYYY-MM-DD'. */
export function todayIst(now: Date = new Date()): string {
  return new Date(now.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}
