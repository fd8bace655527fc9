// A database made before data sets carried validCompleteOnly: the migration turns it on for the HMIS
// monthly return it already holds, and off for every other data set.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import * as migration from '../../db/migrations/20261202T0400_require_valid_complete.js';

for (const engine of testEngines()) {
  describe(`migration 20261202T0400 on an existing database [${engine}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(engine); });
    after(async () => { await t.close(); });

    test('the HMIS monthly return already stored becomes validCompleteOnly; other data sets do not; comments need a completion', async () => {
      const meta = await t.req('POST', '/api/metadata', t.adminToken, { dataSets: [{ id: 'MigDataSet1', name: 'Older form', shortName: 'Older form', periodType: 'Monthly' }] });
      assert.equal(meta.status, 200, JSON.stringify(meta.body));
      const k = t.db.kysely;
      // Back to the schema before the migration, the data sets still stored.
      await migration.down(k);
      const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'hmis_data_sets' and table_schema = current_schema()`.execute(k);
      assert.ok(!cols.rows.some((c) => c.column_name === 'valid_complete_only'));
      await migration.up(k);
      const rows = await k.selectFrom('hmis_data_sets').select(['code', 'id', 'valid_complete_only', 'allow_complete_with_comments']).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => [r.code ?? r.id, r.valid_complete_only, r.allow_complete_with_comments]).sort(), [['HMIS_MONTHLY', true, false], ['MigDataSet1', false, false]]);
      const rule = await k.selectFrom('hmis_validation_rules').select('id').limit(1).executeTakeFirstOrThrow();
      const ou = await k.selectFrom('org_units').select('id').limit(1).executeTakeFirstOrThrow();
      const ds = rows.find((r) => r.code === 'HMIS_MONTHLY')!.id;
      await assert.rejects(k.insertInto('hmis_completion_comments').values({ data_set_id: ds, period: '202411', org_unit_id: ou.id, aoc_id: 'HllvX50cXC0', rule_id: rule.id, comment: 'x', left_value: 1, right_value: 0, commented_by: 'admin' }).execute(),
        (e: any) => e.code === '23503', 'a comment belongs to a completion');
    });
  });
}
