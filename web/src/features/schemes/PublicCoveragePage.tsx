import { useEffect, useId, useState } from 'react';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { CoverageMapView } from './CoverageMapView.tsx';
import { CoverageTable, ViewSwitch, type CoverageShow } from './CoverageView.tsx';
import { getPublicCoverage, getPublicCoverageShapes, type PublicCoverageAnswer, type PublicLevel } from './schemes.api.ts';
import { Field } from './schemes.parts.tsx';
import './schemes.css';

/**
 * HIMCARE's public figures (#/himcare, no sign-in): for each district or block of the scheme's state,
 * the register's families with a card in the year, claims per 1,000 members, amounts paid and pending,
 * and the commonest diagnoses where five claims or more share one. Aggregates only: the server sends
 * no name. The level, year (and another state's LGD code) are in the address, so a view can be shared.
 */
export function PublicCoveragePage({ query }: { query: URLSearchParams }) {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const ids = useId();
  const by: PublicLevel = query.get('by') === 'block' ? 'block' : 'district';
  const asked = Number(query.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2200 ? asked : new Date().getFullYear();
  const state = query.get('state') ?? undefined;
  const view: CoverageShow = query.get('view') === 'map' ? 'map' : 'table';
  const [data, setData] = useState<PublicCoverageAnswer | null>(null);
  const [top, setTop] = useState<string | null>(null);
  const [draftYear, setDraftYear] = useState(String(year));
  const go = (next: { by?: PublicLevel; year?: number; view?: CoverageShow }) => {
    const shown = next.view ?? view;
    replaceQuery('/himcare', { by: next.by ?? by, year: String(next.year ?? year), state, view: shown === 'map' ? 'map' : undefined });
  };
  useEffect(() => {
    const ctrl = new AbortController();
    setTop(null);
    getPublicCoverage({ by, year, state }, ctrl.signal).then(setData).catch((err) => { if (!ctrl.signal.aborted) { setData(null); setTop(error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [by, year, state]);
  const stateName = data ? (lang === 'hi' && data.state.nameHi ? data.state.nameHi : data.state.name) : '';
  return (
    <>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✚</span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <LangSwitch />
      </header>
      <main className="page" id="main">
        <section aria-labelledby="himcare-pub-title">
          <h1 id="himcare-pub-title">{t('schemes.public.title')}</h1>
          <p className="lead">{data ? t('schemes.public.lead', { state: stateName }) : t('schemes.public.leadPlain')}</p>
          <form className="scheme-filters" onSubmit={(e) => { e.preventDefault(); const y = Number(draftYear); if (Number.isInteger(y) && y >= 2000 && y <= 2200) go({ year: y }); }}>
            <Field id={`${ids}-by`} label={t('schemes.coverage.by')}>
              <select id={`${ids}-by`} value={by} onChange={(e) => go({ by: e.target.value as PublicLevel })}>
                {(['district', 'block'] as const).map((l) => <option key={l} value={l}>{t(`schemes.coverage.level.${l}`)}</option>)}
              </select>
            </Field>
            <Field id={`${ids}-year`} label={t('schemes.year')}>
              <input id={`${ids}-year`} type="number" min={2000} max={2200} value={draftYear} onChange={(e) => setDraftYear(e.target.value)} />
            </Field>
            <button type="submit">{t('schemes.public.show')}</button>
          </form>
          {top && <Notice kind="error">{top}</Notice>}
          {!data && !top && <Notice kind="info">{t('common.loading')}</Notice>}
          {data && !data.items.length && <Notice kind="info">{t('schemes.public.none')}</Notice>}
          {data && data.items.length > 0 && <ViewSwitch value={view} onChange={(v) => go({ view: v })} />}
          {data && data.items.length > 0 && view === 'table' && <CoverageTable data={data} testId="himcare-public" />}
          {data && data.items.length > 0 && view === 'map' && (
            <CoverageMapView data={data} shapesKey={`${by}:${state ?? ''}`} loadShapes={(signal) => getPublicCoverageShapes({ by, state }, signal)} />
          )}
          <p className="muted">{t('schemes.public.note')}</p>
          <p className="muted"><a href="#/login">{t('schemes.public.staff')}</a></p>
        </section>
      </main>
    </>
  );
}
