import { useEffect, useMemo, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { listFacilities, type Facility } from '../facilities/facilities.api.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { unitName } from '../geo/geo.api.ts';
import { listDiseases, recentWeeks, submitReport, weekSpan, type Disease, type Named, type StoredReport } from './surveillance.api.ts';

/** A facility's weekly S, P or L report: cases (and deaths) per disease. */
export function WeeklyEntry() {
  const { t, num, lang } = useI18n();
  const me = useMe();
  const scope = useGeoScope();
  const atFacility = me.orgUnit.level.toLowerCase() === 'facility';
  const weeks = useMemo(() => recentWeeks(12), []);
  const [forms, setForms] = useState<Named[]>([]);
  const [diseases, setDiseases] = useState<Disease[]>([]);
  const [form, setForm] = useState('S');
  const [week, setWeek] = useState(weeks[0]!);
  const [district, setDistrict] = useState('');
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [orgUnit, setOrgUnit] = useState(atFacility ? me.orgUnit.id : '');
  const [counts, setCounts] = useState<Record<string, { cases: string; deaths: string }>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<StoredReport | null>(null);
  const name = (n: { name: string; nameHi?: string | null }) => unitName(n, lang);
  const dist = scope.fixedDistrict?.id ?? district;

  useEffect(() => {
    listDiseases().then((r) => { setForms(r.forms); setDiseases(r.items); }).catch((e) => setError(String(e?.message ?? e)));
  }, []);
  useEffect(() => {
    if (atFacility || !dist) return;
    listFacilities({ district: dist, limit: 200 }).then((p) => setFacilities(p.items)).catch(() => setFacilities([]));
  }, [dist, atFacility]);

  const list = diseases.filter((d) => d.form === form);
  const bad = list.filter((d) => ['cases', 'deaths'].some((k) => {
    const v = counts[d.code]?.[k as 'cases' | 'deaths'] ?? '';
    return v !== '' && !/^\d{1,7}$/.test(v.trim());
  }));
  const deathsOver = list.filter((d) => Number(counts[d.code]?.deaths || 0) > Number(counts[d.code]?.cases || 0));
  const set = (code: string, k: 'cases' | 'deaths', v: string) =>
    setCounts((c) => ({ ...c, [code]: { cases: c[code]?.cases ?? '', deaths: c[code]?.deaths ?? '', [k]: v } }));

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!orgUnit || bad.length || deathsOver.length) return;
    setBusy(true);
    setError(null);
    setStored(null);
    try {
      const body = list.filter((d) => counts[d.code]?.cases || counts[d.code]?.deaths).map((d) => ({
        disease: d.code, cases: Number(counts[d.code]?.cases || 0), deaths: Number(counts[d.code]?.deaths || 0),
      }));
      setStored(await submitReport({ orgUnit, week, form, counts: body }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={send} className="idsp-entry">
      <div className="field-row">
        {!atFacility && !scope.fixedDistrict && (
          <label className="field"><span>{t('field.district')}</span>
            <select value={district} onChange={(e) => { setDistrict(e.target.value); setOrgUnit(''); }}>
              <option value="">{t('form.choose')}</option>
              {scope.districts.map((d) => <option key={d.id} value={d.id}>{name(d)}</option>)}
            </select>
          </label>
        )}
        {!atFacility && (
          <label className="field"><span>{t('hmis.facility')}</span>
            <select id="idsp-facility" value={orgUnit} onChange={(e) => setOrgUnit(e.target.value)}>
              <option value="">{t('form.choose')}</option>
              {facilities.map((f) => <option key={f.id} value={f.id}>{name(f)}</option>)}
            </select>
          </label>
        )}
        <label className="field"><span>{t('idsp.week')}</span>
          <select id="idsp-week" value={week} onChange={(e) => setWeek(e.target.value)}>
            {weeks.map((w) => <option key={w} value={w}>{`${w} (${weekSpan(w)})`}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('idsp.form')}</span>
          <select id="idsp-form" value={form} onChange={(e) => setForm(e.target.value)}>
            {forms.map((f) => <option key={f.code} value={f.code}>{`${f.code} — ${name(f)}`}</option>)}
          </select>
        </label>
      </div>
      <div className="table-wrap">
        <table className="data-table compact">
          <thead><tr><th scope="col">{t('idsp.disease')}</th><th scope="col" className="num">{t('idsp.cases')}</th><th scope="col" className="num">{t('idsp.deaths')}</th></tr></thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.code}>
                <th scope="row">{name(d)}{d.alertAt !== null && <span className="sub"> · {t('idsp.alertAt', { n: num(d.alertAt) })}</span>}</th>
                {(['cases', 'deaths'] as const).map((k) => (
                  <td key={k} className="num">
                    <input type="text" inputMode="numeric" size={6} data-disease={d.code} data-kind={k} value={counts[d.code]?.[k] ?? ''}
                      aria-label={`${name(d)} ${t(k === 'cases' ? 'idsp.cases' : 'idsp.deaths')}`}
                      aria-invalid={bad.includes(d) || (k === 'deaths' && deathsOver.includes(d))}
                      onChange={(e) => set(d.code, k, e.target.value)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {bad.length > 0 && <Notice kind="error">{t('validation.count')}</Notice>}
      {deathsOver.length > 0 && <Notice kind="error">{t('idsp.deathsOver')}</Notice>}
      <p className="muted">{t('idsp.nilHint')}</p>
      <button type="submit" disabled={busy || !orgUnit || bad.length > 0 || deathsOver.length > 0}>
        {busy ? t('common.saving') : t('action.submit')}
      </button>
      {error && <Notice kind="error">{error}</Notice>}
      {stored && (
        <Notice kind="success">
          {t(stored.replaced ? 'idsp.replaced' : 'idsp.saved', { week: stored.week, unit: name(stored.orgUnit), count: num(stored.counts.length) })}
        </Notice>
      )}
    </form>
  );
}
