import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getUnit, unitName, type GeoUnit } from '../geo/geo.api.ts';
import { getForm, listIndicators } from '../hmis/hmis.api.ts';
import { lastMonth, monthLabel, recentMonths, shiftMonth } from '../hmis/months.ts';
import { getAnalytics, type AnalyticsQuery, type AnalyticsResult, type Favourite, type Selection } from './analytics.api.ts';
import { Favourites } from './Favourites.tsx';
import { AnalyticsResults } from './AnalyticsResults.tsx';
import { ItemPicker, type PickItem } from './ItemPicker.tsx';
import { peFor, PRESETS, type Preset } from './periods.ts';

const LEVELS = ['district', 'block', 'facility'] as const;

export function AnalyticsPage() {
  const { t, lang } = useI18n();
  const scope = useGeoScope();
  const [elements, setElements] = useState<PickItem[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [indicatorList, setIndicatorList] = useState<PickItem[]>([]);
  const [indicatorIds, setIndicatorIds] = useState<string[]>([]);
  const [preset, setPreset] = useState<Preset>('LAST_12_MONTHS');
  const [to, setTo] = useState(lastMonth());
  const [from, setFrom] = useState(shiftMonth(lastMonth(), -5));
  const [area, setArea] = useState('');
  const [stateUnit, setStateUnit] = useState<GeoUnit | null>(null);
  const [level, setLevel] = useState<string>('district');
  const [by, setBy] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ q: AnalyticsQuery; res: AnalyticsResult; indicators: string[] } | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    getForm('HMIS_MONTHLY', ctrl.signal)
      .then((f) => setElements(f.sections.flatMap((s) => s.elements).map((e) => ({ id: e.id, code: e.code, name: e.formName || e.name, nameHi: e.formNameHi || e.nameHi || null }))))
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    listIndicators(ctrl.signal)
      .then((r) => setIndicatorList(r.items))
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    if (scope.stateId && !scope.fixedDistrict) getUnit(scope.stateId).then(setStateUnit).catch(() => undefined);
    setArea('');
  }, [scope.stateId, scope.fixedDistrict]);

  const ou = area || scope.fixedDistrict?.id || scope.stateId;
  const months = recentMonths(36);

  /** The screen's choices as a favourite keeps them; null while no item is chosen. */
  const currentSelection = (): Selection | null => {
    if (!selected.length && !indicatorIds.length) return null;
    return {
      items: selected, indicators: indicatorIds, preset, ...(preset === 'RANGE' ? { from, to } : {}),
      ou, level: level as Selection['level'], ...(by ? { by: by as Selection['by'] } : {}),
    };
  };

  const show = async (sel: Selection) => {
    const q: AnalyticsQuery = {
      dx: [...sel.items, ...sel.indicators].join(';'),
      pe: peFor(sel.preset, sel.from ?? from, sel.to ?? to),
      ou: sel.ou,
      level: sel.level,
      ...(sel.by ? { by: sel.by } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      setResult({ q, res: await getAnalytics(q), indicators: sel.indicators });
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const run = (e: React.FormEvent) => {
    e.preventDefault();
    const sel = currentSelection();
    if (!sel) {
      setError(t('analytics.chooseItem'));
      return;
    }
    void show(sel);
  };

  /** A favourite opened: its choices go back into the form, and its result is shown. */
  const open = (f: Favourite) => {
    const s = f.selection;
    setSelected(s.items);
    setIndicatorIds(s.indicators);
    setPreset(s.preset);
    if (s.from) setFrom(s.from);
    if (s.to) setTo(s.to);
    setArea(s.ou);
    setLevel(s.level);
    setBy(s.by ?? '');
    void show(s);
  };

  return (
    <section aria-labelledby="analytics-title" className="analytics">
      <div className="page-head"><h1 id="analytics-title">{t('analytics.title')}</h1></div>
      <form className="analytics-form" onSubmit={run}>
        <div className="analytics-pickers">
          <ItemPicker items={elements} selected={selected} onChange={setSelected} legend={t('analytics.items')} testId="pick-items" />
          <ItemPicker items={indicatorList} selected={indicatorIds} onChange={setIndicatorIds} legend={t('analytics.indicators')} testId="pick-indicators" />
        </div>
        <div className="analytics-options">
          <label className="field">
            <span>{t('analytics.periods')}</span>
            <select id="analytics-preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
              {PRESETS.map((p) => <option key={p} value={p}>{t(`analytics.preset.${p}` as MessageKey)}</option>)}
            </select>
          </label>
          {preset === 'RANGE' && (
            <div className="field-row">
              <label className="field">
                <span>{t('analytics.from')}</span>
                <select id="analytics-from" value={from} onChange={(e) => setFrom(e.target.value)}>
                  {months.map((m) => <option key={m} value={m}>{monthLabel(m, lang)}</option>)}
                </select>
              </label>
              <label className="field">
                <span>{t('analytics.to')}</span>
                <select id="analytics-to" value={to} onChange={(e) => setTo(e.target.value)}>
                  {months.map((m) => <option key={m} value={m}>{monthLabel(m, lang)}</option>)}
                </select>
              </label>
            </div>
          )}
          {scope.states && (
            <label className="field">
              <span>{t('field.state')}</span>
              <select id="analytics-state" value={scope.stateId} onChange={(e) => { scope.setStateId(e.target.value); setArea(''); }}>
                {scope.states.map((s) => <option key={s.id} value={s.id}>{unitName(s, lang)}</option>)}
              </select>
            </label>
          )}
          <label className="field">
            <span>{t('analytics.areaSelect')}</span>
            <select id="analytics-area" value={ou} onChange={(e) => setArea(e.target.value)}>
              {!scope.fixedDistrict && scope.stateId && (
                <option value={scope.stateId}>{stateUnit ? unitName(stateUnit, lang) : t('field.state')} ({t('analytics.state')})</option>
              )}
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </label>
          <label className="field">
            <span>{t('analytics.level')}</span>
            <select id="analytics-level" value={level} onChange={(e) => setLevel(e.target.value)}>
              {LEVELS.map((l) => <option key={l} value={l}>{t(`analytics.level.${l}` as MessageKey)}</option>)}
            </select>
          </label>
          <label className="field">
            <span>{t('analytics.by')}</span>
            <select id="analytics-by" value={by} onChange={(e) => setBy(e.target.value)}>
              <option value="">{t('analytics.byNone')}</option>
              <option value="ownership">{t('field.ownership')}</option>
              <option value="type">{t('field.type')}</option>
            </select>
          </label>
          <button type="submit" disabled={busy || !ou}>{busy ? t('common.loading') : t('analytics.show')}</button>
        </div>
      </form>
      <Favourites current={currentSelection} onOpen={open} />
      {error && <Notice kind="error">{error}</Notice>}
      {result && <AnalyticsResults query={result.q} res={result.res} indicators={result.indicators} />}
    </section>
  );
}
