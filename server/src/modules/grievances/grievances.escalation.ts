// Escalation: a ticket past a deadline (first response, resolution, or an undecided appeal) goes one
// level up (facility → district → state), the next level gets ESCALATION_DAYS working days, the
// citizen sees it in the history and the officers of that level get a notice. A pure function of the
// clock it is given, so a test can move the clock; it is run periodically by the routes.
//
// Exactly once, with any number of server instances: the update is conditional on the escalation
// count read (`where escalated_level = $old`); of two instances escalating the same ticket at once,
// the second waits for the first's row lock, re-reads, finds the count changed and updates nothing.
import { recordAudit } from '../../platform/audit.js';
import { notices, notifyCitizen, notifyOfficers } from './grievances.notify.js';
import * as repo from './grievances.repository.js';
import { ESCALATION_DAYS, addWorkingDays, levelUnit, nextLevel, type WorkCalendar } from './grievances.rules.js';
import type { GrievanceLevel } from './grievances.schema.js';
import { inTransaction, type Ctx, type Db } from './grievances.service.js';

export interface Escalation { id: string; ticketNumber: string; from: GrievanceLevel; to: GrievanceLevel; escalatedLevel: number; mobile: string }

export async function escalateOverdue(db: Db, now: Date, opts: { limit?: number } = {}): Promise<Escalation[]> {
  const due = await repo.overdueTickets(db, now, opts.limit ?? 500);
  const calendars = new Map<number | null, WorkCalendar>();
  const done: Escalation[] = [];
  for (const t of due) {
    const from = t.level as GrievanceLevel;
    const to = nextLevel(from);
    let cal = calendars.get(t.state_lgd);
    if (!cal) calendars.set(t.state_lgd, cal = await repo.calendar(db, t.state_lgd, now));
    const newDue = addWorkingDays(now, ESCALATION_DAYS, cal);
    const did = await inTransaction(db, async (trx) => {
      if (!(await repo.escalateTicket(trx, t.id, t.escalated_level, { level: to, at: now, due: newDue }))) return false;
      const why = from === to ? `still overdue at the ${to} level` : `escalated from the ${from} level to the ${to} level: the deadline passed`;
      await repo.insertEvent(trx, { grievanceId: t.id, kind: 'escalated', text: why, visible: true, byRole: 'system', at: now });
      const unit = levelUnit(t.org_path, to, t.facility_id);
      await notifyOfficers(trx, {
        grievanceId: t.id, orgUnitId: unit.id, orgPath: unit.path, level: to, kind: 'escalated', at: now,
        text: `Grievance ${t.ticket_number} ${why}; respond by ${newDue.toISOString().slice(0, 10)}`,
      });
      await recordAudit(trx, null, { action: 'update', entity: 'grievance', entityId: t.id, orgPath: t.org_path, purpose: 'escalation', before: { level: from, escalatedLevel: t.escalated_level }, after: { level: to, escalatedLevel: t.escalated_level + 1 } });
      return true;
    });
    if (did) done.push({ id: t.id, ticketNumber: t.ticket_number, from, to, escalatedLevel: t.escalated_level + 1, mobile: t.mobile });
  }
  return done;
}

/** The periodic run: escalates what is overdue now and tells each citizen. */
export async function escalationSweep(ctx: Ctx, now = new Date()) {
  const done = await escalateOverdue(ctx.db, now);
  for (const e of done) await notifyCitizen(ctx.sms, e.mobile, notices.escalated(e.ticketNumber), ctx.log, { ticketNumber: e.ticketNumber });
  return done;
}
