import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { DiagnosisName } from '../patients/DiagnosisName.tsx';
import { useTele } from './bits.tsx';
import { patientConsultations, type PastConsultation } from './tele.api.ts';

/**
 * The teleconsultation a referral came from, as the receiving hospital reads it: the complaint, what
 * the doctor wrote and who they are. The referral opened the record to the hospital; the read is logged.
 */
export function ReferralNotes({ patientId, requestId }: { patientId: string; requestId: string | null }) {
  const { t, date } = useI18n();
  const tele = useTele();
  const [c, setC] = useState<PastConsultation | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    patientConsultations(patientId, ctrl.signal)
      .then((r) => setC(r.items.find((x) => x.requestId === requestId) ?? r.items[0] ?? null))
      .catch((err) => !ctrl.signal.aborted && setProblem(tele.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId, requestId]);

  if (problem) return <p className="error" role="alert">{problem}</p>;
  if (c === undefined) return <p className="muted">{t('common.loading')}</p>;
  if (c === null) return <p className="muted">{t('tele.noNotes')}</p>;
  return (
    <dl className="facts tele-ref-notes" data-testid="tele-ref-notes">
      <div className="fact"><dt>{t('tele.consultedOn')}</dt><dd>{date(c.requestedAt)} · {tele.specialty(c)} · {tele.name(c.hub)}{c.doctor && <> · {tele.name(c.doctor)}</>}</dd></div>
      <div className="fact"><dt>{t('tele.complaint')}</dt><dd className="tele-pre">{c.complaint ?? '—'}</dd></div>
      <div className="fact"><dt>{t('tele.diagnoses')}</dt><dd>
        {c.diagnoses.length ? <ul className="tele-diagnoses">{c.diagnoses.map((d) => <li key={d.code}><DiagnosisName d={d} /></li>)}</ul> : '—'}
      </dd></div>
      <div className="fact"><dt>{t('tele.notes')}</dt><dd className="tele-pre">{c.notes ?? '—'}</dd></div>
      <div className="fact"><dt>{t('tele.advice')}</dt><dd className="tele-pre">{c.advice ?? '—'}</dd></div>
    </dl>
  );
}
