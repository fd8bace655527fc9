import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField, type Option } from '../facilities/FormField.tsx';
import { useGeoScope } from '../geo/GeoScope.tsx';
import { getChildren, unitName, type GeoUnit } from '../geo/geo.api.ts';
import { checkAbha, formatAbha } from './abha.ts';
import { DuplicatesPanel } from './DuplicatesPanel.tsx';
import { PatientName } from './PatientBits.tsx';
import { BLOOD_GROUPS, registerPatient, SEXES, type Patient, type Warning } from './patients.api.ts';
import {
  abhaNeedsConfirming, duplicateQuery, EMPTY_PATIENT, FIELD_ORDER, fieldOf, hasLatin, toBody, validate,
  type RegisterField, type RegisterValues,
} from './registerForm.ts';

/** Children of a unit at one level (empty on failure). */
function useChildren(parent: string, level: string): GeoUnit[] {
  const [list, setList] = useState<GeoUnit[]>([]);
  useEffect(() => {
    if (!parent) return setList([]);
    let live = true;
    getChildren(parent)
      .then((l) => live && setList(l.filter((u) => u.level.toLowerCase() === level)))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [parent, level]);
  return list;
}

/** Registration at a facility counter, with likely duplicates shown before a new record is made. */
export function RegisterPatientPage() {
  const { t, lang } = useI18n();
  const scope = useGeoScope();
  const [values, setValues] = useState<RegisterValues>(EMPTY_PATIENT);
  const [touched, setTouched] = useState<Partial<Record<RegisterField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<RegisterField, string>>>({});
  /** The top banner; `fields`: the server's answer about these fields (none: about the data as a whole), gone once one changes. */
  const [topError, setTopError] = useState<{ text: string; stateNumber?: string; fields?: string[] } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<(Patient & { warnings?: Warning[] }) | null>(null);

  // People may live anywhere in the state; a district-bound user starts at their own district.
  const districts = useChildren(scope.stateId, 'district');
  const blocks = useChildren(values.district, 'block');
  const villages = useChildren(values.block, 'village');
  useEffect(() => {
    if (scope.fixedDistrict) setValues((v) => (v.district ? v : { ...v, district: scope.fixedDistrict!.id }));
  }, [scope.fixedDistrict]);

  const problems = useMemo(() => validate(values), [values]);
  const dupQuery = useMemo(() => duplicateQuery(values), [values]);
  const abha = checkAbha(values.abha);

  function set(name: RegisterField, value: string) {
    setValues((v) => {
      const next = { ...v, [name]: value };
      if (name === 'district') { next.block = ''; next.village = ''; }
      if (name === 'block') next.village = '';
      return next;
    });
    setServerErrors((e) => ({ ...e, [name]: undefined }));
    setTopError((top) => (top?.fields && (!top.fields.length || top.fields.includes(name)) ? null : top));
  }

  // A field's error shows once it is left; a moment later, so that the error appearing (and moving
  // the form down) between mouse-down and mouse-up does not swallow a click on the submit button.
  function leave(name: RegisterField) {
    setTimeout(() => setTouched((tt) => (tt[name] ? tt : { ...tt, [name]: true })), 250);
  }

  function errorOf(name: RegisterField): string | undefined {
    if (serverErrors[name]) return serverErrors[name];
    const p = problems[name];
    return p && (touched[name] || submitted) ? t(p.key, p.params) : undefined;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setTopError(null);
    const first = FIELD_ORDER.find((f) => problems[f]);
    if (first) {
      document.getElementById(first === 'sex' ? `patient-sex-${SEXES[0]}` : `patient-${first}`)?.focus();
      return;
    }
    if (abhaNeedsConfirming(values)) setConfirming(true);
    else void send();
  }

  async function send() {
    setConfirming(false);
    setBusy(true);
    try {
      setCreated(await registerPatient(toBody(values)));
      window.scrollTo(0, 0);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setTopError({ text: t('error.network') });
        return;
      }
      const byField: Partial<Record<RegisterField, string>> = {};
      const unplaced: string[] = [];
      for (const f of err.fields) {
        const name = fieldOf(f.field);
        const message = lang === 'hi' && f.messageHi ? f.messageHi : f.message;
        if (name) byField[name] = message;
        else unplaced.push(message);
      }
      setServerErrors(byField);
      const stateNumber = typeof err.details?.['stateNumber'] === 'string' ? (err.details['stateNumber'] as string) : undefined;
      const placed = FIELD_ORDER.find((f) => byField[f]);
      // Errors the form can show beside their fields are shown there (and the first is focused).
      if (placed && !unplaced.length && !stateNumber) document.getElementById(placed === 'sex' ? `patient-sex-${SEXES[0]}` : `patient-${placed}`)?.focus();
      else setTopError({ text: [err.message, ...unplaced].join(' — '), stateNumber, fields: Object.keys(byField) });
    } finally {
      setBusy(false);
    }
  }

  if (created) return <Registered patient={created} onAnother={() => { setCreated(null); setValues({ ...EMPTY_PATIENT, district: values.district }); setSubmitted(false); setTouched({}); }} />;

  const field = (name: RegisterField, label: string, extra: Partial<Parameters<typeof FormField>[0]> = {}) => (
    <FormField
      id={`patient-${name}`}
      label={label}
      value={values[name]}
      error={errorOf(name)}
      onChange={(v) => set(name, v)}
      onBlur={() => leave(name)}
      {...extra}
    />
  );
  const units = (list: GeoUnit[]): Option[] => list.map((u) => ({ value: u.id, label: unitName(u, lang) }));
  const sexError = errorOf('sex');
  const abhaHint = abha.kind === 'ok' && !abha.luhnValid ? t('patients.abhaCheckWarning') : t('patients.hint.abha');

  return (
    <section aria-labelledby="register-title">
      <div className="page-head">
        <h1 id="register-title">{t('patients.registerTitle')}</h1>
        <a href="#/patients">{t('patients.backToSearch')}</a>
      </div>
      <p className="lead">{t('patients.registerLead')}</p>
      {topError && (
        <Notice kind="error">
          {topError.text}
          {topError.stateNumber && (
            <> <a href={`#/patients?q=${encodeURIComponent(topError.stateNumber)}`}>{t('patients.findExisting', { number: topError.stateNumber })}</a></>
          )}
        </Notice>
      )}
      <form className="facility-form patient-form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('patients.person')}</legend>
          {field('name', t('patients.name'), { required: true, hint: t('patients.hint.name') })}
          {hasLatin(values.name) && field('nameHi', t('patients.nameHi'), { lang: 'hi', hint: t('patients.hint.nameHi') })}
          <fieldset className={`radio-group${sexError ? ' has-error' : ''}`} aria-describedby={sexError ? 'patient-sex-error' : undefined}>
            <legend>{t('patients.sex')}<span className="required" aria-hidden="true"> *</span></legend>
            {SEXES.map((s) => (
              <label key={s} className="radio">
                <input type="radio" id={`patient-sex-${s}`} name="patient-sex" value={s} checked={values.sex === s}
                  required onChange={() => set('sex', s)} aria-invalid={sexError ? true : undefined} />
                {t(`patients.sex.${s}`)}
              </label>
            ))}
            {sexError && <div className="error" id="patient-sex-error" role="alert">{sexError}</div>}
          </fieldset>
          <div className="field-pair">
            {field('birthDate', t('patients.birthDate'), { type: 'date', hint: t('patients.hint.birth') })}
            {field('age', t('patients.age'), { inputMode: 'numeric', maxLength: 3, disabled: !!values.birthDate })}
          </div>
          {field('bloodGroup', t('patients.bloodGroup'), { options: BLOOD_GROUPS.map((b) => ({ value: b, label: b })), emptyLabel: t('patients.notKnown') })}
        </fieldset>
        <fieldset>
          <legend>{t('patients.address')}</legend>
          {field('district', t('field.district'), { required: true, options: units(districts) })}
          {field('block', t('field.blockOptional'), { options: units(blocks), emptyLabel: t('form.noBlock'), disabled: !blocks.length })}
          {villages.length > 0 && field('village', t('patients.villageOptional'), { options: units(villages), emptyLabel: t('patients.notKnown') })}
          {field('line', t('patients.addressLine'), { multiline: true, hint: t('patients.hint.addressLine') })}
        </fieldset>
        <fieldset>
          <legend>{t('patients.contactIds')}</legend>
          {field('mobile', t('patients.mobile'), { type: 'tel', inputMode: 'numeric', maxLength: 16, hint: t('patients.hint.mobile') })}
          <FormField
            id="patient-abha"
            label={t('patients.abhaNumber')}
            value={values.abha}
            error={errorOf('abha')}
            hint={abhaHint}
            inputMode="numeric"
            maxLength={17}
            // Digits are grouped as on the card while typing; anything else is left for the check to name.
            onChange={(v) => set('abha', /^[\d\s\-\u0966-\u096F]*$/.test(v) ? formatAbha(v) : v)}
            onBlur={() => leave('abha')}
          />
          {field('abhaAddress', t('patients.abhaAddress'), { hint: t('patients.hint.abhaAddress') })}
          {field('aadhaar', t('patients.aadhaar'), { inputMode: 'numeric', maxLength: 14, hint: t('patients.hint.aadhaar') })}
        </fieldset>
        <DuplicatesPanel query={dupQuery} />
        <div className="form-actions">
          <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('patients.register')}</button>
          <a className="button secondary" href="#/patients">{t('action.cancel')}</a>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('patients.abhaConfirmTitle')}
        confirmLabel={t('patients.abhaConfirmYes')}
        cancelLabel={t('patients.abhaConfirmNo')}
        busy={busy}
        onConfirm={() => void send()}
        onCancel={() => {
          setConfirming(false);
          document.getElementById('patient-abha')?.focus();
        }}
      >
        <p>{t('patients.abhaConfirmText', { abha: abha.kind === 'ok' ? abha.formatted : values.abha })}</p>
      </ConfirmDialog>
    </section>
  );
}

/** After registration: the state number, any warnings, and what to do next. */
function Registered({ patient, onAnother }: { patient: Patient & { warnings?: Warning[] }; onAnother: () => void }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="registered-title">
      <h1 id="registered-title">{t('patients.registeredTitle')}</h1>
      <Notice kind="success">
        <PatientName p={patient} /> — {t('patients.registeredNumber')}{' '}
        <strong className="state-number" data-testid="state-number">{patient.stateNumber}</strong>
      </Notice>
      {patient.warnings?.map((w) => (
        <div key={w.code} className="notice notice-warn" role="status">{lang === 'hi' ? w.messageHi : w.message}</div>
      ))}
      <div className="form-actions">
        <a className="button" href={`#/patients/${encodeURIComponent(patient.id)}`}>{t('patients.openRecord')}</a>
        <button type="button" className="secondary" onClick={onAnother}>{t('patients.registerAnother')}</button>
        <a className="button secondary" href="#/patients">{t('patients.backToSearch')}</a>
      </div>
    </section>
  );
}
