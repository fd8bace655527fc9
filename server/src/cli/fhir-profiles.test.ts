import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openPglite, openPostgres, type Db } from '../db/connect.js';
import { createSchema, dropSchema } from '../db/schemas.js';
import { oneEngine } from '../test/harness.js';

// `swasthya import fhir-profiles` run as the real command, with HL7's published profiles (the
// examples package ships bp, vitalsigns… with their snapshots) laid out as an IG package folder.
const require = createRequire(import.meta.url);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(serverDir, 'bin/swasthya.mjs');
const EXAMPLES = path.dirname(require.resolve('hl7.fhir.r4.examples/package.json'));

for (const engine of oneEngine()) {
  describe(`swasthya import fhir-profiles (${engine})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-profiles-'));
    const env: Record<string, string | undefined> = {
      ...process.env, SWASTHYA_DATA_DIR: path.join(dir, 'data'), SWASTHYA_ADMIN_PASSWORD: 'Cli-Test-Admin-1',
      DATABASE_URL: undefined, npm_lifecycle_event: undefined, LOG_LEVEL: 'silent',
    };
    let schema: string | null = null;
    const run = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, cwd: dir, timeout: 120_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
    const openDb = async (): Promise<Db> =>
      engine === 'pglite' ? openPglite(path.join(dir, 'data')) : openPostgres(process.env.TEST_DATABASE_URL!, { schema: schema!, max: 1 });

    before(async () => {
      const pkg = path.join(dir, 'ig', 'package');
      fs.mkdirSync(pkg, { recursive: true });
      for (const f of ['StructureDefinition-bp.json', 'StructureDefinition-vitalsigns.json', 'StructureDefinition-bodyweight.json', 'Observation-blood-pressure.json']) {
        fs.copyFileSync(path.join(EXAMPLES, f), path.join(pkg, f));
      }
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'test.ig', version: '1.0.0' }));
      const sd = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'StructureDefinition-bp.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'source-only.json'), JSON.stringify({ ...sd, url: 'https://example.org/StructureDefinition/no-snapshot', snapshot: undefined }));
      if (engine !== 'postgresql') return;
      const url = process.env.TEST_DATABASE_URL!;
      schema = `cli_${randomBytes(4).toString('hex')}`;
      await createSchema(url, schema);
      env.DATABASE_URL = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema},public`)}`;
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (schema) await dropSchema(process.env.TEST_DATABASE_URL!, schema);
    });

    test('an IG package folder: its StructureDefinitions kept, other resources passed over; again, updated; no snapshot refused', async () => {
      const first = await run('import', 'fhir-profiles', path.join(dir, 'ig'));
      assert.equal(first.code, 0, first.stderr + first.stdout);
      assert.match(first.stdout, /FHIR profiles: 3 added, 0 updated, from 4 file\(s\)/);
      const again = await run('import', 'fhir-profiles', path.join(dir, 'ig', 'package', 'StructureDefinition-bp.json'));
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 added, 1 updated/);
      const none = await run('import', 'fhir-profiles', path.join(dir, 'source-only.json'));
      assert.equal(none.code, 1);
      assert.match(none.stdout, /source-only\.json \(https:\/\/example\.org\/StructureDefinition\/no-snapshot\): StructureDefinition\.snapshot is missing/);
      assert.match(none.stderr, /nothing was imported/);
      assert.equal((await run('import', 'fhir-profiles')).code, 2);

      const db = await openDb();
      try {
        const rows = await sql<{ url: string; type: string }>`select url, type from fhir_profiles order by url`.execute(db.kysely);
        assert.deepEqual(rows.rows, [
          { url: 'http://hl7.org/fhir/StructureDefinition/bodyweight', type: 'Observation' },
          { url: 'http://hl7.org/fhir/StructureDefinition/bp', type: 'Observation' },
          { url: 'http://hl7.org/fhir/StructureDefinition/vitalsigns', type: 'Observation' },
        ]);
        const audit = await db.kysely.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'fhir_profiles').execute();
        assert.equal(audit.length, 2);
      } finally {
        await db.close();
      }
    });
  });
}
