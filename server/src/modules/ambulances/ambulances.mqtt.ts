import mqtt, { type MqttClient } from 'mqtt';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { storeFixes, type Fix } from './ambulances.positions.js';

/** What came over MQTT since the start: stored, dropped as duplicates (QoS 1 resends), refused, from unknown devices, unreadable. */
export interface MqttCounts { received: number; stored: number; duplicates: number; refused: number; unknownDevices: number; unreadable: number; connects: number }

export const OWNTRACKS_TOPIC = 'owntracks/+/+';

/**
 * An OwnTracks location message (`owntracks/<user>/<device>`): `_type: "location"`, `tst` (Unix
 * seconds), `lat`, `lon`, `vel` (km/h), `cog`, `acc`, `alt`, `batt`. Null for other message types.
 */
export function parseOwnTracks(topic: string, payload: Buffer | string): Fix | null {
  const parts = topic.split('/');
  if (parts.length < 3 || parts[0] !== 'owntracks') return null;
  const m = JSON.parse(String(payload)) as Record<string, unknown>;
  if (!m || typeof m !== 'object' || m._type !== 'location') return null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const lat = n(m.lat);
  const lon = n(m.lon);
  const tst = n(m.tst);
  if (lat === null || lon === null || tst === null) throw new Error('location without lat, lon or tst');
  return {
    deviceId: parts[2], latitude: lat, longitude: lon, fixTime: new Date(tst * 1000),
    speedKmh: n(m.vel), course: n(m.cog), accuracy: n(m.acc), altitude: n(m.alt), battery: n(m.batt),
  };
}

/**
 * Messages the broker may send us before we acknowledge (MQTT 5 Receive Maximum). Beyond these the
 * broker queues for us (Mosquitto: 1,000 by default, `max_queued_messages`) and then drops. A busy
 * broker reads our acknowledgements late, so at 10,000 positions a second on two cores, 2,000 here
 * let its queue overflow (about 220 of 130,000 positions dropped in two runs of three); with 5,000 none were.
 */
const RECEIVE_MAXIMUM = 5000;
/** Positions stored in one batch at most; more wait for the next flush. */
const MAX_BATCH = 1000;
/**
 * Batches being stored at once: while one waits on the database (its commit) the next is read, so
 * one instance keeps two database connections busy. Storing is safe in any order (storeFixes).
 */
const IN_FLIGHT = 2;
/** Wait before storing a batch again after the database failed (the acknowledgements are held meanwhile). */
const RETRY_MS = 1000;

type Packet = { cmd: string; messageId?: number };
type SendPacket = (packet: Packet, cb?: () => void, ...rest: unknown[]) => void;

/**
 * Subscribes to OwnTracks topics on the broker at `url` (QoS 1). The subscription is made on every
 * connect, so it comes back after the broker restarts; a message from an unknown device is counted,
 * never fatal.
 *
 * Throughput without losing what was acknowledged: mqtt.js hands over one message at a time and sends
 * its PUBACK when the handler calls back, so storing each message before calling back made one
 * transaction per position (a few hundred a second). Here the handler calls back at once, so the
 * messages the broker has in flight keep arriving, and they are stored together, one statement per
 * batch, while one batch at a time is written; the PUBACK of each message is held back until its
 * batch is stored, and then sent in the order the messages came (MQTT 3.1.1 §4.6). If the database is
 * away, nothing is acknowledged: the batch is retried, and the broker stops sending when its window of
 * unacknowledged messages is full. Holding the PUBACK uses mqtt.js's packet writer (`_sendPacket`,
 * not public API; the MQTT test fails if a version changes it).
 */
