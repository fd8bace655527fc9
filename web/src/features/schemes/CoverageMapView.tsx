import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { getMapSettings, type MapSettings } from '../map/map.api.ts';
import { BREAKS, COLOURS, NO_REGISTER } from './coverage.scale.ts';
import type { CoverageAnswer, CoverageRow, CoverageShapes, ShapeFeature } from './schemes.api.ts';
import { Field, useRupees } from './schemes.parts.tsx';

// Leaflet arrives with the map view only.
const CoverageMap = lazy(() => import('./CoverageMap.tsx'));

/**
 * The figures on a map (the officers' coverage screen and the public page): each unit drawn by the
 * outline its state imported (or a district at its headquarters town), shaded by coverage; the legend;
 * the figures of the unit clicked; and the units with no outline listed beside the map, not drawn.
 * `shapesKey` names what `loadShapes` fetches (the level, the state): the shapes are fetched again when it changes.
 */
export function CoverageMapView({ data, shapesKey, loadShapes }: { data: CoverageAnswer; shapesKey: string; loadShapes: (signal: AbortSignal) => Promise<CoverageShapes> }) {
  const { t, lang, num } = useI18n();
  const pickId = useId();
  const { error } = useApiErrors();
  const rupees = useRupees();
  const [shapes, setShapes] = useState<CoverageShapes | null>(null);
  const [settings, setSettings] = useState<MapSettings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);

  useEffect(() => { getMapSettings().then(setSettings, () => setSettings({ tileUrl: null, attribution: null })); }, []);
  useEffect(() => {
    const ctrl = new AbortController();
    setShapes(null);
    setProblem(null);
    setPicked(null);
    loadShapes(ctrl.signal).then(setShapes).catch((err) => { if (!ctrl.signal.aborted) setProblem(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shapesKey]);

  const rows = useMemo(() => new Map(data.items.map((r) => [r.unitId, r])), [data]);
  const pct = useCallback((x: number) => `${(x * 100).toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN', { maximumFractionDigits: 1 })}%`, [lang]);
  const name = useCallback((u: { name: string | null; nameHi: string | null }) => (lang === 'hi' && u.nameHi ? u.nameHi : u.name ?? ''), [lang]);
  const tooltip = useCallback((f: ShapeFeature, row: CoverageRow | undefined) => {
    const where = f.properties.shape === 'headquarters' ? ` — ${t('schemes.map.atHeadquarters')}` : '';
    if (!row || !row.families) return `${name(f.properties)}${where}: ${t('schemes.map.noRegister')}`;
    return `${t('schemes.map.tooltip', { name: name(f.properties), coverage: pct(row.coverage), enrolled: row.familiesEnrolled, families: row.families })}${where}`;
  }, [t, name, pct, num]);
  const zoom = useMemo(() => ({ in: t('map.zoomIn'), out: t('map.zoomOut') }), [t]);
  const level = t(`schemes.coverage.level.${data.by}`);
  const hasHq = shapes?.features.some((f) => f.properties.shape === 'headquarters');
  const row = picked ? rows.get(picked) : undefined;

  return (
    <div className="coverage-map-view">
      {problem && <Notice kind="error">{problem}</Notice>}
      <ul className="legend coverage-legend" aria-label={t('schemes.map.legend')} data-testid="coverage-legend">
        <li className="legend-title">{t('schemes.map.legend')}</li>
        {COLOURS.map((c, i) => (
          <li key={c}>
            <span className="swatch" style={{ background: c }} aria-hidden="true" />
            {i === COLOURS.length - 1 ? t('schemes.map.classTop', { from: pct(BREAKS[i]!) }) : `${pct(BREAKS[i]!)} – ${pct(BREAKS[i + 1]!)}`}
          </li>
        ))}
        <li><span className="swatch" style={{ background: NO_REGISTER }} aria-hidden="true" />{t('schemes.map.noRegister')}</li>
        {hasHq && <li><span className="swatch swatch-hq" aria-hidden="true" />{t('schemes.map.headquarters')}</li>}
      </ul>
      {(!shapes || !settings) && !problem && <Notice kind="info">{t('common.loading')}</Notice>}
      {shapes && settings && (
        <div className="coverage-map-layout">
          <figure className="map-figure">
            {shapes.features.length > 0 ? (
              <Suspense fallback={<Notice kind="info">{t('common.loading')}</Notice>}>
                <CoverageMap features={shapes.features} rows={rows} settings={settings} label={t('schemes.map.aria', { level })} zoom={zoom} tooltip={tooltip} onPick={setPicked} picked={picked} />
              </Suspense>
            ) : (
              <Notice kind="info">{t('schemes.map.empty')}</Notice>
            )}
          </figure>
          <aside className="coverage-map-side">
            {/* The same figures by name, for the keyboard and screen readers (the map's shapes take a pointer). */}
            <Field id={pickId} label={t('schemes.map.choose')}>
              <select id={pickId} value={picked ?? ''} onChange={(e) => setPicked(e.target.value || null)}>
                <option value="">—</option>
                {data.items.map((r) => <option key={r.unitId} value={r.unitId}>{name(r)}</option>)}
              </select>
            </Field>
            <div aria-live="polite" data-testid="coverage-map-unit">
              {row ? (
                <>
                  <h3>{name(row)}</h3>
                  <dl className="scheme-facts">
                    <dt>{t('schemes.coverage.families')}</dt><dd>{num(row.families)}</dd>
                    <dt>{t('schemes.coverage.enrolled')}</dt><dd>{num(row.familiesEnrolled)}</dd>
                    <dt>{t('schemes.coverage.coverage')}</dt><dd>{row.families ? pct(row.coverage) : '—'}</dd>
                    <dt>{t('schemes.members')}</dt><dd>{num(row.members)}</dd>
                    <dt>{t('schemes.coverage.claims')}</dt><dd>{num(row.claims)}</dd>
                    <dt>{t('schemes.coverage.per1000')}</dt><dd>{row.claimsPer1000Members}</dd>
                    <dt>{t('schemes.coverage.paid')}</dt><dd>{rupees(row.paid)}</dd>
                    <dt>{t('schemes.coverage.pending')}</dt><dd>{rupees(row.pending)}</dd>
                    <dt>{t('schemes.coverage.diagnoses')}</dt><dd>{row.topDiagnoses.map((d) => `${d.code}${name(d) ? ` ${name(d)}` : ''} (${d.claims})`).join('; ') || '—'}</dd>
                  </dl>
                </>
              ) : shapes.features.length > 0 && <p className="muted">{t('schemes.map.pick')}</p>}
            </div>
            {shapes.noShape.length > 0 && (
              <div className="no-outline" data-testid="coverage-no-outline">
                <p>{t('schemes.map.noShape.title', { count: shapes.noShape.length })}</p>
                <p className="muted">{t('schemes.map.noShape.help')}</p>
                <ul>
                  {shapes.noShape.map((u) => {
                    const r = rows.get(u.unitId);
                    return <li key={u.unitId}>{name(u)}: {r && r.families ? pct(r.coverage) : t('schemes.map.noRegister')}</li>;
                  })}
                </ul>
              </div>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}
