import { useEffect, useId, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CoverageMapView } from './CoverageMapView.tsx';
import { getCoverage, getCoverageShapes, type CoverageAnswer, type CoverageLevel } from './schemes.api.ts';
import { Field, useRupees } from './schemes.parts.tsx';

/**
 * The scheme by area: for each panchayat (block, district) of the officer's area, the register's
 * families with a card this year, claims per 1,000 members, amounts paid and pending, and the
 * commonest diagnoses by name. Counts only (no one is named).
 */
export function CoverageView() {
  const { t } = useI18n();
  const { error } = useApiErrors();
  const ids = useId();
  const [by, setBy] = useState<CoverageLevel>('panchayat');
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [data, setData] = useState<CoverageAnswer | null>(null);
  const [top, setTop] = useState<string | null>(null);
  const [view, setView] = useState<CoverageShow>('table');
  useEffect(() => {
    const ctrl = new AbortController();
    setTop(null);
    getCoverage(by, year, ctrl.signal).then(setData).catch((err) => { if (!ctrl.signal.aborted) setTop(error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [by, year]);
  return (
    <div>
      <div className="scheme-filters">
        <Field id={`${ids}-by`} label={t('schemes.coverage.by')}>
          <select id={`${ids}-by`} value={by} onChange={(e) => setBy(e.target.value as CoverageLevel)}>
            {(['panchayat', 'block', 'district'] as const).map((l) => <option key={l} value={l}>{t(`schemes.coverage.level.${l}`)}</option>)}
          </select>
        </Field>
        <Field id={`${ids}-year`} label={t('schemes.year')}>
          <input id={`${ids}-year`} type="number" min={2000} max={2200} value={year} onChange={(e) => { const y = Number(e.target.value); if (y >= 2000 && y <= 2200) setYear(y); }} />
        </Field>
      </div>
      {top && <Notice kind="error">{top}</Notice>}
      {data && !data.items.length && <Notice kind="info">{t('schemes.coverage.none')}</Notice>}
      {data && data.items.length > 0 && <ViewSwitch value={view} onChange={setView} />}
      {data && data.items.length > 0 && view === 'table' && <CoverageTable data={data} testId="scheme-coverage" />}
      {data && data.items.length > 0 && view === 'map' && (
        <CoverageMapView data={data} shapesKey={data.by} loadShapes={(signal) => getCoverageShapes(data.by, signal)} />
      )}
    </div>
  );
}

export type CoverageShow = 'table' | 'map';

/** Table or map: two toggle buttons, the one shown pressed. */
export function ViewSwitch({ value, onChange }: { value: CoverageShow; onChange: (v: CoverageShow) => void }) {
  const { t } = useI18n();
  return (
    <div className="scheme-view-switch" role="group" aria-label={t('schemes.coverage.view')}>
      {(['table', 'map'] as const).map((v) => (
        <button key={v} type="button" aria-pressed={value === v} className={value === v ? 'active' : ''} onClick={() => onChange(v)}>{t(`schemes.coverage.view.${v}`)}</button>
      ))}
    </div>
  );
}

/**
 * The figures' table: a row per unit (its name in the page's language), the totals below. The officers'
 * screen and the public page (PublicCoveragePage) show the same table.
 */
export function CoverageTable({ data, testId }: { data: CoverageAnswer; testId: string }) {
  const { t, lang } = useI18n();
  const rupees = useRupees();
  const pct = (x: number) => `${(x * 100).toLocaleString(lang === 'hi' ? 'hi-IN' : 'en-IN', { maximumFractionDigits: 1 })}%`;
  const name = (r: { name: string | null; nameHi: string | null }) => (lang === 'hi' && r.nameHi ? r.nameHi : r.name);
  return (
    <div className="table-wrap"><table className="data-table" data-testid={testId}>
      <caption>{t('schemes.coverage.caption', { year: data.year })}</caption>
      <thead><tr>
        <th scope="col">{t(`schemes.coverage.level.${data.by}`)}</th><th scope="col">{t('schemes.coverage.families')}</th><th scope="col">{t('schemes.coverage.enrolled')}</th>
        <th scope="col">{t('schemes.coverage.coverage')}</th><th scope="col">{t('schemes.members')}</th><th scope="col">{t('schemes.coverage.claims')}</th>
        <th scope="col">{t('schemes.coverage.per1000')}</th><th scope="col">{t('schemes.coverage.paid')}</th><th scope="col">{t('schemes.coverage.pending')}</th><th scope="col">{t('schemes.coverage.diagnoses')}</th>
      </tr></thead>
      <tbody>{data.items.map((r) => (
        <tr key={r.unitId}>
          <th scope="row">{name(r)}</th><td>{r.families}</td><td>{r.familiesEnrolled}</td><td>{pct(r.coverage)}</td><td>{r.members}</td><td>{r.claims}</td>
          <td>{r.claimsPer1000Members}</td><td>{rupees(r.paid)}</td><td>{rupees(r.pending)}</td>
          <td>{r.topDiagnoses.map((d) => `${d.code}${name(d) ? ` ${name(d)}` : ''} (${d.claims})`).join('; ')}</td>
        </tr>
      ))}</tbody>
      <tfoot><tr>
        <th scope="row">{t('schemes.coverage.total')}</th><td>{data.totals.families}</td><td>{data.totals.familiesEnrolled}</td><td>{pct(data.totals.coverage)}</td>
        <td>{data.totals.members}</td><td>{data.totals.claims}</td><td>{data.totals.claimsPer1000Members}</td><td>{rupees(data.totals.paid)}</td><td>{rupees(data.totals.pending)}</td><td />
      </tr></tfoot>
    </table></div>
  );
}
