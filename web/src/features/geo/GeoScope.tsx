import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { get } from '../../api.ts';
import type { Me } from '../auth/session.tsx';
import { getChildren, getUnit, type GeoUnit } from './geo.api.ts';

/**
 * Where the signed-in user works. A country-level user picks one state at a time (remembered for
 * that user in this browser; before any choice, the state with the most facilities in the registry);
 * a state-level user has their state; a district-level user (or below) has their district too.
 */
export interface GeoScope {
  ready: boolean;
  /** States to choose from; null when the user's scope fixes the state. */
  states: GeoUnit[] | null;
  stateId: string;
  setStateId: (id: string) => void;
  /** Districts of the current state (only the user's own when scoped to a district). */
  districts: GeoUnit[];
  /** The user's own district when scoped to one or to a facility or village in it; a block-level user's block. */
  fixedDistrict: GeoUnit | null;
}

/** The last state a country-level user chose, per user: one browser may serve several users. */
const stateKey = (userId: string) => `swasthya.state.${userId}`;
const Ctx = createContext<GeoScope | null>(null);

const norm = (level: string | undefined) => (level ?? '').toLowerCase();

async function ancestors(unitId: string): Promise<GeoUnit[]> {
  const chain: GeoUnit[] = [];
  let next: string | null = unitId;
  for (let i = 0; next && i < 8; i++) {
    const unit: GeoUnit = await getUnit(next);
    chain.push(unit);
    if (norm(unit.level) === 'state' || norm(unit.level) === 'country') break;
    next = unit.parentId;
  }
  return chain;
}

function savedState(userId: string): string | null {
  try {
    return localStorage.getItem(stateKey(userId));
  } catch {
    return null;
  }
}

async function defaultState(states: GeoUnit[], userId: string): Promise<string> {
  const saved = savedState(userId);
  if (saved && states.some((s) => s.id === saved)) return saved;
  // Nothing chosen yet: the state this install serves most, i.e. the one with the most facilities
  // registered (not whichever state's facility sorts first by name).
  const totals = await Promise.all(states.map((s) =>
    get<{ total: number }>('/api/facilities', { state: s.id, limit: 1 }).then((r) => r.total).catch(() => 0)));
  let best = 0;
  totals.forEach((n, i) => { if (n > (totals[best] ?? 0)) best = i; });
  return states[best]?.id ?? '';
}

export function GeoScopeProvider({ me, children }: { me: Me; children: ReactNode }) {
  const [states, setStates] = useState<GeoUnit[] | null>(null);
  const [stateId, setStateIdRaw] = useState('');
  const [fixedDistrict, setFixedDistrict] = useState<GeoUnit | null>(null);
  const [districts, setDistricts] = useState<GeoUnit[]>([]);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let live = true;
    (async () => {
      const level = norm(me.orgUnit.level);
      if (level === 'country') {
        const list = await getChildren(me.orgUnit.id).catch(() => getChildren('india'));
        const chosen = await defaultState(list, me.id);
        if (!live) return;
        setStates(list);
        setStateIdRaw(chosen);
      } else if (level === 'state') {
        setStateIdRaw(me.orgUnit.id);
      } else {
        const chain = await ancestors(me.orgUnit.id).catch(() => [] as GeoUnit[]);
        if (!live) return;
        const state = chain.find((u) => norm(u.level) === 'state');
        const district = chain.find((u) => norm(u.level) === 'district') ?? null;
        setStateIdRaw(state?.id ?? '');
        // A block's officer sees their block, not the district around it (outside their scope).
        setFixedDistrict(level === 'block' ? chain[0] ?? district : district);
      }
    })()
      .catch(() => undefined)
      .finally(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [me]);

  useEffect(() => {
    let live = true;
    if (fixedDistrict) {
      setDistricts([fixedDistrict]);
      return;
    }
    if (!stateId) {
      setDistricts([]);
      return;
    }
    getChildren(stateId)
      .then((list) => live && setDistricts(list.filter((u) => !u.level || norm(u.level) === 'district')))
      .catch(() => live && setDistricts([]));
    return () => {
      live = false;
    };
  }, [stateId, fixedDistrict]);

  const setStateId = useCallback((id: string) => {
    try {
      localStorage.setItem(stateKey(me.id), id);
    } catch {
      /* private browsing: the choice lasts this page only */
    }
    setStateIdRaw(id);
  }, [me.id]);

  return (
    <Ctx.Provider value={{ ready, states, stateId, setStateId, districts, fixedDistrict }}>
      {children}
    </Ctx.Provider>
  );
}

export function useGeoScope(): GeoScope {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useGeoScope outside GeoScopeProvider');
  return ctx;
}
