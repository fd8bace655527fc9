import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError } from 'csv-parse';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { BODY_LIMITS, byteLimit } from '../../platform/body-limits.js';
import { AppError, badRequest } from '../../platform/errors.js';
import type { Conflict, DataValueImportOptions, ImportSummary } from './hmis.datavalues.import.js';
import { csvColumns, csvRecords, csvValue, type CsvColumns, type RawSet, type RawValue } from './hmis.datavalues.parse.js';
import { importInTransaction, prepareSets, writeInTransaction } from './hmis.datavalues.run.js';

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
 * batches of BATCH_ROWS values, each in its own transaction, yielding to the event loop between
 * batches. The body is never held whole; more than `limit` bytes is a 413. Conflicts are reported
 * with their row's index in the whole file, as one summary. A file that breaks off part way (bad
 * quoting, too large) keeps the batches stored before the break, as DHIS2's own import does.
 */
export async function importCsvStream(db: Kysely<Database>, actor: Actor, body: Readable, opts: DataValueImportOptions = {}, so: StreamOptions = {}): Promise<ImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const batchRows = so.batchRows ?? BATCH_ROWS;
  const limiter = byteLimit(so.limit ?? BODY_LIMITS.dataValueSetStream, 'The CSV file');
  const stop = (e: Error) => limiter.destroy(e);
  body.on('error', stop);
  body.pipe(limiter);

  const parts: ImportSummary[] = [];
  const bases: number[] = [];
  let seen = 0;
  let batch: RawValue[] = [];
  let columns: CsvColumns | null = null;
  let dataSet: string | undefined;
  let done = 0;
  let started = 0;
  // At most one batch is written while the next is read, parsed and checked (prepareSets): the
  // database and this process work at the same time, batches are still stored one after another in
  // file order, and memory holds two batches at most.
  let writing: Promise<void> | undefined;
  const written = async () => {
    const w = writing;
    writing = undefined;
    await w;
  };
  const flush = async () => {
    const base = seen - batch.length;
    const upTo = seen;
    const sets: RawSet[] = [{ dataSet, dataValues: batch }];
    batch = [];
    started++;
    const prepared = await prepareSets(db, actor, sets, opts);
    await written();
    writing = writeInTransaction(db, actor, prepared, opts).then(async (summary) => {
      bases.push(base);
      parts.push(summary);
      done = upTo;
      await nextTurn();
    });
    writing.catch(() => {}); // awaited by the next flush or at the end; not an unhandled rejection meanwhile
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
      seen++;
      if (batch.length >= batchRows) await flush();
    }
    if (batch.length || !started) await flush();
    await written();
  } catch (e) {
    // A batch that failed while later rows were read is the first thing wrong with the file.
    let first = e;
    try { await written(); } catch (earlier) { first = earlier; }
    const err = first instanceof CsvError ? badRequest(`The CSV cannot be read at line ${(first as CsvError & { lines?: number }).lines ?? '?'}: ${first.message}`, 'CSV पढ़ी नहीं जा सकी') : first;
    throw storedBeforeBreak(err, parts, bases, done);
  } finally {
    // Whatever is left of a refused or broken body is drained, not destroyed: the answer must still reach the client.
    body.unpipe(limiter);
    body.off('error', stop);
    if (!body.readableEnded) body.resume();
  }
  return mergeSummaries(parts, bases, seen);
}

/**
 * Imports data value sets already in memory (a JSON body) the same way: in one transaction when they
 * hold at most `batchRows` values, else in batches of that many, yielding between them. A set split
 * across batches keeps its attributes in each part; its completeDate goes with its last part.
 */
export async function importSetsInBatches(db: Kysely<Database>, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}, batchRows = BATCH_ROWS): Promise<ImportSummary> {
  const total = sets.reduce((n, s) => n + s.dataValues.length, 0);
  if (total <= batchRows) return importInTransaction(db, actor, sets, opts);
  const parts: ImportSummary[] = [];
  const bases: number[] = [];
  let seen = 0;
  let pending: RawSet[] = [];
  let count = 0;
  const flush = async () => {
    bases.push(seen);
    seen += count;
    const batch = pending;
    pending = [];
    count = 0;
    parts.push(await importInTransaction(db, actor, batch, opts));
    await nextTurn();
  };
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
  return mergeSummaries(parts, bases, total);
}

/**
 * A file that breaks off after some batches were stored: the refusal (400, 413…) keeps its status and
 * says how many values before the break were stored, with their import summary in `details.stored`
 * and the index of the first value not imported in `details.notImportedFrom`, so the sender knows
 * to send the rest and nothing is lost without a word. Before the first batch it is left as it is.
 */
export function storedBeforeBreak(e: unknown, parts: ImportSummary[], bases: number[], done: number): unknown {
  if (!(e instanceof AppError) || !parts.length) return e;
  const stored = mergeSummaries(parts, bases, done);
  const c = stored.importCount;
  return new AppError(e.code, {
    en: `${e.msg.en}. The first ${done} value(s) of the file were already processed and kept (${c.imported} imported, ${c.updated} updated, ${c.ignored} ignored, ${stored.rejectedIndexes.length} refused); send the values from number ${done + 1} on again`,
    hi: `${e.msg.hi ?? e.msg.en}। फ़ाइल के पहले ${done} मान पहले ही संसाधित होकर रखे जा चुके हैं (${c.imported} नए, ${c.updated} बदले, ${stored.rejectedIndexes.length} अस्वीकृत); मान संख्या ${done + 1} से आगे के मान फिर भेजें`,
  }, { ...(e.details ?? {}), stored, notImportedFrom: done });
}

/** One import summary for a file imported in batches; `bases[i]` is the index of batch i's first value. */
export function mergeSummaries(parts: ImportSummary[], bases: number[], total: number): ImportSummary {
  const first = parts[0];
  const conflicts = new Map<string, Conflict>();
  const rejected: number[] = [];
  const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  let dataSetComplete: string | false = false;
  parts.forEach((p, i) => {
    for (const k of Object.keys(count) as (keyof typeof count)[]) count[k] += p.importCount[k];
    for (const c of p.conflicts) {
      const key = `${c.errorCode}|${c.object}|${c.property}`;
      const into = conflicts.get(key) ?? { ...c, indexes: [] };
      into.indexes.push(...c.indexes.map((x) => x + bases[i]));
      conflicts.set(key, into);
    }
    rejected.push(...p.rejectedIndexes.map((x) => x + bases[i]));
    if (p.dataSetComplete) dataSetComplete = p.dataSetComplete;
  });
  const list = [...conflicts.values()];
  const status = !list.length ? 'SUCCESS' : rejected.length >= total && total > 0 ? 'ERROR' : 'WARNING';
  return {
    ...first,
    status,
    description: status === 'SUCCESS' ? 'Import process completed successfully' : `Import process completed with ${list.length} conflict(s)`,
    importCount: count,
    conflicts: list,
    rejectedIndexes: rejected,
    dataSetComplete,
  };
}
