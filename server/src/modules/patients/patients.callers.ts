// Who is calling the 104 helpline: the patients registered with the number called from, in the
// agent's state. The agent sees enough to greet and link the caller (name, sex, age, village),
// not the record; each person shown is a read of personal data, audited with its purpose.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { auditRow } from '../../platform/audit.js';
import { ageOn, requireRecordArea } from './patients.service.js';

type Db = Kysely<Database>;

export interface Caller { id: string; stateNumber: string; name: string; nameHi: string | null; sex: string; age: number; place: string | null; placeHi: string | null }

/** Patients (not merged away) whose mobile is `mobile` (ten digits) and whose home lies in the agent's area; at most 10. `callId`: the helpline call it is for. */
export async function callersByMobile(db: Db, actor: Actor, mobile: string, callId?: string): Promise<Caller[]> {
  requirePermission(actor, 'can_log_helpline_calls');
  const area = requireRecordArea(actor);
  const rows = await db.selectFrom('patients as p').leftJoin('org_units as h', 'h.id', 'p.home_id')
    .select(['p.id', 'p.state_number', 'p.name', 'p.name_hi', 'p.sex', 'p.birth_date', 'p.home_path', 'h.name as place', 'h.name_hi as place_hi'])
    .where('p.mobile', '=', mobile).where('p.merged_into', 'is', null).where('p.home_path', 'like', `${area}%`)
    .orderBy('p.created_at').limit(10).execute();
  if (rows.length) {
    await db.insertInto('audit_log').values(rows.map((r) => auditRow(actor, { action: 'read', entity: 'patient', entityId: r.id, orgPath: r.home_path, purpose: 'helpline_call', after: callId ? { helplineCall: callId } : undefined }))).execute();
  }
  return rows.map((r) => ({ id: r.id, stateNumber: r.state_number, name: r.name, nameHi: r.name_hi, sex: r.sex, age: ageOn(r.birth_date), place: r.place ?? null, placeHi: r.place_hi ?? null }));
}
