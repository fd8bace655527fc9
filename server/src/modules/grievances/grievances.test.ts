import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { openPostgres } from '../../db/connect.js';
import type { LogSmsSender } from '../../platform/sms.js';
import { facilityBody, startTestApp, testConfig, testEngines, type TestApp } from '../../test/harness.js';
import { escalateOverdue } from './grievances.escalation.js';
import { addWorkingDays } from './grievances.rules.js';

const DAY = 86_400_000;
let seq = 0;
/** A fresh mobile for each citizen (codes per number are limited). */
const mobile = () => `9${String(Date.now() % 1e8).padStart(8, '0')}${++seq % 10}`.slice(0, 10);

test('working days skip weekends and holidays, and end at midnight IST', () => {
  const cal = { weekendDays: new Set([0, 6]), holidays: new Set(['2026-12-08']) };
  // Friday 4 December 2026, 10:00 IST: one working day is Monday the 7th, two skip the holiday on the 8th.
  const friday = new Date('2026-12-04T04:30:00Z');
  assert.equal(addWorkingDays(friday, 1, cal).toISOString(), '2026-12-07T18:29:59.999Z');
  assert.equal(addWorkingDays(friday, 2, cal).toISOString(), '2026-12-09T18:29:59.999Z');
  assert.equal(addWorkingDays(friday, 21, { weekendDays: new Set([0, 6]), holidays: new Set() }).toISOString(), '2027-01-04T18:29:59.999Z');
});

