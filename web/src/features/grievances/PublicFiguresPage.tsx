import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { unitName } from '../geo/geo.api.ts';
import { GrievanceShell, usePercent, useGrv } from './bits.tsx';
import { fromInputMonth, monthIst, monthLabel, publicDistricts, publicFigures, toInputMonth, type District, type PublicFigures } from './grievances.api.ts';

/**
 * The public figures of complaints (no sign-in): how many were filed, resolved and resolved on time, by
 * district and month. Aggregates only: the server sends no name, no text, no ticket.
 */
export function PublicFiguresPage() {
  const { t, num, lang } = useI18n();
  const g = useGrv();
  const pct = usePercent();
  const [districts, setDistricts] = useState<District[]>([]);
  const [period, setPeriod] = useState({ from: monthIst(11), to: monthIst(0) });
  const [draft, setDraft] = useState(period);
  const [district, setDistrict] = useState('');
  const [figures, setFigures] = useState<PublicFigures | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    publicDistricts(ctrl.signal).then(setDistricts).catch(() => undefined);
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    publicFigures({ ...period, district: district || undefined }, ctrl.signal).then(setFigures)
      .catch((err) => { if (!ctrl.signal.aborted) { setFigures(null); setError(g.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.from, period.to, district]);

  const items = figures?.items ?? [];
  const months = [...new Set(items.map((i) => i.month))].sort();
  const sum = (m: string, k: 'filed' | 'resolved' | 'resolvedWithinDeadline') => items.filter((i) => i.month === m).reduce((a, i) => a + i[k], 0);
  const total = (k: 'filed' | 'resolved' | 'resolvedWithinDeadline' | 'open') => items.reduce((a, i) => a + i[k], 0);
  const rows = [...items].sort((a, b) => b.month.localeCompare(a.month) || a.districtName.localeCompare(b.districtName));
  return (
    <GrievanceShell current="figures">
      <section aria-labelledby="grv-pub-title">
        <h1 id="grv-pub-title">{t('grv.pub.title')}</h1>
        <p className="lead">{t('grv.pub.lead')}</p>
        <form className="filters" onSubmit={(e) => { e.preventDefault(); setPeriod(draft); }}>
          <div className="field">
            <label htmlFor="grv-pub-from">{t('grv.fig.from')}</label>
            <input id="grv-pub-from" type="month" value={toInputMonth(draft.from)} onChange={(e) => e.target.value && setDraft({ ...draft, from: fromInputMonth(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="grv-pub-to">{t('grv.fig.to')}</label>
            <input id="grv-pub-to" type="month" value={toInputMonth(draft.to)} onChange={(e) => e.target.value && setDraft({ ...draft, to: fromInputMonth(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="grv-pub-district">{t('grv.district')}</label>
            <select id="grv-pub-district" value={district} onChange={(e) => setDistrict(e.target.value)}>
              <option value="">{t('grv.pub.allDistricts')}</option>
              {districts.map((d) => <option key={d.id} value={String(d.lgdCode ?? d.id)}>{unitName(d, lang)}</option>)}
            </select>
          </div>
          <div className="field"><span>&nbsp;</span><button type="submit">{t('grv.fig.show')}</button></div>
        </form>
        {error && <Notice kind="error">{error}</Notice>}
        {!figures && !error && <Notice kind="info">{t('common.loading')}</Notice>}
        {figures && (
          <>
            <div className="cards" data-testid="grv-pub-cards">
              <div className="card"><div className="card-value">{num(total('filed'))}</div><div className="card-label">{t('grv.fig.total')}</div></div>
              <div className="card"><div className="card-value">{num(total('resolved'))}</div><div className="card-label">{t('grv.fig.resolved')}</div></div>
              <div className="card"><div className="card-value">{pct(total('resolvedWithinDeadline'), total('resolved'))}</div><div className="card-label">{t('grv.pub.resolvedOnTime')}</div></div>
              <div className="card"><div className="card-value">{num(total('open'))}</div><div className="card-label">{t('grv.fig.open')}</div></div>
            </div>
            {items.length === 0 ? <Notice kind="info">{t('grv.fig.empty')}</Notice> : (
              <>
                <ChartView kind="line" testId="grv-pub-chart" title={t('grv.pub.byMonth')} categoryTitle={t('grv.fig.month')} valueTitle={t('grv.fig.count')}
                  fileName={`swasthya-complaints-${period.from}-${period.to}`} labels={months.map(monthLabel)} series={[
                    { id: 'filed', label: t('grv.fig.total'), values: months.map((m) => sum(m, 'filed')) },
                    { id: 'resolved', label: t('grv.fig.resolved'), values: months.map((m) => sum(m, 'resolved')) },
                    { id: 'onTime', label: t('grv.pub.resolvedOnTime'), values: months.map((m) => sum(m, 'resolvedWithinDeadline')) },
                  ]} />
                <h2>{t('grv.pub.table')}</h2>
                <div className="table-wrap">
                  <table className="data-table" data-testid="grv-pub-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('grv.district')}</th><th scope="col">{t('grv.fig.month')}</th>
                        <th scope="col" className="num">{t('grv.fig.total')}</th><th scope="col" className="num">{t('grv.fig.resolved')}</th>
                        <th scope="col" className="num">{t('grv.pub.resolvedOnTime')}</th><th scope="col" className="num">{t('grv.fig.open')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={`${r.districtLgd ?? r.districtName}-${r.month}`}>
                          <td>{g.name(r.districtName, r.districtNameHi)}</td><td>{monthLabel(r.month)}</td>
                          <td className="num">{num(r.filed)}</td><td className="num">{num(r.resolved)}</td>
                          <td className="num">{num(r.resolvedWithinDeadline)}</td><td className="num">{num(r.open)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </>
        )}
      </section>
    </GrievanceShell>
  );
}
