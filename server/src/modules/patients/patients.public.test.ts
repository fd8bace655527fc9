import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import type { LogSmsSender } from '../../platform/sms.js';

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
      assert.equal(late.status, 400, 'the right code after five wrong ones is refused');
      assert.equal((await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' })).status, 202);
      assert.equal((await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' })).status, 202);
      const limited = await t.req('POST', '/api/public/otp', null, { mobile: '9876501234' }, { 'accept-language': 'hi' });
      assert.equal(limited.status, 429);
      assert.match(limited.body.error.message, /15 मिनट/);
      const bad = await t.req('POST', '/api/public/otp', null, { mobile: '12345678901' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].field, 'mobile');
    });
  });
}
