import { useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import type { PatientHit } from '../patients/patients.api.ts';
import { useTele } from './bits.tsx';
import { PatientPicker } from './PatientPicker.tsx';
import { useLiveHubs } from './live.ts';
import { createRequest, type NewRequest, type Priority, type TeleRequest } from './tele.api.ts';

const VITALS = ['bp', 'pulse', 'tempC', 'spo2', 'weightKg'] as const;
type VitalKey = (typeof VITALS)[number];
/** Plausible ranges; BP is systolic/diastolic. */
const RANGES: Record<Exclude<VitalKey, 'bp'>, [number, number]> = { pulse: [20, 250], tempC: [30, 45], spo2: [50, 100], weightKg: [0.5, 300] };

type Errors = Record<string, string>;

/** The CHO asks a hub for a consultation: the patient, complaint and vitals, hub and specialty, priority. */
export function RequestForm({ onCreated }: { onCreated: (r: TeleRequest) => void }) {
  const { t, num } = useI18n();
  const tele = useTele();
  const [patient, setPatient] = useState<PatientHit | null>(null);
  const [complaint, setComplaint] = useState('');
  const [vitals, setVitals] = useState<Record<VitalKey, string>>({ bp: '', pulse: '', tempC: '', spo2: '', weightKg: '' });
  const [choice, setChoice] = useState('');
  const [priority, setPriority] = useState<'' | Priority>('');
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Doctors online and people waiting, live: the server sends them again whenever a queue changes.
  const hubs = useLiveHubs(setTop);

  function check(): { e: Errors; body?: NewRequest } {
    const e: Errors = {};
    if (!patient) e.patientId = t('tele.err.patient');
    if (!choice) e.queue = t('tele.err.queue');
    const v: Record<string, number | string> = {};
    for (const k of VITALS) {
      const s = vitals[k].trim();
      if (!s) continue;
      if (k === 'bp') {
        const m = /^(\d{2,3})\s*\/\s*(\d{2,3})$/.exec(s);
        if (!m || Number(m[1]) <= Number(m[2])) e['vitals.bp'] = t('tele.err.bp');
        else v.bp = `${m[1]}/${m[2]}`;
        continue;
      }
      const n = Number(s.replace(',', '.'));
      const [min, max] = RANGES[k];
      if (!Number.isFinite(n) || n < min || n > max) e[`vitals.${k}`] = t('tele.err.range', { min: num(min), max: num(max) });
      else v[k] = n;
    }
    if (Object.keys(e).length || !patient) return { e };
    const [hubId = '', specialty = ''] = choice.split('|');
    return {
      e,
      body: {
        patientId: patient.id, hubId, specialty,
        ...(priority ? { priority } : {}),
        ...(complaint.trim() ? { complaint: complaint.trim() } : {}),
        ...(Object.keys(v).length ? { vitals: v } : {}),
      },
    };
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setTop(null);
    const { e, body } = check();
    setErrors(e);
    if (!body) return;
    setBusy(true);
    try {
      const r = await createRequest(body);
      setPatient(null);
      setComplaint('');
      setVitals({ bp: '', pulse: '', tempC: '', spo2: '', weightKg: '' });
      setPriority('');
      onCreated(r);
    } catch (err) {
      const p = tele.problems(err, (f) => f === 'patientId' || f === 'complaint' || f.startsWith('vitals.') || ['queue', 'specialty', 'hubId', 'priority'].includes(f));
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel tele-request-form" onSubmit={submit} noValidate aria-labelledby="tele-new-title">
      <h2 id="tele-new-title">{t('tele.newRequest')}</h2>
      {top && <Notice kind="error">{top}</Notice>}
      <PatientPicker value={patient} onChange={setPatient} error={errors.patientId} />
      <FormField id="tele-complaint" label={t('tele.complaint')} value={complaint} onChange={setComplaint} multiline error={errors.complaint} />
      <fieldset className="tele-vitals">
        <legend>{t('tele.vitals')}</legend>
        <div className="tele-vitals-grid">
          {VITALS.map((k) => (
            <FormField key={k} id={`tele-vital-${k}`} label={t(`tele.vital.${k}`)} value={vitals[k]} error={errors[`vitals.${k}`]}
              inputMode={k === 'bp' ? 'text' : 'decimal'} maxLength={7} hint={k === 'bp' ? t('tele.bpHint') : undefined}
              onChange={(val) => setVitals((s) => ({ ...s, [k]: val }))} />
          ))}
        </div>
      </fieldset>
      <fieldset className={`tele-queues${errors.queue || errors.specialty || errors.hubId ? ' has-error' : ''}`}>
        <legend>{t('tele.hubSpecialty')}</legend>
        {hubs === null && <p className="muted">{t('common.loading')}</p>}
        {hubs?.length === 0 && <p className="muted">{t('tele.noHubs')}</p>}
        {hubs?.map((h) => (
          <div key={h.id} className="tele-hub-choice">
            <div className="tele-hub-name">{tele.name(h)}</div>
            {h.specialties.map((s) => (
              <label key={s.code} className="radio tele-queue-option">
                <input type="radio" name="tele-queue" value={`${h.id}|${s.code}`} checked={choice === `${h.id}|${s.code}`}
                  onChange={(e) => setChoice(e.target.value)} />
                <span>{tele.specialty(s)}</span>
                <span className="sub">{t('tele.queueFacts', { online: num(s.doctorsOnline), waiting: num(s.waiting) })}</span>
              </label>
            ))}
          </div>
        ))}
        {(errors.queue || errors.specialty || errors.hubId) && <div className="error" role="alert">{errors.queue || errors.specialty || errors.hubId}</div>}
      </fieldset>
      <FormField id="tele-priority" label={t('tele.priorityLabel')} value={priority} onChange={(v) => setPriority(v as Priority | '')}
        placeholder={false} hint={t('tele.priorityHint')} error={errors.priority}
        options={[{ value: '', label: t('tele.priority.auto') }, { value: 'emergency', label: t('tele.priority.emergency') }]} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('tele.sendRequest')}</button>
      </div>
    </form>
  );
}
