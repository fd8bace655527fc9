import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { nextPeriod, parsePeriod, periodOfType, todayIst } from '../../platform/periods.js';
import { replaceReport } from './surveillance.repository.js';

/** "This week" of the tests: fixed, so every figure below is exact whatever the date. */
const WEEK = '2024W20';
const HARYANA = 6, HISAR = 63, PANCHKULA = 70;

for (const engine of testEngines()) {
  describe(`IDSP weekly surveillance: reports, trends, rising diseases, burden, alerts [${engine}]`, () => {
    let t: TestApp;
    const f: Record<string, string> = {};
    before(async () => {
      t = await startTestApp(engine);
      const mk = async (name: string, orgUnit: number, o: Record<string, unknown> = {}) => {
        const r = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name, orgUnit, ...o }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as string;
      };
      f.a1 = await mk('PHC Hisar One', HISAR);
      f.a2 = await mk('PHC Hisar Two', HISAR);
      f.b1 = await mk('PHC Pinjore', PANCHKULA, { latitude: 30.79, longitude: 76.91 });
      // History straight through the repository: acute diarrhoeal disease (P form), weeks 1–30 of 2021–2023.
      // Hisar has 3, 4, 5 cases a week in 2021, 2022, 2023 (mean 4, SD 1); Panchkula 4 every week.
      // 2024: Hisar 4 a week, then 15 a week in weeks 17–20; Panchkula steady at 4, with typhoid 3 in weeks 19–20.
      const units = await t.db.kysely.selectFrom('org_units').select(['id', 'path', 'state_lgd']).where('id', 'in', Object.values(f)).execute();
      const unit = (id: string) => units.find((u) => u.id === id)!;
      await t.db.kysely.transaction().execute(async (trx) => {
        const put = (id: string, week: string, counts: [string, number][]) => replaceReport(trx,
          { facility: unit(id), week: parsePeriod(week), form: 'P', submittedBy: null, submittedAt: new Date('2024-06-01T00:00:00Z') },
          counts.map(([disease, cases]) => ({ disease, cases, deaths: 0 })));
        for (const y of [2021, 2022, 2023]) {
          for (let w = 1; w <= 30; w++) {
            await put(f.a1, `${y}W${w}`, [['P_ADD', 2 + y - 2021]]);
            await put(f.a2, `${y}W${w}`, [['P_ADD', 1]]);
            await put(f.b1, `${y}W${w}`, [['P_ADD', 4]]);
          }
        }
        for (let w = 1; w <= 20; w++) {
          await put(f.a1, `2024W${w}`, [['P_ADD', w >= 17 ? 10 : 3]]);
          await put(f.a2, `2024W${w}`, [['P_ADD', w >= 17 ? 5 : 1]]);
          await put(f.b1, `2024W${w}`, w >= 19 ? [['P_ADD', 4], ['P_TYPHOID', 3]] : [['P_ADD', 4]]);
        }
      });
    });
    after(async () => { await t.close(); });

    const report = (token: string, body: Record<string, unknown>) => t.req('POST', '/api/surveillance/reports', token, body);

    test('the disease list is bilingual, by form, with IDSP absolute thresholds', async () => {
      const r = await t.req('GET', '/api/surveillance/diseases', t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.forms.map((x: any) => x.code), ['S', 'P', 'L']);
      const m = r.body.items.find((x: any) => x.code === 'P_MEASLES');
      assert.deepEqual([m.form, m.name, m.nameHi, m.alertAt], ['P', 'Measles', 'खसरा', 1]);
      assert.equal(r.body.items.find((x: any) => x.code === 'S_AFP').alertAt, 1);
      assert.equal(r.body.items.find((x: any) => x.code === 'P_ADD').alertAt, null);
      assert.ok(r.body.items.every((x: any) => x.nameHi && /^[SPL]_/.test(x.code)));
      const citizen = await t.userWith('citizen', HARYANA);
      assert.equal((await t.req('GET', '/api/surveillance/diseases', citizen.token)).status, 403);
      assert.equal((await t.req('GET', '/api/surveillance/diseases', null)).status, 401);
    });

    test('a facility sends its weekly P form; sending again replaces it; a nil S report is stored', async () => {
      const op = await t.userWith('facility_operator', f.b1);
      const first = await report(op.token, { orgUnit: f.b1, week: WEEK, form: 'P', counts: [{ disease: 'P_ADD', cases: 99 }] });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.replaced, true, 'the history already held this week');
      const again = await report(op.token, {
        orgUnit: f.b1, week: WEEK, form: 'P',
        counts: [{ disease: 'P_ADD', cases: 4 }, { disease: 'p_typhoid', cases: 3 }, { disease: 'P_MEASLES', cases: 1, deaths: 0 }],
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.deepEqual([again.body.week, again.body.startDate, again.body.endDate, again.body.form], ['2024W20', '2024-05-13', '2024-05-19', 'P']);
      assert.deepEqual(again.body.counts.map((c: any) => [c.code, c.cases, c.deaths]), [['P_ADD', 4, 0], ['P_TYPHOID', 3, 0], ['P_MEASLES', 1, 0]]);
      assert.equal(again.body.counts[2].nameHi, 'खसरा');
      const rows = await t.db.kysely.selectFrom('surveillance_reports').select(['disease', 'cases']).where('org_unit_id', '=', f.b1).where('week', '=', WEEK).orderBy('disease').execute();
      assert.deepEqual(rows.map((x) => [x.disease, x.cases]), [['P_ADD', 4], ['P_MEASLES', 1], ['P_TYPHOID', 3]]);
      const cho = await t.userWith('cho', f.b1);
      const nil = await report(cho.token, { orgUnit: f.b1, week: WEEK, form: 'S', counts: [] });
      assert.deepEqual([nil.status, nil.body.replaced, nil.body.counts], [201, false, []]);
      const audit = await t.req('GET', '/api/audit?entity=surveillanceReport', t.adminToken);
      assert.ok(audit.body.items.some((i: any) => i.entityId === `${f.b1}/${WEEK}/P`));
    });

    test('bad reports are 400s naming the field', async () => {
      const base = { orgUnit: f.a1, week: WEEK, form: 'P' };
      const cases = [
        [{ ...base, counts: [{ disease: 'P_PLAGUE', cases: 1 }] }, 'counts.0.disease', /not a disease/],
        [{ ...base, form: 'S', counts: [{ disease: 'P_MEASLES', cases: 1 }] }, 'counts.0.disease', /P form/],
        [{ ...base, counts: [{ disease: 'P_ADD', cases: -1 }] }, 'counts.0.cases', />= 0/],
        [{ ...base, counts: [{ disease: 'P_ADD', cases: 1, deaths: 2 }] }, 'counts.0.deaths', /more than the 1 cases/],
        [{ ...base, counts: [{ disease: 'P_ADD', cases: 1 }, { disease: 'P_ADD', cases: 2 }] }, 'counts.1.disease', /more than once/],
        [{ ...base, week: nextPeriod(periodOfType('Weekly', todayIst()), 2).id, counts: [] }, 'week', /future/],
        [{ ...base, week: '202405', counts: [] }, 'week', /Monthly period/],
        [{ ...base, week: '2024W60', counts: [] }, 'week', /2024W60/],
        [{ ...base, orgUnit: String(HISAR), counts: [] }, 'orgUnit', /facility/],
        [{ ...base, form: 'X', counts: [] }, 'form', /one of S, P, L/],
      ] as const;
      for (const [body, field, message] of cases) {
        const r = await report(t.adminToken, body);
        assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.error.details.fields.some((x: any) => x.field === field), `${field} in ${JSON.stringify(r.body.error)}`);
        assert.match(r.body.error.message, message);
      }
      const hi = await t.req('POST', '/api/surveillance/reports', t.adminToken, { ...base, counts: [{ disease: 'P_PLAGUE', cases: 1 }] }, { 'accept-language': 'hi' });
      assert.match(hi.body.error.message, /कोई रोग या लक्षण कोड नहीं है/);
      const typo = await t.req('GET', `/api/surveillance/trends?disease=measles&orgUnit=${HISAR}&week=${WEEK}`, t.adminToken);
      assert.equal(typo.status, 400);
      assert.match(typo.body.error.message, /did you mean P_MEASLES or L_MEASLES/);
    });

    test('scope: outside your area is 403, no token 401, an unknown unit 404', async () => {
      const panchkula = await t.userWith('district_officer', PANCHKULA);
      assert.equal((await report(panchkula.token, { orgUnit: f.a1, week: WEEK, form: 'P', counts: [] })).status, 403);
      assert.equal((await report(null as unknown as string, { orgUnit: f.a1, week: WEEK, form: 'P', counts: [] })).status, 401);
      assert.equal((await t.req('GET', `/api/surveillance/trends?disease=P_ADD&orgUnit=${HISAR}&week=${WEEK}`, panchkula.token)).status, 403);
      assert.equal((await t.req('GET', `/api/surveillance/alerts?orgUnit=${HARYANA}&week=${WEEK}`, panchkula.token)).status, 403);
      assert.equal((await t.req('GET', `/api/surveillance/rising?orgUnit=${HARYANA}&week=${WEEK}`, panchkula.token)).status, 403);
      assert.equal((await t.req('GET', `/api/surveillance/burden?disease=P_ADD&orgUnit=${HARYANA}`, panchkula.token)).status, 403);
      const own = await t.req('GET', `/api/surveillance/alerts?week=${WEEK}`, panchkula.token);
      assert.deepEqual(own.body.items.map((i: any) => i.disease.code), ['P_MEASLES'], 'defaults to your own district');
      const dispatcher = await t.userWith('dispatcher', PANCHKULA);
      assert.equal((await t.req('GET', `/api/surveillance/alerts?week=${WEEK}`, dispatcher.token)).status, 403);
      assert.equal((await t.req('GET', `/api/surveillance/alerts?orgUnit=Zzzzzzzzzz1&week=${WEEK}`, t.adminToken)).status, 404);
      assert.equal((await report(t.adminToken, { orgUnit: 'Zzzzzzzzzz1', week: WEEK, form: 'P', counts: [] })).status, 404);
      for (const url of ['diseases', `trends?disease=P_ADD&week=${WEEK}`, `rising?week=${WEEK}`, 'burden?disease=P_ADD', `alerts?week=${WEEK}`]) {
        const r = await t.req('GET', `/api/surveillance/${url}`, null);
        assert.deepEqual([r.status, r.body.error.code], [401, 'unauthenticated'], url);
      }
    });

    test('trends: this year against the same weeks of the previous three years', async () => {
      const hisar = await t.req('GET', `/api/surveillance/trends?disease=P_ADD&orgUnit=${HISAR}&week=${WEEK}&weeks=5`, t.adminToken);
      assert.equal(hisar.status, 200, JSON.stringify(hisar.body));
      assert.deepEqual(hisar.body.weeks.map((w: any) => [w.week, w.cases, w.mean, w.sd]),
        [['2024W16', 4, 4, 1], ['2024W17', 15, 4, 1], ['2024W18', 15, 4, 1], ['2024W19', 15, 4, 1], ['2024W20', 15, 4, 1]]);
      assert.deepEqual(hisar.body.weeks[0].pastYears, [5, 4, 3]);
      assert.deepEqual(hisar.body.last4, { weeks: ['2024W17', '2024W18', '2024W19', '2024W20'], cases: 60, mean: 16, sd: 4, threshold: 24, pastYears: [20, 16, 12] });
      assert.equal(hisar.body.rising, true);
      const pk = await t.req('GET', `/api/surveillance/trends?disease=P_ADD&orgUnit=${PANCHKULA}&week=${WEEK}`, t.adminToken);
      assert.equal(pk.body.weeks.length, 12);
      assert.ok(pk.body.weeks.every((w: any) => w.cases === 4 && w.mean === 4 && w.sd === 0));
      assert.deepEqual([pk.body.last4.cases, pk.body.last4.threshold, pk.body.rising], [16, 16, false]);
      const state = await t.req('GET', `/api/surveillance/trends?disease=P_ADD&orgUnit=${HARYANA}&week=${WEEK}&weeks=4`, t.adminToken);
      assert.deepEqual(state.body.weeks.map((w: any) => [w.cases, w.mean, w.sd]), [[19, 8, 1], [19, 8, 1], [19, 8, 1], [19, 8, 1]]);
      assert.deepEqual([state.body.last4.cases, state.body.last4.threshold, state.body.rising], [76, 40, true]);
    });

    test('rising: diseases above mean + 2 SD of past years, ranked by excess', async () => {
      const state = await t.req('GET', `/api/surveillance/rising?orgUnit=${HARYANA}&week=${WEEK}`, t.adminToken);
      assert.equal(state.status, 200, JSON.stringify(state.body));
      assert.deepEqual(state.body.items.map((i: any) => [i.code, i.last4.cases, i.last4.threshold, i.excess]),
        [['P_ADD', 76, 40, 36], ['P_TYPHOID', 6, 0, 6], ['P_MEASLES', 1, 0, 1]]);
      const pk = await t.req('GET', `/api/surveillance/rising?orgUnit=${PANCHKULA}&week=${WEEK}`, t.adminToken);
      assert.deepEqual(pk.body.items.map((i: any) => i.code), ['P_TYPHOID', 'P_MEASLES'], 'steady diarrhoea is not rising');
      const hisar = await t.req('GET', `/api/surveillance/rising?orgUnit=${HISAR}&week=2024W16`, t.adminToken);
      assert.deepEqual(hisar.body.items, [], 'nothing rises before week 17');
    });

    test('burden: where acute diarrhoeal disease is heaviest, with cases per reporting facility', async () => {
      const r = await t.req('GET', `/api/surveillance/burden?disease=P_ADD&orgUnit=${HARYANA}&from=2024W1&to=${WEEK}`, t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.map((i: any) => [i.rank, i.name, i.cases, i.facilitiesReporting, i.casesPerFacility]),
        [[1, 'Hisar', 124, 2, 62], [2, 'Panchkula', 80, 1, 80]]);
      assert.equal(r.body.items[0].nameHi, 'हिसार');
      assert.deepEqual(r.body.total, { cases: 204, deaths: 0, facilitiesReporting: 3 });
      const blocks = await t.req('GET', `/api/surveillance/burden?disease=P_ADD&orgUnit=${HISAR}&from=2024W1&to=${WEEK}&level=block`, t.adminToken);
      assert.deepEqual(blocks.body.items.map((i: any) => [i.id, i.name, i.cases]), [[null, 'Not in a block', 124]]);
      const bad = await t.req('GET', `/api/surveillance/burden?disease=P_ADD&orgUnit=${HISAR}&level=district`, t.adminToken);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'level');
      const backwards = await t.req('GET', `/api/surveillance/burden?disease=P_ADD&orgUnit=${HARYANA}&from=${WEEK}&to=2024W1`, t.adminToken);
      assert.equal(backwards.body.error.details.field, 'from');
    });

    test('alerts: one measles case is an alert; the rising district alerts, the steady one does not', async () => {
      const r = await t.req('GET', `/api/surveillance/alerts?orgUnit=${HARYANA}&week=${WEEK}`, t.adminToken);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.map((i: any) => [i.district.name, i.disease.code, i.kind, i.cases, i.threshold, i.mean, i.sd]), [
        ['Panchkula', 'P_MEASLES', 'absolute', 1, 1, null, null],
        ['Hisar', 'P_ADD', 'statistical', 15, 5.73, 4, 0.87],
      ]);
      assert.match(r.body.items[0].why, /a single case/);
      assert.match(r.body.items[1].why, /mean 4 \+ 2 × SD 0\.87 of the same week ±1 in 2021–2023/);
      assert.match(r.body.items[1].whyHi, /हिसार/);
      const quiet = await t.req('GET', `/api/surveillance/alerts?orgUnit=${HARYANA}&week=2024W16`, t.adminToken);
      assert.deepEqual(quiet.body.items, []);
      const facility = await t.req('GET', `/api/surveillance/alerts?orgUnit=${f.a1}&week=${WEEK}`, t.adminToken);
      assert.equal(facility.status, 400);
    });
  });
}
