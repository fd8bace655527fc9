import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Feature } from '../geo/geo.api.ts';
import { bboxOf, fitProjection, pathOf } from '../facilities/projection.ts';

const CLASS_COLORS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];
const NO_DATA = '#e6e6e6';

export interface AreaValue { id: string; lgdCode?: string | null; label: string; value: number | undefined }

/** Five equal-interval classes from the smallest to the largest value. */
export function classBreaks(values: number[]): number[] {
  if (!values.length) return [];
  const lo = Math.min(...values), hi = Math.max(...values);
  if (lo === hi) return [lo, lo, lo, lo, lo, hi];
  return Array.from({ length: 6 }, (_, i) => lo + ((hi - lo) * i) / 5);
}

export function classOf(v: number, breaks: number[]): number {
  for (let i = 1; i < breaks.length - 1; i++) if (v < breaks[i]!) return i - 1;
  return 4;
}

/** District outlines coloured by value; areas without an outline are listed below. */
export function Choropleth({ features, areas, title }: { features: Feature[]; areas: AreaValue[]; title: string }) {
  const { t, num, lang } = useI18n();
  const breaks = useMemo(() => classBreaks(areas.map((a) => a.value).filter((v): v is number => v !== undefined)), [areas]);
  const drawn = useMemo(() => {
    const box = bboxOf(features, []);
    if (!box) return null;
    const proj = fitProjection(box, 760, 12, 560);
    return { proj, paths: features.map((f, i) => ({ f, key: f.properties?.id ?? String(i), d: pathOf(f, proj) })) };
  }, [features]);
  const byFeature = (f: Feature) => {
    const p = f.properties as { id?: string; lgdCode?: string | number; name?: string; nameHi?: string } | null;
    return areas.find((a) => a.id === p?.id || (p?.lgdCode != null && a.lgdCode != null && String(a.lgdCode) === String(p.lgdCode))
      || (p?.name && a.label.toLowerCase() === p.name.toLowerCase()));
  };
  const outlined = new Set(features.map((f) => byFeature(f)?.id).filter(Boolean));
  const missing = areas.filter((a) => !outlined.has(a.id));
  const fmt = (v: number) => num(Math.round(v * 100) / 100);
  return (
    <figure className="map-figure choropleth">
      {drawn ? (
        <svg className="map" viewBox={`0 0 ${drawn.proj.width} ${drawn.proj.height}`} role="img" aria-label={title}>
          {drawn.paths.map(({ f, key, d }) => {
            const a = byFeature(f);
            const fill = a?.value === undefined ? NO_DATA : CLASS_COLORS[classOf(a.value, breaks)];
            const props = f.properties as { name?: string; nameHi?: string } | null;
            const label = a?.label ?? (lang === 'hi' && props?.nameHi ? props.nameHi : props?.name) ?? '';
            return (
              <path key={key} d={d} fill={fill} stroke="#555" strokeWidth={0.8} data-ou={a?.id}>
                <title>{`${label}: ${a?.value === undefined ? t('analytics.noData') : fmt(a.value)}`}</title>
              </path>
            );
          })}
        </svg>
      ) : (
        <p className="muted">{t('analytics.noOutlines')}</p>
      )}
      <figcaption>
        <ul className="legend" aria-label={t('map.legend')}>
          {breaks.length > 0 && breaks[0] === breaks[5] && (
            <li><span className="swatch" style={{ background: CLASS_COLORS[4] }} aria-hidden="true" />{fmt(breaks[0]!)}</li>
          )}
          {breaks.length > 0 && breaks[0] !== breaks[5] && CLASS_COLORS.map((c, i) => (
            <li key={c}><span className="swatch" style={{ background: c }} aria-hidden="true" />{`${fmt(breaks[i] ?? 0)} – ${fmt(breaks[i + 1] ?? 0)}`}</li>
          ))}
          <li><span className="swatch" style={{ background: NO_DATA }} aria-hidden="true" />{t('analytics.noData')}</li>
        </ul>
        {missing.length > 0 && (
          <div className="no-outline">
            <p>{t('analytics.withoutOutline')}</p>
            <ul>
              {missing.map((a) => <li key={a.id}>{a.label}: {a.value === undefined ? '—' : fmt(a.value)}</li>)}
            </ul>
          </div>
        )}
      </figcaption>
    </figure>
  );
}
