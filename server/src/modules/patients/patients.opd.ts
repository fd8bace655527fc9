// The OPD queue of a facility worked through the day: a token waits, is called to the counter, is
// with the doctor, is done; a token not answering is absent and can be recalled to wait again.
// Every move is one conditional update in PostgreSQL (its row lock settles two counters pressing at
// once: one moves the token, the other gets a 409 saying what happened), audited in the same
// transaction. A visit recorded for the patient today closes their token (closeTokenForVisit).
import { sql, type Kysely } from 'kysely';
import type { Database, OpdTokenStatus } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { isUid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import type { QueueInput } from './patients.schema.js';
import { facilityFor, requireRecordArea } from './patients.service.js';

type Db = Kysely<Database>;

export const TOKEN_STATES: readonly OpdTokenStatus[] = ['waiting', 'called', 'with_doctor', 'done', 'absent'];

/** Where each state may be reached from by a person at the counter or the doctor. */
export const TOKEN_MOVES: Readonly<Record<OpdTokenStatus, readonly OpdTokenStatus[]>> = {
  called: ['waiting'],
  with_doctor: ['called'],
  done: ['with_doctor'],
  absent: ['waiting', 'called'],
  waiting: ['absent'], // recall
};

/** The states a visit recorded today closes a token from, the furthest along first. */
const OPEN: readonly OpdTokenStatus[] = ['with_doctor', 'called', 'waiting', 'absent'];

const STATE_WORDS: Record<OpdTokenStatus, [string, string]> = {
  waiting: ['waiting', 'प्रतीक्षा में'],
  called: ['called', 'बुलाया गया'],
  with_doctor: ['with the doctor', 'डॉक्टर के पास'],
  done: ['done', 'पूरा'],
  absent: ['absent', 'अनुपस्थित'],
};
const TIME_COLUMN = { called: 'called_at', with_doctor: 'with_doctor_at', done: 'done_at', absent: 'absent_at', waiting: 'recalled_at' } as const;

/** HH:MM in IST, as the counter's clock shows it. */
const istClock = (d: Date) => new Date(d.getTime() + 330 * 60_000).toISOString().slice(11, 16);

async function requireQueueFacility(db: Db, actor: Actor, facilityId: string | undefined) {
  const facility = await facilityFor(db, actor, facilityId);
  if (!facility) throw badRequest('Name the facility (facilityId)', 'संस्थान बताएँ (facilityId)', { field: 'facilityId' });
  return facility;
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenRows>['execute']>>[number];
function tokenRows(db: Db) {
  return db.selectFrom('opd_registrations as r').innerJoin('patients as p', 'p.id', 'r.patient_id')
    .select(['r.id', 'r.token', 'r.department', 'r.day', 'r.status', 'r.created_at', 'r.called_at', 'r.with_doctor_at', 'r.done_at', 'r.absent_at', 'r.recalled_at', 'r.status_at', 'r.status_by',
      'p.id as patient_id', 'p.state_number', 'p.name', 'p.name_hi', 'p.name_latin', 'p.sex', 'p.birth_date']);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function tokenView(r: TokenRow) {
  return {
    id: r.id, token: r.token, department: r.department, status: r.status, at: r.created_at.toISOString(),
    times: { called: iso(r.called_at), withDoctor: iso(r.with_doctor_at), done: iso(r.done_at), absent: iso(r.absent_at), recalled: iso(r.recalled_at) },
    statusAt: iso(r.status_at ?? r.created_at), statusBy: r.status_by,
    patient: { id: r.patient_id, stateNumber: r.state_number, name: r.name, nameHi: r.name_hi, nameLatin: r.name_latin, sex: r.sex, birthYear: Number(r.birth_date.slice(0, 4)) },
  };
}

/**
 * A facility's OPD queue for a day: the count of tokens in each state, and one page of the tokens
 * (of one state, or all), in token order. Names are personal data: each view is audited.
 */
export async function opdQueue(db: Db, actor: Actor, input: QueueInput) {
  requirePermission(actor, 'can_read_patient');
  requireRecordArea(actor);
  const facility = await requireQueueFacility(db, actor, input.facilityId);
  const day = input.day ?? todayIst();
  const department = input.department?.trim().toLowerCase() || null;
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  let counted = db.selectFrom('opd_registrations').select(['status', sql<number>`count(*)::int`.as('n')])
    .where('facility_id', '=', facility.id).where('day', '=', day);
  if (department) counted = counted.where('department', '=', department);
  const rows = await counted.groupBy('status').execute();
  const counts = Object.fromEntries(TOKEN_STATES.map((s) => [s, 0])) as Record<OpdTokenStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  const all = Object.values(counts).reduce((a, b) => a + b, 0);

  let q = tokenRows(db).where('r.facility_id', '=', facility.id).where('r.day', '=', day);
  if (department) q = q.where('r.department', '=', department);
  if (input.status) q = q.where('r.status', '=', input.status as OpdTokenStatus);
  const items = await q.orderBy('r.department').orderBy('r.token').limit(limit).offset(offset).execute();
  const total = input.status ? counts[input.status as OpdTokenStatus] : all;
  await recordAudit(db, actor, { action: 'read', entity: 'opd_queue', entityId: facility.id, orgPath: facility.path, purpose: 'queue', after: { day, department, status: input.status ?? null, results: items.length } });
  return {
    facility: { id: facility.id, name: facility.name, nameHi: facility.name_hi },
    day, department, status: input.status ?? null,
    counts: { ...counts, all }, total, limit, offset, more: offset + items.length < total,
    items: items.map(tokenView),
  };
}

/**
 * The token, when `actor` may work its facility's queue: the permission, then the facility in the
 * actor's area (403), or 404. The route runs it before the body is read, and the service again.
 */
export async function requireToken(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_register_opd');
  requireRecordArea(actor);
  // Runs before the route's schema has checked the path: an id that is no token's id (a NUL, a huge
  // string) is told here, not sent to PostgreSQL.
  if (!isUid(id)) throw notFound(`No OPD token has id ${id.slice(0, 40).replace(/[^\w-]/g, '?')}; refresh the queue`, 'ऐसा कोई ओपीडी टोकन नहीं है; कतार ताज़ा करें');
  const found = await db.selectFrom('opd_registrations as r').innerJoin('org_units as o', 'o.id', 'r.facility_id')
    .select(['r.id', 'r.status', 'o.path', 'o.name']).where('r.id', '=', id).executeTakeFirst();
  if (!found) throw notFound(`No OPD token has id ${id}; refresh the queue`, `आईडी ${id} का कोई ओपीडी टोकन नहीं है; कतार ताज़ा करें`);
  requireScope(actor, found.path, `The OPD queue of ${found.name}`);
  return found;
}

/**
 * Moves a token to `to`: called, with_doctor, done, absent, or waiting (recalling an absent token).
 * The move happens only from the states TOKEN_MOVES allows, checked by the update itself, so of two
 * counters calling one token the second gets a 409 naming who called it and when.
 */
export async function setTokenStatus(db: Db, actor: Actor, id: string, to: OpdTokenStatus) {
  const found = await requireToken(db, actor, id);
  const from = TOKEN_MOVES[to];
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('opd_registrations')
      .set({ status: to, [TIME_COLUMN[to]]: now, status_at: now, status_by: actor.username })
      .where('id', '=', id).where('status', 'in', [...from]).returning('status').executeTakeFirst();
    if (!moved) throw await refusal(trx, id, to);
    await recordAudit(trx, actor, { action: 'update', entity: 'opd_registration', entityId: id, orgPath: found.path, before: { status: from.includes(found.status) ? found.status : from[0] }, after: { status: to } });
    return tokenView(await tokenRows(trx).where('r.id', '=', id).executeTakeFirstOrThrow());
  });
}

/** The 409 for a move the token's state does not allow, read after the update found nothing to move. */
async function refusal(db: Db, id: string, to: OpdTokenStatus) {
  const r = await db.selectFrom('opd_registrations').select(['token', 'status', 'status_at', 'status_by']).where('id', '=', id).executeTakeFirstOrThrow();
  const [now, nowHi] = STATE_WORDS[r.status];
  const [want, wantHi] = STATE_WORDS[to];
  const when = r.status_at ? ` at ${istClock(r.status_at)}` : '';
  const whenHi = r.status_at ? ` ${istClock(r.status_at)} बजे` : '';
  const by = r.status_by ? ` by ${r.status_by}` : '';
  const details = { status: r.status, token: r.token };
  if (r.status === to) {
    return conflict(`Token ${r.token} is already ${now}${by}${when}; refresh the queue and take the next token`,
      `टोकन ${r.token} पहले से ${nowHi} है${r.status_by ? ` (${r.status_by})` : ''}${whenHi}; कतार ताज़ा करें और अगला टोकन लें`, details);
  }
  if (r.status === 'done') {
    return conflict(`Token ${r.token} is done${when}: it cannot be ${want} again; if the patient needs to be seen again, issue a new token`,
      `टोकन ${r.token} पूरा हो चुका है${whenHi}; इसे फिर से "${wantHi}" नहीं किया जा सकता; मरीज़ को दोबारा दिखाना हो तो नया टोकन जारी करें`, details);
  }
  const allowed = TOKEN_MOVES[to].map((s) => STATE_WORDS[s][0]).join(' or ');
  const allowedHi = TOKEN_MOVES[to].map((s) => STATE_WORDS[s][1]).join(' या ');
  return conflict(`Token ${r.token} is ${now}${when}; it can be marked ${want} only when it is ${allowed}; refresh the queue`,
    `टोकन ${r.token} ${nowHi} है${whenHi}; इसे "${wantHi}" केवल तब किया जा सकता है जब यह ${allowedHi} हो; कतार ताज़ा करें`, details);
}

/**
 * A visit recorded today closes the patient's open token at the facility (the one named, or the one
 * furthest along: with the doctor, called, waiting, absent): it becomes done, in the caller's
 * transaction. Returns the token's id, or null when no open token was found.
 */
export async function closeTokenForVisit(db: Db, actor: Actor, patientId: string, facility: { id: string; path: string }, registrationId?: string): Promise<string | null> {
  const order = sql<number>`array_position(${sql.val([...OPEN])}::text[], status)`;
  let q = db.selectFrom('opd_registrations').select(['id', 'status'])
    .where('patient_id', '=', patientId).where('facility_id', '=', facility.id).where('day', '=', todayIst()).where('status', 'in', [...OPEN]);
  if (registrationId) q = q.where('id', '=', registrationId);
  const open = await q.orderBy(order).orderBy('token').limit(1).forUpdate().executeTakeFirst();
  if (!open) return null;
  const now = new Date();
  const closed = await db.updateTable('opd_registrations').set({ status: 'done', done_at: now, status_at: now, status_by: actor.username })
    .where('id', '=', open.id).where('status', 'in', [...OPEN]).returning('id').executeTakeFirst();
  if (!closed) return null;
  await recordAudit(db, actor, { action: 'update', entity: 'opd_registration', entityId: open.id, orgPath: facility.path, before: { status: open.status }, after: { status: 'done', by: 'visit' } });
  return open.id;
}
