/** Monthly DHIS2 periods (YYYYMM) reckoned in India Standard Time, and IST date-time display. */

const IST_OFFSET_MS = 330 * 60_000;
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_HI = ['जनवरी', 'फ़रवरी', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुलाई', 'अगस्त', 'सितंबर', 'अक्टूबर', 'नवंबर', 'दिसंबर'];

const pad = (n: number) => String(n).padStart(2, '0');

/** This month in IST as YYYYMM. */
export function thisMonth(now = new Date()): string {
  const ist = new Date(now.getTime() + IST_OFFSET_MS);
  return `${ist.getUTCFullYear()}${pad(ist.getUTCMonth() + 1)}`;
}

export function shiftMonth(period: string, by: number): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(4, 6)) - 1 + by;
  const d = new Date(Date.UTC(y, m, 1));
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}`;
}

export const lastMonth = (now = new Date()) => shiftMonth(thisMonth(now), -1);

export const isMonthly = (p: string | null | undefined): p is string => !!p && /^\d{4}(0[1-9]|1[0-2])$/.test(p);

/** The months offered in a month select: this month and the `count - 1` before it, newest first. */
export function recentMonths(count = 13, now = new Date()): string[] {
  const first = thisMonth(now);
  return Array.from({ length: count }, (_, i) => shiftMonth(first, -i));
}

export function monthLabel(period: string, lang: string): string {
  if (!isMonthly(period)) return period;
  const names = lang === 'hi' ? MONTHS_HI : MONTHS_EN;
  return `${names[Number(period.slice(4, 6)) - 1]} ${period.slice(0, 4)}`;
}

/** Due date of a monthly return: `timelyDays` after the month ends, as DD/MM/YYYY. */
export function dueDate(period: string, timelyDays: number): string {
  if (!isMonthly(period)) return '—';
  const end = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(4, 6)), 0));
  const due = new Date(end.getTime() + timelyDays * 86_400_000);
  return `${pad(due.getUTCDate())}/${pad(due.getUTCMonth() + 1)}/${due.getUTCFullYear()}`;
}

/** DD/MM/YYYY HH:mm in IST. */
export function dateTimeIst(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const ist = new Date(d.getTime() + IST_OFFSET_MS);
  return `${pad(ist.getUTCDate())}/${pad(ist.getUTCMonth() + 1)}/${ist.getUTCFullYear()} ${pad(ist.getUTCHours())}:${pad(ist.getUTCMinutes())}`;
}
