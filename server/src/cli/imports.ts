// The `swasthya import …` commands (LGD, villages, facilities, boundaries, ICD-10) and
// `documents copy-to-s3`: each reads its file whole, writes in one transaction, shows progress,
// audits the run and reports every refused row (beside the input file).
import path from 'node:path';
import type { Config } from '../config.js';
import { importFacilities } from '../modules/facilities/facilities.import.js';
import { importBoundaries, OUTLINE_LEVELS, type OutlineLevel } from '../modules/geo/geo.boundaries.js';
import { importLgd, importVillages } from '../modules/geo/geo.import.js';
import { importPanchayats } from '../modules/geo/geo.panchayats.js';
import { COUNTRY_ID } from '../modules/geo/geo.service.js';
import { copyDocumentsToS3 } from '../modules/patients/patients.documents.js';
import { importIcdCodes } from '../modules/patients/patients.visits.js';
import { importRegister } from '../modules/registers/registers.import.js';
import { recordAudit } from '../platform/audit.js';
import { AppError } from '../platform/errors.js';
import { documentStoreFor, S3WithEarlierFiles } from '../platform/objectstore.js';
import { cliActor, Failure, n, printRefused, progressBar, readInput, UsageError, withDatabase, writeReport } from './support.js';

export async function importLgdCommand(config: Config, files: string[]) {
  if (files.length < 2 || files.length > 3) throw new UsageError('import lgd needs <states.csv> <districts.csv> and optionally [blocks.csv]');
  const [states, districts, blocks] = files.map((f) => ({ name: path.basename(f), text: readInput(f), path: f }));
  return withDatabase(config, async (db) => {
    const bar = progressBar('LGD');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importLgd(trx, { states, districts, blocks: blocks ?? null }, bar.update);
      const { refused, ...counts } = result;
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { files: files.map((f) => path.basename(f)), ...counts, refused: refused.length },
      });
      return result;
    });
    bar.done();
    const line = (label: string, c: { added: number; updated: number; unchanged: number }) =>
      `${label.padEnd(10)} ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged`;
    console.log(`LGD import done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(line('states', r.states));
    console.log(line('districts', r.districts));
    if (blocks) console.log(line('blocks', r.blocks));
    printRefused(r.refused, (x) => `${x.file} line ${x.line}: ${x.reason}`);
    for (const input of [states, districts, blocks]) {
      const mine = r.refused.filter((x) => input && x.file === input.name);
      if (input && mine.length) console.log(`Refused rows of ${input.name} written to ${writeReport(config, input.path, ['line', 'reason'], mine.map((x) => [x.line, x.reason]))}`);
    }
    const accepted = ['states', 'districts', 'blocks'].reduce((a, k) => {
      const c = r[k as 'states'];
      return a + c.added + c.updated + c.unchanged;
    }, 0);
    if (!accepted && r.refused.length) throw new Failure('every row was refused; nothing was imported');
  });
}

export async function importVillagesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import villages needs one <villages.csv>');
  const input = { name: path.basename(files[0]), text: readInput(files[0]) };
  return withDatabase(config, async (db) => {
    const bar = progressBar('Villages');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importVillages(trx, input, bar.update);
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { files: [input.name], villages: result.villages, under: result.parentLevel, refused: result.refused.length },
      });
      return result;
    });
    bar.done();
    const c = r.villages;
    console.log(`Village import done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged, each under its ${r.parentLevel}`);
    printRefused(r.refused, (x) => `line ${x.line}: ${x.reason}`);
    if (r.refused.length) console.log(`Refused rows written to ${writeReport(config, files[0], ['line', 'reason'], r.refused.map((x) => [x.line, x.reason]))}`);
    if (!c.added && !c.updated && !c.unchanged && r.refused.length) throw new Failure('every row was refused; nothing was imported');
  });
}

export async function importPanchayatsCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import panchayats needs one <panchayats.csv>');
  const input = { name: path.basename(files[0]), text: readInput(files[0]) };
  return withDatabase(config, async (db) => {
    const bar = progressBar('Panchayats');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importPanchayats(trx, input, bar.update);
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { files: [input.name], panchayats: result.panchayats, villages: result.villages, refused: result.refused.length },
      });
      return result;
    });
    bar.done();
    const c = r.panchayats;
    console.log(`Panchayat import done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged; villages: ${n(r.villages.moved)} put under their panchayat, ${n(r.villages.unchanged)} already there`);
    printRefused(r.refused, (x) => `line ${x.line}: ${x.reason}`);
    if (r.refused.length) console.log(`Refused rows written to ${writeReport(config, files[0], ['line', 'reason'], r.refused.map((x) => [x.line, x.reason]))}`);
    if (!c.added && !c.updated && !c.unchanged && r.refused.length) throw new Failure('every row was refused; nothing was imported');
  });
}

export async function copyDocumentsCommand(config: Config) {
  const store = documentStoreFor(config);
  if (!(store instanceof S3WithEarlierFiles)) {
    throw new Failure('no S3 store is configured: set SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_BUCKET, SWASTHYA_S3_ACCESS_KEY and SWASTHYA_S3_SECRET_KEY first');
  }
  await store.check().catch((e: Error) => { throw new Failure(e.message); });
  return withDatabase(config, async (db) => {
    const bar = progressBar('Documents');
    const t0 = Date.now();
    const r = await copyDocumentsToS3(db.kysely, store, bar.update);
    bar.done();
    await recordAudit(db.kysely, cliActor(), {
      action: 'import', entity: 'patient_document', orgPath: `/${COUNTRY_ID}/`,
      after: { to: `s3://${config.s3!.bucket}`, copied: r.copied, alreadyThere: r.alreadyThere, problems: r.problems.length },
    });
    console.log(`Documents copied to bucket ${config.s3!.bucket} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${n(r.copied)} copied, ${n(r.alreadyThere)} already there`);
    printRefused(r.problems, (x) => `document ${x.id} (${x.key}): ${x.reason}`);
    if (r.problems.length) throw new Failure(`${n(r.problems.length)} document${r.problems.length === 1 ? '' : 's'} could not be copied (listed above); the others are in the bucket`);
  });
}

