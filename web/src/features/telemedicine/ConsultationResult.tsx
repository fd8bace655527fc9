import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTele } from './bits.tsx';
import { DispenseForm } from './DispenseForm.tsx';
import { getConsultation, type Consultation } from './tele.api.ts';
import { DiagnosisName } from '../patients/DiagnosisName.tsx';

/** What the doctor wrote (notes, diagnoses, advice, follow-up) and the prescriptions, to hand over at the spoke. */
export function ConsultationResult({ requestId }: { requestId: string }) {
  const { t, date } = useI18n();
  const tele = useTele();
  const [c, setC] = useState<Consultation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    getConsultation(requestId, ctrl.signal).then(setC).catch((err) => !ctrl.signal.aborted && setProblem(tele.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestId]);

  if (problem) return <Notice kind="error">{problem}</Notice>;
  if (!c) return <p className="muted">{t('common.loading')}</p>;
  return (
    <div className="tele-result" aria-labelledby="tele-result-title">
      <h3 id="tele-result-title">{t('tele.result')}</h3>
      <dl className="facts">
        <div className="fact"><dt>{t('tele.diagnoses')}</dt><dd>
          {c.diagnoses.length ? (
            <ul className="tele-diagnoses">{c.diagnoses.map((d) => <li key={d.code}><DiagnosisName d={d} /></li>)}</ul>
          ) : '—'}
        </dd></div>
        <div className="fact"><dt>{t('tele.notes')}</dt><dd className="tele-pre">{c.notes ?? '—'}</dd></div>
        <div className="fact"><dt>{t('tele.advice')}</dt><dd className="tele-pre">{c.advice ?? '—'}</dd></div>
        <div className="fact"><dt>{t('tele.followUp')}</dt><dd>{c.followUpOn ? date(c.followUpOn) : '—'}</dd></div>
      </dl>
      {(c.prescriptions ?? []).length === 0 && <p className="muted">{t('tele.noPrescription')}</p>}
      {(c.prescriptions ?? []).map((p) => <DispenseForm key={p.id} prescriptionId={p.id} />)}
    </div>
  );
}
