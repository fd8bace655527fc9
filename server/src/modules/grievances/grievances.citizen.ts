// The citizen's side without signing in: a one-time code to the ticket's mobile (or the access token
// a code gave in the last 30 minutes) shows the ticket with its citizen-visible history, and lets
// them add information, reopen within 15 days of the resolution, and rate it; "not satisfied" opens
// an appeal to the next level, to be decided within 30 days. A wrong code, or a mobile that is not
// the ticket's, gets the same answer whether or not the ticket exists.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newToken, sha256 } from '../../platform/ids.js';
import { requireMobile } from '../patients/patients.identity.js';
import { checkOtp } from '../patients/patients.otp.js';
import { notices, notifyCitizen, notifyOfficers, type Notice } from './grievances.notify.js';
import * as repo from './grievances.repository.js';
import { ACCESS_MINUTES, APPEAL_DAYS, ESCALATION_DAYS, REOPEN_DAYS, addWorkingDays, levelUnit, movedOn, nextLevel, roleLabel } from './grievances.rules.js';
import type { AccessInput, GrievanceLevel } from './grievances.schema.js';
import { inTransaction, iso, type Ctx, type Db } from './grievances.service.js';

export const OTP_PURPOSE = 'grievance';
const DAY = 86_400_000;

const nobody = () => notFound(
  'No grievance with this number was filed from this mobile number, or the access has expired; check the number or ask for a new code',
  'इस मोबाइल नंबर से इस नंबर की कोई शिकायत दर्ज नहीं है, या पहुँच की अवधि समाप्त हो गई; नंबर जाँचें या नया कोड मँगाएँ',
);

/** A fresh access token for a ticket (after a code), valid ACCESS_MINUTES. */
export async function grantAccess(db: Db, grievanceId: string) {
  const token = newToken();
  const expires = new Date(Date.now() + ACCESS_MINUTES * 60_000);
  await repo.insertAccess(db, sha256(token), grievanceId, expires);
  return { accessToken: token, accessExpiresAt: expires.toISOString() };
}

/** Proves the caller holds the ticket's mobile: an access token, or a code (used up here) sent to it. */
export async function citizenAccess(db: Db, ticketNumber: string, access: AccessInput) {
  if (access.accessToken) {
    const a = await repo.ticketByAccess(db, sha256(access.accessToken), ticketNumber);
    if (!a) throw nobody();
    return { accessToken: access.accessToken, accessExpiresAt: a.expiresAt.toISOString() };
  }
  if (!access.mobile || !access.challengeId || !access.code) {
    throw badRequest('Give your mobile number and the code sent to it (mobile, challengeId, code)', 'अपना मोबाइल नंबर और उस पर भेजा गया कोड दें', { field: 'code' });
  }
  const mobile = requireMobile(access.mobile);
  await checkOtp(db, access.challengeId, access.code, mobile, OTP_PURPOSE);
  const t = await repo.ticketNumberForMobile(db, ticketNumber, mobile);
  if (!t) throw nobody();
  return grantAccess(db, t.id);
}

function publicTicket(row: repo.TicketRow, events: Awaited<ReturnType<typeof repo.eventsOf>>, access: { accessToken: string; accessExpiresAt: string }, now: Date) {
  const reopenUntil = row.status === 'resolved' && row.resolved_at ? new Date(row.resolved_at.getTime() + REOPEN_DAYS * DAY) : null;
  return {
    ticketNumber: row.ticket_number, status: row.status, type: row.type as any, level: row.level,
    facilityName: row.facility_name ?? null, facilityNameHi: row.facility_name_hi ?? null, districtName: row.district_name, districtNameHi: row.district_name_hi,
    filedAt: iso(row.created_at)!, firstResponseDue: iso(row.first_response_due)!, resolutionDue: iso(row.resolution_due)!,
    resolution: row.resolution, resolvedAt: iso(row.resolved_at), reopenUntil: iso(reopenUntil),
    canReopen: !!reopenUntil && now.getTime() <= reopenUntil.getTime(),
    canRate: row.status === 'resolved' && (!row.rated_at || (row.resolved_at != null && row.rated_at < row.resolved_at)),
    rating: row.rated_at ? { satisfied: !!row.rating_satisfied, score: row.rating_score, at: iso(row.rated_at)! } : null,
    appeal: row.appeal_opened_at ? { level: row.appeal_level!, openedAt: iso(row.appeal_opened_at)!, due: iso(row.appeal_due)!, decidedAt: iso(row.appeal_decided_at) } : null,
    // Citizen-visible events only; who did it by role, never by name.
    history: events.filter((e) => e.visible).map((e) => ({ at: iso(e.at)!, kind: e.kind, text: e.text, by: roleLabel(e.by_role, e.by_citizen), status: (e.to_status as any) ?? null })),
    ...access,
  };
}

