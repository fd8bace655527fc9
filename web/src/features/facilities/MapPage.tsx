import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useHashRoute } from '../../router.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getBoundaries, type Feature } from '../geo/geo.api.ts';
import { facilityPoints, type FacilityPoint } from './facilities.api.ts';
import { FilterBar } from './FilterBar.tsx';
import { bboxOf, fitProjection, pathOf } from './projection.ts';
import { useQueryFilters } from './useFilters.ts';

const WIDTH = 900;

export function MapPage() {
  const { t, num } = useI18n();
  const scope = useGeoScope();
  const { query } = useHashRoute();
  const { filters, setFilters } = useQueryFilters('/map', query);
  const [features, setFeatures] = useState<Feature[]>([]);
  const [points, setPoints] = useState<FacilityPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const district = scope.fixedDistrict?.id ?? filters.district;
  const outlineUnit = district ?? scope.stateId;
  const state = scope.states ? scope.stateId : undefined;

  useEffect(() => {
    if (!scope.ready || !outlineUnit) return;
    const ctrl = new AbortController();
    setError(null);
    setPoints(null);
    Promise.all([
      getBoundaries(outlineUnit, ctrl.signal).catch((err) => {
        if (err instanceof ApiError && err.status === 404) return { type: 'FeatureCollection' as const, features: [] };
        throw err;
      }),
      facilityPoints({ state, district, type: filters.type, portalStatus: filters.portalStatus }, ctrl.signal),
    ])
      .then(([fc, pts]) => {
        setFeatures(fc.features ?? []);
        setPoints(pts.items);
      })
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof ApiError ? err.message : t('error.network')));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope.ready, outlineUnit, state, district, filters.type, filters.portalStatus]);

  const drawn = useMemo(() => {
    const located = (points ?? []).filter(
      (p) => typeof p.latitude === 'number' && typeof p.longitude === 'number',
    );
    const box = bboxOf(features, located);
    if (!box) return null;
    const proj = fitProjection(box, WIDTH);
    return {
      proj,
      paths: features.map((f, i) => ({ key: f.properties?.id ?? String(i), name: f.properties?.name ?? '', d: pathOf(f, proj) })),
      // Registered points last, so they are drawn on top of the listed ones.
      dots: located
        .map((p) => {
          const [x, y] = proj.project(p.longitude as number, p.latitude as number);
          return { ...p, x, y };
        })
        .sort((a, b) => Number(a.portalStatus === 'registered') - Number(b.portalStatus === 'registered')),
    };
  }, [features, points]);

  const counts = useMemo(() => {
    const c = { registered: 0, listed: 0 };
    for (const p of points ?? []) if (p.portalStatus === 'registered') c.registered++; else c.listed++;
    return c;
  }, [points]);

  return (
    <section aria-labelledby="map-title">
      <div className="page-head">
        <h1 id="map-title">{t('map.title')}</h1>
      </div>
      <FilterBar idPrefix="map" value={filters} onChange={(f) => setFilters(f)} fields={['type', 'portalStatus']} />
      {error && <Notice kind="error">{error}</Notice>}
      <ul className="legend" aria-label={t('map.legend')}>
        <li><span className="swatch swatch-registered" aria-hidden="true" />{t('portalStatus.registered')} ({num(counts.registered)})</li>
        <li><span className="swatch swatch-listed" aria-hidden="true" />{t('portalStatus.listed')} ({num(counts.listed)})</li>
        {features.length > 0 && (
          <li><span className="swatch swatch-outline" aria-hidden="true" />{t('map.outline')}</li>
        )}
      </ul>
      {points === null && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {points !== null && !drawn && <Notice kind="info">{t('map.empty')}</Notice>}
      {drawn && (
        <figure className="map-figure">
          <svg
            className="map"
            viewBox={`0 0 ${drawn.proj.width} ${drawn.proj.height}`}
            role="img"
            aria-label={t('map.aria', { count: num(drawn.dots.length) })}
          >
            <g className="outlines">
              {drawn.paths.map((p) => (
                <path key={p.key} d={p.d}><title>{p.name}</title></path>
              ))}
            </g>
            <g className="points">
              {drawn.dots.map((p) => (
                <a key={p.id} href={`#/facilities/${encodeURIComponent(p.id)}`}>
                  <circle cx={p.x.toFixed(1)} cy={p.y.toFixed(1)} r={4} className={`pt pt-${p.portalStatus === 'registered' ? 'registered' : 'listed'}`}>
                    <title>{p.name}</title>
                  </circle>
                </a>
              ))}
            </g>
          </svg>
          {features.length === 0 && <figcaption className="muted">{t('map.noOutlines')}</figcaption>}
        </figure>
      )}
    </section>
  );
}
