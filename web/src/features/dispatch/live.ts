// The live map's state, kept from GET /api/ambulances/live: a snapshot, then positions, statuses and
// calls as they happen. Staff streams carry the session token, which EventSource cannot send, so the
// stream is read with fetch (as telemedicine/live.ts does); it reconnects after a break and starts
// again from a fresh snapshot.
import { useEffect, useReducer, useState } from 'react';
import { getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';
import { parseEvents } from '../telemedicine/live.ts';
import { getVehicle, OPEN_CALL, type LiveCall, type LiveEvent, type LiveVehicle, type Snapshot } from './dispatch.api.ts';

const RETRY_MS = 3_000;

export interface LiveState { vehicles: Map<string, LiveVehicle>; calls: Map<string, LiveCall>; ready: boolean }

type Action = { kind: 'snapshot'; snapshot: Snapshot } | { kind: 'events'; events: LiveEvent[] } | { kind: 'vehicle'; vehicle: LiveVehicle };

export function reduce(state: LiveState, action: Action): LiveState {
  if (action.kind === 'snapshot') {
    return {
      ready: true,
      vehicles: new Map(action.snapshot.vehicles.map((v) => [v.id, v])),
      calls: new Map(action.snapshot.calls.map((c) => [c.id, c])),
    };
  }
  if (action.kind === 'vehicle') {
    const vehicles = new Map(state.vehicles);
    vehicles.set(action.vehicle.id, action.vehicle);
    return { ...state, vehicles };
  }
  let vehicles = state.vehicles;
  let calls = state.calls;
  for (const e of action.events) {
    if (e.type === 'position' || e.type === 'vehicle') {
      const v = vehicles.get(e.ambulanceId);
      if (!v) continue;
      if (vehicles === state.vehicles) vehicles = new Map(vehicles);
      if (e.type === 'position') {
        // Positions only move forward (a reconnection may bring one the snapshot already had).
        if (v.position && v.position.fixTime > e.fixTime) continue;
        vehicles.set(v.id, { ...v, position: { latitude: e.latitude, longitude: e.longitude, fixTime: e.fixTime, speedKmh: e.speedKmh } });
      } else vehicles.set(v.id, { ...v, status: e.status });
    } else if (e.type === 'call') {
      if (calls === state.calls) calls = new Map(calls);
      if (OPEN_CALL.includes(e.call.status)) calls.set(e.call.id, e.call);
      else calls.delete(e.call.id);
    }
  }
  return vehicles === state.vehicles && calls === state.calls ? state : { ...state, vehicles, calls };
}

/** Follows the live map of the user's area. `connected` is false while the stream is down. */
export function useLiveMap(): LiveState & { connected: boolean; error: string | null } {
  const [state, dispatch] = useReducer(reduce, { vehicles: new Map(), calls: new Map(), ready: false });
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const signal = ctrl.signal;
    const known = new Set<string>();
    const asked = new Set<string>();
    const onEvents = (events: LiveEvent[]) => {
      dispatch({ kind: 'events', events });
      // A vehicle registered after the snapshot: read it once, then it moves like the others.
      for (const e of events) {
        if ((e.type === 'position' || e.type === 'vehicle') && !known.has(e.ambulanceId) && !asked.has(e.ambulanceId)) {
          asked.add(e.ambulanceId);
          getVehicle(e.ambulanceId).then((v) => { known.add(v.id); dispatch({ kind: 'vehicle', vehicle: v }); }, () => undefined);
        }
      }
    };
    void (async () => {
      while (!signal.aborted) {
        try {
          const token = getToken();
          const res = await fetch('/api/ambulances/live', {
            headers: { Accept: 'text/event-stream', 'Accept-Language': storedLang(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
            signal,
          });
          if (!res.ok || !res.body) {
            let message = res.statusText;
            try { message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message; } catch { /* not JSON */ }
            setError(message);
            if (res.status >= 400 && res.status < 500) return;
          } else {
            setError(null);
            setConnected(true);
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
                if (e.event === 'snapshot') {
                  const snapshot = JSON.parse(e.data) as Snapshot;
                  for (const v of snapshot.vehicles) known.add(v.id);
                  dispatch({ kind: 'snapshot', snapshot });
                } else if (e.event === 'live') onEvents(JSON.parse(e.data) as LiveEvent[]);
              }
            }
          }
        } catch {
          if (signal.aborted) return;
        }
        setConnected(false);
        if (signal.aborted) return;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    })();
    return () => ctrl.abort();
  }, []);
  return { ...state, connected, error };
}
