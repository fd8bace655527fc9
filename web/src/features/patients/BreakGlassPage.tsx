import { useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { listBreakGlass, PAGE_SIZE, reviewBreakGlass, type BreakGlassItem } from './patients.api.ts';
import { Pager } from '../../components/Pager.tsx';

type Status = 'open' | 'reviewed' | 'all';

/** The district officer's list of break-glass access to patients of the district, to check and mark reviewed. */
export function BreakGlassPage() {
  const { t, tx, num, lang } = useI18n();
  const { error: errorText } = useApiErrors();
  const [status, setStatus] = useState<Status>('open');
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState<{ items: BreakGlassItem[]; total: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    listBreakGlass(status, offset, ctrl.signal).then(setAnswer).catch((err) => {
      if (!ctrl.signal.aborted) setProblem(errorText(err));
    });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, offset, reload]);

  async function review(item: BreakGlassItem) {
    setProblem(null);
    try {
      await reviewBreakGlass(item.id, notes[item.id] ?? '');
      setReload((n) => n + 1);
    } catch (err) {
      setProblem(errorText(err));
      setReload((n) => n + 1);
    }
  }

  const items = answer?.items ?? [];
  return (
    <section aria-labelledby="break-glass-title">
      <h1 id="break-glass-title">{t('breakGlass.title')}</h1>
      <p className="muted">{t('breakGlass.lead')}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="break-glass-status">{t('breakGlass.status')}</label>
          <select id="break-glass-status" value={status} onChange={(e) => { setStatus(e.target.value as Status); setOffset(0); }}>
            {(['open', 'reviewed', 'all'] as const).map((s) => <option key={s} value={s}>{t(`breakGlass.status.${s}`)}</option>)}
          </select>
        </div>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {answer && <div className="table-meta" aria-live="polite">{items.length ? t('breakGlass.total', { count: num(answer.total) }) : t('breakGlass.none')}</div>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('breakGlass.when')}</th>
                <th scope="col">{t('breakGlass.who')}</th>
                <th scope="col">{t('breakGlass.where')}</th>
                <th scope="col">{t('breakGlass.patient')}</th>
                <th scope="col">{t('breakGlass.reason')}</th>
                <th scope="col">{t('breakGlass.told')}</th>
                <th scope="col">{t('breakGlass.review')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id}>
                  <td className="nowrap">{formatDateTime(g.at)}</td>
                  <td>{g.by}<div className="sub">{tx(`role.${g.role}`, g.role)}</div></td>
                  <td>{(lang === 'hi' && g.placeHi ? g.placeHi : g.place) ?? '—'}</td>
                  <td className="mono">{g.stateNumber}</td>
                  <td>{g.reason}</td>
                  <td>{g.patientTold ? t('common.yes') : t('common.no')}</td>
                  <td>
                    {g.reviewedAt ? (
                      <>{t('breakGlass.reviewedBy', { by: g.reviewedBy ?? '' })}<div className="sub">{formatDateTime(g.reviewedAt)}{g.reviewNote ? ` · ${g.reviewNote}` : ''}</div></>
                    ) : (
                      <div className="inline-form">
                        <input aria-label={t('breakGlass.noteFor', { number: g.stateNumber })} placeholder={t('breakGlass.note')} maxLength={500}
                          value={notes[g.id] ?? ''} onChange={(e) => setNotes({ ...notes, [g.id]: e.target.value })} />
                        <button type="button" className="small" onClick={() => void review(g)} aria-label={t('breakGlass.markReviewedFor', { number: g.stateNumber })}>
                          {t('breakGlass.markReviewed')}
                        </button>
                      </div>
                    )}
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
