import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { usePercent, useGrv } from './bits.tsx';
import { fromInputMonth, getFigures, monthIst, monthLabel, toInputMonth, type Figures } from './grievances.api.ts';

const OPEN = ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'reopened'];
const AGE_ORDER = ['0-7', '8-21', '22-30', '31-60', '61+'];

/**
 * Complaint figures for district and state officers (their own area, held there by the server): volume
 * by type, district and facility; first response and resolution against their deadlines; how old the
 * open complaints are; the facilities complained about again and again. Charts by Chart.js.
 */
export function FiguresPage() {
  const { t, num, lang } = useI18n();
  const g = useGrv();
  const scope = useGeoScope();
  const pct = usePercent();
  const [period, setPeriod] = useState({ from: monthIst(5), to: monthIst(0) });
  const [draft, setDraft] = useState(period);
  const [district, setDistrict] = useState('');
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    setError(null);
    getFigures({ ...period, district: district || undefined }, ctrl.signal).then(setFigures)
      .catch((err) => { if (!ctrl.signal.aborted) { setFigures(null); setError(g.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.from, period.to, district, scope.ready]);

  const f = figures;
  const open = f ? f.byStatus.filter((s) => OPEN.includes(s.status)).reduce((a, s) => a + s.count, 0) : 0;
  const ageing = f ? [...f.ageing].sort((a, b) => AGE_ORDER.indexOf(a.bucket) - AGE_ORDER.indexOf(b.bucket)) : [];
  const topFacilities = f ? f.byFacility.slice(0, 15) : [];
  const file = `swasthya-complaints-${period.from}-${period.to}`;
  return (
    <section aria-labelledby="grv-fig-title" className="grv-figures">
      <div className="page-head">
        <h1 id="grv-fig-title">{t('grv.fig.title')}</h1>
        <div className="actions"><a className="button secondary" href="#/grievances">{t('nav.grievances')}</a></div>
      </div>
      <p className="lead">{t('grv.fig.lead')}</p>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setPeriod(draft); }}>
        <div className="field">
          <label htmlFor="grv-fig-from">{t('grv.fig.from')}</label>
          <input id="grv-fig-from" type="month" value={toInputMonth(draft.from)} max={toInputMonth(monthIst(0))} onChange={(e) => e.target.value && setDraft({ ...draft, from: fromInputMonth(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="grv-fig-to">{t('grv.fig.to')}</label>
          <input id="grv-fig-to" type="month" value={toInputMonth(draft.to)} max={toInputMonth(monthIst(0))} onChange={(e) => e.target.value && setDraft({ ...draft, to: fromInputMonth(e.target.value) })} />
        </div>
        {!scope.fixedDistrict && scope.districts.length > 0 && (
          <div className="field">
            <label htmlFor="grv-fig-district">{t('grv.filter.district')}</label>
            <select id="grv-fig-district" value={district} onChange={(e) => setDistrict(e.target.value)}>
              <option value="">{t('grv.filter.all')}</option>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </div>
        )}
        <div className="field"><span>&nbsp;</span><button type="submit">{t('grv.fig.show')}</button></div>
        <p className="muted filters-note">{monthLabel(period.from)} – {monthLabel(period.to)}</p>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!f && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {f && (
        <>
          <div className="cards" data-testid="grv-fig-cards">
            <div className="card"><div className="card-value">{num(f.total)}</div><div className="card-label">{t('grv.fig.total')}</div></div>
            <div className="card"><div className="card-value">{num(open)}</div><div className="card-label">{t('grv.fig.open')}</div></div>
            <div className="card"><div className="card-value">{pct(f.firstResponse.withinDeadline, f.firstResponse.responded)}</div>
              <div className="card-label">{t('grv.fig.responseOnTime')} ({num(f.firstResponse.withinDeadline)}/{num(f.firstResponse.responded)})</div></div>
            <div className="card"><div className="card-value">{pct(f.resolution.withinDeadline, f.resolution.resolved)}</div>
              <div className="card-label">{t('grv.fig.resolutionOnTime')} ({num(f.resolution.withinDeadline)}/{num(f.resolution.resolved)})</div></div>
            <div className="card"><div className="card-value">{f.firstResponse.medianHours === null ? '—' : num(Math.round(f.firstResponse.medianHours))}</div><div className="card-label">{t('grv.fig.medianResponse')}</div></div>
            <div className="card"><div className="card-value">{f.resolution.medianDays === null ? '—' : num(Math.round(f.resolution.medianDays * 10) / 10)}</div><div className="card-label">{t('grv.fig.medianResolution')}</div></div>
          </div>
          {f.total === 0 ? <Notice kind="info">{t('grv.fig.empty')}</Notice> : (
            <>
              <ChartView kind="hbar" testId="grv-chart-type" title={t('grv.fig.byType')} categoryTitle={t('grv.fig.category')} valueTitle={t('grv.fig.count')} fileName={`${file}-type`}
                labels={f.byType.map((x) => g.type(x.type))} series={[{ id: 'count', label: t('grv.fig.count'), values: f.byType.map((x) => x.count) }]} />
              {f.byDistrict.length > 1 && (
                <ChartView kind="hbar" testId="grv-chart-district" title={t('grv.fig.byDistrict')} categoryTitle={t('grv.fig.area')} valueTitle={t('grv.fig.count')} fileName={`${file}-district`}
                  labels={f.byDistrict.map((x) => x.districtName)} series={[{ id: 'count', label: t('grv.fig.count'), values: f.byDistrict.map((x) => x.count) }]} />
              )}
              {topFacilities.length > 0 && (
                <ChartView kind="hbar" testId="grv-chart-facility" title={t('grv.fig.byFacility')} categoryTitle={t('grv.facility')} valueTitle={t('grv.fig.count')} fileName={`${file}-facility`}
                  labels={topFacilities.map((x) => x.facilityName)} series={[{ id: 'count', label: t('grv.fig.count'), values: topFacilities.map((x) => x.count) }]} />
              )}
              <ChartView kind="hbar" testId="grv-chart-ageing" title={t('grv.fig.ageing')} categoryTitle={t('grv.fig.age')} valueTitle={t('grv.fig.count')} fileName={`${file}-ageing`}
                labels={ageing.map((x) => t('grv.fig.ageBucket', { bucket: x.bucket }))} series={[{ id: 'count', label: t('grv.fig.open'), values: ageing.map((x) => x.count) }]} />
            </>
          )}
          <h2>{t('grv.fig.repeat')}</h2>
          {f.repeated.length === 0 ? <p className="muted">{t('grv.fig.repeatNone')}</p> : (
            <div className="table-wrap">
              <table className="data-table" data-testid="grv-repeated">
                <thead><tr><th scope="col">{t('grv.facility')}</th><th scope="col" className="num">{t('grv.fig.count')}</th><th scope="col">{t('grv.fig.byType')}</th></tr></thead>
                <tbody>
                  {f.repeated.map((r) => (
                    <tr key={r.facilityId}>
                      <td><a href={`#/grievances?facility=${encodeURIComponent(r.facilityId)}&status=all`}>{r.facilityName}</a></td>
                      <td className="num">{num(r.count)}</td>
                      <td>{r.types.map((x) => g.type(x)).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
