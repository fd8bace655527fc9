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
 * Subscribes to OwnTracks topics on the broker at `url` (QoS 1). The subscription is made on every
 * connect, so it comes back after the broker restarts; a message from an unknown device is counted,
 * never fatal.
 */
export function startOwnTracks(db: Kysely<Database>, url: string, log: { warn: (o: object, m: string) => void }) {
  const counts: MqttCounts = { received: 0, stored: 0, duplicates: 0, refused: 0, unknownDevices: 0, unreadable: 0, connects: 0 };
  const client: MqttClient = mqtt.connect(url, { clientId: `swasthya-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 1000, connectTimeout: 5000 });
  client.on('connect', () => {
    counts.connects++;
    client.subscribe(OWNTRACKS_TOPIC, { qos: 1 }, (e) => { if (e) log.warn({ err: e.message }, 'mqtt: subscribe failed'); });
  });
  client.on('error', (e) => log.warn({ err: e.message }, 'mqtt: error'));
  client.on('message', (topic, payload) => {
    counts.received++;
    let fix: Fix | null;
    try { fix = parseOwnTracks(topic, payload); } catch { counts.unreadable++; return; }
    if (!fix) return;
    storeFixes(db, [fix], 'mqtt').then((r) => {
      counts.stored += r.accepted;
      counts.duplicates += r.duplicates;
      for (const x of r.refused) { if (x.reason === 'unknown_device') counts.unknownDevices++; else counts.refused++; }
    }, (e: Error) => log.warn({ err: e.message }, 'mqtt: storing a position failed'));
  });
  return { client, counts, close: () => client.endAsync() };
}
