import { useEffect, useRef, useState } from 'react';

/**
 * Matches for text typed into a search box: `search` runs 250 ms after the last keystroke once
 * there are at least two characters (none while `paused`), the previous request is aborted, and a
 * failure goes to `onError` unless it was that abort. `hits` is null while there is nothing to show.
 */
export function useSearch<T>(q: string, search: (text: string, signal: AbortSignal) => Promise<T[]>, onError: (err: unknown) => void,
  opts: { paused?: boolean; deps?: unknown[] } = {}): [T[] | null, (hits: T[] | null) => void] {
  const [hits, setHits] = useState<T[] | null>(null);
  // The latest callbacks, so callers may pass inline functions without restarting the search.
  const latest = useRef({ search, onError });
  latest.current = { search, onError };
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2 || opts.paused) {
      setHits(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      latest.current.search(text, ctrl.signal).then(setHits).catch((err) => !ctrl.signal.aborted && latest.current.onError(err));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, opts.paused, ...(opts.deps ?? [])]);
  return [hits, setHits];
}
