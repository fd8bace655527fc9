import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.ts';
import { listMessages, MESSAGE_STATUSES, PAGE_SIZE, type MessagesFilter, type MessagesPage as Page } from './messages.api.ts';

const ABOUT = ['otp', 'hmis_reminder', 'break_glass', 'registration', 'grievance'] as const;

/**
 * The outbox (#/messages): every SMS and e-mail sent for the reader's area, newest first, with its
 * delivery status, tries and last error; numbers masked and one-time codes hidden. `?about=&aboutId=`
 * shows one round (the HMIS reminders link here), `?status=failed` the failures.
 */
export function MessagesPage({ query }: { query: URLSearchParams }) {
  const { t, tx } = useI18n();
  const { error: errorText } = useApiErrors();
  const [filter, setFilter] = useState<MessagesFilter>({
    status: query.get('status') ?? undefined, channel: query.get('channel') ?? undefined,
    about: query.get('about') ?? undefined, aboutId: query.get('aboutId') ?? undefined,
  });
  const [offset, setOffset] = useState(0);
  const [reload, setReload] = useState(0);
  const [answer, setAnswer] = useState<Page | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    listMessages(filter, offset, ctrl.signal).then(setAnswer).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, offset, reload]);

  const set = (k: keyof MessagesFilter, v: string) => { setOffset(0); setFilter((f) => ({ ...f, [k]: v || undefined })); };
  const items = answer?.items ?? [];
  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">{t('messages.title')}</h1>
      <p className="muted">{t('messages.lead')}</p>
      {problem && <Notice kind="error">{problem}</Notice>}
      {filter.aboutId && (
        <Notice kind="info">
          {t('messages.round')}{' '}
          <button type="button" className="small secondary" onClick={() => { setFilter({}); setOffset(0); navigate('/messages'); }}>{t('messages.showAll')}</button>
        </Notice>
      )}
      <div className="inline-form">
        <label htmlFor="messages-status">{t('messages.filterStatus')}</label>
        <select id="messages-status" value={filter.status ?? ''} onChange={(e) => set('status', e.target.value)}>
          <option value="">{t('messages.any')}</option>
          {MESSAGE_STATUSES.map((s) => <option key={s} value={s}>{tx(`messages.status.${s}`, s)}</option>)}
        </select>
        <label htmlFor="messages-channel">{t('messages.filterChannel')}</label>
        <select id="messages-channel" value={filter.channel ?? ''} onChange={(e) => set('channel', e.target.value)}>
          <option value="">{t('messages.any')}</option>
          <option value="sms">{t('messages.channel.sms')}</option>
          <option value="email">{t('messages.channel.email')}</option>
        </select>
        <label htmlFor="messages-about">{t('messages.filterAbout')}</label>
        <select id="messages-about" value={filter.about ?? ''} onChange={(e) => set('about', e.target.value)}>
          <option value="">{t('messages.any')}</option>
          {ABOUT.map((a) => <option key={a} value={a}>{tx(`messages.about.${a}`, a)}</option>)}
        </select>
        <button type="button" className="secondary" onClick={() => setReload((n) => n + 1)}>{t('messages.refresh')}</button>
      </div>
      {answer && (
        <div className="table-meta" aria-live="polite">
          {t('messages.total', { count: answer.total })} — {t('messages.summary', { ...answer.summary })}
        </div>
      )}
      {answer && items.length === 0 && <p className="muted">{t('messages.none')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="messages-title">
            <thead>
              <tr>
                <th scope="col">{t('messages.when')}</th>
                <th scope="col">{t('messages.to')}</th>
                <th scope="col">{t('messages.text')}</th>
                <th scope="col">{t('messages.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.createdAt)}<div className="sub">{m.about ? tx(`messages.about.${m.about.kind}`, m.about.kind) : m.template}</div></td>
                  <th scope="row">{m.to}<div className="sub">{tx(`messages.channel.${m.channel}`, m.channel)}</div></th>
                  <td>{m.subject && <div><strong>{m.subject}</strong></div>}{m.text}</td>
                  <td>
                    <div>{tx(`messages.status.${m.status}`, m.status)}</div>
                    <div className="sub">{t('messages.attempts', { count: m.attempts })}</div>
                    {m.sentAt && <div className="sub">{t('messages.sentAt', { when: formatDateTime(m.sentAt) })}</div>}
                    {m.lastError && m.status !== 'sent' && <div className="sub">{t('messages.lastError', { error: m.lastError })}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer && <Pager offset={offset} pageSize={PAGE_SIZE} hasNext={offset + items.length < answer.total} onPage={setOffset} />}
    </section>
  );
}
