import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { prepareDatabase } from '../../bootstrap.js';
import type { Db } from '../../db/connect.js';
import { freshDb, testConfig, testEngines } from '../../test/harness.js';
import { ImportFileError, importLgd } from '../geo/geo.import.js';
import * as geoRepo from '../geo/geo.repository.js';
import { unitId } from '../geo/geo.service.js';
import { classify, cleanPhone, importFacilities, parseCoordinates, type FacilityImportResult } from './facilities.import.js';
import { facilityProblems } from './facilities.rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SHARED = path.resolve(repoRoot, '../shared/data');
const NHD = path.join(SHARED, 'facilities/nhd_hospital_directory_trimmed.csv');
const have = fs.existsSync(NHD) && fs.existsSync(path.join(SHARED, 'lgd/lgd_2-district.csv'));
const SKIP = `the shared data is not in ${SHARED}`;

describe('reading a directory row', () => {
  test('type, ownership and system come from the name and satisfy the registry rules', () => {
    const c = (name: string) => {
      const { type, ownership, system, ayushSystem } = classify(name);
      return [type, ownership, system, ayushSystem].filter(Boolean).join(' ');
    };
    assert.equal(c('PHC Bhopalpatnam'), 'PHC public allopathic');
    assert.equal(c('Primary Health Centre'), 'PHC public allopathic');
    assert.equal(c('Ghilamora CHC'), 'CHC public allopathic');
    assert.equal(c('Health Sub-Centre Kotla'), 'SC public allopathic');
    assert.equal(c('Tawang District Hospital'), 'DH public allopathic');
    assert.equal(c('R N B Civil Hospital'), 'DH public allopathic');
    assert.equal(c('Sub District Hospital, Visnagar'), 'SDH public allopathic');
    assert.equal(c('Gandhi Medical College and Hospital'), 'MC private allopathic');
    assert.equal(c('Government Medical College, Jammu'), 'MC public allopathic');
    assert.equal(c('AIIMS, Raipur'), 'MC public allopathic');
    assert.equal(c('Govt Ayurvedic Hospital'), 'AYUSH public ayush ayurveda');
    assert.equal(c('The Good Samaritan Homoeo Hospital'), 'AYUSH private ayush homoeopathy');
    assert.equal(c('Santhigiri Siddha Vaidyasala'), 'AYUSH private ayush siddha');
    assert.equal(c('Siddhartha Hospital'), 'PRIVATE_HOSPITAL private allopathic');
    assert.equal(c('Ayushman Nursing Home'), 'NURSING_HOME private allopathic');
    assert.equal(c('Suma Eye Clinic'), 'CLINIC private allopathic');
    assert.equal(c('CGHS Dispensary No.1'), 'CLINIC public allopathic');
    assert.equal(c('Assa Diagnostics'), 'DIAGNOSTIC private allopathic');
    assert.equal(c('Thammineni Hospital and Diagnostic Centre'), 'PRIVATE_HOSPITAL private allopathic');
    assert.equal(c('Centre For Sight, New Railway Road'), 'PRIVATE_HOSPITAL private allopathic');
    assert.equal(c('ESI Hospital, Panipat'), 'SDH public allopathic');
    assert.equal(classify('ESI Hospital, Panipat').publicHospitalAsSdh, true);
    for (const name of ['Govt PHC, Komakhan', 'Railway Hospital', 'Ayush Hospital', 'Sdh Banki', 'Mohalla Clinic 3']) {
      const k = classify(name);
      assert.deepEqual(facilityProblems(k), [], name);
    }
  });
  test('coordinates inside India, telephone and PIN clean-up', () => {
    assert.deepEqual(parseCoordinates('11.6357989, 92.7120575'), { latitude: 11.6357989, longitude: 92.7120575 });
    assert.equal(parseCoordinates('44.9391565, -123.033121'), null);
    assert.equal(parseCoordinates('0, 0'), null);
    assert.equal(parseCoordinates(''), null);
    assert.equal(cleanPhone('0'), null);
    assert.equal(cleanPhone('03192 251971'), '03192 251971');
    assert.equal(cleanPhone('08554    274630, 245014, 9441074096'), '08554 274630');
    assert.equal(cleanPhone('229940/200345'), '229940');
  });
});