export async function importFacilitiesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import facilities needs one <hospital_directory.csv>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('Facilities');
    const t0 = Date.now();
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importFacilities(trx, text, bar.update, path.basename(files[0]));
      const { refused, ...counts } = result;
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'facility', orgPath: `/${COUNTRY_ID}/`,
        after: { file: path.basename(files[0]), source: 'nhd', ...counts, warnings: { ...counts.warnings, misplaced: counts.warnings.misplaced.length }, refused: refused.length },
      });
      return result;
    });
    bar.done();
    console.log(`Facility import done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`read ${n(r.read)}, imported ${n(r.imported)}, updated ${n(r.updated)}, refused ${n(r.refused.length)}`);
    if (r.warnings.noCoordinates) console.log(`warning: ${n(r.warnings.noCoordinates)} imported without coordinates (missing, unreadable or outside India)`);
    if (r.warnings.publicHospitalAsSdh) console.log(`warning: ${n(r.warnings.publicHospitalAsSdh)} government hospitals with no level in their name imported as SDH`);
    if (r.warnings.misplaced.length) {
      console.log(`warning: ${n(r.warnings.misplaced.length)} kept without coordinates: their point lies outside their district`);
      const file = writeReport(config, files[0], ['line', 'sr_no', 'name', 'state', 'district', 'reason'], r.warnings.misplaced.map((x) => [x.line, x.srNo, x.name, x.state, x.district, x.reason]), 'misplaced');
      console.log(`Rows kept without coordinates written to ${file}`);
    }
    printRefused(r.refused, (x) => `line ${x.line} (Sr_No ${x.srNo}, ${x.state || '-'} / ${x.district || '-'}): ${x.reason}`);
    if (r.refused.length) {
      const file = writeReport(config, files[0], ['line', 'sr_no', 'name', 'state', 'district', 'reason'], r.refused.map((x) => [x.line, x.srNo, x.name, x.state, x.district, x.reason]));
      console.log(`Refused rows written to ${file}`);
    }
    if (r.read && !r.imported && !r.updated) throw new Failure('every row was refused; nothing was imported');
  });
}

export async function importBoundariesCommand(config: Config, files: string[], level?: string) {
  if (files.length !== 1) throw new UsageError('import boundaries needs one <outlines.geojson>');
  if (level !== undefined && !(OUTLINE_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--level ${level} is not one of ${OUTLINE_LEVELS.join(', ')}`);
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('Boundaries');
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importBoundaries(trx, text, bar.update, path.basename(files[0]), { level: level as OutlineLevel | undefined });
      await recordAudit(trx, cliActor(), {
        action: 'import', entity: 'geo', orgPath: `/${COUNTRY_ID}/`,
        after: { file: path.basename(files[0]), kind: 'boundaries', read: result.read, stored: result.stored, unplaced: result.unplaced.length, points: result.points },
      });
      return result;
    });
    bar.done();
    console.log(`read ${n(r.read)} features, stored ${n(r.stored)} outlines (${n(r.points.before)} points simplified to ${n(r.points.after)}), not placed ${n(r.unplaced.length)}`);
    printRefused(r.unplaced, (x) => `feature ${x.feature} (${x.name}): ${x.reason}`);
    if (r.unplaced.length) {
      console.log(`Features not placed written to ${writeReport(config, files[0], ['feature', 'name', 'reason'], r.unplaced.map((x) => [x.feature, x.name, x.reason]))}`);
    }
    if (r.read && !r.stored) throw new Failure('no feature could be placed; nothing was stored');
  });
}

