import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { cleanInput } from '../../platform/input.js';
import { importDataValues, prepareImport, writeImport, type DataValueImportOptions, type ImportSummary, type PreparedImport } from './hmis.datavalues.import.js';
import type { RawSet } from './hmis.datavalues.parse.js';
import { RETRY_CODES } from './hmis.datavalues.repository.js';

/** Rolls a dry run's transaction back after it has counted what it would do. */
class DryRun extends Error { constructor(readonly summary: ImportSummary) { super('dry run'); } }

/**
 * Imports in one transaction; a dry run does all the work and then rolls it back. When another
 * import stored one of the same new keys first (or the two deadlocked), the whole import runs
 * again and finds them stored.
 */
export async function importInTransaction(db: Kysely<Database>, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}): Promise<ImportSummary> {
  cleanSets(sets);
  return retriedTransaction(db, opts, (trx) => importDataValues(trx, actor, sets, opts));
}

/** Runs `work` in a transaction, rolled back for a dry run, run again (up to five times) after RETRY_CODES. */
async function retriedTransaction(db: Kysely<Database>, opts: DataValueImportOptions, work: (trx: Kysely<Database>) => Promise<ImportSummary>): Promise<ImportSummary> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const summary = await work(trx);
        if (opts.dryRun) throw new DryRun(summary);
        return summary;
      });
    } catch (e) {
      if (e instanceof DryRun) return e.summary;
      if (RETRY_CODES.has((e as { code?: string }).code ?? '') && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * What CSV, ADX and spreadsheet readers produced passes the same gate as a JSON body: text the
 * database cannot keep is refused, Aadhaar numbers in comments are masked. A set whose every string
 * is one cleanInput cannot change or refuse (see plainText) is not walked: a bulk file's ids, periods
 * and numbers are checked in one pass instead of a walk that names each field.
 */
function cleanSets(sets: RawSet[]) {
  sets.forEach((set, i) => { if (!plainSet(set)) cleanInput(set, sets.length > 1 ? `body.group[${i}]` : 'body'); });
}

const VALUE_FIELDS = new Set(['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'comment', 'annotation', 'followup', 'storedBy', 'deleted']);
const SET_FIELDS = new Set(['dataSet', 'period', 'orgUnit', 'attributeOptionCombo', 'completeDate', 'dataValues']);

/**
 * Whether cleanInput would leave this text alone: no NUL or UTF-16 surrogate (it refuses those), and
 * shorter than the 12 digits of an Aadhaar number it masks, or without a run of four digits (such a
 * number has three).
 */
function plainText(s: string): boolean {
  const short = s.length < 12;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return false;
    if (short) continue;
    if (c >= 48 && c <= 57) { if (++digits === 4) return false; } else digits = 0;
  }
  return true;
}

/** A set of the readers' fields only, each a plain text, boolean or nothing (anything else is walked by cleanInput). */
function plainSet(set: RawSet): boolean {
  const plain = (o: object, fields: Set<string>) => {
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (!fields.has(k)) return false;
      if (typeof v === 'string') { if (!plainText(v)) return false; } else if (v !== undefined && v !== null && typeof v !== 'boolean' && k !== 'dataValues') return false;
    }
    return true;
  };
  if (!plain(set, SET_FIELDS) || !Array.isArray(set.dataValues)) return false;
  for (const v of set.dataValues) if (!v || typeof v !== 'object' || !plain(v, VALUE_FIELDS)) return false;
  return true;
}

/**
 * Prepares sets for writeInTransaction (the gate above, then prepareImport) on one connection outside
 * any transaction: it reads metadata, org units and approvals, not data values, so it can run while
 * the batch before is written.
 */
export async function prepareSets(db: Kysely<Database>, actor: Actor, sets: RawSet[], opts: DataValueImportOptions = {}): Promise<PreparedImport> {
  cleanSets(sets);
  return db.connection().execute((conn) => prepareImport(conn, actor, sets, opts));
}

/** Writes a prepared import in one transaction, as importInTransaction does (dry run rolled back, run again after RETRY_CODES). */
export async function writeInTransaction(db: Kysely<Database>, actor: Actor, prepared: PreparedImport, opts: DataValueImportOptions = {}): Promise<ImportSummary> {
  return retriedTransaction(db, opts, (trx) => writeImport(trx, actor, prepared, opts));
}