for (const engine of testEngines()) {
  describe(`grievances: filing, routing, tracking, escalation [${engine}]`, () => {
    let t: TestApp;
    let hospital: string;
    let mandiFacility: string;
    let officer: string;
    let mandiOfficer: string;
    let operator: string;
    let stateOfficer: string;
    let agent: string;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const sms = () => t.app.sms as LogSmsSender;
    /** Asks for a code for `m` and reads it from the development sender. */
    const codeFor = async (m: string) => {
      const before = sms().lastTo(m);
      const { challengeId } = await ok(t.req('POST', '/api/public/grievances/otp', null, { mobile: m }), 202);
      for (let i = 0; i < 50; i++) {
        const last = sms().lastTo(m);
        const code = last && last !== before ? /code is (\d{6})/.exec(last.text)?.[1] : undefined;
        if (code) return { challengeId: challengeId as string, code };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no code reached ${m}`);
    };
    /** Filed at the help desk of the hospital (no code needed), as `type`. */
    const desk = async (type = 'service_refused', over: Record<string, unknown> = {}) =>
      ok(t.req('POST', '/api/grievances', operator, { mobile: mobile(), type, facilityId: hospital, description: 'Turned away from the OPD at 10 am', ...over }), 201);
    const act = (ticket: string, action: string, body: unknown, token = officer) => t.req('POST', `/api/grievances/${ticket}/${action}`, token, body);

    before(async () => {
      t = await startTestApp(engine);
      hospital = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Civil Hospital Hisar G', type: 'DH' })), 201)).id;
      mandiFacility = (await ok(t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'Zonal Hospital Mandi G', type: 'DH', orgUnit: '22' })), 201)).id;
      officer = (await t.userWith('district_officer', 63)).token;
      mandiOfficer = (await t.userWith('district_officer', 22)).token;
      operator = (await t.userWith('facility_operator', hospital)).token;
      stateOfficer = (await t.userWith('state_officer', 'state:6')).token;
      agent = (await t.userWith('helpline_agent', 'state:6')).token;
    });
    after(async () => { await t.close(); });

    test('public filing with a code: a typo costs no code, a wrong code is 400, the right one gives a ticket number (also by SMS) once', async () => {
      const m = mobile();
      const { challengeId, code } = await codeFor(m);
      const body = { mobile: m, challengeId, code, type: 'money_asked', facilityId: hospital, description: 'The ward boy asked for ₹500 to admit my mother' };
      assert.equal((await t.req('POST', '/api/public/grievances', null, { ...body, facilityId: 'nosuchplace1' })).status, 400);
      const wrong = await t.req('POST', '/api/public/grievances', null, { ...body, code: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.details.field, 'code');
      const filed = await ok(t.req('POST', '/api/public/grievances', null, body), 201);
      assert.match(filed.ticketNumber, /^GRV-63-\d{4}-\d{5}$/);
      assert.equal(filed.status, 'new');
      assert.equal(filed.level, 'district', 'money asked goes to the district, not the facility it is about');
      assert.ok(filed.accessToken);
      assert.ok(sms().lastTo(m)!.text.includes(filed.ticketNumber), 'the citizen gets the number by SMS');
      const kept = await t.db.kysely.selectFrom('outbox_messages').select(['recipient', 'status']).where('about_kind', '=', 'grievance').where('about_id', '=', filed.ticketNumber).execute();
      assert.deepEqual(kept, [{ recipient: m, status: 'sent' }], 'through the outbox, which records what was sent to whom');
      assert.equal((await t.req('POST', '/api/public/grievances', null, body)).status, 400, 'a code works once');
      // By district when no facility is concerned; unknown district 404.
      const byDistrict = await ok(t.req('POST', '/api/grievances', agent, { mobile: mobile(), type: 'ambulance_late', district: '63', description: '108 came after two hours' }), 201);
      assert.equal(byDistrict.level, 'district');
      assert.notEqual(byDistrict.ticketNumber, filed.ticketNumber);
      assert.equal((await t.req('POST', '/api/grievances', agent, { mobile: mobile(), type: 'other', description: 'x' })).status, 400);
      // Filed at the same moment: each gets its own number (a counter row per district and month, and a unique index).
      const many = await Promise.all(Array.from({ length: 8 }, () => t.req('POST', '/api/grievances', agent, { mobile: mobile(), type: 'cleanliness', facilityId: hospital, description: 'Dirty ward' })));
      assert.deepEqual(many.map((r) => r.status), Array(8).fill(201), JSON.stringify(many.map((r) => r.body)));
      assert.equal(new Set(many.map((r) => r.body.ticketNumber)).size, 8);
    });

    test('tracking: code or access token; citizen-visible history only; a mobile not the ticket\'s gets the same 404 as no ticket', async () => {
      const m = mobile();
      const { challengeId, code } = await codeFor(m);
      const filed = await ok(t.req('POST', '/api/public/grievances', null, { mobile: m, challengeId, code, type: 'service_refused', facilityId: hospital, description: 'No doctor in OPD' }), 201);
      await ok(act(filed.ticketNumber, 'notes', { note: 'Dr Sharma was on leave; internal only' }));
      await ok(act(filed.ticketNumber, 'reply', { message: 'We are looking into it' }));
      const c = await codeFor(m);
      const seen = await ok(t.req('GET', `/api/public/grievances/${filed.ticketNumber}?mobile=${m}&challengeId=${c.challengeId}&code=${c.code}`));
      assert.equal(seen.status, 'in_progress');
      assert.deepEqual(seen.history.map((h: any) => h.kind), ['filed', 'reply']);
      assert.ok(!JSON.stringify(seen).includes('Sharma'), 'no internal note, no names');
      assert.equal(seen.history[1].by, 'district officer');
      const again = await ok(t.req('GET', `/api/public/grievances/${filed.ticketNumber}?accessToken=${seen.accessToken}`));
      assert.equal(again.ticketNumber, filed.ticketNumber);
      // Someone else's mobile with a good code, and a ticket that does not exist: the same answer.
      const other = mobile();
      const oc = await codeFor(other);
      const notTheirs = await t.req('GET', `/api/public/grievances/${filed.ticketNumber}?mobile=${other}&challengeId=${oc.challengeId}&code=${oc.code}`);
      const none = await t.req('GET', `/api/public/grievances/GRV-63-0000-99999?accessToken=${seen.accessToken}`);
      assert.equal(notTheirs.status, 404);
      assert.equal(none.status, 404);
      assert.equal(notTheirs.body.error.message, none.body.error.message);
      const wrongCode = await t.req('GET', `/api/public/grievances/${filed.ticketNumber}?mobile=${m}&challengeId=${c.challengeId}&code=000001`);
      assert.equal(wrongCode.status, 400);
      // Add information and a photo with the token; a file that is not what it says is 415.
      const info = await ok(t.req('POST', `/api/public/grievances/${filed.ticketNumber}/information`, null, { accessToken: seen.accessToken, text: 'It happened on Monday' }));
      assert.equal(info.history.at(-1).kind, 'citizen_information');
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const up = await t.app.inject({ method: 'POST', url: `/api/public/grievances/${filed.ticketNumber}/attachments?accessToken=${seen.accessToken}`, headers: { 'content-type': 'image/png' }, payload: png });
      assert.equal(up.statusCode, 201, up.body);
      const fake = await t.app.inject({ method: 'POST', url: `/api/public/grievances/${filed.ticketNumber}/attachments?accessToken=${seen.accessToken}`, headers: { 'content-type': 'image/png' }, payload: Buffer.from('not a picture') });
      assert.equal(fake.statusCode, 415);
      const full = await ok(t.req('GET', `/api/grievances/${filed.ticketNumber}`, officer));
      assert.equal(full.attachments.length, 1);
      assert.equal(full.mobile, m);
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('entity', '=', 'grievance').where('entity_id', '=', full.id).where('action', '=', 'read').execute();
      assert.ok(audit.length >= 1, 'reading the mobile and text is audited');
    });

    test('scope: another district\'s officer gets 403 on the district and 404 on the ticket; a facility sees only what is routed to it; permission before the body', async () => {
      const own = await desk('service_refused');
      const money = await desk('money_asked');
      const list = await ok(t.req('GET', '/api/grievances?status=new&district=63&limit=200', officer));
      assert.ok(list.items.some((i: any) => i.ticketNumber === own.ticketNumber));
      assert.ok(list.total >= 2);
      assert.match(list.items[0].mobileMasked, /^X{6}\d{4}$/);
      assert.equal((await t.req('GET', '/api/grievances?district=63', mandiOfficer)).status, 403);
      assert.ok(!(await ok(t.req('GET', '/api/grievances?limit=200', mandiOfficer))).items.some((i: any) => i.ticketNumber === own.ticketNumber));
      assert.equal((await t.req('GET', `/api/grievances/${own.ticketNumber}`, mandiOfficer)).status, 404);
      assert.equal((await act(own.ticketNumber, 'resolve', { resolution: 'done' }, mandiOfficer)).status, 404);
      // The facility's own desk sees the ticket routed to it, not the one about money sent to the district.
      assert.equal((await t.req('GET', `/api/grievances/${own.ticketNumber}`, operator)).status, 200);
      assert.equal((await t.req('GET', `/api/grievances/${money.ticketNumber}`, operator)).status, 404);
      // The helpline reads but does not act; the check comes before the body is read.
      assert.equal((await t.req('GET', `/api/grievances/${own.ticketNumber}`, agent)).status, 200);
      assert.equal((await t.req('POST', `/api/grievances/${own.ticketNumber}/resolve`, agent, '{not json')).status, 403);
      // A Mandi facility's desk cannot file about a Hisar facility.
      assert.equal((await t.req('POST', '/api/grievances', (await t.userWith('facility_operator', mandiFacility)).token, { mobile: mobile(), type: 'waiting', facilityId: hospital, description: 'x' })).status, 403);
    });

    test('states: assign, reply, resolve needs its text, illegal moves 409, the interim reply extends once, two resolves at once: one wins', async () => {
      const g = await desk('medicines_not_given');
      assert.equal((await act(g.ticketNumber, 'start', {})).status, 409, 'new cannot be started before it is assigned');
      const assigned = await ok(act(g.ticketNumber, 'assign', {}));
      assert.equal(assigned.status, 'assigned');
      assert.ok(assigned.assignedTo);
      const interim = await ok(act(g.ticketNumber, 'interim', { reason: 'Stock arrives from the district store next week', extendDays: 5 }));
      assert.ok(Date.parse(interim.resolutionDue) > Date.parse(g.resolutionDue));
      assert.equal(interim.extension.reason, 'Stock arrives from the district store next week');
      const twice = await act(g.ticketNumber, 'interim', { reason: 'again', extendDays: 5 });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error.message, /already extended once/);
      assert.equal((await act(g.ticketNumber, 'resolve', {})).status, 400);
      assert.equal((await act(g.ticketNumber, 'resolve', { resolution: '   ' })).status, 400);
      const both = await Promise.all([act(g.ticketNumber, 'resolve', { resolution: 'Medicines given on 3 Dec' }), act(g.ticketNumber, 'resolve', { resolution: 'Medicines given' })]);
      assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
      const resolved = await ok(t.req('GET', `/api/grievances/${g.ticketNumber}`, officer));
      assert.equal(resolved.status, 'resolved');
      assert.equal(resolved.events.filter((e: any) => e.kind === 'resolved').length, 1);
      const again = await act(g.ticketNumber, 'reply', { message: 'more' });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /is resolved/);
      await ok(act(g.ticketNumber, 'close', {}));
      assert.equal((await act(g.ticketNumber, 'close', {})).status, 409);
    });

    test('resolve → rated not satisfied → appeal at the next level, decided there; reopen only within 15 days', async () => {
      const m = mobile();
      const g = await desk('cleanliness', { mobile: m });
      assert.equal(g.level, 'facility');
      await ok(act(g.ticketNumber, 'resolve', { resolution: 'Toilets cleaned; a cleaner posted' }, operator));
      const c = await codeFor(m);
      const seen = await ok(t.req('GET', `/api/public/grievances/${g.ticketNumber}?mobile=${m}&challengeId=${c.challengeId}&code=${c.code}`));
      assert.equal(seen.status, 'resolved');
      assert.equal(seen.resolution, 'Toilets cleaned; a cleaner posted');
      assert.equal(seen.canRate, true);
      assert.equal(seen.canReopen, true);
      const appealed = await ok(t.req('POST', `/api/public/grievances/${g.ticketNumber}/rating`, null, { accessToken: seen.accessToken, satisfied: false, score: 1, comment: 'Still dirty' }));
      assert.equal(appealed.status, 'reopened');
      assert.equal(appealed.level, 'district');
      assert.equal(appealed.appeal.level, 'district');
      const days = (Date.parse(appealed.appeal.due) - Date.parse(appealed.appeal.openedAt)) / DAY;
      assert.equal(Math.round(days), 30);
      assert.equal((await t.req('POST', `/api/public/grievances/${g.ticketNumber}/rating`, null, { accessToken: seen.accessToken, satisfied: true })).status, 409);
      // The facility no longer handles it; the district is told and decides.
      assert.equal((await act(g.ticketNumber, 'resolve', { resolution: 'x' }, operator)).status, 404);
      assert.ok((await ok(t.req('GET', '/api/grievances/notifications', officer))).items.some((n: any) => n.ticketNumber === g.ticketNumber && n.kind === 'appeal'));
      await ok(act(g.ticketNumber, 'resolve', { resolution: 'Inspected; contractor fined and replaced' }));
      const decided = await ok(t.req('GET', `/api/public/grievances/${g.ticketNumber}?accessToken=${seen.accessToken}`));
      assert.ok(decided.appeal.decidedAt);
      const closed = await ok(t.req('POST', `/api/public/grievances/${g.ticketNumber}/rating`, null, { accessToken: seen.accessToken, satisfied: false }));
      assert.equal(closed.status, 'closed', 'no second appeal');

      // Reopen window: within 15 days yes, after no.
      const m2 = mobile();
      const late = await desk('waiting', { mobile: m2 });
      await ok(act(late.ticketNumber, 'resolve', { resolution: 'Token system started' }, operator));
      const c2 = await codeFor(m2);
      const tok = (await ok(t.req('GET', `/api/public/grievances/${late.ticketNumber}?mobile=${m2}&challengeId=${c2.challengeId}&code=${c2.code}`))).accessToken;
      await t.db.kysely.updateTable('grievances').set({ resolved_at: new Date(Date.now() - 16 * DAY) }).where('ticket_number', '=', late.ticketNumber).execute();
      const tooLate = await t.req('POST', `/api/public/grievances/${late.ticketNumber}/reopen`, null, { accessToken: tok, reason: 'Still waiting 3 hours' });
      assert.equal(tooLate.status, 409);
      assert.match(tooLate.body.error.message, /15 days/);
      await t.db.kysely.updateTable('grievances').set({ resolved_at: new Date(Date.now() - 14 * DAY) }).where('ticket_number', '=', late.ticketNumber).execute();
      const reopened = await ok(t.req('POST', `/api/public/grievances/${late.ticketNumber}/reopen`, null, { accessToken: tok, reason: 'Still waiting 3 hours' }));
      assert.equal(reopened.status, 'reopened');
    });

    test('the clock moved past the deadline: each overdue ticket escalates exactly once, however many sweeps run at once', async () => {
      const tickets = await Promise.all([desk('service_refused'), desk('waiting'), desk('staff_behaviour')]);
      const later = new Date(Date.now() + 60 * DAY);
      const db = t.db.kysely;
      const runs = await Promise.all([escalateOverdue(db, later), escalateOverdue(db, later), escalateOverdue(db, later)]);
      const mine = (r: { ticketNumber: string }[]) => r.filter((e) => tickets.some((x) => x.ticketNumber === e.ticketNumber));
      assert.equal(runs.flatMap(mine).length, 3, JSON.stringify(runs.map(mine)));
      assert.equal(mine(await escalateOverdue(db, later)).length, 0, 'not again for the same deadline');
      const rows = await db.selectFrom('grievances').select(['ticket_number', 'level', 'escalated_level']).where('ticket_number', 'in', tickets.map((x) => x.ticketNumber)).execute();
      const byNumber = new Map(rows.map((r) => [r.ticket_number, r]));
      assert.equal(byNumber.get(tickets[0].ticketNumber)!.level, 'district');
      assert.equal(byNumber.get(tickets[2].ticketNumber)!.level, 'state', 'staff behaviour started at the district');
      assert.ok(rows.every((r) => r.escalated_level === 1));
      const events = await db.selectFrom('grievance_events').innerJoin('grievances', 'grievances.id', 'grievance_events.grievance_id')
        .select('grievances.ticket_number').where('kind', '=', 'escalated').where('ticket_number', 'in', tickets.map((x) => x.ticketNumber)).execute();
      assert.equal(events.length, 3);
      assert.ok((await ok(t.req('GET', '/api/grievances/notifications', officer))).items.some((n: any) => n.ticketNumber === tickets[0].ticketNumber && n.kind === 'escalated'));
      assert.ok((await ok(t.req('GET', '/api/grievances/notifications', stateOfficer))).items.some((n: any) => n.ticketNumber === tickets[2].ticketNumber));
      // The citizen sees it; the facility no longer acts on it.
      assert.equal((await act(tickets[0].ticketNumber, 'assign', {}, operator)).status, 404);
      // Past the next level's deadline too: one more level.
      assert.equal(mine(await escalateOverdue(db, new Date(later.getTime() + 30 * DAY))).length, 3);
    });

    if (engine === 'postgresql') test('two server instances on one database escalating at once: exactly once each', async () => {
      const tickets = await Promise.all(Array.from({ length: 6 }, () => desk('other')));
      const { rows } = await sql<{ database: string; schema: string }>`select current_database() as database, current_schema() as schema`.execute(t.db.kysely);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${rows[0].database}`;
      const db2 = await openPostgres(url.toString(), { schema: rows[0].schema, max: 5 });
      const app2 = await buildApp({ db: db2, config: testConfig() });
      try {
        await app2.ready();
        const later = new Date(Date.now() + 60 * DAY);
        const runs = await Promise.all([escalateOverdue(t.db.kysely, later), escalateOverdue(db2.kysely, later), escalateOverdue(t.db.kysely, later), escalateOverdue(db2.kysely, later)]);
        const numbers = new Set(tickets.map((x) => x.ticketNumber));
        const done = runs.flat().filter((e) => numbers.has(e.ticketNumber));
        assert.equal(done.length, 6, JSON.stringify(runs));
        assert.equal(new Set(done.map((e) => e.ticketNumber)).size, 6);
        const levels = await t.db.kysely.selectFrom('grievances').select(['escalated_level', 'level']).where('ticket_number', 'in', [...numbers]).execute();
        assert.ok(levels.every((r) => r.escalated_level === 1 && r.level === 'district'), JSON.stringify(levels));
        const n = await t.db.kysely.selectFrom('grievance_notifications').innerJoin('grievances', 'grievances.id', 'grievance_notifications.grievance_id')
          .select(sql<number>`count(*)::int`.as('n')).where('ticket_number', 'in', [...numbers]).executeTakeFirstOrThrow();
        assert.equal(n.n, 6, 'the officers are told once per ticket');
      } finally {
        await app2.close();
        await db2.close();
      }
    });

    test('settings and calendar: a state officer sets a type\'s deadlines and a holiday; others may not', async () => {
      const set = await ok(t.req('PUT', '/api/grievances/settings/waiting', stateOfficer, { level: 'facility', firstResponseDays: 1, resolutionDays: 5 }));
      assert.deepEqual(set.routing.find((r: any) => r.type === 'waiting'), { type: 'waiting', level: 'facility', firstResponseDays: 1, resolutionDays: 5 });
      assert.equal((await t.req('PUT', '/api/grievances/settings/waiting', officer, { level: 'facility', firstResponseDays: 1, resolutionDays: 5 })).status, 403);
      const cal = await ok(t.req('PUT', '/api/grievances/calendar', stateOfficer, { add: [{ date: '2027-01-26', name: 'Republic Day' }] }));
      assert.equal(cal.stateLgd, 6);
      assert.ok(cal.holidays.some((h: any) => h.date === '2027-01-26'));
      const g = await desk('waiting');
      const days = (Date.parse(g.resolutionDue) - Date.now()) / DAY;
      assert.ok(days > 4 && days < 10, `five working days: ${days}`);
      await ok(t.req('PUT', '/api/grievances/settings/waiting', stateOfficer, { level: 'facility', firstResponseDays: 3, resolutionDays: 21 }));
    });

    test('figures: in the area for officers; public by district and month with no names and no text', async () => {
      const fig = await ok(t.req('GET', '/api/grievances/figures', officer));
      assert.ok(fig.total >= 5);
      assert.ok(fig.byType.length >= 3);
      assert.ok(fig.byFacility.some((f: any) => f.facilityId === hospital));
      assert.ok(fig.repeated.some((f: any) => f.facilityId === hospital), 'the hospital has had many complaints');
      assert.equal(fig.ageing.length, 5);
      assert.ok(fig.resolution.resolved >= 1);
      const mandi = await ok(t.req('GET', '/api/grievances/figures', mandiOfficer));
      assert.ok(!mandi.byFacility.some((f: any) => f.facilityId === hospital));
      const places = await ok(t.req('GET', '/api/public/grievances/facilities?district=63&q=Civil%20Hospital%20Hisar'));
      assert.ok(places.items.some((f: any) => f.id === hospital), 'the public form finds the facility by name');
      const pub = await ok(t.req('GET', '/api/public/grievances/figures?state=6'));
      const hisar = pub.items.filter((i: any) => i.districtLgd === 63);
      assert.ok(hisar.length >= 1);
      assert.ok(hisar.reduce((s: number, i: any) => s + i.filed, 0) >= 5);
      const text = JSON.stringify(pub);
      assert.ok(!/Turned away|Civil Hospital|9\d{9}/.test(text), 'no text, no facility, no mobile');
    });
  });
}
