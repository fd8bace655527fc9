import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { useMe } from '../auth/session.tsx';
import { listFacilities, type Facility } from '../facilities/facilities.api.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { formWithCache } from './drafts.ts';
import { EntryForm } from './EntryForm.tsx';
import { listDataSets, type DataSetForm, type DataSetInfo } from './hmis.api.ts';
import { NotificationsPanel } from './NotificationsPanel.tsx';
import { isMonthly, lastMonth, monthLabel, recentMonths } from './months.ts';

export const DEFAULT_DATA_SET = 'HMIS_MONTHLY';

export function EntryPage({ query }: { query: URLSearchParams }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const scope = useGeoScope();
  const isFacility = me.orgUnit.level.toLowerCase() === 'facility';
  const dataSet = query.get('dataSet') || DEFAULT_DATA_SET;
  const period = isMonthly(query.get('period')) ? query.get('period')! : lastMonth();
  const orgUnit = isFacility ? me.orgUnit.id : (query.get('orgUnit') ?? '');
  const district = scope.fixedDistrict?.id ?? query.get('district') ?? '';
  const [dataSets, setDataSets] = useState<DataSetInfo[]>([]);
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [form, setForm] = useState<DataSetForm | null>(null);
  const [error, setError] = useState<string | null>(null);

  const setQuery = (next: Record<string, string | undefined>) =>
    replaceQuery('/hmis/entry', { dataSet, period, orgUnit: orgUnit || undefined, district: district || undefined, ...next });

  useEffect(() => {
    listDataSets().then((r) => setDataSets(r.items)).catch(() => undefined);
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    setForm(null);
    setError(null);
    formWithCache(dataSet, ctrl.signal)
      .then(setForm)
      .catch((err) => !ctrl.signal.aborted && setError(err instanceof ApiError && err.status === 0 ? t('hmis.offlineNoForm') : String(err?.message ?? err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataSet]);

  useEffect(() => {
    if (isFacility || !district) return setFacilities([]);
    const ctrl = new AbortController();
    listFacilities({ district, limit: 200 }, ctrl.signal)
      .then((p) => setFacilities(p.items))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [district, isFacility]);

  const chosen = facilities.find((f) => f.id === orgUnit);
  const unitLabel = isFacility ? unitName(me.orgUnit, lang) : chosen ? (lang === 'hi' && chosen.nameHi ? chosen.nameHi : chosen.name) : null;
  const title = form ? (lang === 'hi' && form.dataSet.nameHi ? form.dataSet.nameHi : form.dataSet.name) : t('hmis.entryTitle');

  return (
    <section aria-labelledby="entry-title">
      <div className="page-head">
        <h1 id="entry-title">{t('hmis.entryTitle')}</h1>
        <a href={`#/hmis/returns?dataSet=${encodeURIComponent(dataSet)}&period=${period}`} hidden={isFacility}>{t('hmis.districtLink')}</a>
      </div>
      <p className="lead">{title}{unitLabel ? ` — ${unitLabel}` : ''}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="entry-ds">{t('hmis.dataSet')}</label>
          <select id="entry-ds" value={dataSet} onChange={(e) => setQuery({ dataSet: e.target.value })}>
            {dataSets.length === 0 && <option value={dataSet}>{dataSet}</option>}
            {dataSets.map((d) => (
              <option key={d.id} value={d.code ?? d.id}>{lang === 'hi' && d.nameHi ? d.nameHi : d.name}</option>
            ))}
          </select>
        </div>
        {!isFacility && (
          <>
            <div className="field">
              <label htmlFor="entry-district">{t('field.district')}</label>
              <select id="entry-district" value={district} disabled={!!scope.fixedDistrict}
                onChange={(e) => setQuery({ district: e.target.value, orgUnit: undefined })}>
                <option value="">{t('form.choose')}</option>
                {scope.districts.map((d) => <option key={d.id} value={d.id}>{unitName(d, lang)}</option>)}
              </select>
            </div>
            <div className="field field-grow">
              <label htmlFor="entry-facility">{t('hmis.facility')}</label>
              <select id="entry-facility" value={orgUnit} onChange={(e) => setQuery({ orgUnit: e.target.value })}>
                <option value="">{t('form.choose')}</option>
                {facilities.map((f) => (
                  <option key={f.id} value={f.id}>{lang === 'hi' && f.nameHi ? f.nameHi : f.name}</option>
                ))}
              </select>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="entry-period">{t('hmis.period')}</label>
          <select id="entry-period" value={period} onChange={(e) => setQuery({ period: e.target.value })}>
            {[...new Set([period, ...recentMonths()])].sort().reverse().map((p) => (
              <option key={p} value={p}>{monthLabel(p, lang)}</option>
            ))}
          </select>
        </div>
      </div>
      {isFacility && <NotificationsPanel />}
      {error && <Notice kind="error">{error}</Notice>}
      {!orgUnit && !isFacility && <Notice kind="info">{t('hmis.chooseFacility')}</Notice>}
      {form && orgUnit && (
        <EntryForm key={`${dataSet}.${period}.${orgUnit}`} form={form} refKey={{ dataSet: form.dataSet.id, period, orgUnit }}
          unitLabel={unitLabel ?? undefined} />
      )}
    </section>
  );
}
