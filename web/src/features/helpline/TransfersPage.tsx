import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { claim, closeTransfer, transfers, type CallDetail, type Transfer } from './helpline.api.ts';
import './helpline.css';

/**
 * Calls the helpline transferred (#/helpline/transfers): doctors see the doctors' queue, helpline
 * agents the counsellors'. Emergencies first, then the longest waiting; refreshed every 15 s. Picking
 * one up shows the caller's number and the protocol's answers; two people picking up the same call
 * at once: one gets it, the other is told who was first. Closing says what was done.
 */
export function TransfersPage() {
  const { t, tx, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const [waiting, setWaiting] = useState<{ queues: string[]; items: Transfer[] } | null>(null);
  const [mine, setMine] = useState<Transfer[]>([]);
  const [opened, setOpened] = useState<Record<string, CallDetail>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    const load = () => {
      transfers({ status: 'waiting' }, ctrl.signal).then(setWaiting).catch((err) => { if (!ctrl.signal.aborted) setMessage({ kind: 'error', text: errorText(err) }); });
      transfers({ status: 'mine' }, ctrl.signal).then((r) => setMine(r.items)).catch(() => undefined);
    };
    load();
    const timer = setInterval(load, 15_000);
    return () => { ctrl.abort(); clearInterval(timer); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload]);

  async function pickUp(x: Transfer) {
    setMessage(null);
    try {
      const r = await claim(x.id);
      setOpened((o) => ({ ...o, [x.id]: r.call }));
      setMessage({ kind: 'success', text: t('helpline.transfers.picked', { mobile: r.call.callerMobile }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
    setReload((n) => n + 1);
  }

  async function close(x: Transfer) {
    setMessage(null);
    try {
      await closeTransfer(x.id, notes[x.id] ?? '');
      setMessage({ kind: 'success', text: t('helpline.transfers.closed') });
      setReload((n) => n + 1);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  }

  const summary = (x: Transfer) => [
    tx(`helpline.category.${x.category}`, x.category),
    x.disposition ? tx(`helpline.disposition.${x.disposition}`, x.disposition) : null,
    x.language,
  ].filter(Boolean).join(' · ');

  return (
    <section aria-labelledby="transfers-title" className="helpline">
      <h1 id="transfers-title">{t('helpline.transfers.title')}</h1>
      <p className="muted">{t('helpline.transfers.lead')}</p>
      {waiting && <p className="sub">{t('helpline.transfers.queues', { queues: waiting.queues.map((q) => tx(`helpline.queue.${q}`, q)).join(', ') })}</p>}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}

      <h2 id="transfers-mine">{t('helpline.transfers.mine')}</h2>
      {mine.length === 0 && <p className="muted">{t('helpline.transfers.noneMine')}</p>}
      <ul className="helpline-list" aria-labelledby="transfers-mine">
        {mine.map((x) => {
          const call = opened[x.id];
          return (
            <li key={x.id}>
              <div><strong className={x.disposition ? `helpline-disposition disposition-${x.disposition}` : undefined}>{summary(x)}</strong> <span className="muted">{formatDateTime(x.createdAt)}</span></div>
              {x.reason && <div className="sub">{t('helpline.transfers.reason')}: {x.reason}</div>}
              {call && (
                <div className="sub">
                  <span className="mono">{call.callerMobile}</span>{call.callerName ? ` · ${call.callerName}` : ''}
                  {call.redFlags.length > 0 && <> · {call.redFlags.join(', ')}</>}
                  {call.advice && <> · {call.advice}</>}
                </div>
              )}
              <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void close(x); }}>
                <div className="field">
                  <label htmlFor={`close-${x.id}`}>{t('helpline.transfers.closeNote')}</label>
                  <input id={`close-${x.id}`} value={notes[x.id] ?? ''} maxLength={2000} onChange={(e) => setNotes({ ...notes, [x.id]: e.target.value })} lang={lang} />
                </div>
                <button type="submit" className="small">{t('helpline.transfers.close')}</button>
              </form>
            </li>
          );
        })}
      </ul>

      <h2 id="transfers-waiting">{t('helpline.transfers.waiting')}</h2>
      {waiting && waiting.items.length === 0 && <p className="muted">{t('helpline.transfers.none')}</p>}
      <ul className="helpline-list" aria-labelledby="transfers-waiting">
        {waiting?.items.map((x) => (
          <li key={x.id}>
            <div>
              <strong className={x.disposition ? `helpline-disposition disposition-${x.disposition}` : undefined}>{summary(x)}</strong>{' '}
              <span className="muted">{tx(`helpline.queue.${x.queue}`, x.queue)} · {t('helpline.transfers.waited', { minutes: Math.floor(x.waitingSeconds / 60) })}</span>
            </div>
            <div className="sub"><span className="mono">{x.callerMobileMasked}</span>{x.reason ? ` · ${x.reason}` : ''}</div>
            <button type="button" className="small" onClick={() => void pickUp(x)} aria-label={t('helpline.transfers.pickUpFor', { caller: x.callerMobileMasked })}>{t('helpline.transfers.pickUp')}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
