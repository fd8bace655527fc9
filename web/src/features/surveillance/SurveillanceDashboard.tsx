import { useEffect, useMemo, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getUnit, unitName, type GeoUnit } from '../geo/geo.api.ts';
import {
  getAlerts, getBurden, getRising, listDiseases, recentWeeks, weekSpan, type Alerts, type Burden, type Disease, type Rising,
} from './surveillance.api.ts';

/** Alerts and rising diseases for a week, and where a disease is heaviest, for a state or district. */
export function SurveillanceDashboard() {
  const { t, num, lang } = useI18n();
  const scope = useGeoScope();
  const weeks = useMemo(() => recentWeeks(26), []);
  const [area, setArea] = useState('');
  const [stateUnit, setStateUnit] = useState<GeoUnit | null>(null);
  const [week, setWeek] = useState(weeks[0]!);
  const [diseases, setDiseases] = useState<Disease[]>([]);
  const [disease, setDisease] = useState('');
  const [span, setSpan] = useState(4);
  const [alerts, setAlerts] = useState<Alerts | null>(null);
  const [rising, setRising] = useState<Rising | null>(null);
  const [burden, setBurden] = useState<Burden | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ou = area || scope.fixedDistrict?.id || scope.stateId;
  const name = (n: { name: string; nameHi?: string | null }) => unitName(n, lang);
  const isDistrict = ou !== scope.stateId;

  useEffect(() => {
    listDiseases().then((r) => { setDiseases(r.items); setDisease((d) => d || r.items.find((x) => x.form === 'P')?.code || r.items[0]?.code || ''); })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (scope.stateId) getUnit(scope.stateId).then(setStateUnit).catch(() => undefined);
  }, [scope.stateId]);
  useEffect(() => {
    if (!ou) return;
    const ctrl = new AbortController();
    setError(null);
    Promise.all([getAlerts(ou, week, ctrl.signal), getRising(ou, week, ctrl.signal)])
      .then(([a, r]) => { setAlerts(a); setRising(r); })
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => ctrl.abort();
  }, [ou, week]);
  useEffect(() => {
    if (!ou || !disease) return;
    const ctrl = new AbortController();
    const i = weeks.indexOf(week);
    const from = weeks[Math.min(weeks.length - 1, i + span - 1)] ?? week;
    getBurden({ disease, orgUnit: ou, from, to: week, level: isDistrict ? 'block' : 'district' }, ctrl.signal)
      .then(setBurden)
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => ctrl.abort();
  }, [ou, disease, week, span, weeks, isDistrict]);

  return (
    <div className="idsp-dashboard">
      <div className="field-row">
        <label className="field"><span>{t('analytics.areaSelect')}</span>
          <select value={ou} onChange={(e) => setArea(e.target.value)}>
            {!scope.fixedDistrict && scope.stateId && <option value={scope.stateId}>{stateUnit ? name(stateUnit) : t('field.state')}</option>}
            {scope.districts.map((d) => <option key={d.id} value={d.id}>{name(d)}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('idsp.week')}</span>
          <select value={week} onChange={(e) => setWeek(e.target.value)}>
            {weeks.map((w) => <option key={w} value={w}>{`${w} (${weekSpan(w)})`}</option>)}
          </select>
        </label>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <h2>{t('idsp.alerts')}</h2>
      {alerts && alerts.items.length === 0 && <Notice kind="success">{t('idsp.noAlerts')}</Notice>}
      {alerts && alerts.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead><tr>
              <th scope="col">{t('field.district')}</th><th scope="col">{t('idsp.disease')}</th>
              <th scope="col" className="num">{t('idsp.cases')}</th><th scope="col" className="num">{t('idsp.deaths')}</th><th scope="col">{t('idsp.why')}</th>
            </tr></thead>
            <tbody>
              {alerts.items.map((a, i) => (
                <tr key={i} className="alert-row">
                  <th scope="row">{name(a.district)}</th><td>{name(a.disease)}</td>
                  <td className="num">{num(a.cases)}</td><td className="num">{num(a.deaths)}</td>
                  <td>{lang === 'hi' ? a.whyHi : a.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('idsp.rising')}</h2>
      {rising && rising.items.length === 0 && <p className="muted">{t('idsp.noRising')}</p>}
      {rising && rising.items.length > 0 && (
        <ul className="rising-list">
          {rising.items.map((r) => (
            <li key={r.code}>
              <strong>{name(r)}</strong> — {t('idsp.risingLine', { cases: num(r.last4.cases), threshold: num(Math.round(r.last4.threshold * 10) / 10), mean: num(Math.round(r.last4.mean * 10) / 10) })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('idsp.burden')}</h2>
      <div className="field-row">
        <label className="field"><span>{t('idsp.disease')}</span>
          <select id="idsp-burden-disease" value={disease} onChange={(e) => setDisease(e.target.value)}>
            {diseases.map((d) => <option key={d.code} value={d.code}>{`${d.form} · ${name(d)}`}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('idsp.span')}</span>
          <select value={span} onChange={(e) => setSpan(Number(e.target.value))}>
            {[1, 4, 8, 12, 26].map((n) => <option key={n} value={n}>{t('idsp.weeks', { n })}</option>)}
          </select>
        </label>
      </div>
      {burden && (
        <>
          <p className="muted">{t('idsp.burdenTotal', { cases: num(burden.total.cases), deaths: num(burden.total.deaths), facilities: num(burden.total.facilitiesReporting), from: burden.from, to: burden.to })}</p>
          {burden.items.length === 0 ? <p className="muted">{t('analytics.empty')}</p> : (
            <ChartView kind="hbar" testId="idsp-burden-chart" title={t('idsp.burdenAria', { disease: name(burden.disease) })}
              labels={burden.items.map((b) => name(b))}
              series={[{ id: 'cases', label: t('idsp.cases'), values: burden.items.map((b) => b.cases) }]}
              categoryTitle={t('charts.area')} valueTitle={t('idsp.cases')} fileName={`swasthya-idsp-${burden.disease.code}`} />
          )}
        </>
      )}
    </div>
  );
}
