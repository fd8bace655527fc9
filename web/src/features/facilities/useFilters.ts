import { useMemo } from 'react';
import { replaceQuery } from '../../router.ts';
import type { FacilityFilters } from './facilities.api.ts';

const KEYS = ['district', 'block', 'type', 'ownership', 'system', 'portalStatus', 'q'] as const;

/** Filters read from and written to the hash query of `path`. */
export function useQueryFilters(path: string, query: URLSearchParams) {
  const key = query.toString();
  const filters = useMemo<FacilityFilters>(() => {
    const f: FacilityFilters = {};
    for (const k of KEYS) {
      const v = query.get(k);
      if (v) f[k] = v;
    }
    return f;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const offset = Math.max(0, Number(query.get('offset')) || 0);

  const setFilters = (next: FacilityFilters, nextOffset = 0) => {
    const q: Record<string, string | undefined> = {};
    for (const k of KEYS) q[k] = next[k];
    if (nextOffset) q['offset'] = String(nextOffset);
    replaceQuery(path, q);
  };
  return { filters, offset, setFilters };
}