export function startOwnTracks(db: Kysely<Database>, url: string, log: { warn: (o: object, m: string) => void }) {
  const counts: MqttCounts = { received: 0, stored: 0, duplicates: 0, refused: 0, unknownDevices: 0, unreadable: 0, connects: 0 };
  // MQTT 5, so that the broker may have up to RECEIVE_MAXIMUM messages unacknowledged with us (a 3.1.1
  // client gets the broker's own limit, Mosquitto's 20): while a batch is stored the next one arrives,
  // rather than waiting in the broker's queue for slow clients, which drops messages when full.
  const client: MqttClient = mqtt.connect(url, {
    clientId: `swasthya-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 1000, connectTimeout: 5000,
    protocolVersion: 5, properties: { receiveMaximum: RECEIVE_MAXIMUM },
  });
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send: SendPacket = internals._sendPacket.bind(client);
  /** PUBACKs waiting for their message to be stored, by connection and message id (`3:17`: a message id names one message of one connection). */
  const held = new Map<string, Packet>();
  /** The messages (connection and message id) whose PUBACK must wait for their batch. */
  const waiting = new Set<string>();
  let generation = 0;
  let queue: { fix: Fix | null; messageId?: number; generation: number }[] = [];
  let flushing = 0;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  internals._sendPacket = (packet, cb, ...rest) => {
    const key = `${generation}:${packet.messageId}`;
    if (packet.cmd === 'puback' && waiting.has(key)) {
      // Let mqtt.js read the next message now; the acknowledgement goes out after the store (release).
      held.set(key, packet);
      cb?.();
      return;
    }
    send(packet, cb, ...rest);
  };
  const release = (items: { messageId?: number; generation: number }[]) => {
    for (const it of items) {
      if (it.messageId === undefined) continue;
      const key = `${it.generation}:${it.messageId}`;
      waiting.delete(key);
      const packet = held.get(key);
      held.delete(key);
      // A PUBACK of an earlier connection is not sent on a new one (the broker sends its unacknowledged messages again).
      if (packet && it.generation === generation && client.connected) send(packet);
    }
  };
  const flush = async () => {
    if (flushing >= IN_FLIGHT || closed || queue.length === 0) return;
    flushing++;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    const fixes = batch.map((b) => b.fix).filter((f): f is Fix => f !== null);
    // The next batch starts while this one is stored.
    if (queue.length) setImmediate(() => void flush());
    try {
      if (fixes.length) {
        const r = await storeFixes(db, fixes, 'mqtt');
        counts.stored += r.accepted;
        counts.duplicates += r.duplicates;
        for (const x of r.refused) { if (x.reason === 'unknown_device') counts.unknownDevices++; else counts.refused++; }
      }
      release(batch);
      flushing--;
      if (queue.length) setImmediate(() => void flush());
    } catch (e) {
      log.warn({ err: (e as Error).message, positions: fixes.length }, 'mqtt: storing positions failed; kept unacknowledged and retried');
      // Back at the head of the queue, still unacknowledged; tried again after a pause.
      queue = batch.concat(queue);
      flushing--;
      if (!retry) {
        retry = setTimeout(() => { retry = undefined; void flush(); }, RETRY_MS);
        retry.unref();
      }
    }
  };

  client.on('connect', () => {
    counts.connects++;
    generation++;
    client.subscribe(OWNTRACKS_TOPIC, { qos: 1 }, (e) => { if (e) log.warn({ err: e.message }, 'mqtt: subscribe failed'); });
  });
  client.on('error', (e) => log.warn({ err: e.message }, 'mqtt: error'));
  client.on('message', (topic, payload, packet) => {
    counts.received++;
    let fix: Fix | null = null;
    try { fix = parseOwnTracks(topic, payload); } catch { counts.unreadable++; }
    if (!fix) return; // unreadable or not a location: acknowledged at once, nothing to store
    const messageId = packet.qos > 0 ? packet.messageId : undefined;
    if (messageId !== undefined) waiting.add(`${generation}:${messageId}`);
    queue.push({ fix, messageId, generation });
    void flush();
  });
  return {
    client, counts,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client.endAsync();
    },
  };
}
