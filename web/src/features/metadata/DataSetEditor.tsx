import { useEffect, useMemo, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import { getForm, type DataSetForm } from '../hmis/hmis.api.ts';
import { ImportReportView } from './ImportReportView.tsx';
import {
  checkInt, dataSetJson, draftOf, elementJson, postMetadata, type DataSetDraft, type ElementDraft, type ImportReport,
} from './metadata.api.ts';

const LIMITS: Record<keyof DataSetDraft, number> = { timelyDays: 365, expiryDays: 3650, openFuturePeriods: 24 };

export function DataSetEditor({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<DataSetForm | null>(null);
  const [ds, setDs] = useState<DataSetDraft>({ timelyDays: '', expiryDays: '', openFuturePeriods: '' });
  const [elements, setElements] = useState<ElementDraft[]>([]);
  const [original, setOriginal] = useState<Map<string, string>>(new Map());
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getForm(id, ctrl.signal).then((f) => {
      setForm(f);
      setDs({ timelyDays: String(f.dataSet.timelyDays), expiryDays: String(f.dataSet.expiryDays), openFuturePeriods: String(f.dataSet.openFuturePeriods ?? 0) });
      const seen = new Set<string>();
      const list = f.sections.flatMap((s) => s.elements).filter((e) => !seen.has(e.id) && seen.add(e.id)).map(draftOf);
      setElements(list);
      setOriginal(new Map(list.map((e) => [e.id, JSON.stringify(e)])));
    }).catch((err) => !ctrl.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => ctrl.abort();
  }, [id, version]);

  const dsErrors = (Object.keys(LIMITS) as (keyof DataSetDraft)[]).filter((k) => !checkInt(ds[k], LIMITS[k]));
  const badNames = new Set(elements.filter((e) => e.name.trim().length < 2).map((e) => e.id));
  const changed = elements.filter((e) => original.get(e.id) !== JSON.stringify(e));
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return q ? elements.filter((e) => `${e.code ?? ''} ${e.name} ${e.nameHi} ${e.formName}`.toLowerCase().includes(q)) : elements;
  }, [elements, filter]);
  const edit = (eid: string, patch: Partial<ElementDraft>) => setElements((list) => list.map((e) => (e.id === eid ? { ...e, ...patch } : e)));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!form || dsErrors.length || badNames.size) return;
    setSaving(true);
    setError(null);
    setReport(null);
    try {
      const r = await postMetadata({ dataElements: changed.map(elementJson), dataSets: [dataSetJson(form, ds)] });
      setReport(r);
      if (r.status !== 'ERROR') setOriginal(new Map(elements.map((x) => [x.id, JSON.stringify(x)])));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  if (!form) return error ? <Notice kind="error">{error}</Notice> : <Notice kind="info">{t('common.loading')}</Notice>;
  const numField = (k: keyof DataSetDraft) => (
    <label className="field" key={k}>
      <span>{t(`metadata.${k}`)}</span>
      <input type="number" min={0} max={LIMITS[k]} step={1} id={`ds-${k}`} value={ds[k]} aria-invalid={dsErrors.includes(k)}
        onChange={(ev) => setDs({ ...ds, [k]: ev.target.value })} />
      {dsErrors.includes(k) && <small className="field-error">{t('metadata.badNumber', { max: LIMITS[k] })}</small>}
    </label>
  );
  return (
    <section aria-labelledby="ds-title">
      <p><a href="#/metadata">← {t('metadata.title')}</a></p>
      <div className="page-head"><h1 id="ds-title">{unitName(form.dataSet, lang)}</h1></div>
      <form onSubmit={save}>
        <fieldset className="field-row">
          <legend>{t('metadata.deadlines')} ({form.dataSet.periodType})</legend>
          {numField('timelyDays')}
          {numField('expiryDays')}
          {numField('openFuturePeriods')}
        </fieldset>
        <h2>{t('metadata.elements')}</h2>
        <input type="search" className="filter-input" aria-label={t('analytics.findItem')} placeholder={t('analytics.findItem')}
          value={filter} onChange={(ev) => setFilter(ev.target.value)} />
        <div className="table-wrap">
          <table className="data-table compact meta-table">
            <thead>
              <tr>
                <th scope="col">{t('metadata.code')}</th>
                <th scope="col">{t('metadata.nameEn')}</th>
                <th scope="col">{t('metadata.nameHi')}</th>
                <th scope="col">{t('metadata.formName')}</th>
                <th scope="col">{t('metadata.zeroIsSignificant')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id} data-element={e.id} className={original.get(e.id) !== JSON.stringify(e) ? 'changed' : undefined}>
                  <th scope="row">{e.code ?? e.id}</th>
                  <td>
                    <input type="text" value={e.name} aria-label={`${e.code ?? e.id} ${t('metadata.nameEn')}`} aria-invalid={badNames.has(e.id)}
                      onChange={(ev) => edit(e.id, { name: ev.target.value })} />
                    {badNames.has(e.id) && <small className="field-error">{t('validation.nameShort')}</small>}
                  </td>
                  <td><input type="text" lang="hi" value={e.nameHi} aria-label={`${e.code ?? e.id} ${t('metadata.nameHi')}`}
                    onChange={(ev) => edit(e.id, { nameHi: ev.target.value })} /></td>
                  <td><input type="text" value={e.formName} aria-label={`${e.code ?? e.id} ${t('metadata.formName')}`}
                    onChange={(ev) => edit(e.id, { formName: ev.target.value })} /></td>
                  <td><input type="checkbox" checked={e.zeroIsSignificant} aria-label={`${e.code ?? e.id} ${t('metadata.zeroIsSignificant')}`}
                    onChange={(ev) => edit(e.id, { zeroIsSignificant: ev.target.checked })} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="form-actions">
          <span className="muted">{t('metadata.changed', { count: changed.length })}</span>
          <button type="submit" disabled={saving || dsErrors.length > 0 || badNames.size > 0}>
            {saving ? t('common.saving') : t('action.save')}
          </button>
          <button type="button" className="secondary" onClick={() => { setReport(null); setVersion((v) => v + 1); }}>{t('metadata.reload')}</button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {report && <ImportReportView report={report} />}
    </section>
  );
}