/** The ticket as its citizen sees it. */
export async function trackTicket(db: Db, ticketNumber: string, access: AccessInput) {
  const granted = await citizenAccess(db, ticketNumber, access);
  const row = await repo.loadTicket(db, ticketNumber);
  if (!row) throw nobody();
  return publicTicket(row, await repo.eventsOf(db, row.id, true), granted, new Date());
}

interface CitizenStep { set: Record<string, unknown>; events: { kind: string; text?: string | null }[]; notice?: Notice; officers?: { level: GrievanceLevel; kind: string; text: string } }

async function citizenAct(ctx: Ctx, ticketNumber: string, access: AccessInput, plan: (trx: Transaction<Database>, row: repo.TicketRow, now: Date) => Promise<CitizenStep> | CitizenStep) {
  const granted = await citizenAccess(ctx.db, ticketNumber, access);
  const now = new Date();
  const { row, notice } = await inTransaction(ctx.db, async (db) => {
    const trx = db as Transaction<Database>;
    const row = await repo.lockTicket(trx, ticketNumber);
    if (!row) throw nobody();
    const step = await plan(trx, row, now);
    if (!(await repo.moveTicket(trx, row.id, [row.status], step.set))) throw movedOn(row.ticket_number);
    const to = (step.set.status as string | undefined) ?? row.status;
    for (const e of step.events) {
      await repo.insertEvent(trx, { grievanceId: row.id, kind: e.kind, text: e.text ?? null, visible: true, fromStatus: row.status, toStatus: to, byCitizen: true });
    }
    if (step.officers) {
      const unit = levelUnit(row.org_path, step.officers.level, row.facility_id);
      await notifyOfficers(trx, { grievanceId: row.id, orgUnitId: unit.id, orgPath: unit.path, level: step.officers.level, kind: step.officers.kind, text: step.officers.text });
    }
    return { row: (await repo.loadTicket(trx, row.ticket_number))!, notice: step.notice };
  });
  if (notice) await notifyCitizen(ctx.sms, row.mobile, notice, ctx.log, { ticketNumber: row.ticket_number, orgPath: row.org_path });
  return publicTicket(row, await repo.eventsOf(ctx.db, row.id, true), granted, now);
}

/** More information from the citizen; a ticket waiting for it goes back to the officer. */
export function addInformation(ctx: Ctx, ticketNumber: string, access: AccessInput, body: string) {
  const t = body.trim();
  if (!t) throw badRequest('Write what you want to add', 'जो जोड़ना है, लिखें', { field: 'text' });
  return citizenAct(ctx, ticketNumber, access, (_trx, row) => {
    if (row.status === 'closed') throw conflict(`Grievance ${row.ticket_number} is closed; file a new one if the problem is back`, `शिकायत ${row.ticket_number} बंद है; समस्या फिर हो तो नई शिकायत दर्ज करें`, { field: 'status', status: row.status });
    return { set: row.status === 'waiting_for_citizen' ? { status: 'in_progress' } : {}, events: [{ kind: 'citizen_information', text: t }] };
  });
}