for (const engine of testEngines()) {
  describe(`National Hospital Directory import (${engine})`, () => {
    let db: Db;
    let text = '';
    let r: FacilityImportResult;
    let seconds = 0;
    before(async () => {
      db = await freshDb(engine);
      await prepareDatabase(db, testConfig());
      if (!have) return;
      const lgd = (f: string) => fs.readFileSync(path.join(SHARED, 'lgd', f), 'utf8');
      await db.kysely.transaction().execute((trx) => importLgd(trx, { states: lgd('lgd_1-state.csv'), districts: lgd('lgd_2-district.csv') }));
      text = fs.readFileSync(NHD, 'utf8');
      const t0 = performance.now();
      r = await db.kysely.transaction().execute((trx) => importFacilities(trx, text, undefined, path.basename(NHD)));
      seconds = (performance.now() - t0) / 1000;
    });
    after(async () => db?.close());

    test('every row is imported or refused with its line and reason', { skip: !have && SKIP }, async () => {
      assert.equal(r.read, 30606);
      assert.equal(r.imported + r.refused.length, 30606);
      assert.equal(r.updated, 0);
      assert.equal(r.imported, 30592);
      // Rows whose coordinates lie far outside their district (geocoding errors) are kept without
      // them, each listed with where the point lies.
      const misplaced = r.warnings.misplaced;
      assert.equal(misplaced.length, 917);
      assert.deepEqual(misplaced[1], {
        line: 19, srNo: '18', name: 'Padmavathi Hospital', state: 'Andhra Pradesh', district: 'Anantapur',
        reason: 'latitude/longitude 15.3474564, 75.1253824 lies near Dharwad (Karnataka), not in Anantapur; check the coordinates; kept without coordinates',
      });
      const padmavathi = await db.kysely.selectFrom('facilities').select(['latitude', 'longitude']).where('source_ref', '=', '18').executeTakeFirstOrThrow();
      assert.deepEqual(padmavathi, { latitude: null, longitude: null });
      const other = r.refused;
      assert.deepEqual(other.slice(0, 3), [
        { line: 9575, srNo: '11346', name: 'Seventh Day Adventist Hospital', state: 'Ranchi', district: 'Jharkhand', reason: 'unknown state "Ranchi"' },
        { line: 12680, srNo: '14451', name: 'M.E.S Medical College', state: 'Kerala', district: 'Perintalmanna', reason: 'no district "Perintalmanna" in Kerala' },
        { line: 13083, srNo: '14854', name: 'Siddharth Hospital', state: 'Madhya Pradesh', district: '', reason: 'the district is empty' },
      ]);
      assert.equal(other.length, 14);
      assert.equal(r.warnings.noCoordinates, 395);
      const total = await db.kysely.selectFrom('facilities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(total.n), 30592);
      assert.ok(seconds < 60, `the import took ${seconds.toFixed(1)} s`);
    });

    test("Himachal's 485 rows land in Himachal's districts", { skip: !have && SKIP }, async () => {
      const rows = parse(text, { columns: true, bom: true, relax_column_count: true }) as Record<string, string>[];
      const hpRefs = rows.filter((x) => x.State === 'Himachal Pradesh').map((x) => x.Sr_No);
      assert.equal(hpRefs.length, 485);
      const hp = (await geoRepo.mapByLgd(db.kysely, 'state', [2])).get(2)!;
      const placed = await db.kysely
        .selectFrom('facilities as f')
        .innerJoin('org_units as o', 'o.id', 'f.id')
        .innerJoin('org_units as d', 'd.id', 'o.parent_id')
        .select(['f.source_ref', 'd.lgd_code', 'd.level', 'd.state_lgd', 'o.path'])
        .where('f.source', '=', 'nhd')
        .where('f.source_ref', 'in', hpRefs)
        .execute();
      assert.equal(placed.length, 485);
      assert.ok(placed.every((p) => p.level === 'district' && p.state_lgd === 2 && p.path.startsWith(hp.path)), 'every HP row is under an HP district');
      assert.equal(new Set(placed.map((p) => p.lgd_code)).size, 12, 'all 12 districts have rows');
      assert.equal(placed.filter((p) => p.lgd_code === 21).length, 12, '"Lahaul and Spiti" is LGD\'s Lahul and Spiti');
      const gurugram = await db.kysely.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('parent_id', '=', unitId('district', 62)).where('level', '=', 'facility').executeTakeFirstOrThrow();
      assert.equal(Number(gurugram.n), 262, 'the directory\'s Gurgaon is Gurugram');
    });

    test('a row with US coordinates is imported without coordinates; every row passes the registry rules', { skip: !have && SKIP }, async () => {
      const us = await db.kysely.selectFrom('facilities as f').innerJoin('org_units as o', 'o.id', 'f.id')
        .select(['o.name', 'f.latitude', 'f.longitude', 'f.pincode', 'f.phone', 'f.portal_status', 'f.type', 'f.ownership'])
        .where('f.source', '=', 'nhd').where('f.source_ref', '=', '25501').executeTakeFirstOrThrow();
      assert.deepEqual(us, {
        name: 'Aruljothi Nursing Home', latitude: null, longitude: null, pincode: '637501', phone: null, portal_status: 'listed', type: 'NURSING_HOME', ownership: 'private',
      });
      const all = await db.kysely.selectFrom('facilities').selectAll().execute();
      const bad = all.filter((f) => facilityProblems({
        type: f.type, ownership: f.ownership, system: f.system, ayushSystem: f.ayush_system, latitude: f.latitude, longitude: f.longitude,
        pincode: f.pincode, phone: f.phone, email: f.email, hfrId: f.hfr_id,
      }).length);
      assert.equal(bad.length, 0, `${bad.length} rows break the rules, e.g. ${JSON.stringify(bad[0])}`);
    });

    test('importing the file again updates, never duplicates, and keeps what people edited', { skip: !have && SKIP }, async () => {
      const [one] = await db.kysely.selectFrom('facilities').select(['id']).where('source', '=', 'nhd').where('source_ref', '=', '2').execute();
      await db.kysely.updateTable('facilities').set({ portal_status: 'registered', registered_on: '2025-01-02', type: 'MC', ownership: 'public', phone: '999' }).where('id', '=', one.id).execute();
      // The first 1,000 rows are enough to see the update path (the whole file was imported above).
      const head = text.split('\n').slice(0, 1001).join('\n');
      const again = await db.kysely.transaction().execute((trx) => importFacilities(trx, head));
      assert.deepEqual([again.read, again.imported, again.updated, again.refused.length], [1000, 0, 1000, 0]);
      const total = await db.kysely.selectFrom('facilities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(total.n), 30592);
      const after = await db.kysely.selectFrom('facilities').selectAll().where('id', '=', one.id).executeTakeFirstOrThrow();
      assert.deepEqual([after.portal_status, after.registered_on, after.type, after.ownership, after.phone], ['registered', '2025-01-02', 'MC', 'public', null]);
    });

    test('a file of another layout is refused whole', async () => {
      await assert.rejects(importFacilities(db.kysely, 'name,district\nX,Y\n', undefined, 'other.csv'), (e: Error) => {
        assert.ok(e instanceof ImportFileError, 'an ImportFileError');
        assert.match(e.message, /^other\.csv is not the National Hospital Directory layout: it has no "Sr_No", "Location_Coordinates", /);
        assert.match(e.message, /Expected the header: Sr_No,Location_Coordinates,Hospital_Name,District,Address_First_Line,State,Pincode,Telephone$/);
        return true;
      });
    });
  });
}
