import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { flash } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { FormField } from '../facilities/FormField.tsx';
import { BLOOD_GROUPS, namesOf, SEXES } from './patients.api.ts';
import { editPatient, getEditable, type EditableRecord, type PatientEdit } from './patients.edit.api.ts';
import './edit.css';

type Field = 'name' | 'nameHi' | 'sex' | 'birthDate' | 'age' | 'mobile' | 'addressLine' | 'abha' | 'abhaAddress' | 'aadhaar' | 'bloodGroup';
type Values = Record<Field, string> & { estimated: boolean };

/** The form's values from a record: an estimated birth date is edited as an age. */
function valuesOf(r: EditableRecord): Values {
  return {
    name: r.name, nameHi: r.nameHi && r.nameHi !== r.name ? r.nameHi : '', sex: r.sex,
    birthDate: r.birthDateEstimated ? '' : r.birthDate, age: r.birthDateEstimated ? String(r.age) : '', estimated: !!r.birthDateEstimated,
    mobile: r.mobile ?? '', addressLine: r.address.line ?? '', abha: r.abha ?? '', abhaAddress: r.abhaAddress ?? '', aadhaar: '', bloodGroup: r.bloodGroup ?? '',
  };
}

/** Only what the clerk changed goes to the server, with the version the form was opened on. */
function changesOf(from: Values, to: Values, version: string): PatientEdit {
  const body: PatientEdit = { version };
  const put = <K extends keyof PatientEdit>(k: K, v: PatientEdit[K]) => { body[k] = v; };
  if (to.name.trim() !== from.name) put('name', to.name.trim());
  if (to.nameHi.trim() !== from.nameHi) put('nameHi', to.nameHi.trim());
  if (to.sex !== from.sex) put('sex', to.sex as PatientEdit['sex']);
  if (to.estimated) { if (to.age !== from.age || !from.estimated) put('age', Number(to.age)); }
  else if (to.birthDate !== from.birthDate || from.estimated) put('birthDate', to.birthDate);
  for (const k of ['mobile', 'addressLine', 'abha', 'abhaAddress', 'bloodGroup'] as const) if (to[k].trim() !== from[k]) put(k, to[k].trim());
  if (to.aadhaar.trim()) put('aadhaar', to.aadhaar.trim());
  return body;
}

/**
 * Editing a patient's demographics. The form is opened on the record's version; when someone else
 * saved a change meanwhile, the server refuses (409) and the clerk reloads to see it before editing again.
 */
export function PatientEditPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const apiErrors = useApiErrors();
  const [record, setRecord] = useState<EditableRecord | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<Values | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getEditable(id, ctrl.signal)
      .then((r) => { setRecord(r); setValues(valuesOf(r)); setStale(false); setTop(null); setErrors({}); })
      .catch((err) => !ctrl.signal.aborted && setLoadError(apiErrors.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, reload]);

  if (loadError) return <section><h1>{t('patients.edit.title')}</h1><Notice kind="error">{loadError}</Notice></section>;
  if (!record || !values) return <Notice kind="info">{t('common.loading')}</Notice>;

  const recordHref = `#/patients/${encodeURIComponent(record.id)}`;
  const { main } = namesOf(record, lang);
  const set = (k: Field, v: string) => { setValues((old) => (old ? { ...old, [k]: v } : old)); setErrors((e) => ({ ...e, [k]: '' })); };
  const field = (k: Field, extra: Partial<Parameters<typeof FormField>[0]> = {}) => (
    <FormField id={`edit-${k}`} label={t(`patients.edit.${k}`)} value={values[k]} onChange={(v) => set(k, v)} error={errors[k] || undefined} {...extra} />
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!record || !values) return;
    const body = changesOf(valuesOf(record), values, record.version);
    if (Object.keys(body).length === 1) { setTop(t('patients.edit.nothing')); return; }
    setBusy(true);
    setTop(null);
    try {
      await editPatient(record.id, body);
      flash(t('patients.edit.saved'));
      navigate(`/patients/${encodeURIComponent(record.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.details?.['field'] === 'version') {
        setStale(true);
        setTop(err.message);
      } else {
        const { errors: byField, top: message } = apiErrors.problems(err, (f) => f in values);
        setErrors(byField);
        setTop(message);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="edit-title">
      <p className="breadcrumb"><a href="#/patients">{t('patients.title')}</a> › <a href={recordHref}>{main}</a></p>
      <h1 id="edit-title">{t('patients.edit.title')}</h1>
      <p className="muted">{t('patients.stateNumber')}: <strong className="mono">{record.stateNumber}</strong></p>
      {record.mergedInto && <Notice kind="info">{t('patients.edit.merged')}</Notice>}
      {top && (
        <div role="alert">
          <Notice kind="error">
            {top}
            {stale && <>{' '}<button type="button" className="secondary small" onClick={() => setReload((n) => n + 1)}>{t('patients.edit.reload')}</button></>}
          </Notice>
        </div>
      )}
      <form className="edit-form" onSubmit={submit} noValidate>
        {field('name', { required: true, maxLength: 200 })}
        {field('nameHi', { lang: 'hi', maxLength: 200, hint: t('patients.edit.nameHiHint') })}
        {field('sex', { options: SEXES.map((s) => ({ value: s, label: t(`patients.sex.${s}`) })), placeholder: false })}
        <fieldset className="inline-choices">
          <legend>{t('patients.edit.birth')}</legend>
          <label>
            <input type="checkbox" checked={values.estimated} onChange={(e) => setValues({ ...values, estimated: e.target.checked })} />{' '}
            {t('patients.edit.estimated')}
          </label>
          {values.estimated
            ? field('age', { type: 'number', inputMode: 'numeric' })
            : field('birthDate', { type: 'date' })}
        </fieldset>
        {field('mobile', { type: 'tel', inputMode: 'tel', maxLength: 20 })}
        {field('addressLine', { maxLength: 300 })}
        {field('abha', { inputMode: 'numeric', maxLength: 30 })}
        {field('abhaAddress', { maxLength: 60 })}
        {field('aadhaar', { inputMode: 'numeric', maxLength: 20, hint: record.aadhaarLast4 ? t('patients.edit.aadhaarKept', { last4: record.aadhaarLast4 }) : t('patients.edit.aadhaarHint') })}
        {field('bloodGroup', { options: BLOOD_GROUPS.map((b) => ({ value: b, label: b })), emptyLabel: '—' })}
        <div className="form-actions">
          <button type="submit" disabled={busy || stale}>{busy ? t('common.saving') : t('patients.edit.save')}</button>{' '}
          <a className="button secondary" href={recordHref}>{t('patients.edit.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
