import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDatabase } from '../../bootstrap.js';
import type { Db } from '../../db/connect.js';
import { freshDb, testConfig, testEngines } from '../../test/harness.js';
import { ImportFileError, importLgd, importVillages } from './geo.import.js';
import { DISTRICT_ALIASES, loadPlaceIndex, normName, titleCase } from './geo.places.js';
import * as repo from './geo.repository.js';
import { resolveOrgUnit, unitId } from './geo.service.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const LGD = path.resolve(repoRoot, '../shared/data/lgd');
const have = fs.existsSync(path.join(LGD, 'lgd_blocks.csv'));
const SKIP = `the shared LGD files are not in ${LGD}`;
const lgdFile = (name: string) => ({ name, text: fs.readFileSync(path.join(LGD, name), 'utf8') });

describe('titleCase and normName', () => {
  test('ALL-CAPS LGD names become title case; mixed case stays', () => {
    assert.equal(titleCase('HISAR'), 'Hisar');
    assert.equal(titleCase('LAHUL AND SPITI'), 'Lahul and Spiti');
    assert.equal(titleCase('THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU'), 'The Dadra and Nagar Haveli and Daman and Diu');
    assert.equal(titleCase('KAIMUR (BHABUA)'), 'Kaimur (Bhabua)');
    assert.equal(titleCase('JANJGIR-CHAMPA'), 'Janjgir-Champa');
    assert.equal(titleCase('Y.S.R.'), 'Y.S.R.');
    assert.equal(titleCase('SPSR NELLORE'), 'SPSR Nellore');
    assert.equal(titleCase('24 PARAGANAS NORTH'), '24 Paraganas North');
    assert.equal(titleCase('S.A.S Nagar'), 'S.A.S Nagar');
    assert.equal(titleCase('  Alluri  Sitharama Raju '), 'Alluri Sitharama Raju');
  });
  test('normName ignores case, "&", spaces, punctuation and a leading "the"', () => {
    assert.equal(normName('Lahul & Spiti'), normName('LAHUL AND SPITI'));
    assert.equal(normName('The Nilgiris'), 'nilgiris');
    assert.equal(normName('Theni'), 'theni');
    assert.equal(normName('Seraikella-Kharsawan'), 'seraikellakharsawan');
  });
});

