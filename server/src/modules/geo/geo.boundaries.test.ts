import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDatabase } from '../../bootstrap.js';
import type { Db } from '../../db/connect.js';
import { freshDb, testConfig, testEngines } from '../../test/harness.js';
import { importBoundaries, simplifyGeometry, simplifyRing } from './geo.boundaries.js';
import { ImportFileError } from './geo.import.js';
import * as repo from './geo.repository.js';
import { unitId } from './geo.service.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const HP_FILE = path.resolve(repoRoot, '../shared/data/geo/hp_districts.geojson');
const have = fs.existsSync(HP_FILE);
const SKIP = `the shared file ${HP_FILE} is missing`;

type Ring = number[][];
const rings = (g: any): Ring[] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
const closedAndValid = (r: Ring) => r.length >= 4 && r[0][0] === r.at(-1)![0] && r[0][1] === r.at(-1)![1];

describe('simplification', () => {
  test('collinear and near points go; the ring stays closed', () => {
    const square = [[0, 0], [0.5, 0.0001], [1, 0], [1, 0.5], [1, 1], [0.5, 1.001], [0, 1], [0, 0.5], [0, 0]];
    const r = simplifyRing(square, 0.005)!;
    assert.deepEqual(r, [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
  });
  test('a ring smaller than the tolerance collapses; an outer ring is kept anyway', () => {
    const tiny = [[77, 31], [77.001, 31], [77.001, 31.001], [77, 31.001], [77, 31]];
    assert.equal(simplifyRing(tiny, 0.005), null);
    const kept = simplifyGeometry({ type: 'Polygon', coordinates: [tiny] })!;
    assert.ok(closedAndValid(kept.coordinates[0] as Ring), 'the outline keeps 4 points');
    const multi = simplifyGeometry({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [tiny]] })!;
    assert.equal(multi.type, 'Polygon', 'the islet smaller than the tolerance is dropped');
  });
});

for (const engine of testEngines()) {
  describe(`district boundaries (${engine})`, () => {
    let db: Db;
    let text = '';
    before(async () => {
      db = await freshDb(engine);
      await prepareDatabase(db, testConfig());
      if (have) text = fs.readFileSync(HP_FILE, 'utf8');
    });
    after(async () => db?.close());

    test("Himachal's 12 district outlines are stored, simplified and valid", { skip: !have && SKIP }, async () => {
      const r = await db.kysely.transaction().execute((trx) => importBoundaries(trx, text, undefined, 'hp_districts.geojson'));
      assert.equal(r.read, 12);
      assert.equal(r.stored, 12);
      assert.deepEqual(r.unplaced, []);
      assert.equal(r.points.before, 66486);
      assert.ok(r.points.after < r.points.before / 20, `simplified to ${r.points.after} points`);

      const hp = (await repo.mapByLgd(db.kysely, 'state', [2])).get(2)!;
      const rows = await repo.boundariesUnder(db.kysely, hp.path);
      assert.equal(rows.length, 12);
      const mandi = rows.find((x) => x.id === unitId('district', 22))!;
      assert.equal(mandi.name, 'Mandi');
      for (const row of rows) {
        for (const ring of rings(row.geometry)) assert.ok(closedAndValid(ring), `${row.name}: a ring is closed with at least 4 points`);
      }
      const size = JSON.stringify(rows.map((x) => x.geometry)).length;
      assert.ok(size < text.length / 20, `the map payload is ${size} bytes against ${text.length} in the file`);
    });

    test('features are placed by name when the code is missing; the rest are reported', { skip: !have && SKIP }, async () => {
      const doc = JSON.parse(text);
      const [first, second, third] = doc.features;
      // By DTNAME/STNAME (upper-case keys), with "&" in the name and no LGD code.
      const { Dist_LGD: _a, dtname, stname, ...rest } = first.properties;
      first.properties = { ...rest, DTNAME: dtname, STNAME: stname };
      assert.equal(dtname, 'Lahul & Spiti');
      second.properties = { dist_lgd: 99999, dtname: 'Atlantis', stname: 'HIMACHAL PRADESH' };
      third.geometry = { type: 'Point', coordinates: [77.1, 31.1] };
      const r = await importBoundaries(db.kysely, JSON.stringify({ type: 'FeatureCollection', features: [first, second, third] }));
      assert.equal(r.stored, 1);
      assert.deepEqual(r.unplaced, [
        { feature: 2, name: 'Atlantis', reason: 'no district has LGD code 99999 and no district "Atlantis" in "HIMACHAL PRADESH"' },
        { feature: 3, name: 'Kangra', reason: 'its geometry is a Point; only Polygon and MultiPolygon outlines are stored' },
      ]);
      const hp = (await repo.mapByLgd(db.kysely, 'state', [2])).get(2)!;
      assert.equal((await repo.boundariesUnder(db.kysely, hp.path)).length, 12, 'stored again, not twice');
      await assert.rejects(importBoundaries(db.kysely, '{"type":"Topology"}'), ImportFileError);
      await assert.rejects(importBoundaries(db.kysely, 'not json'), /not JSON/);
    });
  });
}
