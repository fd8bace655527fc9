// Browser test of the outbox, black-box: the real server (demo data, the development SMS sender) and
// Debian's Chromium. Hisar's district officer sends the month's defaulters a reminder from the
// monthly report screen and reads what was actually queued, sent and failed (as the server counts
// it); follows the link to the messages of that round, sees them sent with the numbers masked; then
// the same screen in Hindi.
//   cd /work/main && npm run build -w web && node --import tsx --test web/e2e/messages.e2e.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_PASSWORD, apiCall, browserAvailable, browserSession } from './harness.ts';

const PASSWORD = 'Hisar-Outbox-Pass-1';

describe('messages sent (browser)', () => {
  test('a district officer reminds defaulters, reads what was sent and failed, and opens the round in the outbox, in English and Hindi', { timeout: 300_000 }, async (t) => {
    if (!browserAvailable(t)) return;
    await browserSession('messages', async ({ server, page, resultsDir }) => {
      const base = server.base;
      const admin = await apiCall<{ token: string }>(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD });
      const officer = `hisar_outbox_${Math.floor(Math.random() * 1e6)}`;
      await apiCall(base, 'POST', '/api/users', admin.token, { username: officer, password: PASSWORD, role: 'district_officer', orgUnit: 63 });

      await page.goto(`${base}/`);
      await page.getByLabel('Username').fill(officer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monthly report status' }).click();
      await page.getByRole('button', { name: 'Send reminders to defaulters' }).click();
      await page.getByRole('button', { name: 'Send reminders', exact: true }).click();
      const outcome = page.getByTestId('reminder-outcome');
      await outcome.waitFor();
      const text = await outcome.innerText();
      const m = /In-app notice to (\d+) facilit(?:y|ies)\. Messages: (\d+) queued, (\d+) sent, (\d+) failed \(tried again later\), (\d+) waiting\./.exec(text);
      assert.ok(m, text);
      const [facilities = 0, queued = 0, sent = 0, failed = 0, waiting = 0] = m.slice(1).map(Number);
      assert.ok(facilities >= 1, text);
      assert.equal(sent + failed + waiting, queued, text);
      assert.equal(failed, 0, 'the development sender takes every message');

      // The round in the outbox: the same counts as the screen said, numbers masked.
      const round = await apiCall<{ items: { about: { id: string } }[] }>(base, 'GET', '/api/messages?about=hmis_reminder&limit=1', admin.token);
      const list = await apiCall<{ total: number; summary: { sent: number }; items: { to: string }[] }>(base, 'GET', `/api/messages?about=hmis_reminder&aboutId=${round.items[0]?.about.id ?? 'none'}`, admin.token);
      assert.equal(list.total, queued);
      assert.equal(list.summary.sent, sent);
      await page.screenshot({ path: join(resultsDir, 'reminders-en.png'), fullPage: true });
      if (queued > 0) {
        await page.getByRole('link', { name: 'See these messages' }).click();
        await page.getByRole('heading', { level: 1, name: 'Messages sent' }).waitFor();
        await page.getByText('Showing one round of reminders only.').waitFor();
        const rows = page.getByRole('row').filter({ hasText: 'HMIS reminder' });
        await rows.first().waitFor();
        assert.equal(await rows.count(), Math.min(queued, 50));
        assert.match(await rows.first().innerText(), /XXXXXX\d{4}|\*\*\*@/);
        await page.screenshot({ path: join(resultsDir, 'messages-en.png'), fullPage: true });
        await page.getByRole('button', { name: 'हिन्दी' }).click();
        await page.getByRole('heading', { level: 1, name: 'भेजे गए संदेश' }).waitFor();
        await page.getByRole('row').filter({ hasText: 'HMIS अनुस्मारक' }).first().getByText('भेजा गया').waitFor();
        await page.screenshot({ path: join(resultsDir, 'messages-hi.png'), fullPage: true });
      }
    });
  });
});
