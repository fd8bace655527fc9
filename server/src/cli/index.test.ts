import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite, openPostgres, type Db } from '../db/connect.js';
import { createSchema, dropSchema } from '../db/schemas.js';
import { testEngines } from '../test/harness.js';

// Runs the real `swasthya` command (bin/swasthya.mjs → node --import tsx src/cli/index.ts) as a
// child process on a temp data folder (or a temp schema of TEST_DATABASE_URL), with small files.
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(serverDir, 'bin/swasthya.mjs');
const HP_GEOJSON = path.resolve(serverDir, '../../shared/data/geo/hp_districts.geojson');

interface Run { code: number; stdout: string; stderr: string }

const STATES = 'S.No.,State Code,State Version,State Name,State Name,Census 2001 Code,Census 2011 Code,State or UT\n12,2,1,HIMACHAL PRADESH,HIMACHAL PRADESH,02,02,S\n';
const DISTRICTS = [
  '"State Code","State Name","District Code","District Name","Census 2001 Code","Census 2011 Code"',
  '2,"HIMACHAL PRADESH",22,MANDI,5,27',
  '2,"HIMACHAL PRADESH",23,SHIMLA,11,33',
  '77,"NOWHERE",9100,"LOST",,',
].join('\n');
const BLOCKS = [
  'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name',
  '1,2,HIMACHAL PRADESH,22,MANDI,90101,1,SADAR,सदर',
  '2,2,HIMACHAL PRADESH,22,MANDI,X,1,BROKEN,',
].join('\n');
const SUBDISTRICTS = 'S.No.,State Code,State Name,District Code,District Name,Sub-district Code,Sub-district Version,Sub-district Name,Census 2001 code,Census 2011 code\n1,2,HIMACHAL PRADESH,22,MANDI,123,1,Sadar,,\n';
const FACILITIES = [
  'Sr_No,Location_Coordinates,Hospital_Name,District,Address_First_Line,State,Pincode,Telephone,,,',
  '1,"31.7080, 76.9318",Zonal Hospital Mandi,Mandi,Near Seri Manch,Himachal Pradesh,175001,01905 222102,,,',
  '2,"44.9391565, -123.033121",Test Nursing Home,Shimla,The Mall,Himachal Pradesh,171001,0,,,',
  '3,"31.1, 77.1",Nowhere Clinic,Atlantis,Somewhere,Kalyani,0,0,,,',
].join('\n');

