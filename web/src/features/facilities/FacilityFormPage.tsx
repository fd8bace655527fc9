import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { flash } from '../../components/Flash.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getChildren, unitName, type GeoUnit } from '../geo/geo.api.ts';
import { AYUSH_SYSTEMS, createFacility, FACILITY_TYPES, getFacility, OWNERSHIPS, SYSTEMS, updateFacility } from './facilities.api.ts';
import {
  EMPTY, formFieldOf, fromFacility, patchBody, toBody, validate,
  type FieldName, type FormValues,
} from './facilityForm.ts';
import { FormField, type Option } from './FormField.tsx';

export function FacilityFormPage({ id }: { id?: string }) {
  const { t, lang } = useI18n();
  const scope = useGeoScope();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [original, setOriginal] = useState<FormValues | null>(null);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [topError, setTopError] = useState<string | null>(null);
  /** The server's answer to the last save, with the fields it named: it goes once the data it was about changes. */
  const [serverTop, setServerTop] = useState<{ text: string; fields: FieldName[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [districts, setDistricts] = useState<GeoUnit[]>([]);
  const [blocks, setBlocks] = useState<GeoUnit[]>([]);

  // A new facility starts in the user's current state / district, once the user's area is known.
  useEffect(() => {
    if (!id && scope.ready) {
      setValues((v) => ({ ...v, state: v.state || scope.stateId, district: v.district || scope.fixedDistrict?.id || '' }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, scope.ready]);

  // The facility to edit is loaded once per id: not again when the user's area becomes known, which
  // (on a slow phone) could come after the user had started typing and would have put the old values back.
  useEffect(() => {
    if (!id) return;
    const ctrl = new AbortController();
    getFacility(id, ctrl.signal)
      .then((f) => {
        const v = fromFacility(f);
        setValues(v);
        setOriginal(v);
      })
      .catch((err) => !ctrl.signal.aborted && setTopError(err instanceof ApiError ? err.message : t('error.network')));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  useEffect(() => {
    if (scope.fixedDistrict) return setDistricts([scope.fixedDistrict]);
    if (!values.state) return setDistricts(scope.districts);
    let live = true;
    getChildren(values.state).then((d) => live && setDistricts(d)).catch(() => live && setDistricts([]));
    return () => {
      live = false;
    };
  }, [values.state, scope.fixedDistrict, scope.districts]);

  useEffect(() => {
    if (!values.district) return setBlocks([]);
    let live = true;
    getChildren(values.district).then((b) => live && setBlocks(b)).catch(() => live && setBlocks([]));
    return () => {
      live = false;
    };
  }, [values.district]);

  const errors = useMemo(() => validate(values), [values]);

  function set(name: FieldName, value: string) {
    setValues((v) => {
      const next = { ...v, [name]: value };
      if (name === 'state') { next.district = ''; next.block = ''; }
      if (name === 'district') next.block = '';
      if (name === 'system' && value !== 'ayush') next.ayushSystem = '';
      return next;
    });
    setServerErrors((e) => ({ ...e, [name]: undefined }));
    setServerTop((top) => {
      if (!top) return top;
      const left = top.fields.filter((f) => f !== name);
      return top.fields.length && left.length ? { ...top, fields: left } : null;
    });
  }

  function errorOf(name: FieldName): string | undefined {
    if (serverErrors[name]) return serverErrors[name];
    const key = errors[name];
    return key && (touched[name] || submitted) ? t(key) : undefined;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setTopError(null);
    setServerTop(null);
    if (Object.keys(errors).length > 0) {
      const first = Object.keys(errors)[0];
      document.getElementById(`facility-${first}`)?.focus();
      return;
    }
    // Editing: nothing is sent until the facility has loaded (else a save would create a second one).
    if (id && !original) return;
    setBusy(true);
    try {
      if (id && original) {
        const saved = await updateFacility(id, patchBody(original, values));
        flash(t('form.savedDone', { name: saved.name ?? values.name.trim() }));
        navigate(`/facilities/${encodeURIComponent(id)}`);
      } else {
        const created = await createFacility(toBody(values));
        flash(t('form.createdDone', { name: created.name ?? values.name.trim() }));
        if (values.state && scope.states) scope.setStateId(values.state);
        navigate('/facilities', { q: created.name ?? values.name.trim(), district: values.district });
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const byField: Partial<Record<FieldName, string>> = {};
      const unplaced: string[] = [];
      for (const f of err.fields) {
        // "latitude/longitude": a problem of the two together, shown beside both.
        const names = f.field.split('/').map(formFieldOf).filter((n): n is FieldName => !!n);
        const message = lang === 'hi' && f.messageHi ? f.messageHi : f.message;
        for (const name of names) byField[name] = message;
        if (!names.length) unplaced.push(`${f.field}: ${message}`);
      }
      setServerErrors(byField);
      // Every error the server returned reaches the top too (the summary), and goes when the data it named is changed.
      setServerTop({ text: [err.message, ...unplaced.filter((u) => !err.message.includes(u))].join(' — '), fields: unplaced.length ? [] : (Object.keys(byField) as FieldName[]) });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: FieldName, label: string, extra: Partial<Parameters<typeof FormField>[0]> = {}) => (
    <FormField
      id={`facility-${name}`}
      label={label}
      value={values[name]}
      error={errorOf(name)}
      onChange={(v) => set(name, v)}
      onBlur={() => setTouched((tt) => ({ ...tt, [name]: true }))}
      {...extra}
    />
  );
  const codes = (list: readonly string[], prefix: 'type' | 'ownership' | 'system' | 'ayushSystem'): Option[] =>
    list.map((c) => ({ value: c, label: t(`${prefix}.${c}` as Parameters<typeof t>[0]) }));
  const loading = !!id && !original;
  const units = (list: GeoUnit[]): Option[] => list.map((u) => ({ value: u.id, label: unitName(u, lang) }));

  return (
    <section aria-labelledby="form-title">
      <div className="page-head">
        <h1 id="form-title">{id ? t('form.editTitle') : t('form.newTitle')}</h1>
      </div>
      {topError && <Notice kind="error">{topError}</Notice>}
      {serverTop && <Notice kind="error">{serverTop.text}</Notice>}
      <form className="facility-form" onSubmit={submit} noValidate>
        {/* Editing: disabled until the facility has loaded, so nothing typed is overwritten by the load. */}
        <fieldset className="plain" disabled={loading} aria-busy={loading}>
        <fieldset>
          <legend>{t('form.identity')}</legend>
          {field('name', t('field.name'), { required: true })}
          {field('nameHi', t('field.nameHi'), { lang: 'hi' })}
          {field('type', t('field.type'), { required: true, options: codes(FACILITY_TYPES, 'type') })}
          {field('ownership', t('field.ownership'), { required: true, options: codes(OWNERSHIPS, 'ownership') })}
          {field('system', t('field.system'), { required: true, options: codes(SYSTEMS, 'system'), placeholder: false })}
          {values.system === 'ayush' &&
            field('ayushSystem', t('field.ayushSystem'), { required: true, options: codes(AYUSH_SYSTEMS, 'ayushSystem') })}
          {field('hfrId', t('field.hfrId'), { hint: t('hint.hfrId') })}
        </fieldset>
        <fieldset>
          <legend>{t('form.location')}</legend>
          {scope.states && field('state', t('field.state'), { required: true, options: units(scope.states) })}
          {field('district', t('field.district'), { required: true, options: units(districts), disabled: !!scope.fixedDistrict })}
          {field('block', t('field.blockOptional'), { options: units(blocks), emptyLabel: t('form.noBlock') })}
          {field('latitude', t('field.latitude'), { inputMode: 'decimal', hint: t('hint.latitude') })}
          {field('longitude', t('field.longitude'), { inputMode: 'decimal', hint: t('hint.longitude') })}
          {field('address', t('field.address'), { multiline: true })}
          {field('pincode', t('field.pincode'), { inputMode: 'numeric', maxLength: 6 })}
        </fieldset>
        <fieldset>
          <legend>{t('form.contact')}</legend>
          {field('phone', t('field.phone'), { type: 'tel', hint: t('hint.phone') })}
          {field('email', t('field.email'), { type: 'email' })}
        </fieldset>
        <fieldset>
          <legend>{t('form.capacity')}</legend>
          {field('beds', t('field.beds'), { inputMode: 'numeric' })}
          {field('hwc', t('field.hwc'), {
            options: [{ value: 'no', label: t('common.no') }, { value: 'yes', label: t('common.yes') }],
            placeholder: false,
          })}
          {field('desktops', t('field.desktops'), { inputMode: 'numeric' })}
          {field('webcams', t('field.webcams'), { inputMode: 'numeric' })}
        </fieldset>
        </fieldset>
        <div className="form-actions">
          <button type="submit" disabled={busy || loading}>{busy ? t('common.saving') : t('action.save')}</button>
          <a className="button secondary" href={id ? `#/facilities/${encodeURIComponent(id)}` : '#/facilities'}>
            {t('action.cancel')}
          </a>
        </div>
      </form>
    </section>
  );
}
