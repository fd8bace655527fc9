import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { phoneticKey } from '../patients/patients.names.js';
import { readRegisterCsv } from './registers.csv.js';
import { decide } from './registers.match.js';

const HEADER = 'family_id,member_id,name,name_hi,relation,sex,birth_year,birth_date,village_lgd,category,abha_number,mobile';

test('a register row is read in either script and each bad field is named with what to do', () => {
  const { rows, refused } = readRegisterCsv([
    HEADER,
    'hp-1,m1,Ramesh Kumar,रमेश कुमार,Head,M,1980,,900001,BPL,12-3456-7890-1234,98160 12345',
    'HP-1,M2,,सुनीता देवी,पत्नी,महिला,,15/08/1984,900001,,,',
    'HP-2,M1,Someone,,cousin,X,19,,abc,,123,12345',
  ].join('\n'), 2026);
  assert.equal(rows.length, 2);
  assert.deepEqual([rows[0].familyId, rows[0].relation, rows[0].sex, rows[0].abhaNumber, rows[0].mobile], ['HP-1', 'head', 'male', '12345678901234', '9816012345']);
  assert.deepEqual([rows[1].name, rows[1].relation, rows[1].sex, rows[1].birthYear, rows[1].birthDate], ['सुनीता देवी', 'spouse', 'female', 1984, '1984-08-15']);
  assert.deepEqual(refused.map((r) => r.field).sort(), ['abha_number', 'birth_year', 'mobile', 'relation', 'sex', 'village_lgd']);
  assert.ok(refused.every((r) => r.line === 4 && r.reason && r.reasonHi));
  assert.throws(() => readRegisterCsv('family_id,name\nX,Y'), /lacks member_id, relation, sex, birth_year or birth_date, village_lgd or village_id/);
});

test('matching: ABHA is sure; one by name, sex and age ±1 is sure; several or name only go to review', () => {
  const m = { id: 'm', familyId: 'f', relation: 'head', name: 'Ramesh Kumar', nameHi: null, sex: 'male', birthYear: 1980, abhaNumber: null, districtPath: '/' };
  const p = (id: string, birth: string, sex = 'male', abha: string | null = null) => ({ id, name_key: 'ramis kumr', sex, birth_date: birth, abha_number: abha, home_path: '/' });
  assert.deepEqual(decide(m, p('a', '1950-01-01'), []), { status: 'linked', patientId: 'a', reason: 'abha' });
  assert.deepEqual(decide(m, undefined, [p('a', '1981-05-01'), p('b', '1990-01-01')]), { status: 'linked', patientId: 'a', reason: 'name_sex_age' });
  assert.deepEqual(decide(m, undefined, [p('a', '1981-05-01'), p('b', '1979-01-01')]), { status: 'review', reason: 'several', candidates: ['a', 'b'] });
  assert.deepEqual(decide(m, undefined, [p('a', '1990-01-01'), p('c', '1980-01-01', 'female')]), { status: 'review', reason: 'name_only', candidates: ['a'] });
  // Another ABHA number is another person.
  assert.deepEqual(decide({ ...m, abhaNumber: '11111111111111' }, undefined, [p('a', '1980-01-01', 'male', '22222222222222')]), { status: 'none' });
});

