// Escalation: a claim the ANM has not recommended within N days (the state's setting, 7 by default) is
// escalated to the block's medical officer, who may then approve it directly; a claim the MO has not
// approved within N days of its recommendation goes to the district. Each escalation writes a notice
// to the officers of the new level (asha_notices, by area), and the sub-centre is told through the
// outbox (one message per sub-centre and sweep, to the facility's mobile or e-mail in the registry).
// A function of the clock it is given (tests move it); exactly once with several instances: the
// update is conditional on the level read (`where escalated_level = $old and status = $status`).
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit.js';
import { mobileNumber, type NewMessage, type Outbox } from '../../platform/outbox/index.js';
import { pathIds, type Db } from './asha.service.js';

export interface Escalated { claimId: string; level: number; subCentreId: string }

export async function escalateOverdue(db: Db, now: Date, limit = 2000): Promise<Escalated[]> {
  const { rows } = await sql<{ id: string; status: string; escalated_level: number; sub_centre_path: string; days: number }>`
    select c.id, c.status, c.escalated_level, c.sub_centre_path, coalesce(s.escalation_days, 7) as days
    from asha_claims c left join asha_settings s on s.state_lgd = c.state_lgd
    where ((c.status = 'submitted' and c.escalated_level = 0) or (c.status = 'recommended' and c.escalated_level < 2))
      and c.status_at < ${now}::timestamptz - make_interval(days => coalesce(s.escalation_days, 7))
    order by c.status_at limit ${limit}`.execute(db);
  const done: Escalated[] = [];
  for (const c of rows) {
    const level = c.status === 'submitted' ? 1 : 2;
    const moved = await db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('asha_claims').set({ escalated_level: level }).where('id', '=', c.id).where('status', '=', c.status as any)
        .where('escalated_level', '=', c.escalated_level).returning('id').executeTakeFirst();
      if (!r) return false;
      const ids = pathIds(c.sub_centre_path);
      // The block is the unit above the sub-centre's PHC chain: the notice goes to the path of the level's officers.
      const levelPath = level === 1 ? await blockPathOf(trx, ids) : `/${ids.slice(0, 3).join('/')}/`;
      const text = level === 1
        ? `ASHA claim ${c.id} waited more than ${c.days} days for the ANM's recommendation; the MO in charge may now decide it`
        : `ASHA claim ${c.id} waited more than ${c.days} days for the MO's approval; escalated to the district`;
      await trx.insertInto('asha_notices').values({ claim_id: c.id, org_path: levelPath, level: level === 1 ? 'mo' : 'district', text, at: now }).execute();
      await recordAudit(trx, null, { action: 'update', entity: 'asha_claim', entityId: c.id, orgPath: c.sub_centre_path, purpose: 'escalation', before: { escalatedLevel: c.escalated_level }, after: { escalatedLevel: level } });
      return true;
    });
    if (moved) done.push({ claimId: c.id, level, subCentreId: pathIds(c.sub_centre_path).at(-1)! });
  }
  return done;
}

async function blockPathOf(db: Db, ids: string[]) {
  const b = await db.selectFrom('org_units').select('path').where('id', 'in', ids).where('level', '=', 'block').executeTakeFirst();
  return b?.path ?? `/${ids.slice(0, 3).join('/')}/`;
}

/** The periodic run: escalates, then tells each sub-centre concerned through the outbox. */
export async function escalationSweep(db: Db, outbox: Outbox | undefined, now = new Date(), log?: (m: string) => void) {
  const done = await escalateOverdue(db, now);
  if (!outbox || !done.length) return done;
  const bySc = new Map<string, Escalated[]>();
  for (const e of done) bySc.set(e.subCentreId, [...(bySc.get(e.subCentreId) ?? []), e]);
  const contacts = await db.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id').select(['f.id', 'f.phone', 'f.email', 'o.name', 'o.path'])
    .where('f.id', 'in', [...bySc.keys()]).execute();
  const messages: NewMessage[] = [];
  for (const f of contacts) {
    const list = bySc.get(f.id)!;
    const params = {
      en: `Swasthya: ${list.length} ASHA incentive claim(s) of ${f.name} waited too long and were escalated. Please act on them today.`,
      hi: `स्वास्थ्य: ${f.name} के ${list.length} आशा प्रोत्साहन दावे बहुत समय से लंबित थे और आगे भेजे गए। कृपया आज ही कार्रवाई करें।`,
    };
    const common = { template: 'text', params, language: 'both' as const, about: { kind: 'asha_escalation', id: f.id }, orgPath: f.path };
    const mobile = mobileNumber(f.phone);
    if (mobile) messages.push({ ...common, to: mobile, channel: 'sms' });
    if (f.email) messages.push({ ...common, to: f.email, channel: 'email' });
  }
  if (messages.length) await outbox.send(messages).catch((e: Error) => log?.(`asha: escalation messages not queued: ${e.message}`));
  return done;
}
