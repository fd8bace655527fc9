// A return whose validation rules fail is not completed, or approved, by accident: validCompleteOnly
// refuses the completion (listing each rule with its values, in the caller's language); where the
// data set allows it the facility completes with a comment per failing rule; the district sees the
// rules and comments and approves only with a confirmation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { periodOfType, todayIst } from '../../platform/periods.js';

const NOW = periodOfType('Monthly', todayIst()).id;
const DS = 'HMIS_MONTHLY';

for (const engine of testEngines()) {
  describe(`returns with failing validation rules [${engine}]`, () => {
    let t: TestApp;
    let de: Record<string, string>;
    let officer: string;
    before(async () => {
      t = await startTestApp(engine);
      const form = await t.req('GET', `/api/hmis/dataSets/${DS}/form`, t.adminToken);
      de = Object.fromEntries(form.body.sections.flatMap((s: any) => s.elements).map((e: any) => [e.code, e.id]));
      officer = (await t.userWith('district_officer', 70)).token;
    });
    after(async () => { await t.close(); });

    const facility = async (name: string) => {
      const f = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name, orgUnit: 70, latitude: 30.69, longitude: 76.86 }));
      assert.equal(f.status, 201, JSON.stringify(f.body));
      return { id: f.body.id as string, op: (await t.userWith('facility_operator', f.body.id)).token };
    };
    const send = (token: string, orgUnit: string, values: Record<string, string>, extra: Record<string, unknown> = {}) =>
      t.req('POST', '/api/dataValueSets', token, { dataSet: DS, period: NOW, orgUnit, ...extra, dataValues: Object.entries(values).map(([code, value]) => ({ dataElement: de[code], value })) });
    const step = (token: string, action: string, orgUnit: string, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
      t.req('POST', `/api/hmis/returns/${action}`, token, { dataSet: DS, period: NOW, orgUnit, ...body }, headers);
    const completed = async (ou: string) => !!(await t.db.kysely.selectFrom('hmis_complete_registrations').select('org_unit_id').where('org_unit_id', '=', ou).where('period', '=', NOW).executeTakeFirst());
    /** ANC first trimester 20 of 10 registrations, 8 sessions held of 4 planned: two rules fail. */
    const BAD = { '1.1': '10', '1.1.1': '20', '9.7.1': '4', '9.7.2': '8' };
    const codes = (rules: any[]) => rules.map((r) => r.rule.code).sort();

    test('the HMIS monthly return is validCompleteOnly; a return with failing rules is refused, each rule with its values, in English and Hindi', async () => {
      const sets = await t.req('GET', '/api/hmis/dataSets', t.adminToken);
      const hmis = sets.body.items.find((d: any) => d.code === DS);
      assert.deepEqual([hmis.validCompleteOnly, hmis.allowCompleteWithComments], [true, false]);
      // Every rule of the return reads in Hindi too, name and instruction, wherever it is listed.
      const form = await t.req('GET', `/api/hmis/dataSets/${DS}/form`, t.adminToken);
      assert.ok(form.body.validationRules.length >= 30);
      assert.deepEqual(form.body.validationRules.filter((r: any) => !r.nameHi || !r.instructionHi).map((r: any) => r.name), []);
      const f = await facility('PHC Checks Refused');
      assert.equal((await send(f.op, f.id, BAD)).body.status, 'SUCCESS');
      const r = await step(f.op, 'complete', f.id);
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.deepEqual(codes(r.body.error.details.failingRules), ['HMIS_VR_ANC_TRIM1', 'HMIS_VR_SESSIONS']);
      const anc = r.body.error.details.failingRules.find((x: any) => x.rule.code === 'HMIS_VR_ANC_TRIM1');
      assert.deepEqual([anc.leftValue, anc.rightValue], [20, 10]);
      assert.match(anc.rule.nameHi, /पहली तिमाही/);
      assert.match(anc.rule.instructionHi, /1\.1\.1/);
      assert.match(r.body.error.message, /ANC registered in 1st trimester <= total ANC registrations \(left 20, right 10\)/);
      const hi = await step(f.op, 'complete', f.id, {}, { 'accept-language': 'hi' });
      assert.equal(hi.status, 409);
      assert.match(hi.body.error.message, /सत्यापन नियम/);
      assert.match(hi.body.error.message, /पहली तिमाही में एएनसी पंजीकरण <= कुल एएनसी पंजीकरण \(बायाँ पक्ष 20, दायाँ पक्ष 10\)/);
      assert.equal(await completed(f.id), false);
      // Comments do not help where the data set does not allow them.
      const withComments = await step(f.op, 'complete', f.id, { comments: [{ rule: 'HMIS_VR_ANC_TRIM1', comment: 'register re-checked' }, { rule: 'HMIS_VR_SESSIONS', comment: 'extra sessions' }] });
      assert.equal(withComments.status, 409);
      // A data value set's completeDate goes through the same check: values kept, completion refused.
      const dvs = await send(f.op, f.id, { '1.1': '11' }, { completeDate: todayIst() });
      assert.equal(dvs.body.status, 'WARNING', JSON.stringify(dvs.body));
      assert.equal(dvs.body.conflicts[0].errorCode, 'E7644');
      assert.match(dvs.body.conflicts[0].value, /left 20, right 11/);
      assert.equal(dvs.body.importCount.updated, 1);
      assert.equal(dvs.body.dataSetComplete, false);
      assert.equal(await completed(f.id), false);
      // Corrected, it completes.
      assert.equal((await send(f.op, f.id, { '1.1.1': '9', '9.7.2': '4' })).body.status, 'SUCCESS');
      const ok = await step(f.op, 'complete', f.id);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.failingRules, []);
      // Once completed, a value that makes a rule fail is refused until the return is marked incomplete.
      const late = await send(f.op, f.id, { '1.1.1': '30' });
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.match(late.body.error.message, /ANC registered in 1st trimester/);
      const stored = await t.db.kysely.selectFrom('hmis_data_values').select('value').where('org_unit_id', '=', f.id).where('data_element_id', '=', de['1.1.1']).executeTakeFirstOrThrow();
      assert.equal(stored.value, '9');
      assert.equal((await step(f.op, 'uncomplete', f.id)).status, 200);
      assert.equal((await send(f.op, f.id, { '1.1.1': '30' })).body.status, 'SUCCESS', 'a draft takes any value');
    });

    test('where comments are allowed: every failing rule needs one; the district sees rules and comments and must confirm to approve', async () => {
      const editor = await t.userWith('district_officer', 70);
      assert.equal((await t.req('PATCH', `/api/hmis/dataSets/${DS}`, editor.token, { allowCompleteWithComments: true })).status, 403, 'editing data sets needs can_update_metadata');
      const set = await t.req('PATCH', `/api/hmis/dataSets/${DS}`, t.adminToken, { allowCompleteWithComments: true });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual([set.body.validCompleteOnly, set.body.allowCompleteWithComments], [true, true]);
      try {
        const f = await facility('PHC Checks Commented');
        await send(f.op, f.id, BAD);
        const none = await step(f.op, 'complete', f.id);
        assert.equal(none.status, 409);
        assert.equal(none.body.error.details.commentsAllowed, true);
        assert.equal(none.body.error.details.missingComments.length, 2);
        const one = await step(f.op, 'complete', f.id, { comments: [{ rule: 'HMIS_VR_ANC_TRIM1', comment: 'Women registered in the camp were counted in 1.1.1 only' }, { rule: 'HMIS_VR_SESSIONS', comment: '  ' }] });
        assert.equal(one.status, 409, 'a blank comment is no comment');
        assert.match(one.body.error.message, /no comment was given for: HMIS Immunisation sessions held <= sessions planned \(left 8, right 4\)$/);
        const oneHi = await step(f.op, 'complete', f.id, { comments: [{ rule: 'HMIS_VR_ANC_TRIM1', comment: 'x' }] }, { 'accept-language': 'hi' });
        assert.match(oneHi.body.error.message, /आयोजित टीकाकरण सत्र <= नियोजित सत्र \(बायाँ पक्ष 8, दायाँ पक्ष 4\)/);
        const sessions = none.body.error.details.failingRules.find((x: any) => x.rule.code === 'HMIS_VR_SESSIONS').rule.id;
        const done = await step(f.op, 'complete', f.id, { comments: [{ rule: 'HMIS_VR_ANC_TRIM1', comment: 'Women registered in the camp were counted in 1.1.1 only' }, { rule: sessions, comment: 'Four extra sessions for the pulse polio round' }] });
        assert.equal(done.status, 200, JSON.stringify(done.body));
        assert.equal(done.body.status, 'completed_on_time');
        assert.deepEqual(codes(done.body.failingRules), ['HMIS_VR_ANC_TRIM1', 'HMIS_VR_SESSIONS']);
        const kept = await t.db.kysely.selectFrom('hmis_completion_comments').selectAll().where('org_unit_id', '=', f.id).orderBy('comment').execute();
        assert.deepEqual(kept.map((k) => [k.comment, k.left_value, k.right_value]), [['Four extra sessions for the pulse polio round', 8, 4], ['Women registered in the camp were counted in 1.1.1 only', 20, 10]]);

        const review = await t.req('GET', `/api/hmis/returns/review?dataSet=${DS}&period=${NOW}&orgUnit=${f.id}`, officer);
        assert.equal(review.status, 200, JSON.stringify(review.body));
        assert.deepEqual(codes(review.body.failingRules), ['HMIS_VR_ANC_TRIM1', 'HMIS_VR_SESSIONS']);
        assert.equal(review.body.failingRules.find((x: any) => x.rule.code === 'HMIS_VR_SESSIONS').comment.text, 'Four extra sessions for the pulse polio round');
        assert.ok(review.body.completedAt);
        const mandi = (await t.userWith('district_officer', 22)).token;
        assert.equal((await t.req('GET', `/api/hmis/returns/review?dataSet=${DS}&period=${NOW}&orgUnit=${f.id}`, mandi)).status, 403);

        const unconfirmed = await step(officer, 'approve', f.id);
        assert.equal(unconfirmed.status, 409, JSON.stringify(unconfirmed.body));
        assert.equal(unconfirmed.body.error.details.reason, 'confirm_failing_rules');
        assert.deepEqual(codes(unconfirmed.body.error.details.failingRules), ['HMIS_VR_ANC_TRIM1', 'HMIS_VR_SESSIONS']);
        assert.ok(unconfirmed.body.error.details.failingRules.every((x: any) => x.comment?.text));
        assert.equal((await step(officer, 'approve', f.id, { confirmFailingRules: false })).status, 409);
        const approved = await step(officer, 'approve', f.id, { confirmFailingRules: true });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        assert.equal(approved.body.status, 'approved');
        const audit = await t.req('GET', '/api/audit?entity=hmisReturn', t.adminToken);
        assert.ok(audit.body.items.some((i: any) => JSON.stringify(i.after ?? i).includes('Four extra sessions')), 'the approval records what was confirmed');

        // Sent back, the completion and its comments go; the next completion explains again.
        assert.equal((await step(officer, 'unapprove', f.id, { reason: 'ANC figures to be re-checked' })).status, 200);
        assert.equal((await step(officer, 'return', f.id, { reason: 'ANC figures to be re-checked' })).status, 200);
        assert.equal((await t.db.kysely.selectFrom('hmis_completion_comments').select('rule_id').where('org_unit_id', '=', f.id).execute()).length, 0);
        assert.equal((await step(f.op, 'complete', f.id)).status, 409);

        // A return without failing rules is approved without a confirmation.
        const g = await facility('PHC Checks Clean');
        await send(g.op, g.id, { '1.1': '10', '1.1.1': '4' });
        assert.equal((await step(g.op, 'complete', g.id)).status, 200);
        assert.deepEqual((await t.req('GET', `/api/hmis/returns/review?dataSet=${DS}&period=${NOW}&orgUnit=${g.id}`, officer)).body.failingRules, []);
        assert.equal((await step(officer, 'approve', g.id)).status, 200);
      } finally {
        await t.req('PATCH', `/api/hmis/dataSets/${DS}`, t.adminToken, { allowCompleteWithComments: false });
      }
    });

    test('metadata import sets validCompleteOnly as DHIS2 sends it, and allowCompleteWithComments; a payload that does not say keeps them', async () => {
      const ds = (id: string, o: Record<string, unknown>) => ({ dataSets: [{ id, name: `Checks ${id}`, shortName: id, periodType: 'Monthly', dataSetElements: [{ dataElement: { id: de['1.1'] } }], ...o }] });
      assert.equal((await t.req('POST', '/api/metadata', t.adminToken, ds('ChkDataSet1', { validCompleteOnly: true, allowCompleteWithComments: true }))).status, 200);
      const row = () => t.db.kysely.selectFrom('hmis_data_sets').select(['valid_complete_only', 'allow_complete_with_comments']).where('id', '=', 'ChkDataSet1').executeTakeFirstOrThrow();
      assert.deepEqual(await row(), { valid_complete_only: true, allow_complete_with_comments: true });
      assert.equal((await t.req('POST', '/api/metadata', t.adminToken, ds('ChkDataSet1', { name: 'Checks renamed' }))).status, 200);
      assert.deepEqual(await row(), { valid_complete_only: true, allow_complete_with_comments: true });
      assert.equal((await t.req('POST', '/api/metadata', t.adminToken, ds('ChkDataSet1', { validCompleteOnly: false }))).status, 200);
      assert.deepEqual(await row(), { valid_complete_only: false, allow_complete_with_comments: true });
      const bad = await t.req('POST', '/api/metadata', t.adminToken, ds('ChkDataSet1', { validCompleteOnly: 'yes' }));
      assert.equal(bad.status, 409);
    });

    test('with validCompleteOnly off, a return with failing rules completes as before', async () => {
      assert.equal((await t.req('PATCH', `/api/hmis/dataSets/${DS}`, t.adminToken, { validCompleteOnly: false })).status, 200);
      try {
        const f = await facility('PHC Checks Off');
        await send(f.op, f.id, BAD);
        const r = await step(f.op, 'complete', f.id);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        // The district still sees what fails, and confirms.
        assert.equal((await step(officer, 'approve', f.id)).status, 409);
        assert.equal((await step(officer, 'approve', f.id, { confirmFailingRules: true })).status, 200);
      } finally {
        await t.req('PATCH', `/api/hmis/dataSets/${DS}`, t.adminToken, { validCompleteOnly: true });
      }
    });
  });
}
