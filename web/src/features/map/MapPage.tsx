import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useHashRoute } from '../../router.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getBoundaries, type Feature } from '../geo/geo.api.ts';
import { facilityPoints, type FacilityPoint } from '../facilities/facilities.api.ts';
import { FilterBar } from '../facilities/FilterBar.tsx';
import { useQueryFilters } from '../facilities/useFilters.ts';
import { placePoints } from './fit.ts';
import { getMapSettings, type MapSettings } from './map.api.ts';

// Leaflet and its plugin arrive with the map screen only.
const LeafletMap = lazy(() => import('./LeafletMap.tsx'));

export function MapPage() {
  const { t, num, lang } = useI18n();
  const scope = useGeoScope();
  const { query } = useHashRoute();
  const { filters, setFilters } = useQueryFilters('/map', query);
  const [features, setFeatures] = useState<Feature[]>([]);
  const [points, setPoints] = useState<FacilityPoint[] | null>(null);
  const [settings, setSettings] = useState<MapSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  const district = scope.fixedDistrict?.id ?? filters.district;
  const outlineUnit = district ?? scope.stateId;
  const state = scope.states ? scope.stateId : undefined;

  useEffect(() => {
    getMapSettings().then(setSettings, () => setSettings({ tileUrl: null, attribution: null }));
  }, []);

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

  // Points outside the area are listed for correction; the view is fitted to the others.
  const placed = useMemo(() => placePoints(features, points ?? []), [features, points]);
  const drawn = useMemo(
    () => placed.inside.map((p) => ({ id: p.id, name: p.name, latitude: p.latitude, longitude: p.longitude, registered: p.portalStatus === 'registered' })),
    [placed],
  );
  const labels = useMemo(
    () => ({ zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), cluster: (n: number) => t('map.cluster', { count: num(n) }) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lang],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const formatNum = useMemo(() => (n: number) => num(n), [lang]);

  const counts = useMemo(() => {
    const c = { registered: 0, listed: 0 };
    for (const p of points ?? []) if (p.portalStatus === 'registered') c.registered++; else c.listed++;
    return c;
  }, [points]);
  const anyLocated = drawn.length > 0 || placed.outside.length > 0;

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
      {(points === null || settings === null) && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {points !== null && !anyLocated && features.length === 0 && <Notice kind="info">{t('map.empty')}</Notice>}
      {points !== null && settings !== null && (anyLocated || features.length > 0) && (
        <figure className="map-figure">
          <Suspense fallback={<Notice kind="info">{t('common.loading')}</Notice>}>
            <LeafletMap
              features={features}
              points={drawn}
              settings={settings}
              lang={lang}
              label={t('map.aria', { count: num(drawn.length) })}
              labels={labels}
              num={formatNum}
            />
          </Suspense>
          {features.length === 0 && <figcaption className="muted">{t('map.noOutlines')}</figcaption>}
        </figure>
      )}
      {placed.outside.length > 0 && (
        <div className="map-outside" role="region" aria-labelledby="map-outside-title">
          <h2 id="map-outside-title">{t('map.outside.title', { count: num(placed.outside.length) })}</h2>
          <p className="muted">{t(features.length ? 'map.outside.help' : 'map.outside.helpFar')}</p>
          <ul>
            {placed.outside.map((p) => (
              <li key={p.id}>
                <a href={`#/facilities/${encodeURIComponent(p.id)}`}>{p.name}</a>{' '}
                <span className="muted">({p.latitude}, {p.longitude})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
