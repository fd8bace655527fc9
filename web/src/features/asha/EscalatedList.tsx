import { useEffect, useState } from 'react';
import { CursorPager } from '../../components/CursorPager.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, useI18n } from '../../i18n/i18n.tsx';
import { listNotices, markNoticeSeen, type EscalationNotice } from './asha.api.ts';
import { StatusBadge, useAsha } from './bits.tsx';

/**
 * "Escalated to you": the claims that waited too long at the level below and were sent to this
 * officer (the MO in charge of the block, or the district officer), newest first, with how long each
 * has waited; the officer marks one seen. The server answers only the notices of the caller's area.
 */
export function EscalatedList({ reload = 0, onShow }: { reload?: number; onShow?: (status: string) => void }) {
  const { t } = useI18n();
  const a = useAsha();
  const [unseen, setUnseen] = useState(true);
  const [cursors, setCursors] = useState<string[]>([]);
  const [items, setItems] = useState<EscalationNotice[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [own, setOwn] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    listNotices({ cursor: cursors.at(-1), unseen }, ctrl.signal)
      .then((p) => { setItems(p.items); setNext(p.nextCursor); })
      .catch((err) => { if (!ctrl.signal.aborted) { setItems(null); setError(a.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursors, unseen, reload, own]);

  const seen = async (n: EscalationNotice) => {
    setBusy(n.id);
    try {
      await markNoticeSeen(n.id);
      setOwn((x) => x + 1);
    } catch (err) {
      setError(a.error(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="asha-escalated-title" className="asha-escalated" data-testid="asha-escalated">
      <h2 id="asha-escalated-title">{t('asha.escalated.title')}</h2>
      <p className="muted">{t('asha.escalated.lead')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={unseen} onChange={(e) => { setUnseen(e.target.checked); setCursors([]); }} />
        {' '}{t('asha.escalated.onlyUnseen')}
      </label>
      {error && <Notice kind="error">{error}</Notice>}
      {!items && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {items && items.length === 0 && <p className="muted">{t('asha.escalated.empty')}</p>}
      <ul className="asha-claims">
        {items?.map((n) => (
          <li key={n.id} className={`asha-claim asha-claim-${n.claim.status}`} data-notice-claim-id={n.claim.id}
            aria-label={`${a.name(n.claim.ashaName, n.claim.ashaNameHi)}: ${a.name(n.claim.nameEn, n.claim.nameHi)}`}>
            <div className="asha-claim-head">
              <strong>{a.name(n.claim.nameEn, n.claim.nameHi)}</strong>
              <StatusBadge status={n.claim.status} />
            </div>
            <p>{n.level === 'mo' ? t('asha.escalated.toMo') : t('asha.escalated.toDistrict')}</p>
            <dl className="asha-facts">
              <div><dt>{t('asha.verify.asha')}</dt><dd>{a.name(n.claim.ashaName, n.claim.ashaNameHi)}</dd></div>
              <div><dt>{t('asha.list.amount')}</dt><dd>{a.money(n.claim.amount)}</dd></div>
              <div><dt>{t('asha.escalated.waiting')}</dt><dd>{n.claim.daysWaiting == null ? t('asha.escalated.decided') : t('asha.escalated.days', { n: n.claim.daysWaiting })}</dd></div>
              <div><dt>{t('asha.escalated.at')}</dt><dd>{formatDate(n.at.slice(0, 10))}</dd></div>
              <div><dt>{t('asha.escalated.claim')}</dt><dd className="mono">{n.claim.id}</dd></div>
            </dl>
            {(!n.seen || (onShow && n.claim.daysWaiting != null)) && (
              <div className="asha-row-actions">
                {onShow && n.claim.daysWaiting != null && (
                  <button type="button" className="secondary" onClick={() => onShow(n.claim.status)}>{t('asha.escalated.show')}</button>
                )}
                {!n.seen && <button type="button" className="secondary" disabled={busy === n.id} onClick={() => void seen(n)}>{t('asha.escalated.markSeen')}</button>}
              </div>
            )}
          </li>
        ))}
      </ul>
      <CursorPager cursors={cursors} next={next} onPage={setCursors} />
    </section>
  );
}