for (const engine of testEngines()) {
  describe(`LGD import (${engine})`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(engine);
      await prepareDatabase(db, testConfig());
    });
    after(async () => db?.close());

    test('all of India: 36 states, 763 districts, blocks, with the refusals reported', { skip: !have && SKIP }, async () => {
      const files = { states: lgdFile('lgd_1-state.csv'), districts: lgdFile('lgd_2-district.csv'), blocks: lgdFile('lgd_blocks.csv') };
      const seen: number[] = [];
      const r = await db.kysely.transaction().execute((trx) => importLgd(trx, files, (done) => seen.push(done)));
      // The reference geography already has every state and 83 districts (Haryana, HP, Bihar, Delhi).
      assert.deepEqual(r.states, { added: 0, updated: 0, unchanged: 36 });
      assert.deepEqual(r.districts, { added: 680, updated: 0, unchanged: 83 });
      assert.deepEqual(r.blocks, { added: 7223, updated: 0, unchanged: 0 });
      // Ten block codes appear twice in LGD's list (Assam blocks listed under two districts).
      assert.deepEqual(r.refused.slice(0, 3), [
        { file: 'lgd_blocks.csv', line: 799, reason: 'Block Code 2494 repeats line 795' },
        { file: 'lgd_blocks.csv', line: 844, reason: 'Block Code 2504 repeats line 821' },
        { file: 'lgd_blocks.csv', line: 950, reason: 'Block Code 2550 repeats line 860' },
      ]);
      assert.equal(r.refused.length, 10);
      assert.ok(r.refused.every((x) => x.file === 'lgd_blocks.csv' && /^Block Code \d+ repeats line \d+$/.test(x.reason)), 'only repeated block codes are refused');
      assert.equal(seen.at(-1), 8032);

      const counts = await repo.countByLevel(db.kysely);
      assert.equal(counts.state, 36);
      assert.equal(counts.district, 763);
      assert.equal(counts.block, 7223);

      const hp = (await repo.mapByLgd(db.kysely, 'state', [2])).get(2)!;
      const hpDistricts = await repo.findChildren(db.kysely, hp.id);
      assert.equal(hpDistricts.length, 12);
      const mandi = hpDistricts.find((d) => d.lgd_code === 22)!;
      assert.equal(mandi.id, unitId('district', 22));
      assert.equal(mandi.name, 'Mandi');
      assert.equal(mandi.name_hi, 'मंडी', 'the Hindi name is kept when LGD has no local name');
      assert.equal(hpDistricts.find((d) => d.lgd_code === 21)!.name, 'Lahul and Spiti');

      const blocks = await db.kysely.selectFrom('org_units').selectAll().where('level', '=', 'block').where('state_lgd', '=', 2).execute();
      assert.equal(blocks.length, 87);
      assert.ok(blocks.every((b) => b.path.startsWith(hp.path) && b.path.split('/').length === 6), 'HP blocks sit under HP districts');

      // A Devanagari local name becomes name_hi; Telugu or a repeat of the English one does not.
      const [arwal] = await repo.findByLgd(db.kysely, 6505, ['block']);
      assert.deepEqual([arwal.name, arwal.name_hi], ['Arwal', 'अरवल']);
      const [kadapa] = await repo.findByLgd(db.kysely, 7344, ['block']);
      assert.deepEqual([kadapa.name, kadapa.name_hi], ['Kadapa', null]);
      const [hisar] = await repo.findByLgd(db.kysely, 63, ['district']);
      assert.deepEqual([hisar.name, hisar.name_hi], ['Hisar', 'हिसार']);
    });

    test('importing the same files again changes nothing', { skip: !have && SKIP }, async () => {
      const r = await db.kysely.transaction().execute((trx) =>
        importLgd(trx, { states: lgdFile('lgd_1-state.csv'), districts: lgdFile('lgd_2-district.csv'), blocks: lgdFile('lgd_blocks.csv') }));
      assert.deepEqual([r.states, r.districts, r.blocks], [
        { added: 0, updated: 0, unchanged: 36 }, { added: 0, updated: 0, unchanged: 763 }, { added: 0, updated: 0, unchanged: 7223 },
      ]);
      assert.equal((await repo.countByLevel(db.kysely)).block, 7223);
    });

    test('every known district rename points at a real LGD district', { skip: !have && SKIP }, async () => {
      const places = await loadPlaceIndex(db.kysely);
      const states = await repo.mapByLgd(db.kysely, 'state');
      for (const [lgd, aliases] of Object.entries(DISTRICT_ALIASES)) {
        for (const alias of Object.keys(aliases)) {
          const hit = places.district(states.get(Number(lgd))!, alias);
          assert.ok('unit' in hit, `${alias} in state ${lgd}: ${'reason' in hit ? hit.reason : ''}`);
        }
      }
      const hr = states.get(6)!;
      assert.equal((places.district(hr, 'Gurgaon') as { unit: { lgd_code: number } }).unit.lgd_code, 62);
      assert.equal((places.district(hr, 'Mewat') as { unit: { lgd_code: number } }).unit.lgd_code, 604);
      assert.equal(places.state('Orissa')?.lgd_code, 21);
      assert.equal(places.state('Andaman & Nicobar')?.lgd_code, 35);
      assert.equal(places.state('Dadra and Nagar Haveli')?.lgd_code, 38);
    });
  });

  describe(`LGD import of a malformed file (${engine})`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(engine);
      await prepareDatabase(db, testConfig());
    });
    after(async () => db?.close());

    test('bad rows are refused with their line and reason; good rows are imported', async () => {
      const states = { name: 'states.csv', text: 'S.No.,State Code,State Version,State Name,State Name,Census 2001 Code,Census 2011 Code,State or UT\n1,2,1,HIMACHAL PRADESH,हिमाचल,02,02,S\n' };
      const districts = {
        name: 'bad-districts.csv',
        text: [
          '"State Code","State Name","District Code","District Name","Census 2001 Code","Census 2011 Code"',
          '2,"HIMACHAL PRADESH",22,"MANDI SADAR",5,27',
          '2,"HIMACHAL PRADESH",X12,"NOWHERE",,',
          '99,"ATLANTIS",9001,"NEW TOWN",,',
          '2,"HIMACHAL PRADESH",9002,"NEW HILLS",,',
          '',
          '2,"HIMACHAL PRADESH",9002,"NEW HILLS AGAIN",,',
          '2,"HIMACHAL PRADESH",9003,"",,',
        ].join('\n'),
      };
      const blocks = {
        name: 'bad-blocks.csv',
        text: [
          'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name',
          '1,2,HIMACHAL PRADESH,9002,NEW HILLS,90001,1,UPPER VALLEY,ऊपरी घाटी',
          '2,2,HIMACHAL PRADESH,8888,NOWHERE,90002,1,LOST BLOCK,',
        ].join('\n'),
      };
      const r = await db.kysely.transaction().execute((trx) => importLgd(trx, { states, districts, blocks }));
      assert.deepEqual(r.refused, [
        { file: 'bad-districts.csv', line: 3, reason: 'District Code "X12" is not a number' },
        { file: 'bad-districts.csv', line: 4, reason: 'State Code 99 is not a known state' },
        { file: 'bad-districts.csv', line: 7, reason: 'District Code 9002 repeats line 5' },
        { file: 'bad-districts.csv', line: 8, reason: 'District Code 9003 has no name' },
        { file: 'bad-blocks.csv', line: 3, reason: 'District Code 8888 is not a known district' },
      ]);
      assert.deepEqual(r.states, { added: 0, updated: 1, unchanged: 0 }, 'a different Hindi name is taken');
      assert.deepEqual(r.districts, { added: 1, updated: 1, unchanged: 0 });
      assert.deepEqual(r.blocks, { added: 1, updated: 0, unchanged: 0 });
      const [mandi] = await repo.findByLgd(db.kysely, 22, ['district']);
      assert.deepEqual([mandi.id, mandi.name, mandi.name_hi], [unitId('district', 22), 'Mandi Sadar', 'मंडी']);
      const [hills] = await repo.findByLgd(db.kysely, 9002, ['district']);
      const [valley] = await repo.findByLgd(db.kysely, 90001, ['block']);
      assert.equal(hills.name, 'New Hills');
      assert.equal(valley.parent_id, hills.id);
      assert.equal(valley.path, `${hills.path}${valley.id}/`);
      assert.equal(valley.name_hi, 'ऊपरी घाटी');
    });

    test('a file with the wrong header is refused whole, naming the expected header', { skip: !have && SKIP }, async () => {
      const before = await repo.countByLevel(db.kysely);
      await assert.rejects(
        importLgd(db.kysely, { states: lgdFile('lgd_1-state.csv'), districts: lgdFile('lgd_2-district.csv'), blocks: lgdFile('lgd_3-subdistrict.csv') }),
        (e: Error) => {
          assert.ok(e instanceof ImportFileError, 'an ImportFileError');
          assert.equal(e.message, 'lgd_3-subdistrict.csv is not the LGD block list: it has a "Sub-district Code" column, so it is another LGD list. '
            + 'Expected the header: S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name');
          return true;
        },
      );
      await assert.rejects(
        importLgd(db.kysely, { states: 'Code,Name\n2,HP\n', districts: lgdFile('lgd_2-district.csv') }),
        /states\.csv is not the LGD state list: it has no "State Code" column\. Expected the header: S\.No\.,State Code,/,
      );
      assert.deepEqual(await repo.countByLevel(db.kysely), before, 'nothing was written');
    });
  });
}

