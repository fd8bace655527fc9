// What officers do with a ticket: assign, start, reply (the citizen sees it), note (internal), ask
// the citizen (waiting_for_citizen), interim reply (extends the resolution deadline once), resolve
// (a resolution text is required), close, reopen. Each runs under the ticket's row lock and moves it
// with a conditional update, so two officers acting at once get one success and one 409.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict } from '../../platform/errors.js';
import { ROLE_PERMISSIONS, isRole } from '../../platform/roles.js';
import { notices, notifyCitizen, type Notice } from './grievances.notify.js';
import * as repo from './grievances.repository.js';
import { ESCALATION_DAYS, addWorkingDays, levelRank, movedOn, requireMove, type Move } from './grievances.rules.js';
import type { GrievanceLevel, GrievanceStatus } from './grievances.schema.js';
import { inTransaction, requireHandler, requireSeen, ticketDto, type Ctx } from './grievances.service.js';

interface Step {
  /** Columns to set; `status` when the ticket moves. */
  set: Record<string, unknown>;
  event: { kind: string; text?: string | null; visible: boolean };
  notice?: Notice;
}

/** Locks the ticket, checks who and what, applies the step; then tells the citizen and answers with the ticket. */
async function act(ctx: Ctx, actor: Actor, ticketNumber: string, move: Move, plan: (trx: Transaction<Database>, row: repo.TicketRow, now: Date) => Promise<Step> | Step) {
  requirePermission(actor, 'can_handle_grievances');
  const now = new Date();
  const { row, notice } = await inTransaction(ctx.db, async (db) => {
    const trx = db as Transaction<Database>;
    const row = requireSeen(actor, await repo.lockTicket(trx, ticketNumber), ticketNumber);
    requireHandler(actor, row);
    requireMove(move, row.status, row.ticket_number);
    const step = await plan(trx, row, now);
    if (!(await repo.moveTicket(trx, row.id, [row.status], step.set))) throw movedOn(row.ticket_number);
    const to = (step.set.status as string | undefined) ?? row.status;
    await repo.insertEvent(trx, {
      grievanceId: row.id, kind: step.event.kind, text: step.event.text ?? null, visible: step.event.visible,
      fromStatus: row.status, toStatus: to, byUser: actor.userId, byRole: actor.role,
    });
    await recordAudit(trx, actor, { action: 'update', entity: 'grievance', entityId: row.id, orgPath: row.org_path, before: { status: row.status }, after: { status: to, action: move } });
    return { row: (await repo.loadTicket(trx, row.ticket_number))!, notice: step.notice };
  });
  if (notice) await notifyCitizen(ctx.sms, row.mobile, notice, ctx.log, { ticketNumber: row.ticket_number, orgPath: row.org_path });
  return ticketDto(ctx.db, row, now);
}

const text = (s: string, field: string, en: string, hi: string) => {
  const t = s.trim();
  if (!t) throw badRequest(en, hi, { field });
  return t;
};

/** The first answer the citizen gets stops the first-response clock. */
const responded = (row: repo.TicketRow, now: Date) => (row.first_responded_at ? {} : { first_responded_at: now });

/** Assigns the ticket to an officer who may handle it (the caller by default). */
export function assign(ctx: Ctx, actor: Actor, ticketNumber: string, userId?: string) {
  return act(ctx, actor, ticketNumber, 'assign', async (trx, row) => {
    const target = userId && userId !== actor.userId ? await repo.handlerUser(trx, userId) : null;
    if (userId && userId !== actor.userId) {
      const rank = target ? ({ facility: 0, district: 1, state: 2, country: 3 } as Record<string, number>)[target.level] ?? 0 : -1;
      const may = target && target.active && isRole(target.role) && ROLE_PERMISSIONS[target.role].includes('can_handle_grievances');
      if (!target || !may || !row.org_path.startsWith(target.path) || rank < levelRank(row.level as GrievanceLevel)) {
        throw badRequest('Assign it to an active officer over this grievance\'s place and level (facility in-charge, district or state officer)', 'इसे इस शिकायत के स्थान और स्तर के सक्रिय अधिकारी को सौंपें', { field: 'userId' });
      }
    }
    const status: GrievanceStatus = row.status === 'new' || row.status === 'reopened' ? 'assigned' : row.status;
    return { set: { status, assigned_to: target?.id ?? actor.userId }, event: { kind: 'assigned', visible: true } };
  });
}