for (const engine of testEngines()) {
  describe(`family register: import, matches, families by panchayat [${engine}]`, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};
    const base = 700000 + randomInt(0, 99) * 1000;
    let gp = '';
    let gpPath = '';
    let village = '';
    const lgd = { v1: base + 1, v2: base + 2, loose: base + 3, hisar: base + 4 };
    const pid: Record<string, string> = {};
    const abha = `91${String(randomInt(0, 1e9)).padStart(9, '0')}123`;
    const fam = (n: number) => `T${base}-${n}`;

    const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const upload = (token: string, csv: string) => t.req('POST', '/api/families/import', token, csv, { 'content-type': 'text/csv' });
    const addUnit = async (parent: string, level: string, name: string, lgdCode?: number) =>
      (await ok(t.req('POST', '/api/geo/units', t.adminToken, { parent, level, name, ...(lgdCode ? { lgdCode } : {}) }), 201)).id as string;
    const patient = async (key: string, name: string, nameHi: string | null, sex: string, birth: string, abhaNumber: string | null = null) => {
      const v = await t.db.kysely.selectFrom('org_units').select(['id', 'path', 'state_lgd']).where('id', '=', village).executeTakeFirstOrThrow();
      pid[key] = `P${randomBytes(5).toString('hex')}`;
      await t.db.kysely.insertInto('patients').values({
        id: pid[key], state_number: `TST${randomBytes(5).toString('hex')}`, name, name_hi: nameHi, name_latin: name, name_key: phoneticKey(name), sex: sex as 'male', birth_date: birth,
        abha_number: abhaNumber, card_token: randomBytes(8).toString('hex'), home_id: v.id, home_path: v.path, state_lgd: v.state_lgd, registered_via: 'counter',
      }).execute();
    };
    const register = [
      HEADER,
      `${fam(1)},M1,Ramesh Kumar,रमेश कुमार,head,M,1980,,${lgd.v1},BPL,,`,
      `${fam(1)},M2,Sunita Devi,सुनीता देवी,wife,F,1984,,${lgd.v1},BPL,,`,
      `${fam(1)},M3,,कमला ठाकुर,mother,F,1950,,${lgd.v1},BPL,,`,
      `${fam(2)},M1,Mohan Lal,,head,M,1970,,${lgd.v2},APL,${abha},9816012345`,
      `${fam(2)},M2,Geeta Devi,,wife,F,1972,,${lgd.v2},APL,,`,
      `${fam(3)},M1,Nobody Here,,head,M,1990,,${lgd.v2},,,`,
    ].join('\n');

    before(async () => {
      t = await startTestApp(engine);
      const block = await addUnit('district:22', 'block', `Reg Block ${base}`);
      gp = await addUnit(block, 'panchayat', `Reg Panchayat ${base}`);
      gpPath = (await t.db.kysely.selectFrom('org_units').select('path').where('id', '=', gp).executeTakeFirstOrThrow()).path;
      village = await addUnit(gp, 'village', `Reg Gaon ${base}`, lgd.v1);
      await addUnit(gp, 'village', `Reg Gaon Two ${base}`, lgd.v2);
      await addUnit(block, 'village', `Loose Gaon ${base}`, lgd.loose);
      const hb = await addUnit('district:63', 'block', `Hisar Reg Block ${base}`);
      const hgp = await addUnit(hb, 'panchayat', `Hisar Reg GP ${base}`);
      await addUnit(hgp, 'village', `Hisar Gaon ${base}`, lgd.hisar);
      tok.district = (await t.userWith('district_officer', 22)).token;
      tok.otherDistrict = (await t.userWith('district_officer', 63)).token;
      tok.state = (await t.userWith('state_officer', 'state:2')).token;
      tok.doctor = (await t.userWith('doctor', 22)).token;
      // Patients of Mandi: Ramesh in Devanagari only (sure by name, sex, age), Sunita twice (uncertain),
      // Kamla 20 years off (name only), Mohan by ABHA under another spelling.
      await patient('ramesh', 'रमेश कुमार', 'रमेश कुमार', 'male', '1981-03-01');
      await patient('sunita1', 'Sunita Devi', null, 'female', '1984-01-01');
      await patient('sunita2', 'Sunita Devi', null, 'female', '1985-06-01');
      await patient('kamla', 'Kamla Thakur', null, 'female', '1970-01-01');
      await patient('mohan', 'M. Lal', null, 'male', '1970-01-01', abha);
    });
    after(async () => { await t?.close(); });

    const countFamilies = async () => Number((await t.db.kysely.selectFrom('families').select((eb) => eb.fn.countAll().as('n')).where('external_id', 'like', `T${base}-%`).executeTakeFirstOrThrow()).n);
    const countMembers = async () => Number((await t.db.kysely.selectFrom('register_members as m').innerJoin('families as f', 'f.id', 'm.family_id').select((eb) => eb.fn.countAll().as('n')).where('f.external_id', 'like', `T${base}-%`).executeTakeFirstOrThrow()).n);

    test('care roles are refused before the file is read (403); the register\'s lists too', async () => {
      const r = await upload(tok.doctor, register);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      // Refused before the body is parsed: a body that is not even JSON is still a 403, not a 400.
      const unread = await t.req('POST', '/api/families/import', tok.doctor, '{not json', { 'content-type': 'application/json' });
      assert.equal(unread.status, 403, JSON.stringify(unread.body));
      assert.equal((await t.req('GET', `/api/families?panchayat=${gp}`, tok.doctor)).status, 403);
      assert.equal((await t.req('GET', '/api/families/matches?status=review', tok.doctor)).status, 403);
      assert.equal(await countFamilies(), 0);
    });

    test('a bad row refuses the whole file with the line, the field and what to do; a village without a panchayat is named', async () => {
      const bad = register + `\n${fam(4)},M1,Ravi,,head,Q,1990,,${lgd.v1},,,\n${fam(5)},M1,Ravi,,head,M,1990,,${lgd.loose},,,\n${fam(6)},M1,Ravi,,son,M,1990,,${lgd.v1},,,`;
      const r = await upload(tok.district, bad);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      const rows = r.body.error.details.rows as { line: number; field: string; reason: string; reasonHi: string }[];
      assert.deepEqual(rows.map((x) => [x.line, x.field]), [[8, 'sex'], [9, 'village_lgd'], [10, 'relation']]);
      assert.match(rows[0].reason, /sex "Q" must be M, F or O/);
      assert.match(rows[1].reason, /not under a gram panchayat yet; import the village–panchayat mapping first/);
      assert.match(rows[2].reason, /has 0 heads; exactly one member has relation head/);
      assert.match(r.body.error.message, /3 row\(s\) refused, nothing was imported/);
      assert.equal(await countFamilies(), 0);
    });

    test('another district\'s officer cannot import Mandi\'s families (403, nothing written)', async () => {
      const r = await upload(tok.otherDistrict, register);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.match(JSON.stringify(r.body), /outside your area/);
      assert.equal(await countFamilies(), 0);
    });

    test('import: families mapped to their panchayat; members matched sure (ABHA; name in the other script, sex, age) or sent to review', async () => {
      const r = await ok(upload(tok.district, register));
      assert.deepEqual(r.families, { added: 3, updated: 0 });
      assert.deepEqual(r.members, { added: 6, updated: 0, removed: 0 });
      assert.deepEqual(r.matches, { linked: 2, review: 2, none: 2 });
      assert.equal(r.panchayats, 1);
      const m = await t.db.kysely.selectFrom('register_members').select(['member_id', 'name', 'patient_id', 'match_status', 'match_reason']).where('patient_id', 'in', [pid.ramesh, pid.mohan]).orderBy('name').execute();
      assert.deepEqual(m.map((x) => [x.patient_id, x.match_reason]), [[pid.mohan, 'abha'], [pid.ramesh, 'name_sex_age']]);
      // The linked patients joined the household record; the head became its head.
      const f1 = await t.db.kysely.selectFrom('families').select(['id', 'head_patient_id', 'panchayat_id', 'home_id']).where('external_id', '=', fam(1)).executeTakeFirstOrThrow();
      assert.equal(f1.head_patient_id, pid.ramesh);
      assert.equal(f1.panchayat_id, gp);
      const fm = await t.db.kysely.selectFrom('family_members').select('patient_id').where('family_id', '=', f1.id).execute();
      assert.deepEqual(fm.map((x) => x.patient_id), [pid.ramesh]);
      // Each family keeps its number of members (the figures by panchayat read it).
      const counts = await t.db.kysely.selectFrom('families').select(['external_id', 'member_count']).where('external_id', 'like', `T${base}-%`).orderBy('external_id').execute();
      assert.deepEqual(counts.map((c) => c.member_count), [3, 2, 1]);
    });

    test('families by panchayat: members, who lacks an ABHA; another district sees nothing; cursor paging', async () => {
      const page = await ok(t.req('GET', `/api/families?panchayat=${gp}&limit=2`, tok.district));
      assert.equal(page.items.length, 2);
      assert.ok(page.nextCursor);
      const rest = await ok(t.req('GET', `/api/families?panchayat=${gp}&limit=2&cursor=${page.nextCursor}`, tok.district));
      assert.equal(rest.items.length, 1);
      assert.equal(rest.nextCursor, null);
      const all = [...page.items, ...rest.items];
      const f2 = all.find((f: any) => f.externalId === fam(2));
      assert.deepEqual(f2.panchayat, { id: gp, name: `Reg Panchayat ${base}`, nameHi: null, lgdCode: null });
      assert.deepEqual(f2.withoutAbha, ['M2']);
      assert.match(f2.familyNumber, /^F\d{11}$/);
      const f1 = all.find((f: any) => f.externalId === fam(1));
      assert.deepEqual(f1.members.map((x: any) => x.memberId), ['M1', 'M3', 'M2']);
      assert.deepEqual(f1.withoutAbha, ['M1', 'M3', 'M2']);
      // Another district's officer: the panchayat is outside (403), the area list holds none of Mandi's.
      assert.equal((await t.req('GET', `/api/families?panchayat=${gp}`, tok.otherDistrict)).status, 403);
      const counts = await ok(t.req('GET', '/api/families/panchayats', tok.district));
      assert.deepEqual(counts.items.find((p: any) => p.id === gp)?.families, 3);
      assert.ok(!(await ok(t.req('GET', '/api/families/panchayats', tok.otherDistrict))).items.some((p: any) => p.id === gp));
      const theirs = await ok(t.req('GET', '/api/families?limit=200', tok.otherDistrict));
      assert.ok(!theirs.items.some((f: any) => String(f.externalId).startsWith(`T${base}-`)));
      const audited = await t.db.kysely.selectFrom('audit_log').select(['after']).where('entity', '=', 'family_register').where('action', '=', 'read').where('org_unit_path', '=', gpPath).execute();
      assert.ok(audited.length >= 2);
    });

    test('enrolled=true|false: families with (without) an active HIMCARE card of this year, filtered before paging; a bad value is 400', async () => {
      const mine = (items: any[]) => items.filter((f) => String(f.externalId).startsWith(`T${base}-`));
      const ids = Object.fromEntries(mine((await ok(t.req('GET', `/api/families?panchayat=${gp}`, tok.district))).items).map((f: any) => [f.externalId, f.id]));
      assert.equal(Object.keys(ids).length, 3);
      // Family 1 gets this year's card; family 2 a card that is then last year's (it does not count).
      const card = await ok(t.req('POST', '/api/schemes/himcare/enrolments', tok.district, { familyId: ids[fam(1)], category: 'bpl' }), 201);
      // The card carries its family's panchayat (the figures by panchayat count cards by it).
      assert.equal((await t.db.kysely.selectFrom('scheme_enrolments').select('panchayat_id').where('id', '=', card.id).executeTakeFirstOrThrow()).panchayat_id, gp);
      const old = await ok(t.req('POST', '/api/schemes/himcare/enrolments', tok.district, { familyId: ids[fam(2)], category: 'free' }), 201);
      await t.db.kysely.updateTable('scheme_enrolments').set((eb) => ({ scheme_year: eb('scheme_year', '-', 1) })).where('id', '=', old.id).execute();

      const all = await ok(t.req('GET', `/api/families?panchayat=${gp}`, tok.district));
      assert.deepEqual(all.items.map((f: any) => [f.externalId, f.enrolled]).sort(), [[fam(1), true], [fam(2), false], [fam(3), false]]);
      const yes = await ok(t.req('GET', `/api/families?panchayat=${gp}&enrolled=true`, tok.district));
      assert.deepEqual(yes.items.map((f: any) => f.externalId), [fam(1)]);
      assert.equal(yes.nextCursor, null);
      // Without a card, one a page: full pages (the filter is in the query, not applied to a page after it).
      const first = await ok(t.req('GET', `/api/families?panchayat=${gp}&enrolled=false&limit=1`, tok.district));
      assert.equal(first.items.length, 1);
      assert.ok(first.nextCursor);
      const second = await ok(t.req('GET', `/api/families?panchayat=${gp}&enrolled=false&limit=1&cursor=${first.nextCursor}`, tok.district));
      assert.equal(second.items.length, 1);
      assert.equal(second.nextCursor, null);
      assert.deepEqual([...first.items, ...second.items].map((f: any) => [f.externalId, f.enrolled]).sort(), [[fam(2), false], [fam(3), false]]);
      // The area rule holds with the filter: another district's officer lists none of these.
      const theirs = await ok(t.req('GET', '/api/families?enrolled=true&limit=200', tok.otherDistrict));
      assert.deepEqual(mine(theirs.items), []);
      const bad = await t.req('GET', `/api/families?panchayat=${gp}&enrolled=maybe`, tok.district);
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.match(JSON.stringify(bad.body), /enrolled/);
      const audit = await t.db.kysely.selectFrom('audit_log').select('after').where('entity', '=', 'family_register').where('action', '=', 'read').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.ok(JSON.stringify(audit.after).includes('"enrolled":true'));
      // Cancel this year's card again, so the tests after see the register as imported.
      await t.db.kysely.deleteFrom('scheme_enrolment_members').where('enrolment_id', 'in', (eb) => eb.selectFrom('scheme_enrolments').select('id').where('family_id', 'in', [ids[fam(1)], ids[fam(2)]])).execute();
      await t.db.kysely.deleteFrom('scheme_enrolments').where('family_id', 'in', [ids[fam(1)], ids[fam(2)]]).execute();
    });

    test('re-import updates and does not duplicate; a member the family no longer lists leaves it; decisions stand', async () => {
      const again = await ok(upload(tok.district, register));
      assert.deepEqual(again.families, { added: 0, updated: 3 });
      assert.deepEqual(again.members, { added: 0, updated: 6, removed: 0 });
      assert.deepEqual(again.matches, { linked: 0, review: 2, none: 2 });
      assert.equal(await countFamilies(), 3);
      assert.equal(await countMembers(), 6);
      const fewer = register.split('\n').filter((l) => !l.startsWith(`${fam(3)},`)).filter((l) => !l.includes(',M3,')).join('\n');
      const r = await ok(upload(tok.state, fewer));
      assert.deepEqual([r.families.updated, r.members.removed], [2, 1]);
      assert.equal(await countMembers(), 5);
      const f1 = await t.db.kysely.selectFrom('families').select('member_count').where('external_id', '=', fam(1)).executeTakeFirstOrThrow();
      assert.equal(f1.member_count, 2, 'the member who left is no longer counted');
      assert.equal(await countFamilies(), 3);
    });

    test('review list: scoped and audited; confirm links (once), reject leaves the member unlinked', async () => {
      const list = await ok(t.req('GET', '/api/families/matches?status=review', tok.district));
      const mine = list.items.filter((i: any) => i.family.externalId.startsWith(`T${base}-`));
      assert.deepEqual(mine.map((i: any) => [i.member.name, i.reason]).sort(), [['Sunita Devi', 'several']]);
      const sunita = mine[0];
      assert.deepEqual(sunita.candidates.map((c: any) => c.patientId).sort(), [pid.sunita1, pid.sunita2].sort());
      const audit = await t.db.kysely.selectFrom('audit_log').select('after').where('entity', '=', 'family_match').where('action', '=', 'read').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.ok(JSON.stringify(audit.after).includes(sunita.id));
      const theirs = await ok(t.req('GET', '/api/families/matches?status=review', tok.otherDistrict));
      assert.ok(!theirs.items.some((i: any) => i.family.externalId.startsWith(`T${base}-`)));
      assert.equal((await t.req('POST', `/api/families/matches/${sunita.id}/confirm`, tok.otherDistrict, { patientId: pid.sunita1 })).status, 404);
      assert.equal((await t.req('POST', `/api/families/matches/${sunita.id}/confirm`, tok.doctor, { patientId: pid.sunita1 })).status, 403);
      const done = await ok(t.req('POST', `/api/families/matches/${sunita.id}/confirm`, tok.district, { patientId: pid.sunita2 }));
      assert.deepEqual([done.status, done.patientId], ['confirmed', pid.sunita2]);
      assert.equal((await t.req('POST', `/api/families/matches/${sunita.id}/confirm`, tok.district, { patientId: pid.sunita1 })).status, 409);
      const member = await t.db.kysely.selectFrom('register_members').select(['patient_id', 'match_status', 'decided_by']).where('id', '=', sunita.id).executeTakeFirstOrThrow();
      assert.deepEqual([member.patient_id, member.match_status], [pid.sunita2, 'confirmed']);
      // Kamla (name only) was removed with the re-import; a new uncertain one is rejected.
      await ok(upload(tok.district, `${HEADER}\n${fam(7)},M1,Kamla Thakur,,head,F,1990,,${lgd.v1},,,`));
      const k = (await ok(t.req('GET', '/api/families/matches', tok.district))).items.find((i: any) => i.family.externalId === fam(7));
      assert.equal(k.reason, 'name_only');
      const rejected = await ok(t.req('POST', `/api/families/matches/${k.id}/reject`, tok.district));
      assert.equal(rejected.status, 'rejected');
      assert.equal((await t.req('POST', `/api/families/matches/${k.id}/reject`, tok.district)).status, 409);
      // A re-import keeps the decision.
      const again = await ok(upload(tok.district, `${HEADER}\n${fam(7)},M1,Kamla Thakur,,head,F,1990,,${lgd.v1},,,`));
      assert.deepEqual(again.matches, { linked: 0, review: 0, none: 0 });
    });

    if (engine === 'postgresql') {
      test('parallel imports of one file on PostgreSQL: no duplicates and no 500', async () => {
        const lines = [HEADER];
        for (let i = 100; i < 140; i++) {
          lines.push(`${fam(i)},M1,Head ${i},,head,M,1970,,${lgd.v1},,,`, `${fam(i)},M2,Wife ${i},,wife,F,1975,,${lgd.v2},,,`);
        }
        const csv = lines.join('\n');
        const before = await countFamilies();
        const all = await Promise.all([0, 1, 2].map(() => upload(tok.district, csv)));
        assert.ok(all.every((r) => r.status === 200 || r.status === 409), JSON.stringify(all.map((r) => [r.status, r.body?.error])));
        assert.ok(all.some((r) => r.status === 200));
        assert.equal(await countFamilies(), before + 40);
        const added = all.filter((r) => r.status === 200).reduce((a, r) => a + r.body.families.added, 0);
        assert.equal(added, 40);
      });
    }
  });
}

describe('the demo family register for Mandi', () => {
  test('200 families over Mandi\'s panchayats, listed by panchayat for its officer, and the CSV is the documented layout', async () => {
    const t = await startTestApp('pglite', { demo: true });
    try {
      const n = await t.db.kysely.selectFrom('families').select((eb) => eb.fn.countAll().as('n')).where('source', '=', 'register').executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 200);
      const gps = await t.db.kysely.selectFrom('families').select('panchayat_id').distinct().where('source', '=', 'register').execute();
      assert.equal(gps.length, 28);
      const officer = (await t.userWith('district_officer', 22)).token;
      const page = await t.req('GET', `/api/families?panchayat=${gps[0].panchayat_id}&limit=5`, officer);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.ok(page.body.items.length > 0);
      assert.ok(page.body.items.every((f: any) => f.panchayat.id === gps[0].panchayat_id && f.members.length >= 1));
      assert.ok(page.body.items.some((f: any) => f.withoutAbha.length > 0));
    } finally {
      await t.close();
    }
  });
});