for (const engine of testEngines()) {
  describe(`LGD villages (${engine})`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(engine);
      await prepareDatabase(db, testConfig());
      // A block of Mandi to hang villages on.
      await importLgd(db.kysely, {
        states: 'S.No.,State Code,State Version,State Name,State Name,Census 2001 Code,Census 2011 Code,State or UT\n12,2,1,HIMACHAL PRADESH,HIMACHAL PRADESH,02,02,S\n',
        districts: '"State Code","State Name","District Code","District Name","Census 2001 Code","Census 2011 Code"\n2,"HIMACHAL PRADESH",22,MANDI,5,27\n',
        blocks: 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name\n1,2,HIMACHAL PRADESH,22,MANDI,990001,1,BALH,बल्ह\n',
      });
    });
    after(async () => db?.close());

    const MAPPING = {
      name: 'mandi-villages.csv',
      text: [
        'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Name,Village Code,Village Name (In English),Village Name (In Local)',
        '1,2,HIMACHAL PRADESH,22,MANDI,990001,BALH,9912345,NERCHOWK,नेरचौक',
        '2,2,HIMACHAL PRADESH,22,MANDI,990001,BALH,9912346,Bhangrotu,Bhangrotu',
        '3,2,HIMACHAL PRADESH,22,MANDI,777777,NOWHERE,9912347,LOST,',
        '4,2,HIMACHAL PRADESH,22,MANDI,990001,BALH,99-12,BROKEN,',
        '5,2,HIMACHAL PRADESH,22,MANDI,990001,BALH,9912345,NERCHOWK AGAIN,',
      ].join('\n'),
    };

    test('a village–block mapping: each village under its block, refusals by line, and again unchanged', async () => {
      const seen: number[] = [];
      const r = await db.kysely.transaction().execute((trx) => importVillages(trx, MAPPING, (done, total) => seen.push(done, total)));
      assert.equal(r.parentLevel, 'block');
      assert.deepEqual(r.villages, { added: 2, updated: 0, unchanged: 0 });
      assert.deepEqual(r.refused, [
        { file: 'mandi-villages.csv', line: 4, reason: 'Block Code 777777 is not a known block' },
        { file: 'mandi-villages.csv', line: 5, reason: 'Village Code "99-12" is not a number' },
        { file: 'mandi-villages.csv', line: 6, reason: 'Village Code 9912345 repeats line 2' },
      ]);
      assert.deepEqual(seen.slice(-2), [5, 5], 'progress ends at all rows');
      const [block] = await repo.findByLgd(db.kysely, 990001, ['block']);
      const [nerchowk] = await repo.findByLgd(db.kysely, 9912345, ['village']);
      assert.deepEqual([nerchowk.name, nerchowk.name_hi, nerchowk.parent_id, nerchowk.path, nerchowk.state_lgd],
        ['Nerchowk', 'नेरचौक', block.id, `${block.path}${nerchowk.id}/`, 2]);
      const [bhangrotu] = await repo.findByLgd(db.kysely, 9912346, ['village']);
      assert.equal(bhangrotu.name_hi, null, 'a local name in Latin letters is not taken as Hindi');
      // The codes people use in addresses and survey assignments now find the village.
      assert.equal((await resolveOrgUnit(db.kysely, 'village:9912345', ['village'])).id, nerchowk.id);

      const again = await importVillages(db.kysely, MAPPING);
      assert.deepEqual(again.villages, { added: 0, updated: 0, unchanged: 2 });
    });

    test('a plain village list (no Block Code): villages under their districts; the wrong list is refused whole', async () => {
      const r = await importVillages(db.kysely, [
        'S.No.,State Code,State Name (In English),District Code,District Name (In English),Sub-District Code,Sub-District Name (In English),Village Code,Village Version,Village Name (In English),Village Name (In Local)',
        '1,2,Himachal Pradesh,22,Mandi,123,Sadar,9920001,1,Kotli,कोटली',
        '2,2,Himachal Pradesh,4242,Nowhere,124,X,9920002,1,Lost,',
      ].join('\n'));
      assert.equal(r.parentLevel, 'district');
      assert.deepEqual(r.villages, { added: 1, updated: 0, unchanged: 0 });
      assert.deepEqual(r.refused, [{ file: 'villages.csv', line: 3, reason: 'District Code 4242 is not a known district' }]);
      const [kotli] = await repo.findByLgd(db.kysely, 9920001, ['village']);
      assert.equal(kotli.parent_id, unitId('district', 22));

      const before = await repo.countByLevel(db.kysely);
      await assert.rejects(importVillages(db.kysely, { name: 'blocks.csv', text: 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name\n1,2,HP,22,MANDI,990002,1,X,\n' }),
        (e: Error) => e instanceof ImportFileError && /^blocks\.csv is not the LGD village list: it has no "Village Code" column\. Expected the header: S\.No\.,State Code,State Name,District Code,District Name,\[Block Code,\]Village Code/.test(e.message));
      assert.deepEqual(await repo.countByLevel(db.kysely), before, 'nothing was written');
    });
  });
}
