import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { cleanInput } from '../../platform/input.js';
import { importDataValues, type DataValueImportOptions, type ImportSummary } from './hmis.datavalues.import.js';
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
  // What CSV, ADX and spreadsheet readers produced passes the same gate as a JSON body: text the
  // database cannot keep is refused, Aadhaar numbers in comments are masked.
  sets.forEach((set, i) => cleanInput(set, sets.length > 1 ? `body.group[${i}]` : 'body'));
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const summary = await importDataValues(trx, actor, sets, opts);
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
