// Presence before access: staff in Hisar (Haryana) with a patient from Mandi (Himachal) whose record
// they may not read. Every operation that links a patient to a place is refused with
// presence_required (naming no one) until the patient is shown present by a code to their mobile,
// their health card, or a break-glass reason; break-glass is told to the patient and reviewed in
// Mandi, not in Hisar.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogSmsSender } from '../../platform/sms.js';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { buildNetwork, letters, type TeleNetwork } from '../../test/telemedicine.js';
import { childRow, resolveOrgUnit } from '../geo/geo.service.js';

type Method = 'otp' | 'card' | 'break_glass';
const METHODS: Method[] = ['otp', 'card', 'break_glass'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32), Buffer.from('\n%%EOF\n')]);
let serial = 0;
/** A fresh mobile number per patient (codes are limited per number). */
const mobile = () => `98${String(Date.now() % 1e5).padStart(5, '0')}${String(++serial).padStart(3, '0')}`;

for (const engine of testEngines()) {
  describe(`presence before access [${engine}]`, () => {
    let t: TestApp;
    let net: TeleNetwork;
    const tok: Record<string, string> = {};
    const fac: Record<string, string> = {};
    let hisarFamily: string;
    const outbox = () => t.app.sms as LogSmsSender;

    before(async () => {
      t = await startTestApp(engine, { config: { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-presence-')) } });
      const mk = async (o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody(o));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      fac.hisar = await mk({ name: 'PHC Adampur' });
      fac.mandi = await mk({ name: 'PHC Nerchowk', orgUnit: 22, latitude: 31.6, longitude: 76.9 });
      net = await buildNetwork(t, { district: 63, doctors: 1, online: false });
      tok.hisarOp = (await t.userWith('facility_operator', fac.hisar)).token;
      tok.hisarDoctor = (await t.userWith('doctor', fac.hisar)).token;
      tok.mandiOp = (await t.userWith('facility_operator', fac.mandi)).token;
      tok.mandiDo = (await t.userWith('district_officer', 22)).token;
      tok.hisarDo = (await t.userWith('district_officer', 63)).token;
      const hisar = await resolveOrgUnit(t.db.kysely, 'district:63');
      const village = childRow(hisar, 'village', 64101, 'Kheri', 'खेड़ी');
      await t.db.kysely.insertInto('org_units').values(village).execute();
      tok.asha = (await t.userWith('asha', village.id)).token;
      // A Hisar household whose head the Hisar counter serves.
      const head = await t.req('POST', '/api/patients', tok.hisarOp, { name: 'Ram Niwas', sex: 'male', age: 50, address: { district: 63 } });
      const fam = await t.req('POST', '/api/families', tok.hisarOp, { headPatientId: head.body.id });
      assert.equal(fam.status, 201, JSON.stringify(fam.body));
      hisarFamily = fam.body.id;
    });
    after(async () => { await t.close(); });

    /** A woman registered in Mandi, with a mobile, unknown to Hisar. */
    const mandiPatient = async (over: Record<string, unknown> = {}) => {
      const r = await t.req('POST', '/api/patients', tok.mandiOp, { name: `${letters()} Kumari`, sex: 'female', age: 28, mobile: mobile(), address: { district: 22 }, ...over });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; stateNumber: string; name: string; nameLatin: string; mobile: string | null };
    };

    /** A man registered at another Hisar facility (the spoke): a Haryana family may have him as head, but Adampur cannot read him. */
    const hisarElsewhere = async () => {
      const r = await t.req('POST', '/api/patients', net.cho, { name: `${letters()} Kumari`, sex: 'male', age: 45, mobile: mobile(), address: { district: 63 } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; stateNumber: string; name: string; nameLatin: string; mobile: string | null };
    };

    /** Shows the patient present by `method`, as the user of `token`; returns the grant. */
    const present = async (token: string, p: { id: string; mobile: string | null }, method: Method) => {
      if (method === 'otp') {
        const sent = await t.req('POST', `/api/patients/${p.id}/presence/code`, token);
        assert.equal(sent.status, 202, JSON.stringify(sent.body));
        assert.equal(sent.body.sentTo, `XXXXXX${p.mobile!.slice(-4)}`);
        assert.ok(!JSON.stringify(sent.body).includes(p.mobile!), 'the staff member never sees the number');
        const code = /code is (\d{6})/.exec(outbox().lastTo(p.mobile!)?.text ?? '')?.[1];
        assert.ok(code, 'the code went to the patient\'s own mobile');
        const r = await t.req('POST', `/api/patients/${p.id}/presence`, token, { method, challengeId: sent.body.challengeId, code });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      }
      if (method === 'card') {
        const { card_token } = await t.db.kysely.selectFrom('patients').select('card_token').where('id', '=', p.id).executeTakeFirstOrThrow();
        const r = await t.req('POST', `/api/patients/${p.id}/presence`, token, { method, code: `SWASTHYA-CARD:${card_token}` });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      }
      const r = await t.req('POST', `/api/patients/${p.id}/presence`, token, { method, reason: 'Brought unconscious by ambulance 108, no card or phone' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };

    /** The linking operations, each as a Hisar user would do it. */
    const OPS: { name: string; token: () => string; patients?: number; ok: number; patient?: () => ReturnType<typeof mandiPatient>; run: (token: string, ids: string[]) => Promise<{ status: number; body: any }> }[] = [
      { name: 'OPD token', token: () => tok.hisarOp, ok: 201, run: (k, [id]) => t.req('POST', '/api/opd/registrations', k, { patientId: id, department: 'general' }) },
      { name: 'OPD visit', token: () => tok.hisarDoctor, ok: 201, run: (k, [id]) => t.req('POST', '/api/opd/visits', k, { patientId: id, complaint: 'fever for three days' }) },
      { name: 'pregnancy', token: () => tok.hisarDoctor, ok: 201, run: (k, [id]) => t.req('POST', '/api/pregnancies', k, { patientId: id }) },
      { name: 'teleconsultation request', token: () => net.cho, ok: 201, run: (k, [id]) => t.req('POST', '/api/telemedicine/requests', k, { patientId: id, hubId: net.hub, specialty: 'general_medicine' }) },
      { name: 'family member', token: () => tok.hisarOp, ok: 200, run: (k, [id]) => t.req('POST', `/api/families/${hisarFamily}/members`, k, { patientId: id, relation: 'daughter_in_law' }) },
      // A family is a state's register: its head is from Haryana, registered at another facility.
      { name: 'family head', token: () => tok.hisarOp, ok: 201, patient: hisarElsewhere, run: (k, [id]) => t.req('POST', '/api/families', k, { headPatientId: id }) },
      { name: 'merge', token: () => tok.hisarOp, patients: 2, ok: 200, run: (k, [a, b]) => t.req('POST', `/api/patients/${a}/merge`, k, { into: b, reason: 'same woman, registered twice' }) },
      {
        name: 'document', token: () => tok.hisarOp, ok: 201,
        run: async (k, [id]) => {
          const r = await t.app.inject({ method: 'POST', url: `/api/patients/${id}/documents`, headers: { authorization: `Bearer ${k}`, 'content-type': 'application/pdf' }, payload: PDF });
          return { status: r.statusCode, body: JSON.parse(r.body) };
        },
      },
    ];

    for (const op of OPS) {
      test(`${op.name}: presence_required naming no one, then allowed after each of code, card and break-glass`, async () => {
        for (const method of METHODS) {
          const people = [];
          for (let i = 0; i < (op.patients ?? 1); i++) people.push(await (op.patient ?? mandiPatient)());
          const ids = people.map((p) => p.id);
          const refused = await op.run(op.token(), ids);
          assert.equal(refused.status, 403, `${op.name} without presence: ${JSON.stringify(refused.body)}`);
          assert.equal(refused.body.error.details?.reason, 'presence_required');
          const text = JSON.stringify(refused.body);
          for (const p of people) {
            for (const secret of [p.name, p.nameLatin, p.stateNumber, p.mobile!, 'Kumari']) assert.ok(!text.includes(secret), `the refusal names nothing of the patient (${secret})`);
          }
          const hi = await t.req('POST', `/api/patients/${ids[0]}/presence`, op.token(), { method: 'break_glass', reason: 'short' }, { 'accept-language': 'hi' });
          assert.equal(hi.status, 400, 'a reason of a few letters is not enough');
          assert.match(hi.body.error.message, /कम से कम 10/);

          for (const p of people) await present(op.token(), p, method);
          const done = await op.run(op.token(), ids);
          assert.equal(done.status, op.ok, `${op.name} after ${method}: ${JSON.stringify(done.body)}`);
        }
      });
    }

    test('a grant is for one staff member and a few hours; it does not open the record by itself', async () => {
      const p = await mandiPatient();
      await present(tok.hisarOp, p, 'card');
      const record = await t.req('GET', `/api/patients/${p.id}`, tok.hisarOp);
      assert.equal(record.status, 403, 'presence lets you register the patient here, not read the record before you do');
      const colleague = await t.req('POST', '/api/opd/registrations', tok.hisarDoctor, { patientId: p.id, department: 'general' });
      assert.equal(colleague.status, 403, 'another staff member needs their own proof');
      await t.db.kysely.updateTable('patient_presence').set({ expires_at: new Date(Date.now() - 1000), created_at: new Date(Date.now() - 5 * 3_600_000) }).where('patient_id', '=', p.id).execute();
      const late = await t.req('POST', '/api/opd/registrations', tok.hisarOp, { patientId: p.id, department: 'general' });
      assert.equal(late.status, 403, 'an expired grant is no grant');
      assert.equal(late.body.error.details.reason, 'presence_required');
      // Once registered here, the facility serves her: the record opens.
      await present(tok.hisarOp, p, 'card');
      assert.equal((await t.req('POST', '/api/opd/registrations', tok.hisarOp, { patientId: p.id, department: 'general' })).status, 201);
      assert.equal((await t.req('GET', `/api/patients/${p.id}`, tok.hisarOp)).status, 200);
      // An unknown patient is 404 to everyone, as reading the record is.
      const unknown = await t.req('POST', '/api/opd/registrations', tok.hisarOp, { patientId: 'P02999999999', department: 'general' });
      assert.equal(unknown.status, 404);
      assert.equal((await t.req('GET', '/api/patients/P02999999999', tok.hisarOp)).status, 404);
    });

    test('wrong proofs are refused and grant nothing; a patient without a mobile gets no code', async () => {
      const p = await mandiPatient();
      const sent = await t.req('POST', `/api/patients/${p.id}/presence/code`, tok.hisarOp);
      const right = /code is (\d{6})/.exec(outbox().lastTo(p.mobile!)!.text)![1];
      const wrong = await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'otp', challengeId: sent.body.challengeId, code: right === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      const other = await mandiPatient();
      const elsewhere = await t.req('POST', `/api/patients/${other.id}/presence`, tok.hisarOp, { method: 'otp', challengeId: sent.body.challengeId, code: right });
      assert.equal(elsewhere.status, 400, 'a code proves the patient it was sent for, not another');
      const { card_token } = await t.db.kysely.selectFrom('patients').select('card_token').where('id', '=', other.id).executeTakeFirstOrThrow();
      const card = await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'card', code: `SWASTHYA-CARD:${card_token}` });
      assert.equal(card.status, 400, 'another patient\'s card');
      assert.equal((await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'otp', code: right })).status, 400, 'challengeId is needed');
      assert.equal((await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'telepathy' })).status, 400);
      const granted = await t.db.kysely.selectFrom('patient_presence').select('id').where('patient_id', 'in', [p.id, other.id]).execute();
      assert.equal(granted.length, 0);
      assert.equal((await t.req('POST', '/api/opd/registrations', tok.hisarOp, { patientId: p.id, department: 'general' })).status, 403);
      // The right code still works, once.
      const ok = await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'otp', challengeId: sent.body.challengeId, code: right });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal((await t.req('POST', `/api/patients/${p.id}/presence`, tok.hisarOp, { method: 'otp', challengeId: sent.body.challengeId, code: right })).status, 400);

      const noPhone = await mandiPatient({ mobile: undefined });
      const none = await t.req('POST', `/api/patients/${noPhone.id}/presence/code`, tok.hisarOp);
      assert.equal(none.status, 400);
      assert.equal(none.body.error.details.reason, 'no_mobile');
      assert.equal((await t.req('POST', `/api/patients/${p.id}/presence/code`, tok.mandiDo)).status, 403, 'an officer does not serve patients');
      assert.equal((await t.req('POST', `/api/patients/${p.id}/presence/code`, null)).status, 401);
    });

    test('an ASHA registers people but gives no OPD tokens', async () => {
      const own = await t.req('POST', '/api/patients', tok.hisarOp, { name: 'Bimla', sex: 'female', age: 40, address: { district: 63 } });
      const r = await t.req('POST', '/api/opd/registrations', tok.asha, { patientId: own.body.id, department: 'general' });
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /can_register_opd/);
    });

    test('break-glass: the patient is told by SMS, it is audited, and Mandi (not Hisar) reviews it', async () => {
      const p = await mandiPatient();
      const grant = await present(tok.hisarOp, p, 'break_glass');
      assert.equal(grant.patientTold, true);
      const sms = outbox().lastTo(p.mobile!)!.text;
      assert.match(sms, /your record was opened at PHC Adampur by facility operator on \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} for: Brought unconscious by ambulance 108/);
      assert.match(sms, /आपका रिकॉर्ड/);
      const noPhone = await mandiPatient({ mobile: undefined });
      const quiet = await t.req('POST', `/api/patients/${noPhone.id}/presence`, tok.hisarOp, { method: 'break_glass', reason: 'No phone, no card, needs dressing' });
      assert.equal(quiet.status, 201);
      assert.equal(quiet.body.patientTold, false);

      const audit = await t.db.kysely.selectFrom('audit_log').select(['actor_username', 'purpose', 'after']).where('entity', '=', 'patient_presence').where('entity_id', '=', p.id).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0].purpose, 'break_glass');
      assert.match(JSON.stringify(audit[0].after), /Brought unconscious/);
      const methods = await t.db.kysely.selectFrom('audit_log').select('purpose').where('entity', '=', 'patient_presence').execute();
      assert.ok(methods.some((m) => m.purpose === 'presence') && methods.some((m) => m.purpose === 'break_glass'), 'codes and cards are audited too');

      const mandi = await t.req('GET', '/api/break-glass?limit=200', tok.mandiDo);
      assert.equal(mandi.status, 200, JSON.stringify(mandi.body));
      const item = mandi.body.items.find((i: any) => i.id === grant.id);
      assert.ok(item, 'in the list of the patient\'s district');
      assert.equal(item.stateNumber, p.stateNumber);
      assert.equal(item.place, 'PHC Adampur');
      assert.equal(item.role, 'facility_operator');
      assert.equal(item.patientTold, true);
      assert.equal(item.name, undefined, 'the officer reviews the access, not the record');
      assert.ok(mandi.body.total >= 2);
      const hisar = await t.req('GET', '/api/break-glass?limit=200', tok.hisarDo);
      assert.equal(hisar.status, 200);
      assert.ok(!hisar.body.items.some((i: any) => i.id === grant.id), 'not in Hisar\'s list');
      assert.equal((await t.req('GET', '/api/break-glass?orgUnit=22', tok.hisarDo)).status, 403, 'Hisar cannot ask for Mandi');
      assert.equal((await t.req('GET', '/api/break-glass', tok.hisarOp)).status, 403, 'counter staff do not review');
      const page1 = await t.req('GET', '/api/break-glass?limit=1', tok.mandiDo);
      const page2 = await t.req('GET', '/api/break-glass?limit=1&offset=1', tok.mandiDo);
      assert.equal(page1.body.items.length, 1);
      assert.equal(page2.body.items.length, 1);
      assert.notEqual(page1.body.items[0].id, page2.body.items[0].id);

      assert.equal((await t.req('POST', `/api/break-glass/${grant.id}/review`, tok.hisarDo, {})).status, 403);
      const reviewed = await t.req('POST', `/api/break-glass/${grant.id}/review`, tok.mandiDo, { note: 'Called the PHC: emergency confirmed' });
      assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
      const twice = await Promise.all([1, 2].map(() => t.req('POST', `/api/break-glass/${grant.id}/review`, tok.mandiDo, {})));
      assert.deepEqual(twice.map((r) => r.status), [409, 409]);
      const open = await t.req('GET', '/api/break-glass?limit=200', tok.mandiDo);
      assert.ok(!open.body.items.some((i: any) => i.id === grant.id), 'reviewed ones leave the open list');
      const done = await t.req('GET', '/api/break-glass?status=reviewed', tok.mandiDo);
      assert.equal(done.body.items.find((i: any) => i.id === grant.id)?.reviewNote, 'Called the PHC: emergency confirmed');
      const listRead = await t.db.kysely.selectFrom('audit_log').select('id').where('entity', '=', 'break_glass').where('action', '=', 'read').execute();
      assert.ok(listRead.length >= 3, 'reading the review list is audited');
    });

    test('parallel reviews of one break-glass: one wins, the others are told (409, never 500)', async () => {
      const p = await mandiPatient();
      const grant = await present(tok.hisarOp, p, 'break_glass');
      const all = await Promise.all(Array.from({ length: 6 }, () => t.req('POST', `/api/break-glass/${grant.id}/review`, tok.mandiDo, {})));
      assert.deepEqual(all.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
    });
  });
}
