import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Readable } from 'node:stream';
import { facilityBody, startTestApp, testEngines, type TestApp } from '../../test/harness.js';
import { importCsvStream, importSetsInBatches } from './hmis.datavalues.stream.js';
import type { ImportSummary } from './hmis.datavalues.import.js';
import { importAdxStream } from './hmis.datavalues.adx.js';
import { sql } from 'kysely';
import { authenticate } from '../../platform/auth/auth.service.js';
import { RETURN_LOCK, returnKey } from './hmis.datavalues.repository.js';
import { DEFAULTS } from './hmis.metadata.types.js';

/** Rows in the large import: 200,000 on PostgreSQL; fewer on PGlite, which writes them several times slower. */
const rowsFor = (engine: string) => (engine === 'postgresql' ? 200_000 : 60_000);

/** POSTs a generated body over a real socket; resolves with status and parsed answer. */
function postStream(port: number, path: string, token: string, type: string, body: Readable): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => { text += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

for (const engine of testEngines()) {
  describe(`DHIS2 CSV import streams in batches [${engine}]`, () => {
    let t: TestApp;
    let facilities: string[];
    let cells: { de: string; coc: string }[];
    before(async () => {
      t = await startTestApp(engine);
      // These files carry made-up figures; completing them is not held to the return's validation rules here (hmis.returns.checks.test.ts).
      assert.equal((await t.req('PATCH', '/api/hmis/dataSets/HMIS_MONTHLY', t.adminToken, { validCompleteOnly: false })).status, 200);
      facilities = [];
      for (let i = 0; i < 10; i++) facilities.push((await t.req('POST', '/api/facilities', t.adminToken, facilityBody())).body.id);
      cells = await t.db.kysely.selectFrom('hmis_data_set_elements as dse').innerJoin('hmis_data_sets as ds', 'ds.id', 'dse.data_set_id')
        .innerJoin('hmis_data_elements as de', 'de.id', 'dse.data_element_id').innerJoin('hmis_category_option_combos as c', 'c.combo_id', 'de.category_combo_id')
        .select(['de.id as de', 'c.id as coc']).where('ds.code', '=', 'HMIS_MONTHLY').where('de.value_type', 'in', ['INTEGER', 'INTEGER_ZERO_OR_POSITIVE', 'NUMBER']).execute();
      assert.ok(cells.length > 20);
    });
    after(async () => { await t.close(); });

    /** `n` CSV lines of distinct monthly values (admin: no entry window), made as they are read. */
    function* csvLines(n: number) {
      yield 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n';
      let i = 0;
      for (let month = 0; i < n; month++) {
        const pe = `${2000 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
        let chunk = '';
        for (const ou of facilities) for (const c of cells) {
          if (i++ >= n) break;
          chunk += `${c.de},${pe},${ou},${c.coc},,${1 + (i % 97)}\n`;
        }
        yield chunk;
      }
    }

    const ROWS = rowsFor(engine);
    test(`${ROWS.toLocaleString('en')} rows stream in while other requests keep answering`, async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as { port: number }).port;
      let done = false;
      const waits: number[] = [];
      const health = (async () => {
        while (!done) {
          const started = performance.now();
          const r = await fetch(`http://127.0.0.1:${port}/api/health`);
          await r.arrayBuffer();
          waits.push(performance.now() - started);
          await new Promise((res) => setTimeout(res, 50));
        }
      })();
      const started = performance.now();
      const r = await postStream(port, '/api/dataValueSets', t.adminToken, 'application/csv', Readable.from(csvLines(ROWS)));
      const seconds = (performance.now() - started) / 1000;
      done = true;
      await health;
      assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
      assert.equal(r.body.status, 'SUCCESS', JSON.stringify(r.body.conflicts).slice(0, 500));
      assert.deepEqual(r.body.importCount, { imported: ROWS, updated: 0, ignored: 0, deleted: 0 });
      const stored = await t.db.kysely.selectFrom('hmis_data_values').select((eb) => eb.fn.countAll<string>().as('n')).where('org_unit_id', 'in', facilities).executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), ROWS);
      // Figures for the record live in bench/hmis-stream.ts; here only that nothing stalled for seconds.
      const worst = Math.max(...waits);
      assert.ok(waits.length >= 3, `health was asked ${waits.length} times in ${seconds.toFixed(1)} s`);
      assert.ok(worst < 2000, `GET /api/health waited ${Math.round(worst)} ms during the import`);
      console.log(`# ${engine}: ${ROWS} rows in ${seconds.toFixed(1)} s; health asked ${waits.length} times, worst wait ${Math.round(worst)} ms`);
    });

    test('a conflict is reported by its row in the whole file, across batches', async () => {
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const lines = [...csvLines(12)].join('').split('\n').filter(Boolean);
      lines[8] = lines[8].replace(/,\d+$/, ',not-a-number');
      lines[11] = lines[11].replace(/^[^,]+/, 'NoSuchElem1');
      const summary = await importCsvStream(t.db.kysely, actor!, Readable.from([lines.join('\n')]), { dryRun: true }, { batchRows: 3 });
      assert.deepEqual(summary.rejectedIndexes, [7, 10]);
      assert.deepEqual(summary.conflicts.map((c) => [c.errorCode, c.indexes]).sort(), [['E7610', [10]], ['E7619', [7]]]);
      assert.equal(summary.status, 'WARNING');
      const c = summary.importCount;
      assert.equal(c.imported + c.updated + c.ignored, 10, 'the other ten are counted');
      // The same for a JSON set held in memory, split into batches of 5: one summary, completed with the last part.
      const set = { dataSet: 'HMIS_MONTHLY', period: '202410', orgUnit: facilities[1], completeDate: '2024-11-03', dataValues: cells.slice(0, 12).map((c, i) => ({ dataElement: i === 9 ? 'NoSuchElem1' : c.de, categoryOptionCombo: c.coc, value: String(40 + i) })) };
      const json = await importSetsInBatches(t.db.kysely, actor!, [set], { dataSetIdScheme: 'CODE' }, 5);
      assert.deepEqual(json.rejectedIndexes, [9]);
      assert.equal(json.importCount.imported, 11);
      assert.ok(json.dataSetComplete);
      const completions = await t.db.kysely.selectFrom('hmis_complete_registrations').select('completed_at').where('org_unit_id', '=', facilities[1]).where('period', '=', '202410').execute();
      assert.equal(completions.length, 1);
    });

    test('batches are written in file order while the next is read: a key sent again in a later batch is updated, the last value wins', async () => {
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const [a, b, c] = cells;
      const ou = facilities[2];
      const line = (cell: { de: string; coc: string }, value: number) => `${cell.de},199503,${ou},${cell.coc},,${value}`;
      const file = [line(a, 1), line(b, 2), line(a, 3), line(c, 4), line(a, 5), line(b, 2)].join('\n');
      // Two values per transaction: the key of the first row comes again in the second and third batches.
      const summary = await importCsvStream(t.db.kysely, actor!, Readable.from([file]), {}, { batchRows: 2 });
      assert.deepEqual(summary.importCount, { imported: 3, updated: 2, ignored: 1, deleted: 0 });
      const stored = await t.db.kysely.selectFrom('hmis_data_values').select(['data_element_id', 'coc_id', 'value']).where('org_unit_id', '=', ou).where('period', '=', '199503').execute();
      const valueOf = (cell: { de: string; coc: string }) => stored.find((r) => r.data_element_id === cell.de && r.coc_id === cell.coc)?.value;
      assert.deepEqual([valueOf(a), valueOf(b), valueOf(c)], ['5', '2', '4']);
    });

    test('batches are written side by side on PostgreSQL, except one that writes a key a batch in flight holds: it waits, the later value wins', { skip: engine !== 'postgresql' }, async () => {
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const [a, b, c] = cells;
      const [f1, f2, f3] = facilities.slice(3, 6);
      const line = (ou: string, cell: { de: string; coc: string }, value: number) => `${cell.de},199601,${ou},${cell.coc},,${value}`;
      // Two values a batch. The first waits (its F3 return is held below); the second is independent
      // and written meanwhile; the third sends F1's key `a` again and must wait for the first.
      const file = [line(f1, a, 1), line(f3, a, 1), line(f2, a, 1), line(f2, b, 1), line(f1, a, 3), line(f2, c, 1)].join('\n');
      const ds = await t.db.kysely.selectFrom('hmis_data_sets').select('id').where('code', '=', 'HMIS_MONTHLY').executeTakeFirstOrThrow();
      const stored = (ou: string, cell: { de: string; coc: string }) => t.db.kysely.selectFrom('hmis_data_values').select('value')
        .where('org_unit_id', '=', ou).where('period', '=', '199601').where('data_element_id', '=', cell.de).where('coc_id', '=', cell.coc).executeTakeFirst();
      let importing: Promise<ImportSummary> | undefined;
      // A connection of its own holds F3's return as approving it would (exclusively); a writer of its values waits (holdReturns).
      await t.db.kysely.connection().execute(async (holder) => {
        await sql`select pg_advisory_lock(${RETURN_LOCK}::int, hashtext(${returnKey(ds.id, '199601', f3, DEFAULTS.categoryOptionCombo)}))`.execute(holder);
        try {
          importing = importCsvStream(t.db.kysely, actor!, Readable.from([file]), {}, { batchRows: 2 });
          importing.catch(() => {});
          const started = Date.now();
          while (!(await stored(f2, b)) && Date.now() - started < 5000) await new Promise((res) => setTimeout(res, 20));
          assert.ok(await stored(f2, b), 'the second batch was written while the first waited');
          assert.equal(await stored(f3, a), undefined, 'the first batch waits');
          // Long enough for the third batch to be written too, were it not held back.
          while (!(await stored(f2, c)) && Date.now() - started < 1500) await new Promise((res) => setTimeout(res, 20));
          assert.equal(await stored(f2, c), undefined, 'the third batch waits for the first');
        } finally {
          await sql`select pg_advisory_unlock_all()`.execute(holder);
        }
      });
      const summary = await importing!;
      assert.deepEqual(summary.importCount, { imported: 5, updated: 1, ignored: 0, deleted: 0 });
      assert.equal((await stored(f1, a))?.value, '3', 'the later value of F1\'s key is the one kept');
    });

    test('each kind of body has its own limit, named in the 413 (English and Hindi)', async () => {
      const post = (type: string, headers: Record<string, string>, payload: string | Readable, lang = 'en') => t.app.inject({
        method: 'POST', url: '/api/dataValueSets', payload,
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': type, 'accept-language': lang, ...headers },
      });
      const csv = await post('application/csv', { 'content-length': String(300 * 1024 * 1024) }, Readable.from(['x']));
      assert.equal(csv.statusCode, 413);
      assert.match(csv.json().error.message, /CSV file is larger than the 200 MB allowed/);
      const hi = await post('application/csv', { 'content-length': String(300 * 1024 * 1024) }, Readable.from(['x']), 'hi');
      assert.match(hi.json().error.message, /200 MB की सीमा/);
      const json = await post('application/json', {}, `{"dataValues":[${'{"value":"1"},'.repeat(800_000)}{}]}`);
      assert.equal(json.statusCode, 413);
      assert.match(json.json().error.message, /JSON data value set is larger than the 10 MB allowed/);
      const adx = await post('application/adx+xml', { 'content-length': String(300 * 1024 * 1024) }, Readable.from(['<adx/>']));
      assert.equal(adx.statusCode, 413);
      assert.match(adx.json().error.message, /ADX document is larger than the 200 MB allowed/);
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const chunked = importAdxStream(t.db.kysely, actor!, Readable.from((function* () { yield '<adx xmlns="urn:ihe:qrph:adx:2015">'; for (let i = 0; i < 40; i++) yield '<!-- -->'.repeat(8192); })()), {}, { limit: 1024 * 1024 });
      await assert.rejects(chunked, (e: any) => e.status === 413 && /1 MB/.test(e.message));
      const other = await t.req('POST', '/api/hmis/validation/run', t.adminToken, { dataSet: 'x'.repeat(1_100_000) });
      assert.equal(other.status, 413);
      assert.match(other.body.error.message, /1 MB/);
    });

    test('ADX streams too: a group larger than a batch is imported in parts and completed once, conflicts indexed in the document', async () => {
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const values = cells.slice(0, 25).map((c, i) => `<dataValue dataElement="${c.de}" categoryOptionCombo="${c.coc}" value="${i === 17 ? 'x' : 300 + i}"><annotation>note ${i}</annotation></dataValue>`);
      const doc = `<?xml version="1.0"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-12-01"><group orgUnit="${facilities[0]}" period="2024-11-01/P1M" dataSet="HMIS_MONTHLY" completeDate="2024-12-02">${values.join('\n')}</group></adx>`;
      // Fed a few bytes at a time, imported 10 values per transaction.
      const pieces = Array.from({ length: Math.ceil(doc.length / 97) }, (_, i) => doc.slice(i * 97, (i + 1) * 97));
      const summary = await importAdxStream(t.db.kysely, actor!, Readable.from(pieces), { idScheme: 'UID', dataSetIdScheme: 'CODE' }, { batchRows: 10 });
      assert.deepEqual(summary.rejectedIndexes, [17], JSON.stringify(summary.conflicts));
      assert.equal(summary.importCount.imported, 24);
      assert.ok(summary.dataSetComplete, 'the group\'s completeDate completed the return');
      const stored = await t.db.kysely.selectFrom('hmis_data_values').select(['value', 'comment']).where('org_unit_id', '=', facilities[0]).where('period', '=', '202411').execute();
      assert.equal(stored.length, 24);
      assert.ok(stored.some((r) => r.comment === 'note 3'));
      const bomb = await t.req('POST', '/api/dataValueSets', t.adminToken, '<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><adx><group><dataValue dataElement="x" value="&b;"/></group></adx>', { 'content-type': 'application/adx+xml' });
      assert.equal(bomb.status, 400, 'entities are not expanded');
      const notAdx = await t.req('POST', '/api/dataValueSets', t.adminToken, '<html><body/></html>', { 'content-type': 'application/xml' });
      assert.equal(notAdx.status, 400);
      assert.match(notAdx.body.error.message, /not ADX/);
    });

    test('a CSV that breaks off with bad quoting is a 400 naming the line', async () => {
      const r = await t.req('POST', '/api/dataValueSets', t.adminToken, 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n"abc,202401,x,y,,1\n', { 'content-type': 'application/csv' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, /CSV cannot be read/);
    });

    test('a file that breaks off after batches were stored says what was kept and where to go on from', async () => {
      const actor = await authenticate(t.db.kysely, t.adminToken, null);
      const lines = [...csvLines(9)].join('').split('\n').filter(Boolean).map((l) => l.replace(/,(\d+)$/, (_, v) => `,${Number(v) + 500}`));
      lines.splice(8, 0, '"broken,202401,x,y,,1'); // after 7 values: two batches of 3 stored, the seventh value still pending
      // Line by line, as a slow upload arrives: the batches before the break are stored by then.
      const slowly = Readable.from((async function* () { for (const l of lines) { yield `${l}\n`; await new Promise((res) => setTimeout(res, 20)); } })());
      const broken = importCsvStream(t.db.kysely, actor!, slowly, {}, { batchRows: 3 });
      await assert.rejects(broken, (e: any) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /CSV cannot be read.*The first 6 value\(s\) of the file were already processed and kept \(\d+ imported, \d+ updated, 0 ignored, 0 refused\); send the values from number 7 on again/);
        assert.equal(e.details.notImportedFrom, 6);
        assert.equal(e.details.stored.importCount.imported + e.details.stored.importCount.updated, 6);
        assert.match(e.msg.hi, /पहले 6 मान/);
        return true;
      });
      const kept = await t.db.kysely.selectFrom('hmis_data_values').select('value').where('org_unit_id', 'in', facilities).where('value', 'in', lines.slice(1, 7).map((l) => l.split(',').pop()!)).execute();
      assert.ok(kept.length >= 1, 'the stored batches are in the database');
    });
  });
}
