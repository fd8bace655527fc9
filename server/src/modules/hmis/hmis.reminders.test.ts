// Reminders to defaulters say what was actually sent and what failed (it used to say "sent to 267
// facilities" while nothing was sent): SMS through a local gateway that refuses one number, e-mail
// through a local mail service, a facility with a landline only reached by nobody.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/** Answers 200, or 500 for a number ending in 9. */
async function gateway(received: any[]) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const m = JSON.parse(body);
      received.push(m);
      res.writeHead(String(m.to).endsWith('9') ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

for (const engine of testEngines()) {
  describe(`HMIS reminders through the outbox [${engine}]`, () => {
    let t: TestApp;
    const sms: any[] = [];
    const mail: any[] = [];
    let servers: http.Server[] = [];
    before(async () => {
      const g = await gateway(sms);
      const m = await gateway(mail);
      servers = [g.server, m.server];
      t = await startTestApp(engine, { config: { smsUrl: g.url, emailUrl: m.url, messageRetrySeconds: 60 } });
      const mk = async (name: string, o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name, orgUnit: 70, latitude: 30.69, longitude: 76.86, type: 'PHC', ...o }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
      };
      await mk('PHC Morni', { phone: '+91 98765 11111' });
      await mk('PHC Barwala', { phone: '9876522229' });
      await mk('CHC Kalka', { phone: '0172 2555555', email: 'chc.kalka@example.in' });
      await mk('PHC Ramgarh', { phone: '0172 2666666' });
    });
    after(async () => {
      await t?.close();
      for (const s of servers) s.close();
    });

    test('the answer and the outbox show what was sent, what failed and who could not be reached', async () => {
      const officer = await t.userWith('district_officer', 70);
      const r = await t.req('POST', '/api/hmis/defaulters/reminders', officer.token, { dataSet: 'HMIS_MONTHLY', period: '202411', orgUnit: '70' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.facilities, 4);
      assert.equal(r.body.inApp, 4);
      assert.deepEqual(r.body.messages, { queued: 3, sent: 2, failed: 1, gaveUp: 0, waiting: 0 });
      assert.deepEqual(r.body.withoutContact.map((f: any) => f.name), ['PHC Ramgarh']);
      assert.deepEqual(sms.map((m) => m.to).sort(), ['9876511111', '9876522229']);
      assert.match(sms[0].text, /HMIS return for 202411 is due/);
      assert.match(sms[0].text, /मासिक रिपोर्ट/);
      assert.equal(mail.length, 1);
      assert.equal(mail[0].to, 'chc.kalka@example.in');
      assert.equal(mail[0].subject, 'Monthly report 202411 is due / 202411 की मासिक रिपोर्ट बाकी है');

      // The round in the outbox, as the officer's screen lists it.
      const list = await t.req('GET', `/api/messages?about=hmis_reminder&aboutId=${r.body.round}`, officer.token);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.equal(list.body.total, 3);
      assert.deepEqual(list.body.summary, { queued: 1, sending: 0, sent: 2, failed: 0 });
      const failed = list.body.items.find((m: any) => m.status === 'queued');
      assert.equal(failed.to, 'XXXXXX2229');
      assert.match(failed.lastError, /500/);
      assert.equal(failed.attempts, 1);
    });
  });
}
