// "Find my place": a citizen who closed the waiting room gets back to it with the mobile that booked
// and a one-time code sent to it (patients.otp: codes per number and per address are limited, and a
// code allows five tries, so bookings cannot be found by guessing). Keys are kept only as hashes, so
// each open booking gets a new key; the old link stops working.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { sha256 } from '../../platform/ids.js';
import { requestView } from './telemedicine.views.js';

type Db = Kysely<Database>;

const OPEN = ['waiting', 'called', 'in_consultation'] as const;

/**
 * The open bookings made from home with `mobile` (whose code the caller has checked), oldest first,
 * each with a new waiting-room key. Call inside a transaction: the rows are locked while their keys change.
 */
export async function reopenBookings(db: Db, mobile: string) {
  const rows = await db.selectFrom('tele_requests').select(['id', 'hub_path']).where('channel', '=', 'home')
    .where('requested_by', '=', `citizen:${mobile}`).where('status', 'in', [...OPEN])
    .orderBy('created_at').limit(10).forUpdate().execute();
  const items = [];
  for (const r of rows) {
    const key = randomBytes(18).toString('base64url');
    await db.updateTable('tele_requests').set({ access_key_hash: sha256(key), client_seen_at: new Date() }).where('id', '=', r.id).execute();
    await recordAudit(db, null, { action: 'read', entity: 'tele_request', entityId: r.id, orgPath: r.hub_path, purpose: 'find_my_place', after: { by: 'mobile and code' } });
    items.push({ ...(await requestView(db, r.id)), key });
  }
  return { items };
}
