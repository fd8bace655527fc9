import { AppError } from '../../platform/errors.js';
import type { Conflict, ImportSummary } from './hmis.datavalues.import.js';

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
