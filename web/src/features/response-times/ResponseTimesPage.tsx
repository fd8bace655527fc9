import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import {
  getFigures, getMonthly, getRanking, getTargets, monthIst, MET_SHARE, NEAR_SHARE,
  type Figures, type Monthly, type Ranking, type Service, type Targets,
} from './responseTimes.api.ts';
import { FiguresTable, RankingTable, Standing, useMinutes, usePercent } from './ResponseTables.tsx';
import { TargetsPanel } from './TargetsPanel.tsx';
import './responseTimes.css';

const mmYyyy = (m: string) => `${m.slice(5, 7)}/${m.slice(0, 4)}`;

/**
 * Response times of 108 and 102 for district and state officers and dispatchers: the figures per
 * district against the state's targets, a chart by month, the state's ranking of districts, and the
 * targets (changed by those allowed).
 */
export function ResponseTimesPage() {
  const { t, num, lang } = useI18n();
  const scope = useGeoScope();
  const min = useMinutes();
  const pct = usePercent();
  const [period, setPeriod] = useState({ from: monthIst(1), to: monthIst(1) });
  const [draft, setDraft] = useState(period);
  const [service, setService] = useState<'' | Service>('');
  const [chartDistrict, setChartDistrict] = useState('');
  const [figures, setFigures] = useState<Figures | null>(null);
  const [monthly, setMonthly] = useState<Monthly | null>(null);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [targets, setTargets] = useState<Targets | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when the targets change, so the figures are read again.
  const [reload, setReload] = useState(0);

  // A country-level user looks at one state at a time; everyone else is held to their own area by the server.
  const state = scope.states ? scope.stateId || undefined : undefined;
  const chartService: Service = service || '108';

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    const s = ctrl.signal;
    setError(null);
    Promise.all([
      getFigures({ ...period, service: service || undefined, state }, s),
      getRanking({ month: period.to, service: chartService, state }, s),
      getTargets(state, s),
    ]).then(([f, r, tg]) => { setFigures(f); setRanking(r); setTargets(tg); })
      .catch((err) => {
        if (s.aborted) return;
        setFigures(null);
        setError(err instanceof ApiError ? err.message : t('error.network'));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.from, period.to, service, state, scope.ready, reload]);

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    // The chart: the twelve months up to the last one chosen.
    const from = new Date(Date.UTC(Number(period.to.slice(0, 4)), Number(period.to.slice(5, 7)) - 12, 1)).toISOString().slice(0, 7);
    getMonthly({ from, to: period.to, service: chartService, district: chartDistrict || undefined, state: chartDistrict ? undefined : state }, ctrl.signal)
      .then(setMonthly).catch(() => { if (!ctrl.signal.aborted) setMonthly(null); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.to, chartService, chartDistrict, state, scope.ready, reload]);

  const ownDistrict = scope.fixedDistrict?.id ?? null;
  const items = monthly?.series[0]?.items ?? [];
  const chartArea = chartDistrict ? unitName(scope.districts.find((d) => d.id === chartDistrict) ?? { name: chartDistrict }, lang) : t('rt.wholeArea');
  return (
    <section aria-labelledby="rt-title" className="response-times">
      <div className="page-head"><h1 id="rt-title">{t('rt.title')}</h1></div>
      <p className="lead">{t('rt.lead')}</p>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setPeriod(draft); }}>
        <div className="field">
          <label htmlFor="rt-from">{t('rt.from')}</label>
          <input id="rt-from" type="month" value={draft.from} max={monthIst(0)} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="rt-to">{t('rt.to')}</label>
          <input id="rt-to" type="month" value={draft.to} max={monthIst(0)} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="rt-service">{t('rt.service')}</label>
          <select id="rt-service" value={service} onChange={(e) => setService(e.target.value as '' | Service)}>
            <option value="">{t('rt.bothServices')}</option>
            <option value="108">{t('rt.service108')}</option>
            <option value="102">{t('rt.service102')}</option>
          </select>
        </div>
        {scope.states && (
          <div className="field">
            <label htmlFor="rt-state">{t('field.state')}</label>
            <select id="rt-state" value={scope.stateId} onChange={(e) => scope.setStateId(e.target.value)}>
              {scope.states.map((s) => <option key={s.id} value={s.id}>{unitName(s, lang)}</option>)}
            </select>
          </div>
        )}
        <div className="field"><span>&nbsp;</span><button type="submit">{t('rt.show')}</button></div>
        <p className="muted filters-note" data-testid="rt-period">{t('rt.showing', { from: mmYyyy(period.from), to: mmYyyy(period.to), days: figures?.days ?? 0 })}</p>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!figures && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {figures && (
        <>
          <div className="cards" data-testid="rt-totals">
            {figures.totals.map((x) => (
              <div className="card" key={x.service} data-service={x.service}>
                <div className="card-value">{min(x.callToSceneP50)} / {min(x.callToSceneP90)}</div>
                <div className="card-label">{t('rt.totalCard', { service: x.service, count: x.calls })}</div>
                <div className="card-label">{pct(x.withinTargetShare)} <Standing share={x.withinTargetShare} /></div>
              </div>
            ))}
          </div>
          <h2>{t('rt.byDistrict')}</h2>
          <p className="muted">{t('rt.explained', { met: num(MET_SHARE * 100), near: num(NEAR_SHARE * 100) })}</p>
          {figures.districts.length === 0 ? <Notice kind="info">{t('rt.empty')}</Notice> : <FiguresTable rows={figures.districts} />}
        </>
      )}

      <h2>{t('rt.byMonth')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {!scope.fixedDistrict && scope.districts.length > 0 && (
          <div className="field">
            <label htmlFor="rt-chart-district">{t('rt.district')}</label>
            <select id="rt-chart-district" value={chartDistrict} onChange={(e) => setChartDistrict(e.target.value)}>
              <option value="">{t('rt.wholeArea')}</option>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </div>
        )}
      </form>
      {items.length > 0 && (
        <>
          <ChartView kind="line" testId="rt-chart-minutes" title={t('rt.chartMinutes', { service: chartService, area: chartArea })}
            categoryTitle={t('rt.month')} valueTitle={t('rt.minutes')} fileName={`swasthya-${chartService}-response-minutes`}
            labels={items.map((i) => mmYyyy(i.month))} series={[
              { id: 'p50', label: t('rt.callToSceneP50'), values: items.map((i) => i.callToSceneP50 ?? undefined) },
              { id: 'p90', label: t('rt.callToSceneP90'), values: items.map((i) => i.callToSceneP90 ?? undefined) },
              { id: 'dispatchP90', label: t('rt.callToDispatchP90'), values: items.map((i) => i.callToDispatchP90 ?? undefined) },
            ]} />
          <ChartView kind="line" testId="rt-chart-share" title={t('rt.chartShare', { service: chartService, area: chartArea })}
            categoryTitle={t('rt.month')} valueTitle={t('rt.withinTargetPct')} fileName={`swasthya-${chartService}-within-target`}
            labels={items.map((i) => mmYyyy(i.month))} series={[
              { id: 'share', label: t('rt.withinTargetPct'), values: items.map((i) => (i.withinTargetShare === null ? undefined : Math.round(i.withinTargetShare * 1000) / 10)) },
            ]} />
        </>
      )}

      {ranking && (
        <>
          <h2 id="rt-ranking">{t('rt.rankingOf', { state: unitName(ranking.state, lang), month: mmYyyy(ranking.month), service: ranking.service })}</h2>
          <p className="muted">{t('rt.rankingExplained')}</p>
          <RankingTable ranking={ranking} own={ownDistrict} />
        </>
      )}

      {targets && (
        <>
          <h2 id="rt-targets">{t('rt.targetsOf', { state: unitName(targets.state, lang) })}</h2>
          <p className="muted">{t('rt.targetsExplained')}</p>
          <TargetsPanel targets={targets} onSaved={(next) => { setTargets(next); setReload((n) => n + 1); }} />
        </>
      )}
    </section>
  );
}
