import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { facilitySummary, FACILITY_TYPES, listFacilities, type FacilitySummary } from '../facilities/facilities.api.ts';
import { ComplianceChart, type TypeRow } from './ComplianceChart.tsx';

const DISTRICT_KEY = 'swasthya.complianceDistrict';

export function CompliancePage() {
  const { t, tx, num, lang } = useI18n();
  const scope = useGeoScope();
  const [districtId, setDistrictId] = useState('');
  const [summary, setSummary] = useState<FacilitySummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Default: the user's own district, else the last one looked at, else the first district of the
  // state that has facilities, else the state's first district.
  useEffect(() => {
    if (scope.fixedDistrict) return setDistrictId(scope.fixedDistrict.id);
    if (scope.districts.some((d) => d.id === districtId)) return;
    const saved = scope.districts.find((d) => d.id === localStorage.getItem(DISTRICT_KEY));
    if (saved) return setDistrictId(saved.id);
    if (!scope.stateId || scope.districts.length === 0) return setDistrictId('');
    let live = true;
    listFacilities({ state: scope.stateId, limit: 1 })
      .then((p) => p.items[0]?.district?.id)
      .catch(() => undefined)
      .then((id) => {
        if (!live) return;
        setDistrictId(scope.districts.some((d) => d.id === id) ? (id as string) : (scope.districts[0]?.id ?? ''));
      });
    return () => {
      live = false;
    };
  }, [scope.districts, scope.fixedDistrict, scope.stateId, districtId]);

  useEffect(() => {
    if (!districtId) return;
    const ctrl = new AbortController();
    setError(null);
    setSummary(null);
    facilitySummary(districtId, ctrl.signal)
      .then(setSummary)
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof ApiError ? err.message : t('error.network')));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [districtId]);

  const choose = (id: string) => {
    localStorage.setItem(DISTRICT_KEY, id);
    setDistrictId(id);
  };

  const rows: TypeRow[] = summary
    ? orderedTypes(Object.keys(summary.byType ?? {})).map((type) => {
        const c = summary.byType[type] ?? { total: 0, registered: 0 };
        return { type, label: tx(`type.${type}`, type), registered: c.registered, listed: Math.max(0, c.total - c.registered), total: c.total };
      })
    : [];
  const district = scope.districts.find((d) => d.id === districtId);

  return (
    <section aria-labelledby="compliance-title">
      <div className="page-head">
        <h1 id="compliance-title">{t('compliance.title')}</h1>
      </div>
      <p className="lead">{t('compliance.listedExplained')}</p>
      <div className="filters">
        {scope.states && (
          <div className="field">
            <label htmlFor="compliance-state">{t('field.state')}</label>
            <select id="compliance-state" value={scope.stateId} onChange={(e) => scope.setStateId(e.target.value)}>
              {scope.states.map((s) => <option key={s.id} value={s.id}>{unitName(s, lang)}</option>)}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="compliance-district">{t('field.district')}</label>
          <select id="compliance-district" value={districtId} disabled={!!scope.fixedDistrict} onChange={(e) => choose(e.target.value)}>
            {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
          </select>
        </div>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {!summary && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {summary && (
        <>
          <h2 className="visually-hidden">{district ? unitName(district, lang) : ''}</h2>
          <div className="cards">
            <Card label={t('compliance.registered')} value={num(summary.registered)} tone="registered" />
            <Card label={t('compliance.ayush')} value={num(summary.registeredAyush)} />
            <Card
              label={t('compliance.private')}
              value={t('compliance.ofTotal', { part: num(summary.private?.registered ?? 0), total: num(summary.private?.total ?? 0) })}
            />
            <Card label={t('compliance.listed')} value={num(summary.listed)} tone="listed" />
          </div>
          <h2>{t('compliance.byType')}</h2>
          {rows.length === 0 ? (
            <p className="muted">{t('compliance.noFacilities')}</p>
          ) : (
            <>
              <ComplianceChart rows={rows} />
              <div className="table-wrap">
                <table className="data-table">
                  <caption className="visually-hidden">{t('compliance.byType')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('field.type')}</th>
                      <th scope="col" className="num">{t('compliance.total')}</th>
                      <th scope="col" className="num">{t('portalStatus.registered')}</th>
                      <th scope="col" className="num">{t('portalStatus.listed')}</th>
                      <th scope="col" className="num">{t('compliance.share')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.type}>
                        <th scope="row">{r.label}</th>
                        <td className="num">{num(r.total)}</td>
                        <td className="num">{num(r.registered)}</td>
                        <td className="num">{num(r.listed)}</td>
                        <td className="num">{r.total ? `${num(Math.round((100 * r.registered) / r.total))}%` : '—'}</td>
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
  );
}

function Card({ label, value, tone }: { label: string; value: string; tone?: 'registered' | 'listed' }) {
  return (
    <div className={`card${tone ? ` card-${tone}` : ''}`}>
      <div className="card-value">{value}</div>
      <div className="card-label">{label}</div>
    </div>
  );
}

/** Known types in the registry's order (SC up to MC, then private and others), unknown ones after. */
function orderedTypes(keys: string[]): string[] {
  const known = (FACILITY_TYPES as readonly string[]).filter((k) => keys.includes(k));
  return [...known, ...keys.filter((k) => !known.includes(k)).sort()];
}
