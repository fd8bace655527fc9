import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { acknowledgeTrip, listIncoming, type IncomingTrip } from './incoming.api.ts';
import './incoming.css';

/** How often the list is asked again while the screen is open (and at once when the window regains focus). */
const REFRESH_MS = 15_000;

/** HH:MM in India Standard Time; with the date in front when it is not today. */
function timeOf(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = (x: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric' }).format(x);
  if (day(d) !== day(new Date())) return formatDateTime(iso);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

/**
 * The receiving facility's screen (issue 12, "at hospital"): the ambulances that have left the scene for
 * this facility (with the time to arrive from the vehicle's latest position) and those that have
 * arrived, each acknowledged once by a member of staff, who is shown with the time.
 */
export function IncomingPage() {
  const { t, tx, num } = useI18n();
  const apiErrors = useApiErrors();
  const [items, setItems] = useState<IncomingTrip[] | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(() => {
    // A refresh replaces one still under way (a slow network must not pile requests up).
    inFlight.current?.abort();
    const ctl = new AbortController();
    inFlight.current = ctl;
    listIncoming(ctl.signal)
      .then((r) => {
        if (ctl.signal.aborted) return;
        setItems(r.items);
        setUpdatedAt(new Date().toISOString());
        setProblem(null);
      })
      .catch((err) => {
        if (ctl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 403) setForbidden(true);
        else setProblem(apiErrors.error(err));
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    const onFocus = () => load();
    const onVisible = () => { if (document.visibilityState === 'visible') load(); };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
      inFlight.current?.abort();
    };
  }, [load]);

  async function acknowledge(trip: IncomingTrip) {
    setBusy(trip.tripId);
    setProblem(null);
    setDone(null);
    try {
      await acknowledgeTrip(trip.tripId);
      setDone(trip.registrationNumber);
      load();
    } catch (err) {
      setProblem(apiErrors.error(err));
      load();
    } finally {
      setBusy(null);
    }
  }

  if (forbidden) {
    return (
      <section aria-labelledby="incoming-title">
        <h1 id="incoming-title">{t('incoming.title')}</h1>
        <Notice kind="error">{t('incoming.forbidden')}</Notice>
      </section>
    );
  }

  const onTheWay = items?.filter((i) => i.status === 'left_scene').length ?? 0;
  return (
    <section aria-labelledby="incoming-title" className="incoming-page">
      <h1 id="incoming-title">{t('incoming.title')}</h1>
      <p className="lead">{t('incoming.lead')}</p>
      {problem && <Notice kind="error">{problem}</Notice>}
      {done && <Notice kind="success">{t('incoming.acknowledged', { reg: done })}</Notice>}
      <div className="incoming-bar">
        {items && (
          <p className="incoming-summary">
            <strong>{t('incoming.count', { count: items.length })}</strong>
            {items.length > 0 && <> · {t('incoming.onTheWayCount', { count: onTheWay })}</>}
          </p>
        )}
        {updatedAt && <p className="muted incoming-updated">{t('incoming.updated', { time: timeOf(updatedAt) })}</p>}
        <button type="button" className="secondary small" onClick={load}>{t('incoming.refresh')}</button>
      </div>
      {items === null ? (
        !problem && <Notice kind="info">{t('common.loading')}</Notice>
      ) : items.length === 0 ? (
        <p className="incoming-empty">{t('incoming.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table incoming-table" aria-labelledby="incoming-title">
            <thead>
              <tr>
                <th scope="col">{t('incoming.vehicle')}</th>
                <th scope="col">{t('incoming.service')}</th>
                <th scope="col">{t('incoming.complaint')}</th>
                <th scope="col">{t('incoming.leftScene')}</th>
                <th scope="col">{t('incoming.arrival')}</th>
                <th scope="col">{t('incoming.status')}</th>
                <th scope="col">{t('incoming.acknowledgement')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.tripId} data-trip={r.tripId} data-status={r.status}>
                  <th scope="row">
                    <span className="mono">{r.registrationNumber}</span>
                    <div className="sub">{tx(`fleet.kind.${r.vehicleKind}`, r.vehicleKind)}</div>
                  </th>
                  <td>{tx(`dispatch.service${r.service}`, r.service)}</td>
                  <td>{r.complaint}</td>
                  <td>{timeOf(r.leftSceneAt)}</td>
                  <td>
                    {r.status === 'at_hospital'
                      ? t('incoming.arrivedAt', { time: timeOf(r.atHospitalAt) })
                      : r.etaMinutes != null
                        ? <><span>{t('incoming.eta', { minutes: Math.max(1, Math.round(r.etaMinutes)) })}</span>{r.distanceKm != null && <div className="sub">{t('incoming.distance', { km: num(Math.round(r.distanceKm * 10) / 10) })}</div>}</>
                        : <span className="muted">{t('incoming.etaUnknown')}</span>}
                  </td>
                  <td>
                    <span className={`badge incoming-${r.status}`}>{tx(`incoming.status.${r.status}`, r.status)}</span>
                  </td>
                  <td>
                    {r.acknowledgedAt ? (
                      <span className="incoming-ack">
                        <span aria-hidden="true">✓ </span>
                        {t('incoming.acknowledgedBy', { name: r.acknowledgedBy?.name ?? '—', time: timeOf(r.acknowledgedAt) })}
                      </span>
                    ) : (
                      <span className="muted">{t('incoming.notYet')}</span>
                    )}
                    <div>
                      <button type="button" className="small" disabled={!!r.acknowledgedAt || busy === r.tripId} onClick={() => void acknowledge(r)}>
                        {t('incoming.acknowledge', { reg: r.registrationNumber })}
                      </button>
                    </div>
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
