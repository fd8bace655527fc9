// A monthly return under parallel requests: approve and send back are exclusive, and a value write
// racing an approval either lands before it (and the approver's count includes it) or is refused
// (E7643), never after. PostgreSQL (TEST_DATABASE_URL) overlaps them for real; PGlite runs them in turn.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { periodOfType, todayIst } from '../../platform/periods.js';

/** This month: open for entry whatever the date the tests run on. */
const NOW = periodOfType('Monthly', todayIst()).id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const engine of testEngines()) {
  describe(`monthly returns under parallel requests [${engine}]`, () => {
    let t: TestApp;
    let elements: string[];
    let officer: string;
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      // Items on no validation rule's left side: any value of them keeps a completed return valid.
      const lefts = form.body.validationRules.map((r: any) => r.leftSide.expression).join(' ');
      elements = form.body.sections.flatMap((s: any) => s.elements).filter((e: any) => /INTEGER|NUMBER/.test(e.valueType) && !lefts.includes(e.id)).map((e: any) => e.id);
      assert.ok(elements.length >= 12);
      officer = (await t.userWith('district_officer', 70)).token;
    });
    after(async () => { await t.close(); });

    /** A facility in Panchkula with its operator, whose return for this month is completed with one value. */
    const completedReturn = async (name: string) => {
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name, orgUnit: 70, latitude: 30.69, longitude: 76.86 }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      const op = (await t.userWith('facility_operator', f.body.id)).token;
      const r = await send(op, f.body.id, [elements[0]], new Date().toISOString());
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body));
      return { id: f.body.id as string, op };
    };
    const send = (token: string, orgUnit: string, des: string[], completeDate?: string) =>
      t.req('POST', '/api/dataValueSets', token, { dataSet: 'HMIS_MONTHLY', period: NOW, orgUnit, ...(completeDate ? { completeDate } : {}), dataValues: des.map((dataElement) => ({ dataElement, value: '7' })) });
    const step = (action: string, orgUnit: string, reason?: string) =>
      t.req('POST', `/api/hmis/returns/${action}`, officer, { dataSet: 'HMIS_MONTHLY', period: NOW, orgUnit, ...(reason ? { reason } : {}) });

    test('approve or send back, not both: 4 returns, each approved and sent back at once; one step wins each', async () => {
      const units = await Promise.all([1, 2, 3, 4].map((i) => completedReturn(`PHC Race Return ${i}`)));
      const rs = await Promise.all(units.flatMap((u) => [step('approve', u.id), step('return', u.id, 'figures do not add up')]));
      for (const r of rs) assert.ok(r.status < 500, `no 5xx: ${r.status} ${JSON.stringify(r.body)}`);
      for (const [i, u] of units.entries()) {
        const [approve, sendBack] = [rs[2 * i], rs[2 * i + 1]];
        assert.deepEqual([approve.status, sendBack.status].sort(), [200, 409], JSON.stringify([approve.body, sendBack.body]));
        const state = await t.db.kysely.selectFrom('hmis_return_states').select('state').where('org_unit_id', '=', u.id).where('period', '=', NOW).executeTakeFirst();
        const completed = await t.db.kysely.selectFrom('hmis_complete_registrations').select('org_unit_id').where('org_unit_id', '=', u.id).where('period', '=', NOW).executeTakeFirst();
        if (approve.status === 200) {
          assert.equal(state?.state, 'approved');
          assert.ok(completed, 'an approved return stays completed');
          assert.match(sendBack.body.error.message, /Un-approve/);
        } else {
          assert.equal(state?.state, 'returned');
          assert.equal(completed, undefined, 'a return sent back is no longer completed');
          assert.match(approve.body.error.message, /completed return/);
        }
      }
    });

    test('values written while the return is approved land before the approval or are refused (E7643), never after it', async () => {
      for (let round = 1; round <= 3; round++) {
        const u = await completedReturn(`PHC Race Values ${round}`);
        const writes = elements.slice(1, 11).map((de) => send(u.op, u.id, [de]));
        await sleep(engine === 'postgresql' ? 3 : 0);
        const [approve, ...summaries] = await Promise.all([step('approve', u.id), ...writes]);
        assert.equal(approve.status, 200, JSON.stringify(approve.body));
        let landed = 0;
        for (const s of summaries) {
          assert.equal(s.status, 200, JSON.stringify(s.body));
          if (s.body.importCount.imported === 1) landed++;
          else assert.equal(s.body.conflicts[0]?.errorCode, 'E7643', JSON.stringify(s.body));
        }
        const stored = await t.db.kysely.selectFrom('hmis_data_values').select('data_element_id').where('org_unit_id', '=', u.id).where('period', '=', NOW).execute();
        assert.equal(stored.length, 1 + landed);
        assert.equal(approve.body.values, stored.length, 'the approval saw every value the return holds: none was written after it');
      }
    });

    test('completing while a value that breaks a validation rule is written: one of them is refused, never a completed return that fails its rules', async () => {
      const form = await t.req('GET', '/api/hmis/dataSets/HMIS_MONTHLY/form', t.adminToken);
      const de = Object.fromEntries(form.body.sections.flatMap((s: any) => s.elements).map((e: any) => [e.code, e.id]));
      const put = (op: string, ou: string, values: Record<string, string>) =>
        t.req('POST', '/api/dataValueSets', op, { dataSet: 'HMIS_MONTHLY', period: NOW, orgUnit: ou, dataValues: Object.entries(values).map(([code, value]) => ({ dataElement: de[code], value })) });
      const outcomes = new Set<string>();
      for (let round = 1; round <= 8; round++) {
        const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: `PHC Race Checks ${round}`, orgUnit: 70, latitude: 30.69, longitude: 76.86 }));
        const op = (await t.userWith('facility_operator', f.body.id)).token;
        assert.equal((await put(op, f.body.id, { '1.1': '10', '1.1.1': '5' })).body.status, 'SUCCESS');
        // The write makes "ANC registered in 1st trimester <= total ANC registrations" fail (50 > 10).
        const write = put(op, f.body.id, { '1.1.1': '50' });
        await sleep(engine === 'postgresql' ? round % 4 : 0);
        const [w, c] = await Promise.all([write, t.req('POST', '/api/hmis/returns/complete', op, { dataSet: 'HMIS_MONTHLY', period: NOW, orgUnit: f.body.id })]);
        assert.ok(w.status < 500 && c.status < 500, JSON.stringify([w.body, c.body]));
        assert.notDeepEqual([w.status, c.status], [200, 200], `both the failing value and the completion went through: ${JSON.stringify([w.body, c.body])}`);
        outcomes.add(`${w.status}/${c.status}`);
        const value = await t.db.kysely.selectFrom('hmis_data_values').select('value').where('org_unit_id', '=', f.body.id).where('data_element_id', '=', de['1.1.1']).executeTakeFirstOrThrow();
        const done = await t.db.kysely.selectFrom('hmis_complete_registrations').select('org_unit_id').where('org_unit_id', '=', f.body.id).where('period', '=', NOW).executeTakeFirst();
        if (done) assert.equal(value.value, '5', 'a completed return holds values that pass its rules');
        else assert.equal(value.value, '50');
      }
      assert.ok([...outcomes].every((o) => o === '200/409' || o === '409/200'), [...outcomes].join(' '));
    });
  });
}
