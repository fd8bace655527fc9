// Live updates of a request over server-sent events. Staff send their session token, which
// EventSource cannot, so their stream is read with fetch and a ReadableStream reader; the citizen's
// waiting room (a key in the address, no token) uses EventSource. Both reconnect after a break and
// stop once the request reaches a final state.
import { useEffect, useState } from 'react';
import { getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';
import { FINAL_STATUSES, type Hub, type RequestStatus } from './tele.api.ts';

const RETRY_MS = 3_000;

/** Splits an event-stream text into complete events; returns them and the unfinished rest. */
export function parseEvents(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Follows `path` (a staff events stream) until the signal aborts or a final status arrives, calling
 * `onStatus` with each status event. Reconnects after network breaks; `onError` hears 4xx answers.
 */
export async function followStaffStream<T extends { status: RequestStatus }>(path: string, onStatus: (v: T) => void, signal: AbortSignal, onError?: (message: string) => void) {
  await followStream<T>(path, onStatus, signal, (v) => FINAL_STATUSES.includes(v.status), onError);
}

/**
 * Follows any staff events stream: each `status` event's data goes to `onData`, until the signal
 * aborts or `isFinal` says the last one ends it. Reconnects after breaks; a 4xx answer stops it.
 */
export async function followStream<T>(path: string, onData: (v: T) => void, signal: AbortSignal, isFinal: (v: T) => boolean = () => false, onError?: (message: string) => void) {
  while (!signal.aborted) {
    let final = false;
    try {
      const token = getToken();
      const res = await fetch(path, {
        headers: { Accept: 'text/event-stream', 'Accept-Language': storedLang(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        signal,
      });
      if (!res.ok || !res.body) {
        let message = res.statusText;
        try { message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message; } catch { /* not JSON */ }
        onError?.(message);
        if (res.status >= 400 && res.status < 500) return;
      } else {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const parsed = parseEvents(buffer);
          buffer = parsed.rest;
          for (const e of parsed.events) {
            if (e.event === 'status') {
              const v = JSON.parse(e.data) as T;
              onData(v);
              if (isFinal(v)) final = true;
            } else if (e.event === 'error') onError?.((JSON.parse(e.data) as { message: string }).message);
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    if (final || signal.aborted) return;
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

/**
 * The hubs a spoke consults, with doctors online and people waiting, kept current over the server's
 * stream (sent again whenever one of their queues changes: a doctor on duty, a request made or taken).
 */
export function useLiveHubs(onError?: (message: string) => void): Hub[] | null {
  const [hubs, setHubs] = useState<Hub[] | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    void followStream<{ items: Hub[] }>('/api/telemedicine/hubs/events', (v) => setHubs(v.items), ctrl.signal, undefined, onError);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return hubs;
}

/** A request kept up to date from its staff stream; `initial` shows at once. */
export function useLiveRequest<T extends { id: string; status: RequestStatus }>(initial: T | null): T | null {
  const [value, setValue] = useState<T | null>(initial);
  useEffect(() => setValue(initial), [initial]);
  const requestId = initial?.id;
  const done = initial ? FINAL_STATUSES.includes(initial.status) : true;
  useEffect(() => {
    if (!requestId || done) return;
    const ctrl = new AbortController();
    void followStaffStream<T>(`/api/telemedicine/requests/${encodeURIComponent(requestId)}/events`, setValue, ctrl.signal);
    return () => ctrl.abort();
  }, [requestId, done]);
  return value;
}
