// The rules of a grievance that need no database: routing and deadline defaults per type, the moves
// between statuses, the officer levels, and working days on a state's calendar (reckoned in IST).
import type { Actor } from '../../platform/actor.js';
import { conflict } from '../../platform/errors.js';
import type { GrievanceLevel, GrievanceStatus, GrievanceType } from './grievances.schema.js';

export interface RoutingRule { level: GrievanceLevel; firstResponseDays: number; resolutionDays: number }

/**
 * Where each type goes first and its deadlines (working days) unless the state has set its own
 * (grievance_routing). Complaints about the facility's own staff (money asked, behaviour) and about
 * ambulances (run by the district) start at the district: the facility should not judge itself.
 * CPGRAMS: resolve within 21 days or give an interim reply.
 */
export const DEFAULT_ROUTING: Record<GrievanceType, RoutingRule> = {
  service_refused: { level: 'facility', firstResponseDays: 3, resolutionDays: 21 },
  staff_behaviour: { level: 'district', firstResponseDays: 3, resolutionDays: 21 },
  money_asked: { level: 'district', firstResponseDays: 2, resolutionDays: 21 },
  medicines_not_given: { level: 'facility', firstResponseDays: 2, resolutionDays: 21 },
  cleanliness: { level: 'facility', firstResponseDays: 3, resolutionDays: 21 },
  waiting: { level: 'facility', firstResponseDays: 3, resolutionDays: 21 },
  ambulance_late: { level: 'district', firstResponseDays: 3, resolutionDays: 21 },
  other: { level: 'facility', firstResponseDays: 3, resolutionDays: 21 },
};

/** Working days the next level gets after an escalation (first response and resolution). */
export const ESCALATION_DAYS = 7;
/** A citizen may reopen within this many days of the resolution. */
export const REOPEN_DAYS = 15;
/** An appeal is decided within this many (calendar) days. */
export const APPEAL_DAYS = 30;
/** How long an access token from a code lasts. */
export const ACCESS_MINUTES = 30;

const RANK: Record<GrievanceLevel, number> = { facility: 0, district: 1, state: 2 };
export const nextLevel = (l: GrievanceLevel): GrievanceLevel => (l === 'facility' ? 'district' : 'state');
export const levelRank = (l: GrievanceLevel) => RANK[l];

/** The officer level of a signed-in user: their org unit's level (a block or below counts as a facility). */
export function actorRank(actor: Actor): number {
  const l = actor.orgLevel;
  if (l === 'country') return 3;
  if (l === 'state') return 2;
  if (l === 'district') return 1;
  return 0;
}

/** The ids on a ticket's org path: [country, state, district, …]. */
export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}
/** The path of the unit at `level` on a ticket's path (its facility, district or state). */
export function levelUnit(orgPath: string, level: GrievanceLevel, facilityId: string | null): { id: string; path: string } {
  const ids = pathIds(orgPath);
  if (level === 'facility' && facilityId) return { id: facilityId, path: orgPath };
  const n = level === 'state' ? 2 : 3;
  return { id: ids[n - 1]!, path: `/${ids.slice(0, n).join('/')}/` };
}

export const OPEN: readonly GrievanceStatus[] = ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'];
export const isOpen = (s: string) => (OPEN as readonly string[]).includes(s);

/** The officers' actions and the statuses each may start from. */
export const MOVES = {
  assign: ['new', 'reopened', 'assigned', 'in_progress', 'waiting_for_citizen'],
  start: ['assigned'],
  reply: ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'],
  note: ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'resolved', 'closed', 'reopened'],
  wait: ['new', 'assigned', 'in_progress', 'reopened'],
  interim: ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'],
  resolve: ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'],
  close: ['resolved'],
  reopen: ['resolved', 'closed'],
} as const satisfies Record<string, readonly GrievanceStatus[]>;
export type Move = keyof typeof MOVES;

