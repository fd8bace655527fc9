import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { listVisits, type Visit, type VisitCreated } from './visits.api.ts';
import { VisitForm } from './VisitForm.tsx';
import './care.css';
import { DiagnosisName } from './DiagnosisName.tsx';

/** A patient's OPD visits, newest first, and (for staff of a facility) the form for a new one. */
export function VisitsPanel({ patientId }: { patientId: string }) {
  const { t, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const me = useMe();
  const mayRecord = can(me, 'can_read_patient') && me.orgUnit.level.toLowerCase() === 'facility';
  const [visits, setVisits] = useState<Visit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<VisitCreated | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    listVisits(patientId, ctrl.signal)
      .then((r) => {
        setVisits(r.items);
        setError(null);
      })
      .catch((err) => !ctrl.signal.aborted && setError(errorText(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId, reload]);

  return (
    <section className="visits-panel" aria-labelledby="visits-title">
      <div className="page-head">
        <h2 id="visits-title">{t('visits.title')}</h2>
        {mayRecord && !adding && (
          <button type="button" onClick={() => { setAdding(true); setDone(null); }}>{t('visits.new')}</button>
        )}
      </div>
      {done && (
        <Notice kind="success">
          {t('visits.recorded', { codes: (done.named ?? done.diagnoses.map((code) => ({ code, title: null }))).map((d) => `${d.code} ${d.title ?? ''}`.trim()).join('; ') || '—' })}
          {done.warnings?.map((w) => <span key={w.code}> {lang === 'hi' ? w.messageHi : w.message}</span>)}
        </Notice>
      )}
      {adding && (
        <VisitForm patientId={patientId} onCancel={() => setAdding(false)}
          onRecorded={(v) => { setDone(v); setAdding(false); setReload((n) => n + 1); }} />
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {!visits && !error && <p className="muted">{t('common.loading')}</p>}
      {visits && visits.length === 0 && <p className="muted">{t('visits.none')}</p>}
      {visits && visits.length > 0 && (
        <ol className="visit-list">
          {visits.map((v) => <VisitItem key={v.id} v={v} />)}
        </ol>
      )}
    </section>
  );
}

function VisitItem({ v }: { v: Visit }) {
  const { t, lang, num } = useI18n();
  const vit = v.vitals ?? {};
  const parts: string[] = [];
  if (vit.systolic !== undefined && vit.diastolic !== undefined) parts.push(`${t('visits.bp')} ${vit.systolic}/${vit.diastolic} mmHg`);
  if (vit.pulse !== undefined) parts.push(`${t('visits.pulse')} ${num(vit.pulse)}/min`);
  if (vit.temperatureC !== undefined) parts.push(`${vit.temperatureC} °C`);
  if (vit.weightKg !== undefined) parts.push(`${vit.weightKg} kg`);
  if (vit.spo2 !== undefined) parts.push(`SpO₂ ${vit.spo2}%`);
  return (
    <li className="visit-item">
      <div className="visit-head">
        <strong>{formatDateTime(v.at)}</strong>
        <span className="muted"> · {lang === 'hi' && v.facilityHi ? v.facilityHi : v.facility}</span>
      </div>
      {v.complaint && <p className="visit-complaint">{v.complaint}</p>}
      {parts.length > 0 && <p className="muted">{parts.join(' · ')}</p>}
      {v.diagnoses.length > 0 && (
        <ul className="visit-diagnoses" aria-label={t('visits.diagnoses')}>
          {v.diagnoses.map((d) => <li key={d.code}><DiagnosisName d={d} /></li>)}
        </ul>
      )}
      {v.prescriptions.length > 0 && (
        <ul className="visit-rx-list" aria-label={t('visits.prescriptions')}>
          {v.prescriptions.map((p, i) => (
            <li key={i}>
              <strong>{p.drug}</strong>
              {[p.dose, p.frequency, p.days ? t('visits.forDays', { days: p.days }) : null].filter(Boolean).map((x) => ` · ${x}`).join('')}
            </li>
          ))}
        </ul>
      )}
      {v.notes && <p className="visit-notes">{v.notes}</p>}
    </li>
  );
}
