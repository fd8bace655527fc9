import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { unitName } from '../geo/geo.api.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getCoverage, type Coverage, type CoverageRow } from './survey.api.ts';
import { AssignForm } from './AssignForm.tsx';
import './survey.css';

/** Officers below the state see their own area; others choose a district. */
const OWN_AREA_LEVELS = ['district', 'block', 'panchayat', 'village'];

/** The survey's coverage by village or ward for a district or block officer, and where enumerators are assigned. */
export function CoveragePage() {
  const { t, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const me = useMe();
  const geo = useGeoScope();
  const own = OWN_AREA_LEVELS.includes(me.orgUnit.level.toLowerCase());
  const [district, setDistrict] = useState('');
  const unit = own ? me.orgUnit.id : district;
  const [data, setData] = useState<Coverage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!unit) return;
    const ctrl = new AbortController();
    setError(null);
    getCoverage(unit, ctrl.signal)
      .then(setData)
      .catch((err) => !ctrl.signal.aborted && setError(errorText(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [unit, reload]);

  if (!can(me, 'can_assign_survey')) {
    return (
      <section>
        <h1>{t('coverage.title')}</h1>
        <Notice kind="error">{t('coverage.notOfficer')}</Notice>
      </section>
    );
  }

  return (
    <section aria-labelledby="coverage-title">
      <div className="page-head">
        <h1 id="coverage-title">
          {t('coverage.title')}{data && unit && <span className="name-other"> · {unitName(data.orgUnit, lang)}</span>}
        </h1>
      </div>
      <p className="lead">{t('coverage.lead')}</p>
      {!own && (
        <div className="filters">
          <FormField id="coverage-district" label={t('field.district')} value={district} onChange={setDistrict}
            options={geo.districts.map((d) => ({ value: d.id, label: unitName(d, lang) }))} />
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {unit && data && <CoverageTable rows={data.items} />}
      {unit && <AssignForm root={unit} onAssigned={() => setReload((n) => n + 1)} />}
    </section>
  );
}

function CoverageTable({ rows }: { rows: CoverageRow[] }) {
  const { t, lang, num } = useI18n();
  const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '—');
  const total = rows.reduce(
    (a, r) => ({ households: a.households + r.households, people: a.people + r.people, withAbha: a.withAbha + r.withAbha, withCard: a.withCard + r.withCard, enumerators: a.enumerators + r.enumerators }),
    { households: 0, people: 0, withAbha: 0, withCard: 0, enumerators: 0 },
  );
  const cells = (r: Omit<CoverageRow, 'id' | 'name' | 'nameHi'>) => (
    <>
      <td className="num">{num(r.enumerators)}</td>
      <td className="num">{num(r.households)}</td>
      <td className="num">{num(r.people)}</td>
      <td className="num">{num(r.withAbha)}</td>
      <td className="num pct">{pct(r.withAbha, r.people)}</td>
      <td className="num">{num(r.withCard)}</td>
      <td className="num pct">{pct(r.withCard, r.people)}</td>
    </>
  );
  return (
    <div className="table-wrap">
      <table className="data-table coverage-table" aria-labelledby="coverage-title">
        <thead>
          <tr>
            <th scope="col">{t('coverage.village')}</th>
            <th scope="col" className="num">{t('coverage.enumerators')}</th>
            <th scope="col" className="num">{t('coverage.households')}</th>
            <th scope="col" className="num">{t('coverage.people')}</th>
            <th scope="col" className="num">{t('coverage.withAbha')}</th>
            <th scope="col" className="num">{t('coverage.withAbhaPct')}</th>
            <th scope="col" className="num">{t('coverage.withCard')}</th>
            <th scope="col" className="num">{t('coverage.withCardPct')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{unitName(r, lang)}</th>
              {cells(r)}
            </tr>
          ))}
          {rows.length === 0 && <tr><td colSpan={8} className="empty">{t('coverage.none')}</td></tr>}
        </tbody>
        {rows.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">{t('coverage.total')}</th>
              {cells(total)}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