for (const engine of testEngines()) {
  describe(`swasthya command (${engine})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-cli-'));
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };
    const env: Record<string, string | undefined> = {
      ...process.env, SWASTHYA_DATA_DIR: path.join(dir, 'data'), SWASTHYA_ADMIN_PASSWORD: 'Cli-Test-Admin-1',
      DATABASE_URL: undefined, npm_lifecycle_event: undefined, LOG_LEVEL: 'silent',
    };
    let schema: string | null = null;
    const run = (...args: string[]) => new Promise<Run>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, cwd: dir, timeout: 180_000 /* a busy machine starts a process slowly */ }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
    const openDb = async (): Promise<Db> =>
      engine === 'pglite' ? openPglite(path.join(dir, 'data')) : openPostgres(process.env.TEST_DATABASE_URL!, { schema: schema!, max: 1 });

    before(async () => {
      if (engine !== 'postgresql') return;
      const url = process.env.TEST_DATABASE_URL!;
      schema = `cli_${randomBytes(4).toString('hex')}`;
      await createSchema(url, schema);
      env.DATABASE_URL = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`;
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (!schema) return;
      await dropSchema(process.env.TEST_DATABASE_URL!, schema);
    });

    test('wrong usage exits 2 with the usage text', async () => {
      // None of these opens the database, so they may run side by side.
      const cases = [[], ['import', 'lgd', 'only-one.csv'], ['user', 'add', 'x', '--role'], ['frobnicate'], ['user', 'add', 'x', '--colour', 'red']];
      const runs = await Promise.all(cases.map((args) => run(...args)));
      runs.forEach((r, i) => {
        assert.equal(r.code, 2, `${cases[i].join(' ')} → ${r.code}: ${r.stderr}`);
        assert.match(r.stderr, /Usage: swasthya <command>/);
      });
      assert.match(runs[1].stderr, /^swasthya: import lgd needs <states\.csv> <districts\.csv>/);
      assert.match(runs[4].stderr, /^swasthya: unknown option --colour/);
    });

    test('documents copy-to-s3 without an S3 store configured says what to set, exit 1', async () => {
      const r = await run('documents', 'copy-to-s3');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no S3 store is configured: set SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_BUCKET, SWASTHYA_S3_ACCESS_KEY and SWASTHYA_S3_SECRET_KEY first/);
    });

    test('import lgd: counts, refused rows printed and written beside the input', async () => {
      const r = await run('import', 'lgd', file('states.csv', STATES), file('districts.csv', DISTRICTS), file('blocks.csv', BLOCKS));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /states\s+0 added, 0 updated, 1 unchanged/);
      assert.match(r.stdout, /districts\s+0 added, 0 updated, 2 unchanged/);
      assert.match(r.stdout, /blocks\s+1 added, 0 updated, 0 unchanged/);
      assert.match(r.stdout, /Refused 2 rows:\n {2}districts\.csv line 4: State Code 77 is not a known state\n {2}blocks\.csv line 3: Block Code "X" is not a number\n/);
      assert.equal(fs.readFileSync(path.join(dir, 'districts.refused.csv'), 'utf8'), 'line,reason\n4,State Code 77 is not a known state\n');
      assert.equal(fs.readFileSync(path.join(dir, 'blocks.refused.csv'), 'utf8'), 'line,reason\n3,"Block Code ""X"" is not a number"\n');
      assert.match(r.stderr, /LGD: 100% \(6\/6 rows\)/, 'a progress line every 10% when stderr is not a terminal');
    });

    test('import villages: under the block the file names, refused rows beside the input', async () => {
      const r = await run('import', 'villages', file('villages.csv', [
        'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Name,Village Code,Village Name (In English),Village Name (In Local)',
        '1,2,HIMACHAL PRADESH,22,MANDI,90101,SADAR,9930001,NERCHOWK,नेरचौक',
        '2,2,HIMACHAL PRADESH,22,MANDI,90199,GONE,9930002,LOST,',
      ].join('\n')));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Village import done in [\d.]+ s: 1 added, 0 updated, 0 unchanged, each under its block/);
      assert.match(r.stdout, /Refused 1 row:\n {2}line 3: Block Code 90199 is not a known block\n/);
      assert.equal(fs.readFileSync(path.join(dir, 'villages.refused.csv'), 'utf8'), 'line,reason\n3,Block Code 90199 is not a known block\n');
      const db = await openDb();
      try {
        const v = await db.kysely.selectFrom('org_units').select(['id', 'name', 'name_hi', 'path']).where('level', '=', 'village').where('lgd_code', '=', 9930001).executeTakeFirstOrThrow();
        const block = await db.kysely.selectFrom('org_units').select('path').where('level', '=', 'block').where('lgd_code', '=', 90101).executeTakeFirstOrThrow();
        assert.deepEqual([v.name, v.name_hi, v.path], ['Nerchowk', 'नेरचौक', `${block.path}${v.id}/`]);
      } finally {
        await db.close();
      }
      const none = await run('import', 'villages', file('none.csv', 'S.No.,State Code,District Code,Village Code,Village Name\n1,2,99,9930009,X\n'));
      assert.equal(none.code, 1);
      assert.match(none.stderr, /every row was refused/);
    });

    test('import panchayats: LGD\'s village–gram panchayat mapping puts the village under its panchayat, again changes nothing', async () => {
      const header = 'S.No.,State Code,District Code,Development Block Code,Local Body Code,Local Body Name (In English),Local Body Name (In Local),Local Body Type Name,Village Code,Village Name (In English)';
      const csv = file('gp_mapping.csv', [
        header,
        '1,2,22,90101,250001,NERCHOWK,नेरचौक,Gram Panchayat,9930001,NERCHOWK',
        '2,2,22,90101,250002,LOST,,Gram Panchayat,9930099,LOST',
      ].join('\n'));
      const r = await run('import', 'panchayats', csv);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Panchayat import done in [\d.]+ s: 2 added, 0 updated, 0 unchanged; villages: 1 put under their panchayat, 0 already there/);
      assert.match(r.stdout, /Refused 1 row:\n {2}line 3: Village Code 9930099 is not a known village/);
      assert.match(fs.readFileSync(path.join(dir, 'gp_mapping.refused.csv'), 'utf8'), /^line,reason\n3,Village Code 9930099 is not a known village/);
      const again = await run('import', 'panchayats', csv);
      assert.match(again.stdout, /0 added, 0 updated, 2 unchanged; villages: 0 put under their panchayat, 1 already there/);
      const db = await openDb();
      try {
        const v = await db.kysely.selectFrom('org_units').select(['id', 'parent_id', 'path']).where('level', '=', 'village').where('lgd_code', '=', 9930001).executeTakeFirstOrThrow();
        const gp = await db.kysely.selectFrom('org_units').select(['id', 'name_hi', 'path']).where('level', '=', 'panchayat').where('lgd_code', '=', 250001).executeTakeFirstOrThrow();
        assert.deepEqual([v.parent_id, v.path, gp.name_hi], [gp.id, `${gp.path}${v.id}/`, 'नेरचौक']);
      } finally {
        await db.close();
      }
    });

    test('a blocks file of the wrong kind fails with exit 1 and names the expected header', async () => {
      const r = await run('import', 'lgd', path.join(dir, 'states.csv'), path.join(dir, 'districts.csv'), file('subdistricts.csv', SUBDISTRICTS));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /subdistricts\.csv is not the LGD block list: it has a "Sub-district Code" column.*Expected the header: S\.No\.,State Code,State Name,District Code,District Name,Block Code/);
      const missing = await run('import', 'facilities', path.join(dir, 'nope.csv'));
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /cannot read .*nope\.csv: no such file/);
    });

    test('import facilities: imported, refused and without coordinates', async () => {
      const r = await run('import', 'facilities', file('nhd.csv', FACILITIES));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /read 3, imported 2, updated 0, refused 1/);
      assert.match(r.stdout, /warning: 1 imported without coordinates/);
      assert.match(r.stdout, /line 4 \(Sr_No 3, Kalyani \/ Atlantis\): unknown state "Kalyani"/);
      assert.equal(fs.readFileSync(path.join(dir, 'nhd.refused.csv'), 'utf8'), 'line,sr_no,name,state,district,reason\n4,3,Nowhere Clinic,Kalyani,Atlantis,"unknown state ""Kalyani"""\n');
      const again = await run('import', 'facilities', path.join(dir, 'nhd.csv'));
      assert.match(again.stdout, /read 3, imported 0, updated 2, refused 1/);
      const none = await run('import', 'facilities', file('none.csv', FACILITIES.split('\n').filter((l, i) => i === 0 || l.startsWith('3,')).join('\n')));
      assert.equal(none.code, 1, 'every row refused is a failed import');
      assert.match(none.stderr, /every row was refused/);
    });

    test('import boundaries', { skip: !fs.existsSync(HP_GEOJSON) && `${HP_GEOJSON} is missing` }, async () => {
      const doc = JSON.parse(fs.readFileSync(HP_GEOJSON, 'utf8'));
      const mandi = doc.features.find((f: any) => f.properties.Dist_LGD === 22);
      const point = { type: 'Feature', properties: { dtname: 'Shimla', stname: 'HIMACHAL PRADESH' }, geometry: { type: 'Point', coordinates: [77.17, 31.1] } };
      // A gram panchayat's outline (made up) by a bare lgd_code, read at --level panchayat; Mandi's by its Dist_LGD still.
      const gp = { type: 'Feature', properties: { lgd_code: 250001 }, geometry: { type: 'Polygon', coordinates: [[[76.9, 31.6], [76.92, 31.6], [76.92, 31.62], [76.9, 31.62], [76.9, 31.6]]] } };
      const r = await run('import', 'boundaries', file('three.geojson', JSON.stringify({ type: 'FeatureCollection', features: [mandi, point, gp] })), '--level', 'panchayat');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /read 3 features, stored 2 outlines/);
      assert.match(r.stdout, /feature 2 \(Shimla\): its geometry is a Point/);
      const db = await openDb();
      try {
        const stored = await db.kysely.selectFrom('geo_boundaries as b').innerJoin('org_units as u', 'u.id', 'b.org_unit_id').select(['u.level', 'u.lgd_code']).where('u.lgd_code', 'in', [22, 250001]).orderBy('u.lgd_code').execute();
        assert.deepEqual(stored.map((x) => [x.level, x.lgd_code]), [['district', 22], ['panchayat', 250001]]);
      } finally {
        await db.close();
      }
      assert.equal((await run('import', 'boundaries', 'x.geojson', '--level', 'ward')).code, 2, 'wards are panchayat-level units: --level panchayat');
    });

    test('user add: generated password, taken name, unknown place', async () => {
      const r = await run('user', 'add', 'mandi_cmo', '--role', 'district_officer', '--org-unit', '22');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Created user mandi_cmo \(district_officer\) at Mandi \[district 22\]\nPassword: \S{16}/);
      const given = await run('user', 'add', 'hp_state', '--role=state_officer', '--org-unit', 'state:2', '--password', 'Long-Enough-1');
      assert.equal(given.code, 0, given.stderr);
      assert.doesNotMatch(given.stdout, /Password:/);
      const weak = await run('user', 'add', 'weak_pw', '--role', 'district_officer', '--org-unit', '22', '--password', '12345678');
      assert.equal(weak.code, 1);
      assert.match(weak.stderr, /password: must have at least 10 characters/);
      const common = await run('user', 'add', 'common_pw', '--role', 'district_officer', '--org-unit', '22', '--password', 'Password123');
      assert.equal(common.code, 1);
      assert.match(common.stderr, /password: is one of the most common passwords; choose another/);
      const taken = await run('user', 'add', 'mandi_cmo', '--role', 'district_officer', '--org-unit', '22');
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /User name mandi_cmo is taken/);
      const nowhere = await run('user', 'add', 'ghost', '--role', 'district_officer', '--org-unit', '999999');
      assert.equal(nowhere.code, 1);
      assert.match(nowhere.stderr, /LGD code 999999/);
    });

    test('migrate, and the imports are in the audit log', async () => {
      const r = await run('migrate');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /The database is up to date/);
      const db = await openDb();
      try {
        const rows = await db.kysely.selectFrom('audit_log').select(['actor_id', 'action', 'entity', 'after']).where('action', '=', 'import').where('actor_id', '=', 'cli').orderBy('id').execute();
        // lgd; villages, and the file where every row was refused (recorded too); panchayats twice;
        // facilities, again, and the one where every row was refused; boundaries.
        assert.deepEqual(rows.map((x) => [x.actor_id, x.entity]), [['cli', 'geo'], ['cli', 'geo'], ['cli', 'geo'], ['cli', 'geo'], ['cli', 'geo'], ['cli', 'facility'], ['cli', 'facility'], ['cli', 'facility'], ['cli', 'geo']]);
        assert.deepEqual([(rows[1].after as any).villages.added, (rows[2].after as any).refused], [1, 1]);
        assert.deepEqual([(rows[3].after as any).panchayats.added, (rows[3].after as any).villages.moved, (rows[4].after as any).panchayats.unchanged], [2, 1, 2]);
        assert.deepEqual([(rows[5].after as any).imported, (rows[6].after as any).updated, (rows[7].after as any).refused], [2, 2, 1]);
      } finally {
        await db.close();
      }
    });
  });
}