export function start(ctx: Ctx, actor: Actor, ticketNumber: string) {
  return act(ctx, actor, ticketNumber, 'start', () => ({ set: { status: 'in_progress' }, event: { kind: 'in_progress', visible: true } }));
}

export function reply(ctx: Ctx, actor: Actor, ticketNumber: string, message: string) {
  const m = text(message, 'message', 'Write the reply', 'उत्तर लिखें');
  return act(ctx, actor, ticketNumber, 'reply', (_trx, row, now) => ({
    set: { status: 'in_progress', ...responded(row, now) }, event: { kind: 'reply', text: m, visible: true }, notice: notices.reply(row.ticket_number),
  }));
}

export function note(ctx: Ctx, actor: Actor, ticketNumber: string, body: string) {
  const n = text(body, 'note', 'Write the note', 'नोट लिखें');
  return act(ctx, actor, ticketNumber, 'note', () => ({ set: {}, event: { kind: 'note', text: n, visible: false } }));
}

export function waitForCitizen(ctx: Ctx, actor: Actor, ticketNumber: string, message: string) {
  const m = text(message, 'message', 'Say what the citizen should add', 'नागरिक क्या जोड़े, यह बताएँ');
  return act(ctx, actor, ticketNumber, 'wait', (_trx, row, now) => ({
    set: { status: 'waiting_for_citizen', ...responded(row, now) }, event: { kind: 'waiting_for_citizen', text: m, visible: true }, notice: notices.waiting(row.ticket_number),
  }));
}

/** An interim reply: the resolution deadline moves by `days` working days, once per ticket, with a reason the citizen sees. */
export function interim(ctx: Ctx, actor: Actor, ticketNumber: string, reason: string, days: number) {
  const r = text(reason, 'reason', 'Say why more time is needed', 'और समय क्यों चाहिए, बताएँ');
  return act(ctx, actor, ticketNumber, 'interim', async (trx, row, now) => {
    if (row.extended_at) {
      throw conflict(`The resolution deadline of ${row.ticket_number} was already extended once (${row.extended_at.toISOString().slice(0, 10)}); it cannot be extended again`, `शिकायत ${row.ticket_number} की समय-सीमा एक बार बढ़ाई जा चुकी है; फिर नहीं बढ़ सकती`, { field: 'extendDays' });
    }
    const cal = await repo.calendar(trx, row.state_lgd, row.resolution_due);
    const due = addWorkingDays(row.resolution_due, days, cal);
    return {
      set: { resolution_due: due, extended_at: now, extension_reason: r, ...responded(row, now) },
      event: { kind: 'interim_reply', text: r, visible: true }, notice: notices.interim(row.ticket_number, due),
    };
  });
}

export function resolve(ctx: Ctx, actor: Actor, ticketNumber: string, resolution: string) {
  const r = text(resolution, 'resolution', 'Say how the grievance was resolved: the citizen reads it', 'शिकायत का निपटारा कैसे हुआ, लिखें: नागरिक इसे पढ़ेंगे');
  return act(ctx, actor, ticketNumber, 'resolve', (_trx, row, now) => ({
    set: {
      status: 'resolved', resolution: r, resolved_at: now, closed_at: null, ...responded(row, now),
      ...(row.appeal_opened_at && !row.appeal_decided_at ? { appeal_decided_at: now } : {}),
    },
    event: { kind: 'resolved', text: r, visible: true }, notice: notices.resolved(row.ticket_number),
  }));
}

export function close(ctx: Ctx, actor: Actor, ticketNumber: string, body?: string) {
  return act(ctx, actor, ticketNumber, 'close', (_trx, _row, now) => ({ set: { status: 'closed', closed_at: now }, event: { kind: 'closed', text: body?.trim() || null, visible: true } }));
}

/** Reopened by an officer (the citizen called, the resolution did not hold): a fresh resolution deadline. */
export function reopen(ctx: Ctx, actor: Actor, ticketNumber: string, reason: string) {
  const r = text(reason, 'reason', 'Say why it is reopened', 'फिर से खोलने का कारण बताएँ');
  return act(ctx, actor, ticketNumber, 'reopen', async (trx, row, now) => {
    const cal = await repo.calendar(trx, row.state_lgd, now);
    return { set: { status: 'reopened', closed_at: null, resolution_due: addWorkingDays(now, ESCALATION_DAYS, cal) }, event: { kind: 'reopened', text: r, visible: true } };
  });
}
