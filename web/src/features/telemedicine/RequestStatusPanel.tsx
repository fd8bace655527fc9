import { useEffect, useRef, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PatientName } from '../patients/PatientBits.tsx';
import { StatusBadge, timeOf, useTele, VitalsLine, WaitLine } from './bits.tsx';
import { ConsultationResult } from './ConsultationResult.tsx';
import { useLiveRequest } from './live.ts';
import { cancelRequest, type TeleRequest } from './tele.api.ts';

/** One request as the CHO follows it: live status, place in the queue, the doctor, the video room; then the result. */
export function RequestStatusPanel({ request, onChanged, onStatus }: { request: TeleRequest; onChanged: (r: TeleRequest) => void; onStatus?: (status: string) => void }) {
  const { t, num } = useI18n();
  const tele = useTele();
  const r = useLiveRequest(request) ?? request;
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The live stream moved the request on: the list beside it follows.
  const seen = useRef(r.status);
  useEffect(() => {
    if (seen.current === r.status) return;
    seen.current = r.status;
    onStatus?.(r.status);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r.status]);

  async function cancel() {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await cancelRequest(r.id));
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel tele-status-panel" aria-labelledby="tele-status-title" data-testid="tele-request">
      <div className="page-head">
        <h2 id="tele-status-title">
          {t('tele.tokenN', { n: num(r.token) })} · <PatientName p={r.patient} />
        </h2>
        <StatusBadge status={r.status} />
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <dl className="facts facts-compact">
        <div className="fact"><dt>{t('tele.queue')}</dt><dd>{tele.name(r.hub)} · {tele.specialty(r)}</dd></div>
        <div className="fact"><dt>{t('tele.priorityLabel')}</dt><dd>{tele.priority(r.priority)}</dd></div>
        <div className="fact"><dt>{t('tele.complaint')}</dt><dd>{r.complaint ?? '—'}</dd></div>
        <div className="fact"><dt>{t('tele.vitals')}</dt><dd><VitalsLine vitals={r.vitals} /></dd></div>
        <div className="fact"><dt>{t('tele.requestedAt')}</dt><dd>{timeOf(r.queuedAt)}</dd></div>
        {r.doctor && <div className="fact"><dt>{t('tele.doctor')}</dt><dd data-testid="tele-doctor">{tele.name(r.doctor)}</dd></div>}
      </dl>
      <div aria-live="polite" className="tele-live">
        <WaitLine r={r} />
        {r.status === 'called' && <Notice kind="info">{t('tele.calledCho')}</Notice>}
        {r.status === 'in_consultation' && r.roomUrl && (
          <p>
            <a className="button" href={r.roomUrl} target="_blank" rel="noopener noreferrer">{t('tele.joinVideo')}</a>
          </p>
        )}
        {r.status === 'no_show' && <Notice kind="info">{t('tele.noShowCho')}</Notice>}
        {r.status === 'expired' && <Notice kind="info">{t('tele.expiredCho')}</Notice>}
      </div>
      {(r.status === 'waiting' || r.status === 'called') && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void cancel()}>{t('tele.cancelRequest')}</button>
      )}
      {r.status === 'completed' && <ConsultationResult requestId={r.id} />}
    </section>
  );
}
