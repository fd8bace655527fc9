import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { ChartView } from '../analytics/ChartView.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { getTimeliness, type BlockTimeliness } from './asha.api.ts';
import { useAsha } from './bits.tsx';

/**
 * How long ASHAs wait for their money: days from a claim to its payment, by block (the median and the
 * slowest tenth), on a chart and in a table, with the number of claims and of those paid.
 */
export function TimelinessPage() {
  const { t, num, lang } = useI18n();
  const a = useAsha();
  const me = useMe();
  const scope = useGeoScope();
  const level = me.orgUnit.level.toLowerCase();
  const fixed = level === 'district' || level === 'block' || level === 'facility' || level === 'village';
  const [district, setDistrict] = useState('');
  const [rows, setRows] = useState<BlockTimeliness[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!fixed && !district && scope.districts[0]) setDistrict(scope.districts[0].id);
  }, [fixed, district, scope.districts]);

  useEffect(() => {
    if (!fixed && !district) return;
    const ctrl = new AbortController();
    setError(null);
    setRows(null);
    getTimeliness(fixed ? undefined : district, ctrl.signal)
      .then((r) => setRows(r.blocks))
      .catch((err) => { if (!ctrl.signal.aborted) setError(a.error(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fixed, district]);

  const name = (b: BlockTimeliness) => a.name(b.block.name, b.block.nameHi);
  return (
    <section aria-labelledby="asha-time-title">
      <h1 id="asha-time-title">{t('asha.time.title')}</h1>
      <p className="lead">{t('asha.time.lead')}</p>
      {!fixed && (
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('asha.time.title')}>
          <div className="field">
            <label htmlFor="asha-t-district">{t('asha.district')}</label>
            <select id="asha-t-district" value={district} onChange={(e) => setDistrict(e.target.value)}>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
            </select>
          </div>
        </form>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {!rows && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {rows && rows.length === 0 && <p className="muted">{t('asha.time.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <ChartView kind="hbar" testId="asha-timeliness" title={t('asha.time.chart')} categoryTitle={t('asha.block')} valueTitle={t('asha.time.days')}
            fileName="swasthya-asha-days-to-pay" labels={rows.map(name)} series={[
              { id: 'median', label: t('asha.time.median'), values: rows.map((r) => r.medianDaysToPay ?? undefined) },
              { id: 'p90', label: t('asha.time.p90'), values: rows.map((r) => r.p90DaysToPay ?? undefined) },
            ]} />
          <div className="table-wrap">
            <table className="data-table" data-testid="asha-timeliness-table">
              <thead>
                <tr>
                  <th scope="col">{t('asha.block')}</th>
                  <th scope="col" className="num">{t('asha.time.claims')}</th>
                  <th scope="col" className="num">{t('asha.time.paid')}</th>
                  <th scope="col" className="num">{t('asha.time.median')}</th>
                  <th scope="col" className="num">{t('asha.time.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.block.id}>
                    <th scope="row">{name(r)}</th>
                    <td className="num">{num(r.claims)}</td>
                    <td className="num">{num(r.paid)}</td>
                    <td className="num">{num(r.medianDaysToPay)}</td>
                    <td className="num">{num(r.p90DaysToPay)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
