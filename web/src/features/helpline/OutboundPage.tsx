import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDate, formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { logOutbound, OUTBOUND_RESULTS, pregnanciesDue, type DueItem } from './helpline.api.ts';
import './helpline.css';

const DAYS = 7;

/**
 * Outbound calls from a list (#/helpline/outbound): high-risk pregnancies due in the next seven days
 * in the agent's state (or every one due), with the number to ring, the risk factors and the last
 * call's result; each call's result is recorded from the row.
 */
export function OutboundPage() {
  const { t, tx, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const [all, setAll] = useState(false);
  const [list, setList] = useState<{ from: string; to: string; items: DueItem[] } | null>(null);
  const [result, setResult] = useState<Record<string, string>>({});
  const [note, setNote] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    pregnanciesDue({ days: DAYS, risk: all ? 'all' : 'high' }, ctrl.signal).then(setList).catch((err) => { if (!ctrl.signal.aborted) setMessage({ kind: 'error', text: errorText(err) }); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [all, reload]);

  async function record(x: DueItem) {
    setMessage(null);
    const r = result[x.pregnancyId] ?? 'reached';
    try {
      await logOutbound({ list: 'pregnancies_due', pregnancyId: x.pregnancyId, result: r, ...(note[x.pregnancyId]?.trim() ? { note: note[x.pregnancyId]!.trim() } : {}) });
      setMessage({ kind: 'success', text: t('helpline.outbound.recorded', { result: tx(`helpline.outbound.result.${r}`, r) }) });
      setNote({ ...note, [x.pregnancyId]: '' });
      setReload((n) => n + 1);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  }

  const name = (x: DueItem) => (lang === 'hi' && x.nameHi ? x.nameHi : x.name);
  return (
    <section aria-labelledby="outbound-title" className="helpline">
      <h1 id="outbound-title">{t('helpline.outbound.title')}</h1>
      <p className="muted">{t('helpline.outbound.lead', { days: DAYS })}</p>
      <label className="radio"><input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> {t('helpline.outbound.all')}</label>
      {list && <p className="sub">{t('helpline.outbound.range', { from: formatDate(list.from), to: formatDate(list.to) })}</p>}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {list && list.items.length === 0 && <p className="muted">{t('helpline.outbound.none')}</p>}
      {list && list.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="outbound-title">
            <thead>
              <tr>
                <th scope="col">{t('helpline.outbound.woman')}</th>
                <th scope="col">{t('helpline.outbound.due')}</th>
                <th scope="col">{t('helpline.outbound.risk')}</th>
                <th scope="col">{t('helpline.outbound.last')}</th>
                <th scope="col">{t('helpline.outbound.result')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((x) => (
                <tr key={x.pregnancyId}>
                  <th scope="row">
                    {name(x)}, {x.age}
                    <div className="sub mono">{x.mobile ?? '—'}</div>
                    <div className="sub">{lang === 'hi' && x.facilityHi ? x.facilityHi : x.facility}</div>
                  </th>
                  <td className="nowrap">{formatDate(x.dueDate)}</td>
                  <td>{x.riskFactors.map((r) => tx(`helpline.risk.${r}`, r)).join(', ') || '—'}</td>
                  <td>{x.lastCall ? <>{tx(`helpline.outbound.result.${x.lastCall.result}`, x.lastCall.result)}<div className="sub">{formatDateTime(x.lastCall.at)}{x.lastCall.note ? ` · ${x.lastCall.note}` : ''}</div></> : <span className="muted">{t('helpline.outbound.notCalled')}</span>}</td>
                  <td>
                    <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void record(x); }} aria-label={t('helpline.outbound.recordFor', { name: name(x) })}>
                      <div className="field">
                        <label htmlFor={`res-${x.pregnancyId}`} className="visually-hidden">{t('helpline.outbound.result')}</label>
                        <select id={`res-${x.pregnancyId}`} value={result[x.pregnancyId] ?? 'reached'} onChange={(e) => setResult({ ...result, [x.pregnancyId]: e.target.value })}>
                          {OUTBOUND_RESULTS.map((r) => <option key={r} value={r}>{t(`helpline.outbound.result.${r}`)}</option>)}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`note-${x.pregnancyId}`} className="visually-hidden">{t('helpline.outbound.note')}</label>
                        <input id={`note-${x.pregnancyId}`} placeholder={t('helpline.outbound.note')} value={note[x.pregnancyId] ?? ''} maxLength={1000} onChange={(e) => setNote({ ...note, [x.pregnancyId]: e.target.value })} />
                      </div>
                      <button type="submit" className="small">{t('helpline.outbound.record')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
