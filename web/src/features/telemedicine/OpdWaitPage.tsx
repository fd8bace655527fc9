import { useEffect, useState } from 'react';
import { downloadFile } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTele } from './bits.tsx';
import { eventsUrl, getBooking, leaveQueue, prescriptionUrl, rememberBooking } from './opd.api.ts';
import { PublicShell } from './PublicShell.tsx';
import { FINAL_STATUSES, type TeleRequest } from './tele.api.ts';

/**
 * The citizen's waiting room: the token, the place in the queue and the estimated wait, updated live
 * over server-sent events; "the doctor is calling you" with the video link; the prescription when done.
 */
export function OpdWaitPage({ id, query }: { id: string; query: URLSearchParams }) {
  const { t, num } = useI18n();
  const tele = useTele();
  const key = query.get('key') ?? '';
  const [r, setR] = useState<TeleRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [live, setLive] = useState(false);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    getBooking(id, key, ctrl.signal).then(setR).catch((err) => !ctrl.signal.aborted && setProblem(tele.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, key]);

  const final = r ? FINAL_STATUSES.includes(r.status) : false;
  useEffect(() => {
    if (!r || final) return;
    // The key is in the address, so EventSource (which reconnects by itself) can follow the queue.
    const source = new EventSource(eventsUrl(id, key));
    source.addEventListener('open', () => setLive(true));
    source.addEventListener('status', (e) => {
      const v = JSON.parse((e as MessageEvent<string>).data) as TeleRequest;
      setR(v);
      if (FINAL_STATUSES.includes(v.status)) source.close();
    });
    source.addEventListener('error', () => setLive(source.readyState === EventSource.OPEN));
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, key, !!r, final]);

  async function prescription() {
    setProblem(null);
    try {
      // Fetched rather than linked: when there is none the server's message shows here, not as a bare page.
      await downloadFile(prescriptionUrl(id, key), undefined, `prescription-${r?.token ?? id}.pdf`, 'application/pdf');
    } catch (err) {
      setProblem(tele.error(err));
    }
  }

  async function leave() {
    setConfirming(false);
    setBusy(true);
    setProblem(null);
    try {
      setR(await leaveQueue(id, key));
      rememberBooking(null);
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicShell>
      <section aria-labelledby="wait-title" className="opd-wait">
        <h1 id="wait-title">{t('opdWait.title')}</h1>
        {problem && <Notice kind="error">{problem}</Notice>}
        {!r && !problem && <p className="muted">{t('common.loading')}</p>}
        {r && (
          <>
            <div className="opd-token-card">
              <div className="opd-token-label">{t('opdWait.token')}</div>
              <div className="opd-token" data-testid="opd-token">{num(r.token)}</div>
              <div>{tele.specialty(r)} · {tele.name(r.hub)}</div>
            </div>
            <div aria-live="polite" className="opd-state" data-status={r.status}>
              {r.status === 'waiting' && (
                <>
                  <p className="opd-big" data-testid="opd-position">{t('opdWait.position', { n: num(r.position) })}</p>
                  <p>{r.estimatedWaitMinutes === null ? t('opdWait.noDoctor') : t('opdWait.estimate', { n: num(r.estimatedWaitMinutes) })}</p>
                  <p className="muted">{t('opdWait.keepOpen')}</p>
                </>
              )}
              {r.status === 'called' && (
                <Notice kind="success"><strong className="opd-big">{t('opdWait.calling')}</strong><br />{t('opdWait.callingWait')}</Notice>
              )}
              {r.status === 'in_consultation' && (
                <Notice kind="success">
                  <strong className="opd-big">{t('opdWait.calling')}</strong>
                  {r.roomUrl && <p><a className="button" href={r.roomUrl} target="_blank" rel="noopener noreferrer">{t('opdWait.join')}</a></p>}
                </Notice>
              )}
              {r.status === 'completed' && (
                <Notice kind="success">
                  <strong>{t('opdWait.done')}</strong>
                  <p><button type="button" onClick={() => void prescription()}>{t('opdWait.prescription')}</button></p>
                </Notice>
              )}
              {(r.status === 'cancelled' || r.status === 'expired' || r.status === 'no_show') && (
                <Notice kind="info">
                  {t(`opdWait.${r.status}`)} <a href="#/opd/book">{t('opdWait.bookAgain')}</a>
                </Notice>
              )}
            </div>
            {!final && <p className="hint">{live ? t('opdWait.live') : t('opdWait.connecting')}</p>}
            {(r.status === 'waiting' || r.status === 'called') && (
              <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(true)}>{t('opdWait.leave')}</button>
            )}
            <ConfirmDialog open={confirming} title={t('opdWait.leaveTitle')} confirmLabel={t('opdWait.leaveYes')} cancelLabel={t('opdWait.stay')} danger busy={busy}
              onConfirm={() => void leave()} onCancel={() => setConfirming(false)}>
              <p>{t('opdWait.leaveBody', { n: num(r.token) })}</p>
            </ConfirmDialog>
          </>
        )}
      </section>
    </PublicShell>
  );
}
