import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newPregnancyRegistrationNumber } from './patients.identity.js';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';

/**
 * The reads behind the maternal and family screens: a woman's pregnancies, a person's family, and an
 * ultrasound centre's own log of checks. Each is audited; staff of another facility or area, and roles
 * without the permission, get 403.
 */
for (const engine of testEngines()) {
  describe(`maternal and family reads [${engine}]`, () => {
    let t: TestApp;
    const fac: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const user: Record<string, string> = {};
    let sunita: any;
    let ramesh: any;
    let number: string;

    before(async () => {
      t = await startTestApp(engine);
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      fac.adampur = await mk({ name: 'PHC Adampur' });
      fac.barwala = await mk({ name: 'CHC Barwala', type: 'CHC' });
      fac.scan = await mk({ name: 'Sharma Diagnostics', type: 'DIAGNOSTIC', ownership: 'private' });
      fac.scan2 = await mk({ name: 'Gupta Scans', type: 'DIAGNOSTIC', ownership: 'private' });
      fac.mandi = await mk({ name: 'PHC Nerchowk', orgUnit: 22, latitude: 31.6, longitude: 76.9 });
      const u = async (key: string, role: string, unit: string | number) => {
        const made = await t.userWith(role, unit);
        tok[key] = made.token;
        user[key] = made.username;
      };
      await u('adampur', 'facility_operator', fac.adampur);
      await u('barwala', 'facility_operator', fac.barwala);
      await u('scan', 'ultrasound_operator', fac.scan);
      await u('scan2', 'ultrasound_operator', fac.scan2);
      await u('scanMandi', 'ultrasound_operator', fac.mandi);
      await u('hisarDo', 'district_officer', 63);
      const reg = async (body: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/patients', tok.adampur, { age: 30, address: { district: 63 }, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      sunita = await reg({ name: 'Sunita Devi', sex: 'female' });
      ramesh = await reg({ name: 'Ramesh Kumar', sex: 'male', age: 34 });
      const lmp = new Date(Date.now() - 70 * 86_400_000).toISOString().slice(0, 10);
      const p = await t.req('POST', '/api/pregnancies', tok.adampur, { patientId: sunita.id, lmp });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      number = p.body.registrationNumber;
    });
    after(async () => { await t.close(); });

    const audits = (username: string, purpose: string) => t.db.kysely.selectFrom('audit_log').select(['entity', 'entity_id'])
      .where('actor_username', '=', username).where('action', '=', 'read').where('purpose', '=', purpose).execute();

    test('a woman\'s pregnancies: number, status, weeks and scans; closed ones stay listed; audited; others refused', async () => {
      const first = await t.req('GET', `/api/patients/${sunita.id}/pregnancies`, tok.adampur);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.items.length, 1);
      assert.equal(first.body.items[0].registrationNumber, number);
      assert.equal(first.body.items[0].status, 'open');
      assert.equal(first.body.items[0].gestationWeeks, 10);
      assert.equal(first.body.items[0].facility, 'PHC Adampur');
      assert.equal((await t.req('POST', '/api/ultrasounds', tok.scan, { registrationNumber: number })).status, 201);
      assert.equal((await t.req('POST', `/api/pregnancies/${number}/close`, tok.adampur, { reason: 'delivery on 2026-11-30' })).status, 200);
      const later = await t.req('GET', `/api/patients/${sunita.id}/pregnancies`, tok.adampur);
      assert.equal(later.body.items[0].status, 'closed');
      assert.equal(later.body.items[0].closedReason, 'delivery on 2026-11-30');
      assert.equal(later.body.items[0].scans, 1);
      assert.equal(later.body.items[0].gestationWeeks, null);
      assert.equal((await audits(user.adampur, 'pregnancies')).length, 2, 'each read is in the audit log');

      // Staff of another facility who have not seen her, a scan centre, a national admin: refused, nothing named.
      for (const token of [tok.barwala, tok.scan, tok.hisarDo, t.adminToken]) {
        const r = await t.req('GET', `/api/patients/${sunita.id}/pregnancies`, token);
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.ok(!JSON.stringify(r.body).includes(number));
      }
      assert.equal((await t.req('GET', '/api/patients/nobody/pregnancies', tok.adampur)).status, 404);
    });

    test('a person\'s family: none, then the family with relation and size; audited; others refused', async () => {
      const none = await t.req('GET', `/api/patients/${ramesh.id}/family`, tok.adampur);
      assert.equal(none.status, 200, JSON.stringify(none.body));
      assert.equal(none.body.family, null);
      const fam = await t.req('POST', '/api/families', tok.adampur, { headPatientId: ramesh.id });
      assert.equal(fam.status, 201, JSON.stringify(fam.body));
      assert.equal((await t.req('POST', `/api/families/${fam.body.id}/members`, tok.adampur, { patientId: sunita.id, relation: 'other' })).status, 200);
      const hers = await t.req('GET', `/api/patients/${sunita.id}/family`, tok.adampur);
      assert.deepEqual(hers.body.family, { id: fam.body.id, familyNumber: fam.body.familyNumber, externalId: null, relation: 'other', members: 2 });
      assert.equal((await audits(user.adampur, 'family')).filter((a) => a.entity === 'patient').length, 2);
      for (const token of [tok.barwala, tok.scan, t.adminToken]) {
        const r = await t.req('GET', `/api/patients/${sunita.id}/family`, token);
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.ok(!JSON.stringify(r.body).includes(fam.body.familyNumber));
      }
    });

    test('an ultrasound centre\'s log: its own checks only, with reasons, counts and pages; audited; others refused', async () => {
      for (const n of ['12345', newPregnancyRegistrationNumber()]) assert.ok([400, 404].includes((await t.req('POST', '/api/ultrasounds', tok.scan2, { registrationNumber: n })).status));
      assert.equal((await t.req('POST', '/api/ultrasounds', tok.scan2, { registrationNumber: number })).status, 409, 'closed in the test before');
      const log = await t.req('GET', '/api/ultrasounds/checks?limit=2', tok.scan2);
      assert.equal(log.status, 200, JSON.stringify(log.body));
      assert.equal(log.body.centre.name, 'Gupta Scans');
      assert.deepEqual(log.body.counts, { accepted: 0, refused: 3, todayAccepted: 0, todayRefused: 3 });
      assert.deepEqual(log.body.items.map((i: any) => i.reason), ['closed', log.body.items[1].reason]);
      assert.equal(log.body.more, true);
      const page2 = await t.req('GET', '/api/ultrasounds/checks?limit=2&offset=2', tok.scan2);
      assert.equal(page2.body.items.length, 1);
      assert.equal(page2.body.more, false);
      assert.deepEqual([...log.body.items, ...page2.body.items].map((i: any) => i.reason).sort(), ['closed', 'malformed', 'unknown']);
      assert.ok(!JSON.stringify(log.body).includes('Sunita'), 'the log names no woman');
      const own = await t.req('GET', '/api/ultrasounds/checks?outcome=accepted', tok.scan);
      assert.deepEqual(own.body.items.map((i: any) => [i.registrationNumber, i.outcome]), [[number, 'accepted']]);
      assert.equal((await audits(user.scan2, 'ultrasound')).length, 2);

      // Another centre's log, a centre in another state, staff without the permission: refused.
      assert.equal((await t.req('GET', `/api/ultrasounds/checks?facilityId=${fac.scan2}`, tok.scanMandi)).status, 403);
      assert.equal((await t.req('GET', '/api/ultrasounds/checks', tok.adampur)).status, 403);
      assert.equal((await t.req('GET', '/api/ultrasounds/checks', tok.hisarDo)).status, 403);
      assert.equal((await t.req('GET', '/api/ultrasounds/checks?from=2026-02-01&to=2026-01-01', tok.scan)).status, 400);
      assert.equal((await t.req('GET', '/api/ultrasounds/checks?limit=0', tok.scan)).status, 400);
    });
  });
}
