import { useEffect, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { PatientName, useAgeSex } from './PatientBits.tsx';
import { getOpdQueue, todayIst, type OpdQueue } from './patients.api.ts';

const REFRESH_MS = 30_000;

/** The counter screen: today's OPD tokens at the user's facility, department by department. */
export function OpdQueuePage({ query }: { query: URLSearchParams }) {
  const { t, tx, num, lang, date } = useI18n();
  const ageSex = useAgeSex();
  const day = query.get('day') || todayIst();
  const [queue, setQueue] = useState<OpdQueue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    getOpdQueue(day, ctrl.signal)
      .then(setQueue)
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setQueue(null);
        setError(err instanceof ApiError ? err.message : t('error.network'));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [day, tick]);

  // Today's queue keeps itself up to date for the counter.
  useEffect(() => {
    if (day !== todayIst()) return;
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [day]);

  const groups = new Map<string, OpdQueue['items']>();
  for (const item of queue?.items ?? []) groups.set(item.department, [...(groups.get(item.department) ?? []), item]);

  return (
    <section aria-labelledby="opd-title">
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
            onChange={(e) => replaceQuery('/opd', { day: e.target.value && e.target.value !== todayIst() ? e.target.value : undefined })} />
        </div>
        <button type="button" className="secondary opd-refresh" onClick={() => setTick((n) => n + 1)}>{t('opd.refresh')}</button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {queue && (
        <p className="table-meta" aria-live="polite">{t('opd.total', { count: num(queue.items.length) })}</p>
      )}
      {queue && queue.items.length === 0 && <p className="muted">{t('opd.empty')}</p>}
      <div className="opd-groups">
        {[...groups.entries()].map(([dept, items]) => (
          <section key={dept} className="opd-group" aria-labelledby={`opd-${dept}`}>
            <h2 id={`opd-${dept}`}>{tx(`opd.dept.${dept}`, dept)} <span className="muted">({num(items.length)})</span></h2>
            <table className="data-table compact">
              <thead>
                <tr>
                  <th scope="col" className="num">{t('opd.token')}</th>
                  <th scope="col">{t('patients.name')}</th>
                  <th scope="col">{t('patients.sexAge')}</th>
                  <th scope="col">{t('opd.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((it) => (
                  <tr key={`${dept}-${it.token}`}>
                    <td className="num token">{num(it.token)}</td>
                    <td>
                      <PatientName p={it.patient} href={`#/patients/${encodeURIComponent(it.patient.id)}`} />
                      <div className="sub mono">{it.patient.stateNumber}</div>
                    </td>
                    <td>{ageSex(it.patient)}</td>
                    <td>{tx(`opd.status.${it.status}`, it.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </section>
  );
}
