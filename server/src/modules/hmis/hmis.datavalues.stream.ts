import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { BODY_LIMITS, byteLimit } from '../../platform/body-limits.js';
import { badRequest } from '../../platform/errors.js';
import { BatchWriter } from './hmis.datavalues.batches.js';
import type { DataValueImportOptions, ImportSummary } from './hmis.datavalues.import.js';
import { csvColumns, csvRecords, csvValue, type CsvColumns, type RawSet, type RawValue } from './hmis.datavalues.parse.js';
import { importInTransaction } from './hmis.datavalues.run.js';

/**
 * Rows imported per transaction on PostgreSQL. Each batch costs a few statements whatever its size
 * (the analytics aggregate's rows of a district-month are updated once per batch), so 20,000 costs the
 * database a fifth less than 5,000 did; other requests still wait at most a moment (docs/hmis.md,
 * Import speed).
 */
export const BATCH_ROWS = 20000;

export interface StreamOptions { limit?: number; batchRows?: number }

/**
 * Imports DHIS2 CSV as it arrives: the request is parsed incrementally (csvRecords) and imported in
 * batches of BATCH_ROWS values, each in its own transaction (BatchWriter: the next batch is read and
 * checked while earlier ones are written). The body is never held whole; more than `limit` bytes is
 * a 413. Conflicts are reported with their row's index in the whole file, as one summary. A file
 * that breaks off part way (bad quoting, too large) keeps the batches stored before the break, as
 * DHIS2's own import does.
 */
export async function importCsvStream(db: Kysely<Database>, actor: Actor, body: Readable, opts: DataValueImportOptions = {}, so: StreamOptions = {}): Promise<ImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const batchRows = so.batchRows ?? BATCH_ROWS;
  const limiter = byteLimit(so.limit ?? BODY_LIMITS.dataValueSetStream, 'The CSV file');
  const stop = (e: Error) => limiter.destroy(e);
  body.on('error', stop);
  body.pipe(limiter);

  const writer = new BatchWriter(db, actor);
  let batch: RawValue[] = [];
  let columns: CsvColumns | null = null;
  let dataSet: string | undefined;
  const flush = async () => {
    const sets: RawSet[] = [{ dataSet, dataValues: batch }];
    batch = [];
    await writer.add(sets, opts);
  };
  try {
    for await (const record of csvRecords(limiter)) {
      if (!columns) {
        const layout = csvColumns(record);
        columns = layout.columns;
        dataSet = layout.dataSet;
        if (layout.header) continue;
      }
      batch.push(csvValue(record, columns));
      if (batch.length >= batchRows) await flush();
    }
    if (batch.length || !writer.count) await flush();
    return await writer.finish();
  } catch (e) {
    const err = e instanceof CsvError ? badRequest(`The CSV cannot be read at line ${(e as CsvError & { lines?: number }).lines ?? '?'}: ${e.message}`, 'CSV पढ़ी नहीं जा सकी') : e;
    throw await writer.broken(err);
  } finally {
    // Whatever is left of a refused or broken body is drained, not destroyed: the answer must still reach the client.
    body.unpipe(limiter);
    body.off('error', stop);
    if (!body.readableEnded) body.resume();
  }
}

/**
 * Imports data value sets already in memory (a JSON body) the same way: in one transaction when they
 * hold at most `batchRows` values, else in batches of that many (BatchWriter). A set split across
 * batches keeps its attributes in each part; its completeDate goes with its last part.
 */
export async function importSetsInBatches(db: Kysely<Database>, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}, batchRows = BATCH_ROWS): Promise<ImportSummary> {
  const total = sets.reduce((n, s) => n + s.dataValues.length, 0);
  if (total <= batchRows) return importInTransaction(db, actor, sets, opts);
  const writer = new BatchWriter(db, actor);
  let pending: RawSet[] = [];
  let count = 0;
  const flush = async () => {
    const batch = pending;
    pending = [];
    count = 0;
    await writer.add(batch, opts);
  };
  try {
    for (const set of sets) {
      let i = 0;
      do {
        const slice = set.dataValues.slice(i, i + batchRows - count);
        i += slice.length;
        const last = i >= set.dataValues.length;
        pending.push({ ...set, dataValues: slice, completeDate: last ? set.completeDate : undefined });
        count += slice.length;
        if (count >= batchRows) await flush();
      } while (i < set.dataValues.length);
    }
    if (pending.length) await flush();
    return await writer.finish();
  } catch (e) {
    throw await writer.broken(e);
  }
}
