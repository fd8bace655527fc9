import { useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { asciiDigits } from './abha.ts';
import { IcdPicker, type Diagnosis } from './IcdPicker.tsx';
import { recordVisit, VITALS, type NewVisit, type Prescription, type VisitCreated, type VitalKey } from './visits.api.ts';

interface RxValues { drug: string; dose: string; frequency: string; days: string }
const emptyRx = (): RxValues => ({ drug: '', dose: '', frequency: '', days: '' });
const VITAL_ORDER: VitalKey[] = ['systolic', 'diastolic', 'pulse', 'temperatureC', 'weightKg', 'spo2'];
const UNITS: Record<VitalKey, string> = { systolic: 'mmHg', diastolic: 'mmHg', pulse: '/min', temperatureC: '°C', weightKg: 'kg', spo2: '%' };

type Errors = Record<string, string>;

const numberOf = (text: string): number | null => {
  const s = asciiDigits(text).trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : null;
};

/** A new OPD visit at the user's facility: complaint, vitals, ICD-10 diagnoses, notes and prescription lines. */
export function VisitForm({ patientId, onRecorded, onCancel }: { patientId: string; onRecorded: (v: VisitCreated) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { problems } = useApiErrors();
  const [complaint, setComplaint] = useState('');
  const [vitals, setVitals] = useState<Record<VitalKey, string>>({ systolic: '', diastolic: '', pulse: '', temperatureC: '', weightKg: '', spo2: '' });
  const [diagnoses, setDiagnoses] = useState<Diagnosis[]>([]);
  const [notes, setNotes] = useState('');
  const [rx, setRx] = useState<RxValues[]>([emptyRx()]);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function check(): { errors: Errors; body: NewVisit } {
    const e: Errors = {};
    const v: Record<string, number> = {};
    for (const k of VITAL_ORDER) {
      if (!vitals[k].trim()) continue;
      const n = numberOf(vitals[k]);
      const [min, max] = VITALS[k];
      if (n === null) e[`vitals.${k}`] = t('visits.err.number');
      else if (n < min || n > max) e[`vitals.${k}`] = t('visits.err.range', { min, max, unit: UNITS[k] });
      else v[k] = n;
    }
    if (!!vitals.systolic.trim() !== !!vitals.diastolic.trim()) e[vitals.systolic.trim() ? 'vitals.diastolic' : 'vitals.systolic'] = t('visits.err.bpBoth');
    const lines: Prescription[] = [];
    rx.forEach((r, i) => {
      if (!r.drug.trim() && !r.dose.trim() && !r.frequency.trim() && !r.days.trim()) return;
      if (!r.drug.trim()) e[`prescriptions.${i}.drug`] = t('visits.err.drug');
      const days = r.days.trim() ? numberOf(r.days) : null;
      if (r.days.trim() && (days === null || !Number.isInteger(days) || days < 1 || days > 365)) e[`prescriptions.${i}.days`] = t('visits.err.days');
      lines.push({ drug: r.drug.trim(), ...(r.dose.trim() ? { dose: r.dose.trim() } : {}), ...(r.frequency.trim() ? { frequency: r.frequency.trim() } : {}), ...(days ? { days } : {}) });
    });
    if (!complaint.trim() && !diagnoses.length) e.complaint = t('visits.err.empty');
    const body: NewVisit = {
      patientId,
      ...(complaint.trim() ? { complaint: complaint.trim() } : {}),
      ...(Object.keys(v).length ? { vitals: v } : {}),
      ...(diagnoses.length ? { diagnoses: diagnoses.map((d) => d.code) } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(lines.length ? { prescriptions: lines } : {}),
    };
    return { errors: e, body };
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setTop(null);
    const { errors: e, body } = check();
    setErrors(e);
    if (Object.keys(e).length) {
      document.querySelector<HTMLElement>('.visit-form [aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await recordVisit(body);
      onRecorded({ ...created, named: created.diagnoses.map((code) => diagnoses.find((d) => d.code.replace('.', '') === code.replace('.', '')) ?? { code, title: null }) });
    } catch (err) {
      const { errors: byField, top: text } = problems(err, (f) => f === 'complaint' || f === 'diagnoses' || f.startsWith('vitals.') || f.startsWith('prescriptions.'));
      setErrors(byField);
      setTop(text);
    } finally {
      setBusy(false);
    }
  }

  const vital = (k: VitalKey) => (
    <FormField key={k} id={`visit-${k}`} label={t(`visits.vital.${k}`)} value={vitals[k]} error={errors[`vitals.${k}`]}
      inputMode="decimal" maxLength={6} onChange={(val) => setVitals((s) => ({ ...s, [k]: val }))} />
  );
  const setLine = (i: number, f: keyof RxValues, val: string) => setRx((list) => list.map((r, j) => (j === i ? { ...r, [f]: val } : r)));

  return (
    <form className="visit-form" onSubmit={submit} noValidate aria-labelledby="visit-form-title">
      <h3 id="visit-form-title">{t('visits.new')}</h3>
      {top && <Notice kind="error">{top}</Notice>}
      <FormField id="visit-complaint" label={t('visits.complaint')} value={complaint} error={errors.complaint} multiline onChange={setComplaint} />
      <fieldset className="visit-vitals">
        <legend>{t('visits.vitals')}</legend>
        <div className="visit-vitals-grid">{VITAL_ORDER.map(vital)}</div>
      </fieldset>
      <IcdPicker value={diagnoses} onChange={setDiagnoses} error={errors.diagnoses} />
      <FormField id="visit-notes" label={t('visits.notes')} value={notes} multiline onChange={setNotes} />
      <fieldset className="visit-rx">
        <legend>{t('visits.prescriptions')}</legend>
        {rx.map((r, i) => (
          <div className="visit-rx-line" key={i} role="group" aria-label={t('visits.rxLine', { n: i + 1 })}>
            <FormField id={`rx-${i}-drug`} label={t('visits.drug')} value={r.drug} error={errors[`prescriptions.${i}.drug`]} onChange={(v) => setLine(i, 'drug', v)} />
            <FormField id={`rx-${i}-dose`} label={t('visits.dose')} value={r.dose} onChange={(v) => setLine(i, 'dose', v)} />
            <FormField id={`rx-${i}-frequency`} label={t('visits.frequency')} value={r.frequency} onChange={(v) => setLine(i, 'frequency', v)} />
            <FormField id={`rx-${i}-days`} label={t('visits.days')} value={r.days} inputMode="numeric" maxLength={3} error={errors[`prescriptions.${i}.days`]} onChange={(v) => setLine(i, 'days', v)} />
            {rx.length > 1 && (
              <button type="button" className="secondary small" onClick={() => setRx((list) => list.filter((_, j) => j !== i))}>
                {t('visits.removeLine', { n: i + 1 })}
              </button>
            )}
          </div>
        ))}
        {rx.length < 30 && <button type="button" className="secondary small" onClick={() => setRx((list) => [...list, emptyRx()])}>{t('visits.addLine')}</button>}
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('visits.save')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}
