// `swasthya import fhir-profiles <dir-or-json>…`: StructureDefinitions (ABDM's NRCeS profiles, a
// state's own) from an IG's published package folder, a JSON file, or a Bundle of them, kept in
// fhir_profiles; FHIR writes that claim one of them are validated against it from then on.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { importProfiles } from '../modules/fhir/fhir.profiles.js';
import { COUNTRY_ID } from '../modules/geo/geo.service.js';
import { recordAudit } from '../platform/audit.js';
import { cliActor, Failure, n, printRefused, readInput, UsageError, withDatabase } from './support.js';

/** The JSON files under a folder (an unpacked FHIR package: package/*.json), or the file itself. */
function jsonFiles(target: string): string[] {
  let stat: fs.Stats;
  try { stat = fs.statSync(target); } catch { throw new Failure(`cannot read ${target}: no such file or folder`); }
  if (!stat.isDirectory()) return [target];
  return fs.readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && !['package.json', '.index.json'].includes(path.basename(f)))
    .sort()
    .map((f) => path.join(target, f));
}

export async function importFhirProfilesCommand(config: Config, targets: string[]) {
  if (!targets.length) throw new UsageError('import fhir-profiles needs <folder or file.json> (StructureDefinitions with snapshots, as an IG package publishes them)');
  const files = targets.flatMap(jsonFiles).map((f) => {
    try {
      return { name: path.relative(process.cwd(), f) || f, json: JSON.parse(readInput(f).replace(/^\uFEFF/, '')) as unknown };
    } catch (e) {
      if (e instanceof Failure) throw e;
      throw new Failure(`${f} is not JSON: ${(e as Error).message}`);
    }
  });
  return withDatabase(config, async (db) => {
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importProfiles(trx, files, cliActor().username);
      if (!result.added && !result.updated) {
        printRefused(result.refused, (x) => `${x.file}: ${x.reason}`);
        throw new Failure('no StructureDefinition with a snapshot was found; nothing was imported');
      }
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'fhir_profiles', orgPath: `/${COUNTRY_ID}/`,
        after: { files: files.length, added: result.added, updated: result.updated, refused: result.refused.length },
      });
      return result;
    });
    console.log(`FHIR profiles: ${n(r.added)} added, ${n(r.updated)} updated, from ${n(files.length)} file(s)`);
    printRefused(r.refused, (x) => `${x.file}: ${x.reason}`);
  });
}
