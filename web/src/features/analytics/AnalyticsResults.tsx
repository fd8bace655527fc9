import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { getBoundaries, type Feature } from '../geo/geo.api.ts';
import { dateTimeIst } from '../hmis/months.ts';
import { areaValue, downloadAnalytics, indexRows, itemName, type AnalyticsQuery, type AnalyticsResult } from './analytics.api.ts';
import { ChartView } from './ChartView.tsx';
import { Choropleth } from './Choropleth.tsx';
import { PivotTable, totalOf } from './PivotTable.tsx';

const short = (s: string) => (s.length > 70 ? `${s.slice(0, 68)}…` : s);

export function AnalyticsResults({ query, res, indicators }: { query: AnalyticsQuery; res: AnalyticsResult; indicators: string[] }) {
  const { t, lang } = useI18n();
  const { dx, pe, ou, items } = res.metaData;
  const idx = useMemo(() => indexRows(res.rows), [res]);
  const [mapDx, setMapDx] = useState(dx[0] ?? '');
  const [mapPe, setMapPe] = useState(pe[pe.length - 1] ?? '');
  const [features, setFeatures] = useState<Feature[]>([]);
  const [exporting, setExporting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isIndicator = (id: string) => indicators.includes(id) || indicators.includes(items[id]?.code ?? '\u0000');

  useEffect(() => {
    setMapDx(dx[0] ?? '');
    setMapPe(pe[pe.length - 1] ?? '');
  }, [dx, pe]);

  useEffect(() => {
    if (query.level !== 'district') {
      setFeatures([]);
      return;
    }
    const ctrl = new AbortController();
    getBoundaries(query.ou, ctrl.signal)
      .then((fc) => setFeatures(fc.features ?? []))
      .catch((err) => {
        if (!(err instanceof ApiError && err.status === 404) && !ctrl.signal.aborted) setFeatures([]);
      });
    return () => ctrl.abort();
  }, [query.ou, query.level]);

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    setError(null);
    try {
      await downloadAnalytics(query, format);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setExporting(null);
    }
  };

  const peLabels = pe.map((p) => itemName(items, p, lang));
  const series = dx.map((d) => ({
    id: d,
    label: short(`${items[d]?.code ? `${items[d].code} — ` : ''}${itemName(items, d, lang)}`),
    values: pe.map((p) => totalOf(res, idx, d, p)),
  }));
  const areas = ou.map((o) => ({ id: o, lgdCode: items[o]?.code ?? null, label: itemName(items, o, lang), value: areaValue(idx, res, mapDx, mapPe, o) }));
  const mapTitle = `${itemName(items, mapDx, lang)} · ${itemName(items, mapPe, lang)}`;
  // Largest first, as the hand-drawn bars were.
  const barRows = areas.filter((a) => a.value !== undefined).sort((a, b) => b.value! - a.value!);

  return (
    <div className="analytics-results">
      <div className="results-bar">
        <p className="muted" data-testid="last-data-at">
          {t('analytics.asOf', { time: res.lastDataAt ? `${dateTimeIst(res.lastDataAt)} IST` : t('analytics.noDataYet') })}
        </p>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void exportAs('csv')} disabled={!!exporting}>
            {exporting === 'csv' ? t('common.loading') : t('analytics.exportCsv')}
          </button>
          <button type="button" className="secondary" onClick={() => void exportAs('xlsx')} disabled={!!exporting}>
            {exporting === 'xlsx' ? t('common.loading') : t('analytics.exportXlsx')}
          </button>
        </div>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {res.rows.length === 0 && <Notice kind="info">{t('analytics.empty')}</Notice>}
      <h2>{t('analytics.table')}</h2>
      {dx.map((d) => <PivotTable key={d} res={res} dx={d} summable={!isIndicator(d)} />)}
      <h2>{t('analytics.trend')}</h2>
      <ChartView kind="line" testId="trend-chart" title={t('analytics.trend')} labels={peLabels} series={series}
        categoryTitle={t('charts.period')} valueTitle={t('charts.value')} fileName="swasthya-trend" />
      <h2>{t('analytics.byArea')}</h2>
      <div className="field-row">
        <label className="field">
          <span>{t('analytics.mapItem')}</span>
          <select value={mapDx} onChange={(e) => setMapDx(e.target.value)}>
            {dx.map((d) => <option key={d} value={d}>{items[d]?.code ? `${items[d].code} — ` : ''}{itemName(items, d, lang)}</option>)}
          </select>
        </label>
        <label className="field">
          <span>{t('analytics.mapPeriod')}</span>
          <select value={mapPe} onChange={(e) => setMapPe(e.target.value)}>
            {pe.map((p) => <option key={p} value={p}>{itemName(items, p, lang)}</option>)}
          </select>
        </label>
      </div>
      <ChartView kind="hbar" testId="area-chart" title={mapTitle} labels={barRows.map((a) => a.label)}
        series={[{ id: mapDx, label: itemName(items, mapDx, lang), values: barRows.map((a) => a.value) }]}
        categoryTitle={t('analytics.area')} valueTitle={t('charts.value')} fileName="swasthya-by-area" />
      {query.level === 'district' && (
        <>
          <h2>{t('analytics.map')}</h2>
          <Choropleth features={features} areas={areas} title={mapTitle} />
        </>
      )}
    </div>
  );
}
