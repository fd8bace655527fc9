import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { PatientName, useAgeSex } from './PatientBits.tsx';
import { DEPARTMENTS, namesOf, todayIst } from './patients.api.ts';
import { ACTIONS, getQueue, moveToken, QUEUE_PAGE, TOKEN_STATES, type QueuePage, type QueueToken, type TokenState } from './queue.api.ts';
import './opd.css';

/** Today's queue refreshes itself this often, so two counters and the doctor see the same tokens. */
const REFRESH_MS = 5_000;

const clock = (iso: string | null | undefined, locale: string) =>
  iso ? new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Kolkata' }) : '';

/**
 * The counter screen: the OPD tokens of the user's facility for a day, counted by state (waiting,
 * called, with the doctor, done, absent) and shown one state at a time or all. Each token offers the
 * moves its state allows: call, with the doctor, done, absent (after a confirmation) and recall.
 */
export function OpdQueuePage({ query }: { query: URLSearchParams }) {
  const { t, tx, num, lang, date } = useI18n();
  const ageSex = useAgeSex();
  const locale = lang === 'hi' ? 'hi-IN' : 'en-IN';
  const day = query.get('day') || todayIst();
  const department = query.get('department') || '';
  const stateParam = query.get('status');
  const status = (TOKEN_STATES as readonly string[]).includes(stateParam ?? '') ? (stateParam as TokenState) : undefined;
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const today = day === todayIst();

  const [queue, setQueue] = useState<QueuePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmAbsent, setConfirmAbsent] = useState<QueueToken | null>(null);
  const busyRef = useRef(false);

  const go = useCallback((over: Record<string, string | undefined>) => {
    const next = { day: day !== todayIst() ? day : undefined, department: department || undefined, status, offset: undefined, ...over };
    replaceQuery('/opd', next);
  }, [day, department, status]);

  useEffect(() => {
    const ctrl = new AbortController();
    getQueue({ day, department: department || undefined, status, offset }, ctrl.signal)
      .then((q) => {
        setQueue(q);
        setError(null);
        setLoadedAt(new Date());
      })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof ApiError ? err.message : t('error.network'));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [day, department, status, offset, tick]);

  // Today's queue keeps itself up to date (not while a move is on its way).
  useEffect(() => {
    if (!today) return;
    const timer = setInterval(() => { if (!busyRef.current && !document.hidden) setTick((n) => n + 1); }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [today]);

  async function move(item: QueueToken, to: TokenState) {
    setBusy(item.id);
    busyRef.current = true;
    setError(null);
    setNotice(null);
    try {
      const moved = await moveToken(item.id, to);
      setNotice(t('opd.moved', { token: num(moved.token), state: tx(`opd.state.${moved.status}`, moved.status) }));
    } catch (err) {
      // A 409 says what happened (another counter called it, it is done…); the list is refreshed below.
      setError(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      busyRef.current = false;
      setBusy(null);
      setConfirmAbsent(null);
      setTick((n) => n + 1);
    }
  }

  const counts = queue?.counts;
  const filters: { key: TokenState | undefined; label: string; count: number | undefined }[] = [
    { key: undefined, label: t('opd.state.all'), count: counts?.all },
    ...TOKEN_STATES.map((s) => ({ key: s, label: tx(`opd.state.${s}`, s), count: counts?.[s] })),
  ];

  return (
    <section aria-labelledby="opd-title" className="opd-queue">
      <div className="page-head">
        <div>
          <h1 id="opd-title">{t('opd.title')}</h1>
          {queue && <p className="muted">{lang === 'hi' && queue.facility.nameHi ? queue.facility.nameHi : queue.facility.name} · {date(queue.day)}</p>}
        </div>
        <a href="#/patients">{t('patients.title')}</a>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="opd-day">{t('opd.day')}</label>
          <input id="opd-day" type="date" value={day} max={todayIst()}
            onChange={(e) => go({ day: e.target.value && e.target.value !== todayIst() ? e.target.value : undefined })} />
        </div>
        <div className="field">
          <label htmlFor="opd-department">{t('opd.department')}</label>
          <select id="opd-department" value={department} onChange={(e) => go({ department: e.target.value || undefined })}>
            <option value="">{t('opd.allDepartments')}</option>
            {DEPARTMENTS.map((d) => <option key={d} value={d}>{t(`opd.dept.${d}`)}</option>)}
          </select>
        </div>
        <button type="button" className="secondary opd-refresh" onClick={() => setTick((n) => n + 1)}>{t('opd.refresh')}</button>
        {loadedAt && <span className="muted opd-updated" aria-live="off">{t('opd.updatedAt', { time: loadedAt.toLocaleTimeString(locale, { timeZone: 'Asia/Kolkata' }) })}</span>}
      </div>

      <div className="opd-states" role="group" aria-label={t('opd.showState')}>
        {filters.map((f) => (
          <button key={f.key ?? 'all'} type="button" className={`opd-state-filter${f.key === status ? ' current' : ''}`}
            aria-pressed={f.key === status} onClick={() => go({ status: f.key })}>
            <span>{f.label}</span> <span className="opd-count" data-state={f.key ?? 'all'}>{f.count === undefined ? '–' : num(f.count)}</span>
          </button>
        ))}
      </div>

      {error && <Notice kind="error">{error}</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      {queue && (
        <p className="table-meta" aria-live="polite">{t('opd.total', { count: num(queue.total) })}</p>
      )}
      {queue && queue.items.length === 0 && <p className="muted">{status ? t('opd.emptyState') : t('opd.empty')}</p>}

      <ol className="opd-tokens" aria-label={t('opd.tokens')}>
        {queue?.items.map((it) => {
          const since = it.status === 'waiting' ? (it.times.recalled ?? it.at) : it.statusAt;
          return (
            <li key={it.id} className={`opd-token-row state-${it.status}`} aria-label={t('opd.tokenLabel', { token: num(it.token) })}>
              <div className="opd-token-no" aria-hidden="true">{num(it.token)}</div>
              <div className="opd-token-who">
                <PatientName p={it.patient} href={`#/patients/${encodeURIComponent(it.patient.id)}`} />
                <div className="sub">{ageSex(it.patient)} · <span className="mono">{it.patient.stateNumber}</span></div>
                <div className="sub">{tx(`opd.dept.${it.department}`, it.department)}</div>
              </div>
              <div className="opd-token-state">
                <span className={`badge opd-badge state-${it.status}`}>{tx(`opd.state.${it.status}`, it.status)}</span>
                <span className="sub">{t('opd.since', { time: clock(since, locale) })}</span>
              </div>
              <div className="opd-token-actions">
                {ACTIONS[it.status].map((a) => (
                  <button key={a.key} type="button" className={a.key === 'absent' ? 'secondary' : ''} disabled={busy !== null}
                    aria-label={t('opd.actionFor', { action: t(`opd.action.${a.key}`), token: num(it.token) })}
                    onClick={() => (a.to === 'absent' ? setConfirmAbsent(it) : void move(it, a.to))}>
                    {t(`opd.action.${a.key}`)}
                  </button>
                ))}
                {it.status === 'with_doctor' && (
                  <a className="button secondary" href={`#/patients/${encodeURIComponent(it.patient.id)}`}>{t('opd.action.visit')}</a>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      {queue && (
        <Pager offset={offset} pageSize={QUEUE_PAGE} hasNext={queue.more} onPage={(o) => go({ status, offset: o ? String(o) : undefined })} />
      )}

      <ConfirmDialog
        open={confirmAbsent !== null}
        title={confirmAbsent ? t('opd.absentTitle', { token: num(confirmAbsent.token) }) : ''}
        confirmLabel={t('opd.absentConfirm')}
        cancelLabel={t('action.cancel')}
        busy={busy !== null}
        danger
        onConfirm={() => confirmAbsent && void move(confirmAbsent, 'absent')}
        onCancel={() => setConfirmAbsent(null)}
      >
        <p>{confirmAbsent ? t('opd.absentBody', { name: namesOf(confirmAbsent.patient, lang).main }) : ''}</p>
      </ConfirmDialog>
    </section>
  );
}