export async function importIcdCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import icd10 needs one <codes.csv>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const bar = progressBar('ICD-10');
    const r = await db.kysely.transaction().execute(async (trx) => {
      const result = await importIcdCodes(trx, text, bar.update);
      await recordAudit(trx, cliActor(), { action: 'import', entity: 'icd_codes', orgPath: `/${COUNTRY_ID}/`, after: { file: path.basename(files[0]), read: result.read, stored: result.stored, refused: result.refused.length } });
      return result;
    });
    bar.done();
    console.log(`read ${n(r.read)}, stored ${n(r.stored)}, refused ${n(r.refused.length)}`);
    printRefused(r.refused, (x) => `line ${x.line}: ${x.reason}`);
    if (r.read && !r.stored) throw new Failure('every row was refused; nothing was stored');
  });
}

/** `swasthya import families <register.csv>`: a state family register extract (docs/registers.md); all or nothing, again updates. */
export async function importFamiliesCommand(config: Config, files: string[]) {
  if (files.length !== 1) throw new UsageError('import families needs one <register.csv>');
  const text = readInput(files[0]);
  return withDatabase(config, async (db) => {
    const t0 = Date.now();
    let r;
    try {
      r = await importRegister(db.kysely, cliActor(), text, { file: path.basename(files[0]) });
    } catch (e) {
      const rows = e instanceof AppError ? (e.details?.rows as { line: number; field: string; reason: string }[] | undefined) : undefined;
      if (!rows) throw e;
      printRefused(rows, (x) => `line ${x.line} (${x.field}): ${x.reason}`);
      console.log(`Refused rows written to ${writeReport(config, files[0], ['line', 'field', 'reason'], rows.map((x) => [x.line, x.field, x.reason]))}`);
      throw new Failure(`${rows.length} row(s) refused; nothing was imported`);
    }
    console.log(`Family register import done in ${((Date.now() - t0) / 1000).toFixed(1)} s: families ${n(r.families.added)} added, ${n(r.families.updated)} updated, in ${n(r.panchayats)} panchayat(s); members ${n(r.members.added)} added, ${n(r.members.updated)} updated, ${n(r.members.removed)} removed; matched to patients: ${n(r.matches.linked)} linked, ${n(r.matches.review)} to review, ${n(r.matches.none)} not found`);
  });
}
