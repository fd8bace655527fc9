import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { AppError } from '../../platform/errors.js';
import { stableUid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { DEMO_STATE_COUNTS, seedTeleHistory, seedTeleStateCounts } from './telemedicine.demo.stats.js';
import { loadTeleStateCounts } from './telemedicine.stats.js';

/** The days of the tests: fixed and past, so every figure below is exact whatever the date. */
const D0 = '2025-03-09', D1 = '2025-03-10', D2 = '2025-03-11', D3 = '2025-03-12';
const MANDI = 22, HISAR = 63;
/** The instant `minutes` after midnight IST on `day`. */
const at = (day: string, minutes: number) => new Date(Date.parse(`${day}T00:00:00Z`) - 330 * 60_000 + minutes * 60_000);

for (const engine of testEngines()) {
  describe(`telemedicine counts, waiting times, utilisation and ranking [${engine}]`, () => {
    let t: TestApp;
    const f: Record<string, string> = {};
    const u: Record<string, { token: string; id: string }> = {};
    const q = (path: string, token: string | null = t.adminToken, headers?: Record<string, string>) => t.req('GET', path, token, undefined, headers);

    before(async () => {
      t = await startTestApp(engine);
      const mk = async (key: string, orgUnit: number, o: Record<string, unknown>) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `Tele ${key}`, orgUnit, ...o }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        f[key] = r.body.id;
      };
      const inMandi = { latitude: 31.6, longitude: 76.91 };
      await mk('mandiHub', MANDI, { type: 'PHC', ...inMandi });
      await mk('mandiSpoke', MANDI, { type: 'SC', ...inMandi });
      await mk('hisarHub', HISAR, { type: 'CHC' });
      await mk('hisarSpoke', HISAR, { type: 'SC' });
      u.m1 = await t.userWith('doctor', f.mandiHub);
      u.m2 = await t.userWith('doctor', f.mandiHub);
      u.h1 = await t.userWith('doctor', f.hisarHub);
      const k = t.db.kysely;
      await k.insertInto('tele_doctors').values([
        { user_id: u.m1.id, hub_id: f.mandiHub, specialties: ['general_medicine'], name: 'Dr. Asha Mehta', name_hi: 'डॉ. आशा मेहता' },
        { user_id: u.m2.id, hub_id: f.mandiHub, specialties: ['general_medicine', 'paediatrics'], name: 'Dr. Vikram Rana', name_hi: 'डॉ. विक्रम राणा' },
        { user_id: u.h1.id, hub_id: f.hisarHub, specialties: ['general_medicine'], name: 'Dr. Sunil Malik', name_hi: null },
      ]).execute();
      const patient = async (district: number) => {
        const r = await t.req('POST', '/api/patients', t.adminToken, { name: 'Kamla Devi', sex: 'female', age: 50, address: { district }, facilityId: district === MANDI ? f.mandiHub : f.hisarHub });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      const pm = await patient(MANDI), ph = await patient(HISAR);
      const units = new Map((await k.selectFrom('org_units').select(['id', 'path']).where('id', 'in', Object.values(f)).execute()).map((o) => [o.id, o.path]));
      let token = 0;
      /** One request queued at 09:00 IST on `day`; `wait` minutes to the call, consultations last 8 minutes. */
      const put = (o: { hub: string; spoke: string; specialty?: string; day?: string; status: string; wait?: number; doctor?: string; district: number; state: number; patient: string }) => {
        const day = o.day ?? D1;
        const called = o.wait === undefined ? null : at(day, 540 + o.wait);
        const started = called && ['completed', 'in_consultation'].includes(o.status) ? new Date(called.getTime() + 60_000) : null;
        return {
          id: `r${engine.slice(0, 2)}${String(++token).padStart(8, '0')}`, token, day, hub_id: o.hub, hub_path: units.get(o.hub)!, specialty: o.specialty ?? 'general_medicine',
          patient_id: o.patient, channel: 'spoke' as const, spoke_id: o.spoke, spoke_path: units.get(o.spoke)!, state_lgd: o.state, district_lgd: o.district,
          priority: 3, status: o.status as 'completed', queued_at: at(day, 540), called_at: called, doctor_id: o.doctor ?? null, started_at: started,
          ended_at: started && o.status === 'completed' ? new Date(started.getTime() + 8 * 60_000) : o.status === 'no_show' ? called : null,
          expires_at: at(day, 780), requeues: o.status === 'no_show' ? 1 : 0,
        };
      };
      const mandi = { hub: f.mandiHub, spoke: f.mandiSpoke, district: MANDI, state: 2, patient: pm };
      const hisar = { hub: f.hisarHub, spoke: f.hisarSpoke, district: HISAR, state: 6, patient: ph };
      await k.insertInto('tele_requests').values([
        // Mandi, general medicine, 10 March: waits of 10, 20, … 100 minutes; 7 seen, 2 no-shows, 1 still in consultation.
        ...[10, 20, 30, 40, 50, 60, 70].map((wait) => put({ ...mandi, status: 'completed', wait, doctor: u.m1.id })),
        put({ ...mandi, status: 'no_show', wait: 80, doctor: u.m1.id }),
        put({ ...mandi, status: 'no_show', wait: 90, doctor: u.m1.id }),
        put({ ...mandi, status: 'in_consultation', wait: 100, doctor: u.m2.id }),
        put({ ...mandi, status: 'expired' }),
        put({ ...mandi, status: 'cancelled' }),
        // Mandi, paediatrics, 11 March.
        put({ ...mandi, specialty: 'paediatrics', day: D2, status: 'completed', wait: 30, doctor: u.m2.id }),
        // Hisar, 10 March: three seen; and one patient from the Mandi sub-centre seen by the Hisar hub.
        ...[50, 60, 70].map((wait) => put({ ...hisar, status: 'completed', wait, doctor: u.h1.id })),
        put({ ...hisar, spoke: f.mandiSpoke, district: MANDI, state: 2, patient: pm, status: 'completed', wait: 40, doctor: u.h1.id }),
      ]).execute();
      // Dr. m1: online 23:00 on 9 March to 00:30 on 10 March (30 minutes on the 10th), then 09:00–09:45
      // and 10:15–11:00 (a break between), and online again at 09:00 on the 11th with no change since.
      await k.insertInto('tele_duty_log').values([
        ['online', at(D0, 1380)], ['offline', at(D1, 30)], ['online', at(D1, 540)], ['break', at(D1, 585)], ['online', at(D1, 615)], ['offline', at(D1, 660)], ['online', at(D2, 540)],
      ].map(([status, when]) => ({ user_id: u.m1.id, hub_id: f.mandiHub, specialty: 'general_medicine', status: status as 'online', at: when as Date }))).execute();
      await seedTeleStateCounts(k, D1);
      await loadTeleStateCounts(k, [{ stateLgd: 33, day: D2, consultations: 100 }, { stateLgd: 32, day: D2, consultations: 50 }], 'test');
      u.mandiOfficer = await t.userWith('district_officer', MANDI);
      u.hisarOfficer = await t.userWith('district_officer', HISAR);
      u.hubManager = await t.userWith('facility_operator', f.mandiHub);
    });
    after(async () => { await t.close(); });

    const row = (body: any, key: string) => body.rows.find((r: any) => r.key === key);

    test('waiting-time percentiles and no-show rate of a known set of requests, by hub', async () => {
      const r = await q(`/api/telemedicine/stats?from=${D1}&to=${D1}&by=hub`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const m = row(r.body, f.mandiHub);
      assert.equal(m.name, 'Tele mandiHub');
      assert.equal(m.orgUnitId, f.mandiHub);
      assert.deepEqual([m.requests, m.consultations, m.completed, m.noShows], [12, 8, 7, 2], 'expired and cancelled count as requests only');
      assert.equal(m.noShowRate, 0.2222, 'no_show / (completed + no_show) = 2 / 9');
      assert.deepEqual([m.waitP50Minutes, m.waitP90Minutes, m.waitP95Minutes], [55, 91, 95.5], 'continuous percentiles of 10, 20, … 100');
      const h = row(r.body, f.hisarHub);
      assert.deepEqual([h.requests, h.consultations, h.noShows, h.noShowRate], [4, 4, 0, 0]);
      assert.deepEqual([h.waitP50Minutes, h.waitP90Minutes, h.waitP95Minutes], [55, 67, 68.5], 'of 40, 50, 60, 70');
      assert.deepEqual(r.body.rows.map((x: any) => x.key), [f.mandiHub, f.hisarHub], 'most consultations first');
      assert.equal(r.body.total.requests, 16);
      assert.equal(r.body.total.waitP50Minutes, 55, 'median of 10, 20, … 100 with 40, 50, 60, 70');
    });

    test('by day: every day of the period in order, empty days as zeros', async () => {
      const r = await q(`/api/telemedicine/stats?from=${D0}&to=${D3}&by=day`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.rows.map((x: any) => [x.key, x.requests, x.consultations]), [[D0, 0, 0], [D1, 16, 12], [D2, 1, 1], [D3, 0, 0]]);
      assert.equal(r.body.rows[0].waitP50Minutes, null);
      assert.equal(r.body.rows[0].noShowRate, null, 'no rate without completed or no-show requests');
      const dflt = await q(`/api/telemedicine/stats?from=${D0}&to=${D3}`);
      assert.equal(dflt.body.by, 'day');
    });

    test('by specialty, spoke, district and state, with Hindi names', async () => {
      const sp = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=specialty`);
      assert.deepEqual(sp.body.rows.map((x: any) => [x.key, x.nameHi, x.consultations]), [['general_medicine', 'सामान्य चिकित्सा', 12], ['paediatrics', 'बाल रोग', 1]]);
      const spoke = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=spoke`);
      assert.deepEqual(spoke.body.rows.map((x: any) => [x.key, x.requests]), [[f.mandiSpoke, 14], [f.hisarSpoke, 3]]);
      const d = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=district`);
      assert.deepEqual(d.body.rows.map((x: any) => [x.key, x.name, x.nameHi, x.lgdCode, x.requests, x.consultations]),
        [['22', 'Mandi', 'मंडी', 22, 14, 10], ['63', 'Hisar', 'हिसार', 63, 3, 3]]);
      assert.ok(d.body.rows[0].orgUnitId, 'a district row carries its org unit for the map');
      const s = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=state`);
      assert.deepEqual(s.body.rows.map((x: any) => [x.key, x.name, x.nameHi, x.consultations]), [['2', 'Himachal Pradesh', 'हिमाचल प्रदेश', 10], ['6', 'Haryana', 'हरियाणा', 3]]);
    });

    test("scope: the Mandi officer sees Mandi's requests and the one its sub-centre sent to Hisar, not Hisar's own", async () => {
      const r = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=hub`, u.mandiOfficer.token);
      assert.equal(r.status, 200);
      assert.equal(row(r.body, f.mandiHub).requests, 13);
      assert.equal(row(r.body, f.hisarHub).requests, 1, 'only the request from the Mandi sub-centre, not the 3 from Hisar');
      assert.equal(r.body.total.requests, 14);
      const d = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=district`, u.mandiOfficer.token);
      assert.deepEqual(d.body.rows.map((x: any) => x.key), ['22']);
      const hisar = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=hub`, u.hisarOfficer.token);
      assert.deepEqual(hisar.body.rows.map((x: any) => [x.key, x.requests]), [[f.hisarHub, 4]]);
      assert.equal((await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&orgUnit=${HISAR}`, u.mandiOfficer.token)).status, 403);
      const narrowed = await q(`/api/telemedicine/stats?from=${D1}&to=${D2}&by=hub&orgUnit=${HISAR}`, u.hisarOfficer.token);
      assert.equal(narrowed.status, 200);
      assert.equal(narrowed.body.total.requests, 4);
      assert.equal((await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}&hubId=${f.hisarHub}`, u.mandiOfficer.token)).status, 403);
      const citizen = await t.userWith('citizen', 2);
      for (const path of ['stats', 'utilisation', 'ranking']) {
        assert.equal((await q(`/api/telemedicine/${path}?from=${D1}&to=${D1}`, citizen.token)).status, 403, path);
        assert.equal((await q(`/api/telemedicine/${path}?from=${D1}&to=${D1}`, null)).status, 401, path);
      }
    });

    test('utilisation: time in consultation over time online from the duty log, cut to the period', async () => {
      const r = await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}&hubId=${f.mandiHub}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.map((x: any) => x.name), ['Dr. Asha Mehta', 'Dr. Vikram Rana']);
      const [m1, m2] = r.body.items;
      assert.deepEqual([m1.onlineMinutes, m1.consultingMinutes, m1.consultations], [120, 56, 7], '30 + 45 + 45 minutes online; 7 × 8 minutes consulting');
      assert.equal(m1.utilisation, 0.4667);
      assert.equal(m2.onlineMinutes, 0);
      assert.equal(m2.utilisation, null, 'never online: no ratio');
      assert.equal(m2.consultations, 1);
      assert.equal(m2.consultingMinutes, 1440 - 641, 'a consultation still open counts to the end of the period');
      const two = await q(`/api/telemedicine/utilisation?from=${D1}&to=${D2}&hubId=${f.mandiHub}`);
      assert.equal(two.body.items[0].onlineMinutes, 120 + 900, 'online since 09:00 on the 11th, to its end');
      const own = await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}`, u.m1.token);
      assert.equal(own.status, 200);
      assert.deepEqual(own.body.items.map((x: any) => x.doctorId), [u.m1.id], 'a doctor sees only their own figures');
      const manager = await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}`, u.hubManager.token);
      assert.equal(manager.body.items.length, 2, 'the hub manager sees every doctor of the hub');
      const state = await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}`, u.hisarOfficer.token);
      assert.deepEqual(state.body.items.map((x: any) => x.name), ['Dr. Sunil Malik']);
      assert.equal(state.body.total.consultations, 4);
    });

    test('ranking: Tamil Nadu 32,035, Andhra Pradesh 28,960, Himachal Pradesh 24,527, with shares and own counts', async () => {
      const r = await q(`/api/telemedicine/ranking?from=${D1}&to=${D1}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.slice(0, 3).map((x: any) => [x.rank, x.name, x.consultations]),
        [[1, 'Tamil Nadu', 32035], [2, 'Andhra Pradesh', 28960], [3, 'Himachal Pradesh', 24527]]);
      assert.equal(r.body.items[0].nameHi, 'तमिलनाडु');
      const total = DEMO_STATE_COUNTS.reduce((s, [, n]) => s + n, 0);
      assert.equal(r.body.total, total);
      assert.equal(r.body.items.length, DEMO_STATE_COUNTS.length);
      assert.equal(r.body.items[0].share, Math.round((32035 / total) * 10000) / 10000);
      assert.ok(r.body.items.every((x: any, i: number) => i === 0 || x.consultations <= r.body.items[i - 1].consultations));
      assert.deepEqual(r.body.sources, ['demo: national dashboard figures']);
      assert.equal(r.body.days, 1);
      const hp = r.body.items.find((x: any) => x.stateLgd === 2);
      assert.equal(hp.ownConsultations, 9, 'consultations Swasthya recorded in Himachal on the day');
      assert.equal(r.body.items.find((x: any) => x.stateLgd === 6).ownConsultations, 3);
      assert.equal(r.body.items.find((x: any) => x.stateLgd === 33).ownConsultations, null);
      const two = await q(`/api/telemedicine/ranking?from=${D1}&to=${D2}`);
      assert.equal(two.body.items[0].consultations, 32135, 'summed over the days');
      assert.equal(two.body.days, 2);
      assert.equal(two.body.latestDay, D2);
      const mandi = await q(`/api/telemedicine/ranking?from=${D1}&to=${D1}`, u.mandiOfficer.token);
      assert.equal(mandi.body.items[0].name, 'Tamil Nadu', 'national figures are for everyone who reads telemedicine');
      assert.equal(mandi.body.items.find((x: any) => x.stateLgd === 2).ownConsultations, 9);
      assert.equal(mandi.body.items.find((x: any) => x.stateLgd === 6).ownConsultations, null, 'own counts stay within the area');
      const none = await q('/api/telemedicine/ranking?from=2020-01-01&to=2020-01-31');
      assert.deepEqual([none.body.items.length, none.body.total, none.body.latestDay], [0, 0, null]);
    });

    test('bad periods are 400s a person can act on, in Hindi too', async () => {
      const cases: [string, RegExp][] = [
        [`from=2025-02-30&to=${D1}`, /from 2025-02-30 is not a date; use YYYY-MM-DD/],
        [`from=${D2}&to=${D1}`, /is after to/],
        ['from=2024-01-01&to=2025-01-01', /367 days; ask for at most 366/],
        [`from=10-03-2025&to=${D1}`, /not a date/],
        [`from=${D1}`, /to/],
        [`from=${D1}&to=${D1}&by=week`, /by/],
        [`from=${D1}&to=${D1}&colour=red`, /colour/],
      ];
      for (const [qs, message] of cases) {
        const r = await q(`/api/telemedicine/stats?${qs}`);
        assert.equal(r.status, 400, `${qs} → ${r.status}`);
        assert.equal(r.body.error.code, 'bad_request');
        assert.match(r.body.error.message, message, qs);
      }
      const hi = await q(`/api/telemedicine/ranking?from=2025-13-01&to=${D1}`, t.adminToken, { 'accept-language': 'hi' });
      assert.equal(hi.status, 400);
      assert.match(hi.body.error.message, /सही तिथि नहीं है/);
      assert.equal((await q(`/api/telemedicine/utilisation?from=${D1}&to=2025-02-01`)).status, 400);
      assert.equal((await q('/api/telemedicine/stats?from=2024-01-01&to=2024-12-31')).status, 200, '366 days is allowed');
      assert.equal((await q(`/api/telemedicine/utilisation?from=${D1}&to=${D1}&hubId=Zz000000000`)).status, 404);
    });

    test('national counts are checked before they are stored', async () => {
      await assert.rejects(loadTeleStateCounts(t.db.kysely, [{ stateLgd: 99, day: D1, consultations: 5 }], 'test'),
        (e: unknown) => e instanceof AppError && e.code === 'bad_request' && /99 is not the LGD code/.test(e.message));
      await assert.rejects(loadTeleStateCounts(t.db.kysely, [{ stateLgd: 33, day: D1, consultations: -1 }], 'test'), AppError);
      await assert.rejects(loadTeleStateCounts(t.db.kysely, [{ stateLgd: 33, day: '2025-02-29', consultations: 1 }], 'test'), AppError);
      const r = await q(`/api/telemedicine/ranking?from=${D1}&to=${D1}`);
      assert.equal(r.body.items[0].consultations, 32035, 'nothing was stored');
    });
  });
}

for (const engine of testEngines()) {
  describe(`demo telemedicine history and national counts [${engine}]`, () => {
    let t: TestApp;
    let hub: string;
    const today = todayIst();
    const back = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

    before(async () => {
      t = await startTestApp(engine, { demo: true });
      const k = t.db.kysely;
      hub = stableUid('demo:mandi-phc-nerchowk');
      // The demo network where the demo seed has not made it: PHC Nerchowk's specialties, a dozen sub-centres, two doctors.
      if (!(await k.selectFrom('tele_hub_specialties').select('hub_id').where('hub_id', '=', hub).executeTakeFirst())) {
        await k.insertInto('tele_hub_specialties').values(['general_medicine', 'obgyn', 'paediatrics'].map((specialty) => ({ hub_id: hub, specialty }))).execute();
      }
      if (!(await k.selectFrom('tele_spoke_hubs').select('hub_id').where('hub_id', '=', hub).executeTakeFirst())) {
        const spokes = await k.selectFrom('facilities').select('id').where('hub_id', '=', hub).orderBy('id').limit(12).execute();
        await k.insertInto('tele_spoke_hubs').values(spokes.map((s) => ({ spoke_id: s.id, hub_id: hub }))).execute();
      }
      if (!(await k.selectFrom('tele_doctors').select('user_id').where('hub_id', '=', hub).executeTakeFirst())) {
        const a = await t.userWith('doctor', hub), b = await t.userWith('doctor', hub);
        await k.insertInto('tele_doctors').values([
          { user_id: a.id, hub_id: hub, specialties: ['general_medicine', 'paediatrics'], name: 'Dr. Demo One' },
          { user_id: b.id, hub_id: hub, specialties: ['general_medicine', 'obgyn'], name: 'Dr. Demo Two' },
        ]).execute();
      }
      await t.db.kysely.transaction().execute(async (trx) => {
        await seedTeleHistory(trx, { days: 5 });
        await seedTeleStateCounts(trx);
      });
    });
    after(async () => { await t.close(); });

    test('past days of completed and no-show consultations at PHC Nerchowk, consistent in time', async () => {
      const k = t.db.kysely;
      const rows = await k.selectFrom('tele_requests').selectAll().where('hub_id', '=', hub).where('day', '>=', back(5)).execute();
      const days = new Set(rows.map((r) => r.day));
      for (let n = 1; n <= 5; n++) assert.ok(days.has(back(n)), `requests on ${back(n)}`);
      assert.ok(!days.has(today), 'history stops before today');
      assert.ok(rows.every((r) => r.status === 'completed' || r.status === 'no_show'));
      assert.ok(rows.every((r) => (r.channel === 'spoke') === !!r.spoke_id && r.district_lgd === MANDI && r.state_lgd === 2));
      const noShows = rows.filter((r) => r.status === 'no_show').length;
      assert.ok(noShows > 0 && noShows / rows.length < 0.2, `${noShows} no-shows of ${rows.length}`);
      for (const r of rows) {
        assert.ok(r.called_at! > r.queued_at && r.doctor_id, `${r.id} was called after it queued`);
        if (r.status === 'completed') assert.ok(r.started_at! >= r.called_at! && r.ended_at! > r.started_at!);
      }
      // A doctor sees one patient at a time.
      const byDoctor = new Map<string, typeof rows>();
      for (const r of rows.filter((x) => x.started_at)) byDoctor.set(r.doctor_id!, [...(byDoctor.get(r.doctor_id!) ?? []), r]);
      for (const list of byDoctor.values()) {
        list.sort((x, y) => x.started_at!.getTime() - y.started_at!.getTime());
        for (let i = 1; i < list.length; i++) assert.ok(list[i]!.started_at! >= list[i - 1]!.ended_at!, 'consultations of one doctor do not overlap');
      }
      const patients = await k.selectFrom('patient_facilities').select('patient_id').distinct().where('patient_id', 'in', [...new Set(rows.map((r) => r.patient_id))]).execute();
      assert.equal(patients.length, new Set(rows.map((r) => r.patient_id)).size, 'every demo patient is linked to a spoke');
      assert.deepEqual(await seedTeleHistory(k, { days: 5 }), { patients: 0, requests: 0 }, 'a second run adds nothing');
    });

    test('the counts, waiting times and utilisation of the demo history are plausible', async () => {
      const s = await t.req('GET', `/api/telemedicine/stats?from=${back(5)}&to=${back(1)}&by=day&orgUnit=${MANDI}`, t.adminToken);
      assert.equal(s.status, 200);
      assert.ok(s.body.rows.every((r: any) => r.consultations > 0), JSON.stringify(s.body.rows.map((r: any) => r.consultations)));
      assert.ok(s.body.total.waitP50Minutes > 2 && s.body.total.waitP50Minutes < 40, `median wait ${s.body.total.waitP50Minutes}`);
      assert.ok(s.body.total.waitP90Minutes >= s.body.total.waitP50Minutes);
      const u = await t.req('GET', `/api/telemedicine/utilisation?from=${back(5)}&to=${back(1)}&hubId=${hub}`, t.adminToken);
      assert.equal(u.status, 200);
      const busy = u.body.items.filter((d: any) => d.consultations > 0);
      assert.ok(busy.length > 0);
      for (const d of busy) assert.ok(d.utilisation > 0.05 && d.utilisation <= 1, `${d.name}: ${d.utilisation}`);
    });

    test("yesterday's national counts put Tamil Nadu, Andhra Pradesh and Himachal Pradesh on top", async () => {
      const r = await t.req('GET', `/api/telemedicine/ranking?from=${back(1)}&to=${back(1)}`, t.adminToken);
      assert.deepEqual(r.body.items.slice(0, 3).map((x: any) => [x.stateLgd, x.consultations]), [[33, 32035], [28, 28960], [2, 24527]]);
      assert.ok(r.body.items.find((x: any) => x.stateLgd === 2).ownConsultations > 0, "Himachal's own consultations from the demo history");
    });
  });
}
