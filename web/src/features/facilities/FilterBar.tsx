import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { FACILITY_TYPES, OWNERSHIPS, PORTAL_STATUSES, type FacilityFilters } from './facilities.api.ts';

type FilterField = 'type' | 'ownership' | 'portalStatus' | 'q';

/** Filters shared by the registry list and the map; values live in the hash query. */
export function FilterBar(props: {
  idPrefix: string;
  value: FacilityFilters;
  onChange: (next: FacilityFilters) => void;
  fields: FilterField[];
}) {
  const { t, lang } = useI18n();
  const scope = useGeoScope();
  const { value, onChange, idPrefix: p } = props;
  const [q, setQ] = useState(value.q ?? '');
  useEffect(() => setQ(value.q ?? ''), [value.q]);

  const set = (patch: FacilityFilters) => onChange({ ...value, ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: q.trim() || undefined });
  };
  const has = (f: FilterField) => props.fields.includes(f);

  return (
    <form className="filters" onSubmit={submit} role="search" aria-label={t('filters.label')}>
      {scope.states && (
        <div className="field">
          <label htmlFor={`${p}-state`}>{t('field.state')}</label>
          <select
            id={`${p}-state`}
            value={scope.stateId}
            onChange={(e) => {
              scope.setStateId(e.target.value);
              set({ district: undefined });
            }}
          >
            {scope.states.map((s) => (
              <option key={s.id} value={s.id}>{unitName(s, lang)}</option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${p}-district`}>{t('field.district')}</label>
        <select
          id={`${p}-district`}
          value={value.district ?? ''}
          disabled={!!scope.fixedDistrict}
          onChange={(e) => set({ district: e.target.value || undefined })}
        >
          {!scope.fixedDistrict && <option value="">{t('filters.allDistricts')}</option>}
          {scope.districts.map((d) => (
            <option key={d.id} value={d.id}>{unitName(d, lang)}</option>
          ))}
        </select>
      </div>
      {has('type') && (
        <div className="field">
          <label htmlFor={`${p}-type`}>{t('field.type')}</label>
          <select id={`${p}-type`} value={value.type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
            <option value="">{t('filters.allTypes')}</option>
            {FACILITY_TYPES.map((c) => (
              <option key={c} value={c}>{t(`type.${c}`)}</option>
            ))}
          </select>
        </div>
      )}
      {has('ownership') && (
        <div className="field">
          <label htmlFor={`${p}-ownership`}>{t('field.ownership')}</label>
          <select
            id={`${p}-ownership`}
            value={value.ownership ?? ''}
            onChange={(e) => set({ ownership: e.target.value || undefined })}
          >
            <option value="">{t('filters.all')}</option>
            {OWNERSHIPS.map((c) => (
              <option key={c} value={c}>{t(`ownership.${c}`)}</option>
            ))}
          </select>
        </div>
      )}
      {has('portalStatus') && (
        <div className="field">
          <label htmlFor={`${p}-status`}>{t('field.portalStatus')}</label>
          <select
            id={`${p}-status`}
            value={value.portalStatus ?? ''}
            onChange={(e) => set({ portalStatus: e.target.value || undefined })}
          >
            <option value="">{t('filters.all')}</option>
            {PORTAL_STATUSES.map((c) => (
              <option key={c} value={c}>{t(`portalStatus.${c}`)}</option>
            ))}
          </select>
        </div>
      )}
      {has('q') && (
        <div className="field field-grow">
          <label htmlFor={`${p}-q`}>{t('filters.q')}</label>
          <div className="input-with-button">
            <input id={`${p}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            <button type="submit">{t('action.search')}</button>
          </div>
        </div>
      )}
    </form>
  );
}
