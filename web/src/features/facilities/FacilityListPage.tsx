import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { FlashNotice } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { listFacilities, type Facility, type Page } from './facilities.api.ts';
import { FilterBar } from './FilterBar.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { useQueryFilters } from './useFilters.ts';

const LIMIT = 50;

export function FacilityListPage({ query }: { query: URLSearchParams }) {
  const { t, tx, num, lang } = useI18n();
  const me = useMe();
  const scope = useGeoScope();
  const { filters, offset, setFilters } = useQueryFilters('/facilities', query);
  const [page, setPage] = useState<Page<Facility> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const state = scope.states ? scope.stateId : undefined;
  const district = scope.fixedDistrict?.id ?? filters.district;

  useEffect(() => {
    if (!scope.ready) return;
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    listFacilities({ ...filters, state, district, limit: LIMIT, offset }, ctrl.signal)
      .then((p) => setPage(p))
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof ApiError ? err.message : t('error.network'));
      })
      .finally(() => !ctrl.signal.aborted && setLoading(false));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope.ready, filters, state, district, offset]);

  const total = page?.total ?? 0;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + LIMIT, total);

  return (
    <section aria-labelledby="list-title">
      <div className="page-head">
        <h1 id="list-title">{t('facilities.title')}</h1>
        {can(me, 'can_create_facility') && (
          <a className="button" href="#/facilities/new">{t('facilities.add')}</a>
        )}
      </div>
      <FlashNotice />
      <FilterBar
        idPrefix="list"
        value={filters}
        onChange={(f) => setFilters(f)}
        fields={['type', 'ownership', 'portalStatus', 'q']}
      />
      {error && <Notice kind="error">{error}</Notice>}
      <div className="table-meta" aria-live="polite">
        {loading ? t('common.loading') : t('facilities.showing', { from: num(from), to: num(to), total: num(total) })}
      </div>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.type')}</th>
              <th scope="col">{t('field.ownership')}</th>
              <th scope="col">{t('field.district')}</th>
              <th scope="col">{t('field.block')}</th>
              <th scope="col">{t('field.portalStatus')}</th>
              <th scope="col" className="num">{t('field.beds')}</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((f) => (
              <tr key={f.id}>
                <td>
                  <a href={`#/facilities/${encodeURIComponent(f.id)}`}>
                    {lang === 'hi' && f.nameHi ? f.nameHi : f.name}
                  </a>
                  {lang === 'hi' && f.nameHi && f.nameHi !== f.name && <div className="sub">{f.name}</div>}
                </td>
                <td>{tx(`type.${f.type}`, f.type)}</td>
                <td>{tx(`ownership.${f.ownership}`, f.ownership)}</td>
                <td>{f.district ? unitName(f.district, lang) : '—'}</td>
                <td>{f.block ? unitName(f.block, lang) : '—'}</td>
                <td><StatusBadge status={f.portalStatus} /></td>
                <td className="num">{num(f.beds)}</td>
              </tr>
            ))}
            {page && page.items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">{t('facilities.none')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t('pager.label')}>
        <button
          type="button"
          className="secondary"
          disabled={offset === 0 || loading}
          onClick={() => setFilters(filters, Math.max(0, offset - LIMIT))}
        >
          {t('pager.previous')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={offset + LIMIT >= total || loading}
          onClick={() => setFilters(filters, offset + LIMIT)}
        >
          {t('pager.next')}
        </button>
      </nav>
    </section>
  );
}
