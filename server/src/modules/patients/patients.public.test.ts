import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import type { LogSmsSender } from '../../platform/sms.js';
import { luhnCheckDigit } from './patients.identity.js';

for (const engine of testEngines()) {
  describe(`registration from home, with a one-time code [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });
    const outbox = () => t.app.sms as LogSmsSender;
    const codeSentTo = (mobile: string) => /code is (\d{6})/.exec(outbox().lastTo(mobile)?.text ?? '')?.[1] ?? '';

    const person = { name: 'प्रिया शर्मा', sex: 'female', birthDate: '1998-07-21', address: { district: 63, line: 'Model Town' } };

    test('the code goes to the mobile by the log sender; the right code registers once, without signing in', async () => {
      assert.equal(t.app.sms.kind, 'log', 'development sends nothing');
      const otp = await t.req('POST', '/api/public/otp', null, { mobile: '+91-99887-76655' });
      assert.equal(otp.status, 202, JSON.stringify(otp.body));
      assert.equal(otp.body.sentTo, 'XXXXXX6655');
      assert.equal(otp.body.channel, 'log');
      const code = codeSentTo('9988776655');
      assert.match(code, /^\d{6}$/);
      assert.match(outbox().lastTo('9988776655')!.text, /कोड/, 'the message is in Hindi too');

      const wrong = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9988776655', challengeId: otp.body.challengeId, code: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.details.field, 'code');
      const otherNumber = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9988776600', challengeId: otp.body.challengeId, code });
      assert.equal(otherNumber.status, 400, 'a code confirms only the number it went to');
      const badInput = await t.req('POST', '/api/public/patients', null, { ...person, abha: '12', mobile: '9988776655', challengeId: otp.body.challengeId, code });
      assert.equal(badInput.status, 400);
      assert.equal(badInput.body.error.details.fields[0].field, 'abha', 'nothing lost: the code still works after a correction');

      const ok = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9988776655', challengeId: otp.body.challengeId, code });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.match(ok.body.stateNumber, /^P06\d{9}$/);
      assert.equal(ok.body.nameLatin, 'Priya Sharma');
      const row = await t.db.kysely.selectFrom('patients').selectAll().where('id', '=', ok.body.id).executeTakeFirstOrThrow();
      assert.equal(row.registered_via, 'online');
      assert.ok(row.mobile_verified_at, 'the mobile is marked confirmed');
      const again = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9988776655', challengeId: otp.body.challengeId, code });
      assert.equal(again.status, 400, 'a code works once');
    });

    test('five wrong tries use up a code; codes per number are limited; bad numbers are 400', async () => {
      const otp = await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' });
      const code = codeSentTo('9876501234');
      const wrongCode = code === '123456' ? '654321' : '123456';
      for (let i = 0; i < 5; i++) {
        assert.equal((await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9876501234', challengeId: otp.body.challengeId, code: wrongCode })).status, 400);
      }
      const late = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9876501234', challengeId: otp.body.challengeId, code });
      assert.equal(late.status, 429, 'the right code after five wrong ones is refused');
      assert.match(late.body.error.message, /new code/);
      assert.equal((await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' })).status, 202);
      assert.equal((await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' })).status, 202);
      const limited = await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' }, { 'accept-language': 'hi' });
      assert.equal(limited.status, 429);
      assert.match(limited.body.error.message, /15 मिनट/);
      const bad = await t.req('POST', '/api/public/otp', null, { mobile: '12345678901' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].field, 'mobile');
    });

    const codeFor = async (mobile: string) => {
      const otp = await t.req('POST', '/api/public/otp', null, { mobile });
      assert.equal(otp.status, 202, JSON.stringify(otp.body));
      return { challengeId: otp.body.challengeId as string, code: codeSentTo(mobile) };
    };
    const abhaOf = (base13: string) => `${base13}${luhnCheckDigit(base13)}`.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');

    test('with an ABHA number, registered or not, the caller gets the same answer; the outcome goes by SMS, and the code is used up', async () => {
      const held = abhaOf('9155500000001');
      const owner = await codeFor('9811100001');
      const first = await t.req('POST', '/api/public/patients', null, { ...person, abha: held, mobile: '9811100001', ...owner });
      assert.equal(first.status, 202, JSON.stringify(first.body));
      const ownerNumber = /number is (P06\d{9})/.exec(outbox().lastTo('9811100001')!.text)?.[1];
      assert.ok(ownerNumber, 'the new number went by SMS to the confirmed mobile');
      assert.equal((await t.db.kysely.selectFrom('patients').select('state_number').where('abha_number', '=', held.replace(/-/g, '')).executeTakeFirstOrThrow()).state_number, ownerNumber);

      // Someone else tries the held number, and a free one: the two answers cannot be told apart.
      const prober = await codeFor('9811100002');
      const taken = await t.req('POST', '/api/public/patients', null, { ...person, abha: held, mobile: '9811100002', ...prober });
      const other = await codeFor('9811100003');
      const free = await t.req('POST', '/api/public/patients', null, { ...person, abha: abhaOf('9155500000002'), mobile: '9811100003', ...other });
      assert.equal(taken.status, free.status);
      assert.deepEqual({ ...taken.body, sentTo: '' }, { ...free.body, sentTo: '' });
      assert.doesNotMatch(JSON.stringify(taken.body), new RegExp(ownerNumber!), 'the answer names no record');
      assert.doesNotMatch(outbox().lastTo('9811100002')!.text, /P06\d{9}/, 'nor does the SMS to someone else\'s mobile');

      // The failed look-up used the code up: it cannot be tried again with another number.
      const again = await t.req('POST', '/api/public/patients', null, { ...person, abha: abhaOf('9155500000003'), mobile: '9811100002', ...prober });
      assert.equal(again.status, 400, JSON.stringify(again.body));
      assert.equal(again.body.error.details.field, 'code');
      const none = await t.req('POST', '/api/public/patients', null, { ...person, mobile: '9811100002', ...prober });
      assert.equal(none.status, 400, 'nor used for a registration without an ABHA number');

      // The owner of the record's mobile is told their own number.
      const mine = await codeFor('9811100001');
      const back = await t.req('POST', '/api/public/patients', null, { ...person, abha: held, mobile: '9811100001', ...mine });
      assert.deepEqual({ ...back.body, sentTo: '' }, { ...free.body, sentTo: '' });
      assert.match(outbox().lastTo('9811100001')!.text, new RegExp(`already registered.*${ownerNumber}`));
    });

    test('parallel sends to one number send at most three codes', async () => {
      const mobile = '9811100010';
      const before = outbox().outbox.filter((m) => m.to === mobile).length;
      const sends = await Promise.all(Array.from({ length: 10 }, () => t.req('POST', '/api/public/otp', null, { mobile })));
      assert.deepEqual(sends.map((r) => r.status).sort(), [202, 202, 202, 429, 429, 429, 429, 429, 429, 429]);
      assert.equal(outbox().outbox.filter((m) => m.to === mobile).length - before, 3, 'three SMS');
      const rows = await t.db.kysely.selectFrom('otp_challenges').select('id').where('mobile', '=', mobile).execute();
      assert.equal(rows.length, 3);
    });

    test('parallel wrong codes: at most five are tried, the rest 429, and the right code after them is refused; a right code works once', async () => {
      const mobile = '9811100020';
      const { challengeId, code } = await codeFor(mobile);
      const wrong = code === '123456' ? '654321' : '123456';
      const tries = await Promise.all(Array.from({ length: 10 }, () => t.req('POST', '/api/public/patients', null, { ...person, mobile, challengeId, code: wrong })));
      assert.deepEqual(tries.map((r) => r.status).sort(), [400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
      const row = await t.db.kysely.selectFrom('otp_challenges').select(['attempts', 'used_at']).where('id', '=', challengeId).executeTakeFirstOrThrow();
      assert.equal(row.attempts, 5);
      assert.equal(row.used_at, null);
      const right = await t.req('POST', '/api/public/patients', null, { ...person, mobile, challengeId, code });
      assert.equal(right.status, 429, 'the right code after the tries are spent is refused');
      assert.equal(await t.db.kysely.selectFrom('patients').select('id').where('mobile', '=', mobile).executeTakeFirst(), undefined);

      const next = await codeFor(mobile);
      const both = await Promise.all(Array.from({ length: 5 }, () => t.req('POST', '/api/public/patients', null, { ...person, mobile, ...next })));
      assert.deepEqual(both.map((r) => r.status).sort(), [201, 400, 400, 400, 400]);
      assert.equal((await t.db.kysely.selectFrom('patients').select('id').where('mobile', '=', mobile).execute()).length, 1, 'one registration');
    });
  });
}
