// Per-device keys (issue 12, part 7): a GPS device authenticates by its device id and, once a key is
// made for its vehicle, by that key too. The key is 32 random bytes (base64url, 43 characters), shown
// once; only its SHA-256 is kept. A fast hash is right here: the key is long and random (nothing to
// guess from a dictionary, so a slow password hash buys nothing), and it is checked on every position,
// thousands a second.
// Devices send it as `key` (OsmAnd query or form) or the `x-device-key` header; a batch per position
// (`key`) or for all its positions (the header). A fix without the right key is refused as
// `bad_device_key`. OwnTracks over MQTT is authenticated by the broker (its username/password and
// ACL), not here.
import { sql, type Kysely } from 'kysely';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { vehicleInScope } from './ambulances.crew.js';

type Db = Kysely<Database>;

export const KEY_HEADER = 'x-device-key';
const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** A known device: its vehicle and, when one is set, the SHA-256 of its key. */
export interface Device { ambulanceId: string; keySha256: string | null; service: string; kind: string }

/** The vehicles (and key hashes) of these device ids, in one query per thousand. */
export async function lookupDevices(db: Db, deviceIds: string[]): Promise<Map<string, Device>> {
  const out = new Map<string, Device>();
  // One array parameter per 5,000 devices, not a parameter each.
  for (let i = 0; i < deviceIds.length; i += 5000) {
    const rows = await db.selectFrom('ambulances as a').leftJoin('ambulance_device_keys as k', 'k.ambulance_id', 'a.id')
      .select(['a.id', 'a.device_id', 'a.service', 'a.kind', 'k.key_sha256']).where(sql<boolean>`a.device_id = any(${deviceIds.slice(i, i + 5000)}::text[])`).execute();
    for (const r of rows) out.set(r.device_id, { ambulanceId: r.id, keySha256: r.key_sha256, service: r.service, kind: r.kind });
  }
  return out;
}

/** A checker that hashes each distinct key once per batch. True when the device has no key or this is it. */
export function keyChecker(): (device: Device, key: string | null | undefined) => boolean {
  const hashes = new Map<string, Buffer>();
  return (device, key) => {
    if (!device.keySha256) return true;
    if (!key) return false;
    let h = hashes.get(key);
    if (!h) { h = hashOf(key); hashes.set(key, h); }
    return timingSafeEqual(h, Buffer.from(device.keySha256, 'hex'));
  };
}

/** Makes (or replaces) the vehicle's device key; the answer is the only time the key is shown. */
export async function createDeviceKey(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_manage_ambulances');
  const v = await vehicleInScope(db, actor, id);
  const key = randomBytes(32).toString('base64url');
  const keySha256 = hashOf(key).toString('hex');
  const row = await db.insertInto('ambulance_device_keys').values({ ambulance_id: id, key_sha256: keySha256, created_by: actor.userId })
    .onConflict((oc) => oc.column('ambulance_id').doUpdateSet({ key_sha256: keySha256, created_by: actor.userId, created_at: new Date() }))
    .returning(['created_at']).executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'create', entity: 'ambulance_device_key', entityId: id, orgPath: v.base_path, after: { registrationNumber: v.registration_number } });
  return { ambulanceId: id, key, header: KEY_HEADER, createdAt: new Date(row.created_at).toISOString() };
}

/** Removes the key: the device is known by its id alone again. */
export async function deleteDeviceKey(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'can_manage_ambulances');
  const v = await vehicleInScope(db, actor, id);
  const r = await db.deleteFrom('ambulance_device_keys').where('ambulance_id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound(`Ambulance ${v.registration_number} has no device key`, `एम्बुलेंस ${v.registration_number} की कोई डिवाइस कुंजी नहीं है`);
  await recordAudit(db, actor, { action: 'delete', entity: 'ambulance_device_key', entityId: id, orgPath: v.base_path });
}

const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['ambulances'];

export function deviceKeyRoutes(app: FastifyInstance, db: Db): void {
  app.post('/api/ambulances/:id/device-key', {
    schema: {
      tags, summary: 'Make (or replace) the vehicle\'s GPS device key, shown once: from then on its positions need it (`key` parameter or x-device-key header)',
      params: Type.Object({ id: Id }),
      response: { 201: Type.Object({ ambulanceId: Type.String(), key: Type.String(), header: Type.String(), createdAt: Type.String() }), ...errors },
    },
  }, async (request, reply) => reply.status(201).send(await createDeviceKey(db, actorOf(request), (request.params as { id: string }).id)));

  app.delete('/api/ambulances/:id/device-key', {
    schema: { tags, summary: 'Remove the vehicle\'s device key (the device id alone identifies it again)', params: Type.Object({ id: Id }), response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => { await deleteDeviceKey(db, actorOf(request), (request.params as { id: string }).id); return reply.status(204).send(); });
}
