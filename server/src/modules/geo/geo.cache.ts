// Org units change rarely and are read on nearly every write (a registration reads its district and
// the clerk's facility). Reads of the same unit through the same database handle within a few
// seconds share one query. Transactions are separate handles, so they always read afresh.
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';

const TTL_MS = 10_000;
const caches = new WeakMap<object, Map<string, { at: number; unit: Promise<OrgUnitRow | undefined> }>>();

/** `load()` once per `key` and database handle for TTL_MS; failures are not kept. */
export function cachedUnit(db: Kysely<Database>, key: string, load: () => Promise<OrgUnitRow | undefined>): Promise<OrgUnitRow | undefined> {
  if (db.isTransaction) return load();
  let cache = caches.get(db);
  if (!cache) { cache = new Map(); caches.set(db, cache); }
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.unit;
  const unit = load();
  cache.set(key, { at: now, unit });
  unit.catch(() => cache.delete(key));
  if (cache.size > 5000) cache.clear();
  return unit;
}