const MOVE_WORDS: Record<Move, [string, string]> = {
  assign: ['assigned', 'सौंपी'], start: ['started', 'शुरू की'], reply: ['answered', 'उत्तर दी'], note: ['noted', 'नोट की'],
  wait: ['put to wait for the citizen', 'नागरिक की प्रतीक्षा में रखी'], interim: ['given an interim reply', 'अंतरिम उत्तर दी'],
  resolve: ['resolved', 'निपटाई'], close: ['closed', 'बंद की'], reopen: ['reopened', 'फिर से खोली'],
};

/** 409 unless `status` allows `move`, saying what the status is and what it would need. */
export function requireMove(move: Move, status: string, ticket: string): void {
  if ((MOVES[move] as readonly string[]).includes(status)) return;
  throw conflict(
    `Grievance ${ticket} is ${status.replace(/_/g, ' ')}; it can be ${MOVE_WORDS[move][0]} only when ${(MOVES[move] as readonly string[]).map((s) => s.replace(/_/g, ' ')).join(', ')}`,
    `शिकायत ${ticket} की स्थिति "${status}" है; इसे केवल ${(MOVES[move] as readonly string[]).join(', ')} स्थिति में ${MOVE_WORDS[move][1]} जा सकता है`,
    { field: 'status', status, allowedFrom: MOVES[move] },
  );
}

/** What happened under the feet of a request: the ticket moved on between reading and writing. */
export const movedOn = (ticket: string) => conflict(
  `Grievance ${ticket} was changed by someone else just now; reload it and try again`,
  `शिकायत ${ticket} अभी किसी और ने बदली है; फिर से खोलकर प्रयास करें`,
  { field: 'status' },
);

// ---- working days ---------------------------------------------------------------------------

export interface WorkCalendar { weekendDays: ReadonlySet<number>; holidays: ReadonlySet<string> }
export const DEFAULT_WEEKEND = [0, 6];

const IST_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
/** The IST calendar date of an instant, as YYYY-MM-DD. */
export const istDate = (d: Date) => new Date(d.getTime() + IST_MS).toISOString().slice(0, 10);

/**
 * The end (23:59:59.999 IST) of the `days`-th working day after the day of `from` (IST): weekends
 * and the state's gazetted holidays are skipped. Filing on a Friday with 1 day is due Monday night.
 */
export function addWorkingDays(from: Date, days: number, cal: WorkCalendar): Date {
  let day = Date.parse(`${istDate(from)}T00:00:00Z`);
  let counted = 0;
  for (let guard = 0; counted < days && guard < 3660; guard++) {
    day += DAY_MS;
    const d = new Date(day);
    if (cal.weekendDays.has(d.getUTCDay()) || cal.holidays.has(d.toISOString().slice(0, 10))) continue;
    counted++;
  }
  return new Date(day + DAY_MS - IST_MS - 1);
}

/** Working days between two instants' IST dates (after `from`, up to and including `to`). */
export function workingDaysBetween(from: Date, to: Date, cal: WorkCalendar): number {
  let day = Date.parse(`${istDate(from)}T00:00:00Z`);
  const end = Date.parse(`${istDate(to)}T00:00:00Z`);
  let n = 0;
  while (day < end) {
    day += DAY_MS;
    const d = new Date(day);
    if (!cal.weekendDays.has(d.getUTCDay()) && !cal.holidays.has(d.toISOString().slice(0, 10))) n++;
  }
  return n;
}

/** How the citizen sees who did something: a role, never a name. */
export function roleLabel(role: string | null, byCitizen: boolean): string {
  if (byCitizen) return 'citizen';
  switch (role) {
    case null: case undefined: case 'system': return 'system';
    case 'facility_operator': case 'doctor': case 'cho': return 'facility';
    case 'district_officer': case 'block_officer': return 'district officer';
    case 'state_officer': case 'admin': return 'state officer';
    case 'helpline_agent': return 'helpline';
    default: return 'officer';
  }
}
