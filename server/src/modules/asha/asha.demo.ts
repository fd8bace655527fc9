// Demo data of ASHA incentives (`npm start` on an empty database): two ASHAs of the demo CHO's
// sub-centre in Mandi (the CHO `cho.spoke` recommends their claims), who sign in with the demo staff
// password as `asha.demo` and `asha.demo2`, and a few claims of the first in each state a claim passes
// through (waiting for the ANM, approved, rejected with the reason she reads). Only with a staff password:
// without one nobody could sign in to see them.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { stableUid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { claimMonth, windowOf } from './asha.service.js';
import * as repo from './asha.repository.js';

type Db = Kysely<Database>;
const id = (key: string) => stableUid(`demo:asha:${key}`);

const ASHAS = [
  { key: 'asha.demo', name: 'Kamla Devi', nameHi: 'कमला देवी', mobile: '9816000101', account: '30012345678', ifsc: 'SBIN0050123' },
  { key: 'asha.demo2', name: 'Sunita Thakur', nameHi: 'सुनीता ठाकुर', mobile: '9816000102', account: '30012345679', ifsc: 'PUNB0123400' },
];

export async function seedDemoAsha(db: Db, password: string | null): Promise<{ ashas: number }> {
  if (!password) return { ashas: 0 };
  const cho = await db.selectFrom('users as u').innerJoin('org_units as o', 'o.id', 'u.org_unit_id').select(['u.id as user_id', 'o.id', 'o.path', 'o.state_lgd'])
    .where('u.username', '=', 'cho.spoke').executeTakeFirst();
  // Her villages: the first two of a Mandi block (demo sub-centres sit in the district, not a block).
  const mandi = await db.selectFrom('org_units').select('path').where('level', '=', 'district').where('lgd_code', '=', 22).executeTakeFirst();
  if (!cho || !mandi) return { ashas: 0 };
  const first = await db.selectFrom('org_units').select('path').where('level', '=', 'village').where('path', 'like', `${mandi.path}%`).orderBy('path').executeTakeFirst();
  const block = first ? await repo.blockOfPath(db, first.path) : undefined;
  if (!block) return { ashas: 0 };
  const villages = await db.selectFrom('org_units').select(['id', 'path']).where('level', '=', 'village').where('path', 'like', `${block.path}%`).orderBy('path').limit(2).execute();
  const hash = await hashPassword(password);
  const today = todayIst();
  for (const [i, a] of ASHAS.entries()) {
    const village = villages[Math.min(i, villages.length - 1)];
    await db.insertInto('users').values({ id: id(`user:${a.key}`), username: a.key, password_hash: hash, role: 'asha', org_unit_id: village.id, display_name: a.name, created_by: 'demo' }).execute();
    await repo.insertWorker(db, {
      id: id(a.key), user_id: id(`user:${a.key}`), name: a.name, name_hi: a.nameHi, mobile: a.mobile, sub_centre_id: cho.id, sub_centre_path: cho.path,
      block_id: block.id, block_path: block.path, state_lgd: cho.state_lgd, bank_account: a.account, ifsc: a.ifsc, active_from: '2024-04-01', active_to: null, created_by: null,
    }, [{ asha_id: id(a.key), village_id: village.id, village_path: village.path }]);
  }
  // Her claims: the monthly routine approved, a CBAC screening waiting for the ANM, one rejected.
  const w = await windowOf(db, cho.state_lgd);
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const claims = [
    { key: 'routine', code: '3.1.1.3', doneOn: daysAgo(3), status: 'approved' as const, reason: null },
    { key: 'cbac', code: '3.1.1.7.1', doneOn: daysAgo(2), status: 'submitted' as const, reason: null },
    { key: 'cbac-rejected', code: '3.1.1.7.1', doneOn: daysAgo(6), status: 'rejected' as const, reason: 'CBAC form not signed by the person screened / जाँचे गए व्यक्ति के हस्ताक्षर नहीं' },
  ];
  const now = new Date();
  for (const c of claims) {
    const [rate] = await repo.activitiesOn(db, c.doneOn, c.code, cho.state_lgd);
    if (!rate) continue;
    await repo.insertClaim(db, {
      id: id(`claim:${c.key}`), client_id: stableUuid(c.key), asha_id: id('asha.demo'), activity_code: c.code, beneficiary_patient_id: null, pregnancy_number: null,
      done_on: c.doneOn, claim_month: claimMonth(c.doneOn, w), amount: Number(rate.amount), fund_source: rate.fund_source, status: c.status, flags: '[]', photo_key: null,
      sub_centre_path: cho.path, block_id: block.id, state_lgd: cho.state_lgd, submitted_at: now, status_at: now,
      recommended_by: c.status === 'approved' ? cho.user_id : null, recommended_at: c.status === 'approved' ? now : null,
      approved_by: null, approved_at: c.status === 'approved' ? now : null, approve_note: null,
      rejected_by: null, rejected_at: c.status === 'rejected' ? now : null, reject_reason: c.reason, batch_id: null, paid_on: null, utr: null, fail_reason: null,
    });
  }
  return { ashas: ASHAS.length };
}

/** A fixed UUID for a demo claim's clientId (the column is a uuid). */
function stableUuid(key: string) {
  const hex = createHash('sha256').update(`asha-demo:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
