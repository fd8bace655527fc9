import { useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PatientName } from '../patients/PatientBits.tsx';
import { StatusBadge, useTele } from './bits.tsx';
import { ConsultationForm } from './ConsultationForm.tsx';
import { PatientSummary } from './PatientSummary.tsx';
import { PrescriptionForm } from './PrescriptionForm.tsx';
import { ReferralForm } from './ReferralForm.tsx';
import { completeConsultation, noAnswer, startConsultation, type TeleRequest } from './tele.api.ts';

/** The patient the doctor called: summary, start the call or mark no answer, then record, prescribe, refer, complete. */
export function ConsultPanel({ request, onDone }: { request: TeleRequest; onDone: () => void }) {
  const { t, num } = useI18n();
  const tele = useTele();
  const [r, setR] = useState(request);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(fn: (id: string) => Promise<TeleRequest>, openRoom = false) {
    setBusy(true);
    setProblem(null);
    // A window opened before the await is not blocked as a pop-up.
    const win = openRoom ? window.open('about:blank', '_blank') : null;
    try {
      const next = await fn(r.id);
      setR(next);
      if (win && next.roomUrl) {
        win.opener = null;
        win.location.href = next.roomUrl;
      } else win?.close();
    } catch (err) {
      win?.close();
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  const ongoing = r.status === 'in_consultation';
  return (
    <section className="tele-consult" aria-labelledby="tele-consult-title" data-testid="tele-consult">
      <div className="page-head">
        <h2 id="tele-consult-title">{t('tele.tokenN', { n: num(r.token) })} · <PatientName p={r.patient} /></h2>
        <StatusBadge status={r.status} />
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <PatientSummary request={r} />
      {r.status === 'called' && (
        <div className="panel tele-actions">
          <p>{t('tele.calledDoctor', { spoke: r.spoke ? tele.name(r.spoke) : t('tele.fromHome') })}</p>
          <button type="button" disabled={busy} onClick={() => void act(startConsultation, true)}>{t('tele.startCall')}</button>{' '}
          <button type="button" className="secondary" disabled={busy} onClick={() => void act(noAnswer)}>{t('tele.noAnswer')}</button>
        </div>
      )}
      {ongoing && r.roomUrl && (
        <p className="tele-room">
          {t('tele.videoRoom')} <a href={r.roomUrl} target="_blank" rel="noopener noreferrer">{r.roomUrl}</a>
        </p>
      )}
      {ongoing && (
        <>
          <ConsultationForm requestId={r.id} />
          <PrescriptionForm requestId={r.id} />
          <ReferralForm request={r} />
          <div className="panel tele-actions">
            <button type="button" disabled={busy} onClick={() => void act(completeConsultation)}>{t('tele.complete')}</button>
          </div>
        </>
      )}
      {r.status === 'completed' && (
        <Notice kind="success">{t('tele.completedDoctor')}</Notice>
      )}
      {(r.status === 'waiting' || r.status === 'no_show') && (
        <Notice kind="info">{t(r.status === 'waiting' ? 'tele.requeued' : 'tele.markedNoShow')}</Notice>
      )}
      {!['called', 'in_consultation'].includes(r.status) && (
        <button type="button" onClick={onDone}>{t('tele.backToQueue')}</button>
      )}
    </section>
  );
}
