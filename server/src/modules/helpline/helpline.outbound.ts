// Outbound calls from lists: the helpline rings people on a list (high-risk pregnancies due this week)
// and records each call's result. The list itself comes from the patients module (an audited read
// of each woman listed); the results are the helpline's.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { uid } from '../../platform/ids.js';
import { pregnanciesDue, pregnancyForCall } from '../patients/patients.maternal.js';
import * as repo from './helpline.repository.js';
import type { OutboundInput } from './helpline.schema.js';
import { stateOf } from './helpline.service.js';

type Db = Kysely<Database>;

/** Pregnancies of the agent's state due within `days` days (high-risk only by default), each with the latest call's result. */
export async function pregnanciesDueList(db: Db, actor: Actor, q: { days?: number; risk?: 'high' | 'all' }) {
  requirePermission(actor, 'can_log_helpline_calls');
  const list = await pregnanciesDue(db, actor, { days: q.days ?? 7, risk: q.risk ?? 'high' });
  const last = await repo.lastOutbound(db, list.items.map((x) => x.pregnancyId));
  return {
    ...list,
    items: list.items.map((x) => {
      const l = last.get(x.pregnancyId);
      return { ...x, lastCall: l ? { result: l.result, at: l.created_at.toISOString(), note: l.note } : null };
    }),
  };
}

/** Records one outbound call's result (201). */
export async function logOutbound(db: Db, actor: Actor, input: OutboundInput) {
  requirePermission(actor, 'can_log_helpline_calls');
  const state = stateOf(actor);
  const pregnancy = await pregnancyForCall(db, actor, input.pregnancyId);
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertOutbound(trx, {
      id: uid(), state_path: state, agent_id: actor.userId, list: input.list, pregnancy_id: pregnancy.id,
      patient_id: pregnancy.patient_id, result: input.result, note: input.note?.trim() || null,
    });
    await recordAudit(trx, actor, { action: 'create', entity: 'helpline_outbound_call', entityId: row.id, orgPath: pregnancy.facility_path, after: { list: input.list, pregnancyId: pregnancy.id, result: input.result } });
    return { id: row.id, result: input.result, at: row.created_at.toISOString() };
  });
}
