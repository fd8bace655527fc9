import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { Choropleth } from '../analytics/Choropleth.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getBoundaries, getUnit, unitName, type Feature } from '../geo/geo.api.ts';
import {
  dayMonth, getRanking, getStats, getUtilisation, PRESETS, presetPeriod,
  type Period, type Preset, type Ranking, type Stats, type Utilisation,
} from './telestats.api.ts';
import { todayIst } from '../patients/patients.api.ts';
import { RankingTable, useDuration, usePercent, UtilisationTable, WaitTable } from './TeleStatsTables.tsx';

interface Loaded { byDay: Stats; bySpecialty: Stats; byDistrict: Stats; byHub: Stats; utilisation: Utilisation; ranking: Ranking }

/**
 * The state screen of telemedicine: consultations by day, specialty and district (with a map),
 * waiting times and no-shows, doctors' utilisation, and the ranking of states on national counts.
 */
export function TeleStatsPage() {
  const { t, num, lang } = useI18n();
  const scope = useGeoScope();
  const dur = useDuration();
  const pct = usePercent();
  const [preset, setPreset] = useState<Preset>('last30');
  const [custom, setCustom] = useState<Period>(() => presetPeriod('last30'));
  const [period, setPeriod] = useState<Period>(() => presetPeriod('last30'));
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [features, setFeatures] = useState<Feature[]>([]);
  const [ownState, setOwnState] = useState<number | null>(null);

  // A country-level user looks at one state at a time; everyone else is held to their own area by the server.
  const orgUnit = scope.states ? scope.stateId || undefined : undefined;

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    setError(null);
    const s = ctrl.signal;
    Promise.all([
      getStats(period, 'day', orgUnit, s), getStats(period, 'specialty', orgUnit, s), getStats(period, 'district', orgUnit, s),
      getStats(period, 'hub', orgUnit, s), getUtilisation(period, orgUnit, s), getRanking(period, s),
    ])
      .then(([byDay, bySpecialty, byDistrict, byHub, utilisation, ranking]) => setData({ byDay, bySpecialty, byDistrict, byHub, utilisation, ranking }))
      .catch((err) => {
        if (s.aborted) return;
        setData(null);
        setError(err instanceof ApiError ? err.message : t('error.network'));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.from, period.to, orgUnit, scope.ready]);

  useEffect(() => {
    if (!scope.stateId) return;
    let live = true;
    getUnit(scope.stateId).then((u) => live && setOwnState(u.lgdCode ? Number(u.lgdCode) : null)).catch(() => undefined);
    const ctrl = new AbortController();
    getBoundaries(scope.fixedDistrict?.id ?? scope.stateId, ctrl.signal).then((fc) => setFeatures(fc.features ?? [])).catch(() => setFeatures([]));
    return () => {
      live = false;
      ctrl.abort();
    };
  }, [scope.stateId, scope.fixedDistrict]);

  const choosePreset = (p: Preset) => {
    setPreset(p);
    if (p !== 'custom') setPeriod(presetPeriod(p));
    else setCustom(period);
  };

  const areas = useMemo(() => {
    if (!data) return [];
    const rows = data.byDistrict.rows;
    const list = scope.districts.map((d) => {
      const r = rows.find((x) => x.orgUnitId === d.id || (x.lgdCode !== null && String(x.lgdCode) === String(d.lgdCode)));
      return { id: d.id, lgdCode: d.lgdCode, label: unitName(d, lang), value: r?.consultations ?? 0 };
    });
    // Districts outside the state (spokes elsewhere) are listed beside the map.
    for (const r of rows) if (!list.some((a) => a.id === r.orgUnitId)) list.push({ id: r.orgUnitId ?? r.key, lgdCode: r.lgdCode === null ? null : String(r.lgdCode), label: unitName(r, lang), value: r.consultations });
    return list;
  }, [data, scope.districts, lang]);

  const total = data?.byDay.total;
  return (
    <section aria-labelledby="telestats-title" className="telestats">
      <div className="page-head"><h1 id="telestats-title">{t('telestats.title')}</h1></div>
      <p className="lead">{t('telestats.lead')}</p>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setPeriod(custom); }}>
        <div className="field">
          <label htmlFor="telestats-preset">{t('telestats.period')}</label>
          <select id="telestats-preset" value={preset} onChange={(e) => choosePreset(e.target.value as Preset)}>
            {PRESETS.map((p) => <option key={p} value={p}>{t(`telestats.preset.${p}` as MessageKey)}</option>)}
          </select>
        </div>
        {preset === 'custom' && (
          <>
            <div className="field">
              <label htmlFor="telestats-from">{t('telestats.from')}</label>
              <input id="telestats-from" type="date" value={custom.from} max={todayIst()} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="telestats-to">{t('telestats.to')}</label>
              <input id="telestats-to" type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
            </div>
            <div className="field"><span>&nbsp;</span><button type="submit">{t('telestats.show')}</button></div>
          </>
        )}
        {scope.states && (
          <div className="field">
            <label htmlFor="telestats-state">{t('field.state')}</label>
            <select id="telestats-state" value={scope.stateId} onChange={(e) => scope.setStateId(e.target.value)}>
              {scope.states.map((s) => <option key={s.id} value={s.id}>{unitName(s, lang)}</option>)}
            </select>
          </div>
        )}
        <p className="muted filters-note" data-testid="telestats-period">{t('telestats.showing', { from: fmtDay(period.from), to: fmtDay(period.to) })}</p>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!data && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {data && total && (
        <>
          <div className="cards">
            <Card label={t('telestats.consultations')} value={num(total.consultations)} />
            <Card label={t('telestats.requests')} value={num(total.requests)} />
            <Card label={t('telestats.noShowRate')} value={pct(total.noShowRate)} />
            <Card label={t('telestats.waitP50')} value={dur(total.waitP50Minutes)} />
            <Card label={t('telestats.waitP90')} value={dur(total.waitP90Minutes)} />
            <Card label={t('telestats.utilisationShare')} value={pct(data.utilisation.total.utilisation)} />
          </div>
          {total.requests === 0 && <Notice kind="info">{t('telestats.empty')}</Notice>}

          <h2>{t('telestats.byDay')}</h2>
          <ChartView kind="line" testId="tele-by-day" title={t('telestats.byDay')} categoryTitle={t('charts.day')} valueTitle={t('telestats.consultations')}
            fileName="swasthya-teleconsultations-by-day" labels={data.byDay.rows.map((r) => dayMonth(r.key))} series={[
            { id: 'consultations', label: t('telestats.consultations'), values: data.byDay.rows.map((r) => r.consultations) },
            { id: 'noShows', label: t('telestats.noShows'), values: data.byDay.rows.map((r) => r.noShows) },
          ]} />

          <h2>{t('telestats.bySpecialty')}</h2>
          <ChartView kind="hbar" testId="tele-by-specialty" title={t('telestats.bySpecialty')} categoryTitle={t('telestats.specialty')} valueTitle={t('telestats.consultations')}
            fileName="swasthya-teleconsultations-by-specialty" labels={data.bySpecialty.rows.map((r) => unitName(r, lang))}
            series={[{ id: 'consultations', label: t('telestats.consultations'), values: data.bySpecialty.rows.map((r) => r.consultations) }]} />
          <h2>{t('telestats.byDistrict')}</h2>
          <ChartView kind="hbar" testId="tele-by-district" title={t('telestats.byDistrict')} categoryTitle={t('charts.area')} valueTitle={t('telestats.consultations')}
            fileName="swasthya-teleconsultations-by-district" labels={data.byDistrict.rows.map((r) => unitName(r, lang))}
            series={[{ id: 'consultations', label: t('telestats.consultations'), values: data.byDistrict.rows.map((r) => r.consultations) }]} />

          <h2>{t('telestats.map')}</h2>
          <Choropleth features={features} areas={areas} title={t('telestats.map')} />

          <h2>{t('telestats.waits')}</h2>
          <p className="muted">{t('telestats.waitExplained')}</p>
          {data.byHub.rows.length > 0 && <WaitTable rows={data.byHub.rows} label={t('telestats.hub')} testId="tele-hubs" />}
          {data.bySpecialty.rows.length > 0 && <WaitTable rows={data.bySpecialty.rows} label={t('telestats.specialty')} testId="tele-specialties" />}

          <h2>{t('telestats.utilisation')}</h2>
          <p className="muted">{t('telestats.utilisationExplained')}</p>
          <UtilisationTable data={data.utilisation} />

          <h2 id="telestats-ranking">{t('telestats.ranking')}</h2>
          {data.ranking.items.length === 0 ? (
            <p className="muted">{t('telestats.noRanking')}</p>
          ) : (
            <>
              <p className="muted">
                {t('telestats.rankingExplained', { days: num(data.ranking.days), latest: fmtDay(data.ranking.latestDay) })}
                {data.ranking.sources.length > 0 && ` ${t('telestats.source', { source: data.ranking.sources.join('; ') })}`}
              </p>
              <RankingTable ranking={data.ranking} ownState={ownState} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function fmtDay(day: string | null | undefined): string {
  return day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '—';
}

function Card({ label, value }: { label: string; value: string }) {
  return (
    <div className="card">
      <div className="card-value">{value}</div>
      <div className="card-label">{label}</div>
    </div>
  );
}
