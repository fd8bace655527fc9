// Calls transferred to a doctor or a counsellor wait in their state's queue until someone picks them
// up. Doctors (role doctor, anywhere in the state) take the doctors' queue; the counsellors' queue is
// taken by helpline agents (the centre's counselling seats): no separate counsellor role. A pick-up
// is a conditional update (helpline.repository.ts claimTransfer): of two at once, one wins, the other 409.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { HelplineQueue } from '../../db/types.helpline.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { maskPhone } from '../dispatch/dispatch.service.js';
import * as repo from './helpline.repository.js';
import { callDetail, stateOf } from './helpline.service.js';

type Db = Kysely<Database>;

/** The queues a person takes: doctors the doctors', helpline agents the counsellors' (an administrator both). */
export function queuesOf(actor: Actor): HelplineQueue[] {
  requirePermission(actor, 'can_take_helpline_transfers');
  const queues: HelplineQueue[] = [];
  if (actor.permissions.has('can_consult')) queues.push('doctor');
  if (actor.permissions.has('can_log_helpline_calls')) queues.push('counsellor');
  if (!queues.length) throw forbidden('Transferred calls are picked up by doctors and by the helpline\'s counsellors', 'स्थानांतरित कॉल डॉक्टर और हेल्पलाइन के परामर्शदाता उठाते हैं');
  return queues;
}

function transferDto(t: repo.TransferRow) {
  return {
    id: t.id, callId: t.call_id, queue: t.queue, status: t.status, reason: t.reason, createdAt: t.created_at.toISOString(),
    waitingSeconds: Math.max(0, Math.round(((t.claimed_at ?? new Date()).getTime() - t.created_at.getTime()) / 1000)),
    language: t.language, category: t.category, protocol: t.protocol, disposition: t.disposition, redFlags: t.red_flags ?? [],
    callerMobileMasked: maskPhone(t.caller_mobile), claimedBy: t.claimed_name ?? t.claimed_username ?? null, claimedAt: t.claimed_at ? t.claimed_at.toISOString() : null,
  };
}

/** Calls waiting in the caller's queues (emergencies first, then the longest waiting), or those the caller picked up. */
export async function listTransfers(db: Db, actor: Actor, q: { queue?: HelplineQueue; status?: 'waiting' | 'mine' }) {
  const queues = queuesOf(actor);
  if (q.queue && !queues.includes(q.queue)) {
    throw forbidden(`You take the ${queues.join(' and ')} queue, not the ${q.queue} queue`, `आप ${queues.join(' और ')} कतार लेते हैं, ${q.queue} कतार नहीं`);
  }
  const rows = q.status === 'mine' ? await repo.claimedBy(db, actor.userId) : await repo.waitingTransfers(db, stateOf(actor), q.queue ? [q.queue] : queues);
  return { queues, items: rows.map(transferDto) };
}

/** Picks up a waiting call: 200 with the call (the caller's number in full, an audited read), or 409 when someone was first. */
export async function claimTransfer(db: Db, actor: Actor, id: string) {
  const queues = queuesOf(actor);
  const state = stateOf(actor);
  if (!(await repo.claimTransfer(db, id, actor.userId, state, queues))) {
    const t = await repo.loadTransfer(db, id);
    if (!t || t.state_path !== state) throw notFound(`No transferred call has id ${id}`, `आईडी ${id} वाली कोई स्थानांतरित कॉल नहीं है`);
    if (!queues.includes(t.queue)) throw forbidden(`This call waits for a ${t.queue}; you take the ${queues.join(' and ')} queue`, `यह कॉल ${t.queue} की प्रतीक्षा में है; आप ${queues.join(' और ')} कतार लेते हैं`);
    const who = t.claimed_name ?? t.claimed_username ?? 'someone';
    throw conflict(t.status === 'closed' ? `This call was already dealt with by ${who}` : `${who} picked up this call first`,
      t.status === 'closed' ? `यह कॉल ${who} पहले ही निपटा चुके हैं` : `${who} ने यह कॉल पहले उठा ली`, { status: t.status, claimedBy: who });
  }
  const t = (await repo.loadTransfer(db, id))!;
  const call = (await repo.loadCall(db, t.call_id))!;
  await recordAudit(db, actor, { action: 'update', entity: 'helpline_transfer', entityId: id, orgPath: state, before: { status: 'waiting' }, after: { status: 'claimed' } });
  await recordAudit(db, actor, { action: 'read', entity: 'helpline_call', entityId: call.id, orgPath: state, purpose: `picked up from the ${t.queue} queue` });
  return { ...transferDto(t), call: callDetail(call) };
}

/** Closes a call one picked up, saying what was done. */
export async function closeTransfer(db: Db, actor: Actor, id: string, note: string) {
  queuesOf(actor);
  const text = note.trim();
  if (!(await repo.closeTransfer(db, id, actor.userId, text))) {
    const t = await repo.loadTransfer(db, id);
    if (!t || t.state_path !== stateOf(actor)) throw notFound(`No transferred call has id ${id}`, `आईडी ${id} वाली कोई स्थानांतरित कॉल नहीं है`);
    throw conflict(t.status === 'waiting' ? 'Pick up the call before closing it' : t.status === 'closed' ? 'This call is already closed' : 'Only the one who picked up this call closes it',
      t.status === 'waiting' ? 'बंद करने से पहले कॉल उठाएँ' : t.status === 'closed' ? 'यह कॉल पहले ही बंद है' : 'केवल कॉल उठाने वाला ही इसे बंद करता है', { status: t.status });
  }
  await recordAudit(db, actor, { action: 'update', entity: 'helpline_transfer', entityId: id, orgPath: stateOf(actor), before: { status: 'claimed' }, after: { status: 'closed' } });
  return transferDto((await repo.loadTransfer(db, id))!);
}
