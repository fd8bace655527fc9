import { useEffect, useState } from 'react';
import { get } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { PatientRecord } from '../patients/patients.api.ts';
import { useTele, VitalsLine } from './bits.tsx';
import { patientConsultations, type PastConsultation, type TeleRequest } from './tele.api.ts';
import { DiagnosisList } from '../patients/DiagnosisName.tsx';

/** What the doctor needs before the call: who the patient is, the complaint and vitals, earlier consultations. */
export function PatientSummary({ request }: { request: TeleRequest }) {
  const { t, num, date } = useI18n();
  const tele = useTele();
  const [record, setRecord] = useState<PatientRecord | null>(null);
  const [past, setPast] = useState<PastConsultation[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    const s = ctrl.signal;
    get<PatientRecord>(`/api/patients/${encodeURIComponent(request.patientId)}`, { purpose: 'teleconsultation' }, s)
      .then(setRecord).catch((err) => !s.aborted && setProblem(tele.error(err)));
    patientConsultations(request.patientId, s)
      .then((r) => setPast(r.items.filter((c) => c.requestId !== request.id)))
      .catch(() => !s.aborted && setPast([]));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request.patientId, request.id]);

  const p = request.patient;
  return (
    <section className="panel tele-summary" aria-labelledby="tele-summary-title">
      <h3 id="tele-summary-title">{t('tele.patientSummary')}</h3>
      {problem && <p className="error">{problem}</p>}
      <dl className="facts facts-compact">
        <div className="fact"><dt>{t('patients.stateNumber')}</dt><dd className="mono">{p.stateNumber}</dd></div>
        <div className="fact"><dt>{t('patients.sexAge')}</dt><dd>{t(`patients.sex.${p.sex}`)} · {t('patients.ageYears', { age: num(p.age) })}</dd></div>
        {record?.bloodGroup && <div className="fact"><dt>{t('tele.bloodGroup')}</dt><dd>{record.bloodGroup}</dd></div>}
        {record && <div className="fact"><dt>{t('patients.place')}</dt><dd>{tele.name({ name: record.address.place ?? '—', nameHi: record.address.placeHi })}</dd></div>}
        <div className="fact"><dt>{t('tele.from')}</dt><dd>{request.spoke ? tele.name(request.spoke) : t('tele.fromHome')}</dd></div>
        <div className="fact"><dt>{t('tele.priorityLabel')}</dt><dd>{tele.priority(request.priority)}{request.priorityReason && request.priorityReason !== request.priority ? ` (${tele.priority(request.priorityReason)})` : ''}</dd></div>
        <div className="fact"><dt>{t('tele.complaint')}</dt><dd data-testid="tele-complaint">{request.complaint ?? '—'}</dd></div>
        <div className="fact"><dt>{t('tele.vitals')}</dt><dd><VitalsLine vitals={request.vitals} /></dd></div>
      </dl>
      <h4>{t('tele.previous')}</h4>
      {past === null && <p className="muted">{t('common.loading')}</p>}
      {past?.length === 0 && <p className="muted">{t('tele.noPrevious')}</p>}
      {past && past.length > 0 && (
        <ul className="tele-previous">
          {past.slice(0, 5).map((c) => (
            <li key={c.requestId}>
              <strong>{date(c.requestedAt)}</strong> · {tele.specialty(c)} · {tele.status(c.status ?? '')}
              {c.doctor && <> · {tele.name(c.doctor)}</>}
              {c.diagnoses.length > 0 && <div><DiagnosisList items={c.diagnoses} /></div>}
              {c.prescriptions.flatMap((rx) => rx.items).length > 0 && (
                <div className="sub">{c.prescriptions.flatMap((rx) => rx.items.map((i) => i.label)).join(', ')}</div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