/** Reopens a resolved ticket within REOPEN_DAYS of its resolution. */
export function reopenByCitizen(ctx: Ctx, ticketNumber: string, access: AccessInput, reason: string) {
  const r = reason.trim();
  if (!r) throw badRequest('Say why you are not satisfied', 'बताएँ कि आप संतुष्ट क्यों नहीं हैं', { field: 'reason' });
  return citizenAct(ctx, ticketNumber, access, async (trx, row, now) => {
    if (row.status !== 'resolved' || !row.resolved_at) {
      throw conflict(`Grievance ${row.ticket_number} is ${row.status.replace(/_/g, ' ')}; only a resolved grievance can be reopened`, `शिकायत ${row.ticket_number} की स्थिति "${row.status}" है; केवल निपटाई गई शिकायत फिर खोली जा सकती है`, { field: 'status', status: row.status });
    }
    if (now.getTime() > row.resolved_at.getTime() + REOPEN_DAYS * DAY) {
      throw conflict(`Grievance ${row.ticket_number} was resolved more than ${REOPEN_DAYS} days ago and can no longer be reopened; file a new one`, `शिकायत ${row.ticket_number} का निपटारा ${REOPEN_DAYS} दिन से पहले हुआ था; अब नई शिकायत दर्ज करें`, { field: 'status', status: row.status });
    }
    const cal = await repo.calendar(trx, row.state_lgd, now);
    return { set: { status: 'reopened', resolution_due: addWorkingDays(now, ESCALATION_DAYS, cal) }, events: [{ kind: 'reopened', text: r }] };
  });
}

/**
 * The citizen's rating of a resolution. Satisfied: closed. Not satisfied, the first time: an appeal
 * to the next level (reopened there, decided within APPEAL_DAYS). Not satisfied after the appeal was
 * decided: closed, with the rating kept for the figures.
 */
export function rate(ctx: Ctx, ticketNumber: string, access: AccessInput, r: { satisfied: boolean; score?: number; comment?: string }) {
  return citizenAct(ctx, ticketNumber, access, (_trx, row, now) => {
    const rated = row.rated_at && row.resolved_at && row.rated_at >= row.resolved_at;
    if (row.status !== 'resolved' || rated) {
      throw conflict(rated ? `You have already rated this resolution of ${row.ticket_number}` : `Grievance ${row.ticket_number} is ${row.status.replace(/_/g, ' ')}; a resolution can be rated once it is resolved`,
        rated ? `आप शिकायत ${row.ticket_number} के इस निपटारे का मूल्यांकन कर चुके हैं` : `शिकायत ${row.ticket_number} की स्थिति "${row.status}" है; निपटारे के बाद ही मूल्यांकन होगा`, { field: 'status', status: row.status });
    }
    const rating = { rating_satisfied: r.satisfied, rating_score: r.score ?? null, rating_comment: r.comment?.trim() || null, rated_at: now };
    const score = `${r.satisfied ? 'satisfied' : 'not satisfied'}${r.score ? ` (${r.score}/5)` : ''}`;
    if (r.satisfied || row.appeal_opened_at) {
      return { set: { ...rating, status: 'closed', closed_at: now }, events: [{ kind: 'rated', text: score }, { kind: 'closed' }] };
    }
    const level = nextLevel(row.level as GrievanceLevel);
    const due = new Date(now.getTime() + APPEAL_DAYS * DAY);
    return {
      set: { ...rating, status: 'reopened', level, assigned_to: null, appeal_level: level, appeal_opened_at: now, appeal_due: due, resolution_due: due },
      events: [{ kind: 'rated', text: score }, { kind: 'appeal_opened', text: r.comment?.trim() || null }],
      notice: notices.appeal(row.ticket_number, due),
      officers: { level, kind: 'appeal', text: `Appeal on ${row.ticket_number}: the citizen is not satisfied with the resolution; decide by ${due.toISOString().slice(0, 10)}` },
    };
  });
}
