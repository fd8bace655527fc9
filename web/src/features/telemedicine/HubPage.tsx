import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { timeOf, useTele } from './bits.tsx';
import { EquipmentPanel } from './EquipmentPanel.tsx';
import { RosterPanel } from './RosterPanel.tsx';
import { getHub, getLiveQueue, listHubs, type Hub, type HubDetail, type LiveQueue } from './tele.api.ts';
import './tele.css';

/** How often the live queue is read again. */
export const QUEUE_REFRESH_MS = 10_000;

/** The hub manager's screen: the live queue with doctors on duty, the week's roster, the hub's equipment. */
export function HubPage({ query }: { query: URLSearchParams }) {
  const { t, num } = useI18n();
  const me = useMe();
  const tele = useTele();
  const [hubs, setHubs] = useState<Hub[] | null>(null);
  const [hub, setHub] = useState<HubDetail | null>(null);
  const [queue, setQueue] = useState<LiveQueue | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const chosen = query.get('hub') ?? '';

  useEffect(() => {
    listHubs().then((r) => setHubs(r.items)).catch((err) => setProblem(tele.error(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // A manager posted at a hub sees it; an officer over several picks one.
  const hubId = chosen || (hubs?.find((h) => h.id === me.orgUnit.id) ?? hubs?.[0])?.id || '';

  const refresh = useCallback(async () => {
    if (!hubId) return;
    try {
      const [h, q] = await Promise.all([getHub(hubId), getLiveQueue(hubId)]);
      setHub(h);
      setQueue(q);
      setUpdatedAt(new Date().toISOString());
      setProblem(null);
    } catch (err) {
      setProblem(tele.error(err));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hubId]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), QUEUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const manages = can(me, 'can_manage_telemedicine');
  return (
    <section aria-labelledby="hub-title" className="tele-page">
      <div className="page-head">
        <h1 id="hub-title">{t('tele.hubTitle')}{hub ? ` · ${tele.name(hub)}` : ''}</h1>
        {hubs && hubs.length > 1 && (
          <div className="field">
            <label htmlFor="hub-choice">{t('tele.hub')}</label>
            <select id="hub-choice" value={hubId} onChange={(e) => replaceQuery('/telemedicine/hub', { hub: e.target.value })}>
              {hubs.map((h) => <option key={h.id} value={h.id}>{tele.name(h)}</option>)}
            </select>
          </div>
        )}
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {hubs?.length === 0 && <Notice kind="info">{t('tele.noHubsManaged')}</Notice>}
      {hub && queue && (
        <div className="tele-columns">
          <section className="panel" aria-labelledby="hub-queue-title">
            <h2 id="hub-queue-title">{t('tele.liveQueue')}</h2>
            <p className="table-meta" aria-live="polite">{t('tele.updatedAt', { time: timeOf(updatedAt) })}</p>
            <div className="cards tele-queue-cards">
              {hub.specialties.map((s) => (
                <div className="card" key={s.code}>
                  <div className="card-value">{num(s.waiting)}</div>
                  <div className="card-label">{tele.specialty(s)}: {t('tele.waitingOnline', { online: num(s.doctorsOnline) })}</div>
                </div>
              ))}
            </div>
            {queue.items.length === 0 ? <p className="muted">{t('tele.queueEmpty')}</p> : (
              <table className="data-table compact" data-testid="hub-queue">
                <thead>
                  <tr>
                    <th scope="col">{t('tele.token')}</th>
                    <th scope="col">{t('tele.specialty')}</th>
                    <th scope="col">{t('tele.priorityLabel')}</th>
                    <th scope="col">{t('tele.waitingMinutes')}</th>
                    <th scope="col">{t('tele.from')}</th>
                    <th scope="col">{t('tele.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.items.map((r) => (
                    <tr key={r.id} className={r.priority === 'emergency' ? 'alert-row' : undefined}>
                      <td className="num">{num(r.token)}</td>
                      <td>{tele.specialtyCode(r.specialty)}</td>
                      <td>{tele.priority(r.priority)}<div className="sub">{t(`patients.sex.${r.sex as 'male' | 'female' | 'other'}`)} · {t('patients.ageYears', { age: num(r.age) })}</div></td>
                      <td className="num">{num(r.waitingMinutes)}</td>
                      <td>{r.channel === 'home' ? t('tele.fromHome') : tele.name({ name: r.spoke ?? '—', nameHi: r.spokeHi })}</td>
                      <td>{tele.status(r.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>{t('tele.doctorsOnDuty')}</h3>
            {queue.doctors.length === 0 ? <p className="muted">{t('tele.noDoctorsOnDuty')}</p> : (
              <ul className="tele-doctors">
                {queue.doctors.map((d) => (
                  <li key={d.userId}>
                    <span className={`tele-dot duty-${d.status}`} aria-hidden="true" /> {tele.name(d)} — {tele.specialtyCode(d.specialty)} · {t(`tele.duty.${d.status}`)} {t('tele.since', { time: timeOf(d.since) })}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <div>
            <RosterPanel hub={hub} editable={manages} />
            <EquipmentPanel hub={hub} editable={manages} onSaved={() => void refresh()} />
          </div>
        </div>
      )}
    </section>
  );
}
