import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { startOwnTracks } from './ambulances.mqtt.js';

const URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await check()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return false;
};

for (const engine of testEngines()) {
  describe(`ambulances: OwnTracks over MQTT on the real broker (${URL}) [${engine}]`, () => {
    let t: TestApp;
    let sub: ReturnType<typeof startOwnTracks>;
    let pub: mqtt.MqttClient;
    let amb: string;
    let token: string;
    const device = `ot${Date.now().toString(36)}${engine}`;
    before(async () => {
      t = await startTestApp(engine);
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'CHC Uklana', type: 'CHC' }));
      const a = await t.req('POST', '/api/ambulances', t.adminToken, { registrationNumber: `HR 39 MQ ${engine === 'pglite' ? 1 : 2}108`, service: '108', kind: 'BLS', baseFacilityId: f.body.id, deviceId: device });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      amb = a.body.id;
      token = (await t.userWith('dispatcher', 63)).token;
      sub = startOwnTracks(t.db.kysely, URL, { warn: () => {} });
      assert.ok(await until(async () => sub.counts.connects > 0), 'connected to the broker');
      pub = await mqtt.connectAsync(URL);
      await new Promise((r) => setTimeout(r, 300));
    });
    after(async () => { await pub?.endAsync(); await sub?.close(); await t.close(); });
    const pos = async () => (await t.req('GET', `/api/ambulances/${amb}`, token)).body.position;
    const send = (dev: string, body: object) => pub.publishAsync(`owntracks/crew/${dev}`, JSON.stringify(body), { qos: 1 });

    test('a location moves the vehicle (vel in km/h); a resent one is dropped; an unknown device is counted', async () => {
      const tst = Math.floor(Date.now() / 1000) - 30;
      await send(device, { _type: 'location', tst, lat: 29.2, lon: 75.6, vel: 42, cog: 270, acc: 12, batt: 80, tid: 'A1' });
      assert.ok(await until(async () => (await pos())?.latitude === 29.2), 'position arrived');
      const p = await pos();
      assert.equal(p.speedKmh, 42);
      assert.equal(p.fixTime, new Date(tst * 1000).toISOString());
      const before = sub.counts.duplicates;
      await send(device, { _type: 'location', tst, lat: 29.2, lon: 75.6, vel: 42 });
      assert.ok(await until(async () => sub.counts.duplicates > before), 'the resend is a duplicate');
      const unknown = sub.counts.unknownDevices;
      await send('no-such-device', { _type: 'location', tst, lat: 29.2, lon: 75.6 });
      await send(device, { _type: 'transition', tst, event: 'enter' });
      await pub.publishAsync(`owntracks/crew/${device}`, 'not json', { qos: 1 });
      assert.ok(await until(async () => sub.counts.unknownDevices > unknown && sub.counts.unreadable > 0));
    });

    test('a position is acknowledged (PUBACK) only once it is stored: while the database is away nothing is, then both go', async () => {
      let away = true;
      const flaky = new Proxy(t.db.kysely, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver);
          if (typeof v !== 'function') return v;
          return away ? () => { throw new Error('database away'); } : v.bind(target);
        },
      });
      const warned: string[] = [];
      const own = startOwnTracks(flaky, URL, { warn: (_o, m) => warned.push(m) });
      const pubacks: number[] = [];
      own.client.on('packetsend', (p: any) => { if (p.cmd === 'puback') pubacks.push(p.messageId); });
      try {
        assert.ok(await until(async () => own.counts.connects > 0 && own.client.connected));
        await new Promise((r) => setTimeout(r, 300));
        const tst = Math.floor(Date.now() / 1000) - 20;
        await send(device, { _type: 'location', tst, lat: 29.31, lon: 75.71, vel: 20 });
        assert.ok(await until(async () => warned.length > 0), 'the failed store is logged');
        assert.equal(own.counts.received, 1);
        assert.deepEqual(pubacks, [], 'not acknowledged while it is not stored');
        away = false;
        assert.ok(await until(async () => pubacks.length === 1), 'acknowledged after the retry stored it');
        assert.ok(own.counts.stored + own.counts.duplicates >= 1);
      } finally {
        await own.close();
      }
    });

    test('after the connection drops, it reconnects and subscribes again', async () => {
      const connects = sub.counts.connects;
      (sub.client as any).stream.destroy();
      assert.ok(await until(async () => sub.counts.connects > connects), 'reconnected');
      await new Promise((r) => setTimeout(r, 300));
      const tst = Math.floor(Date.now() / 1000) - 5;
      await send(device, { _type: 'location', tst, lat: 29.25, lon: 75.65, vel: 30 });
      assert.ok(await until(async () => (await pos())?.latitude === 29.25), 'position after the reconnect');
    });
  });
}
