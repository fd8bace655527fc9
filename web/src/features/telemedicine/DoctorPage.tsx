import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMe } from '../auth/session.tsx';
import { useTele } from './bits.tsx';
import { ConsultPanel } from './ConsultPanel.tsx';
import { DutyPanel } from './DutyPanel.tsx';
import { getHub, listHubs, listRequests, takeNext, type DutyStatus, type HubDetail, type TeleRequest } from './tele.api.ts';
import './tele.css';

/**
 * The doctor's screen: go online for a specialty of the hub, take the next patient, see their summary,
 * start the call, write the record, prescribe, refer, and complete.
 */
export function DoctorPage() {
  const { t } = useI18n();
  const me = useMe();
  const tele = useTele();
  const [hub, setHub] = useState<HubDetail | null>(null);
  const [duty, setDutyState] = useState<{ status: DutyStatus; specialty: string }>({ status: 'offline', specialty: '' });
  const [current, setCurrent] = useState<TeleRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [nobody, setNobody] = useState(false);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);

  const loadHub = useCallback(async (hubId: string) => {
    const h = await getHub(hubId);
    setHub(h);
    const mine = h.doctors.find((d) => d.userId === me.id);
    if (mine) setDutyState({ status: mine.status, specialty: mine.dutySpecialty ?? mine.specialties[0] ?? '' });
    return h;
  }, [me.id]);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const hubs = (await listHubs()).items;
        const own = hubs.find((h) => h.id === me.orgUnit.id) ?? hubs[0];
        if (own && live) await loadHub(own.id);
        const held = await listRequests({ mine: true });
        if (live && held.items[0]) setCurrent(held.items[0]);
      } catch (err) {
        if (live) setProblem(tele.error(err));
      } finally {
        if (live) setLoaded(true);
      }
    })();
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The waiting count beside the button follows the queue while the doctor has nobody.
  useEffect(() => {
    if (!hub || current) return;
    const timer = setInterval(() => void loadHub(hub.id).catch(() => undefined), 15_000);
    return () => clearInterval(timer);
  }, [hub?.id, current, loadHub]);

  async function next() {
    if (!hub) return;
    setBusy(true);
    setProblem(null);
    setNobody(false);
    try {
      const r = await takeNext(hub.id, duty.specialty);
      if (r) setCurrent(r);
      else setNobody(true);
      await loadHub(hub.id);
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  const myProfile = hub?.doctors.find((d) => d.userId === me.id);
  const waiting = hub?.specialties.find((s) => s.code === duty.specialty)?.waiting ?? 0;
  return (
    <section aria-labelledby="doctor-title" className="tele-page">
      <div className="page-head">
        <h1 id="doctor-title">{t('tele.doctorTitle')}</h1>
        {hub && <span className="muted">{tele.name(hub)}</span>}
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {loaded && !hub && <Notice kind="info">{t('tele.noHubForDoctor')}</Notice>}
      {hub && (
        <DutyPanel hub={hub} mine={myProfile?.specialties ?? []} status={duty.status} specialty={duty.specialty}
          onChange={(d) => { setDutyState(d); void loadHub(hub.id); }} />
      )}
      {hub && !current && (
        <section className="panel tele-next" aria-labelledby="tele-next-title">
          <h2 id="tele-next-title">{t('tele.queue')}</h2>
          <p>{t('tele.waitingInQueue', { n: waiting, specialty: tele.specialtyCode(duty.specialty) })}</p>
          <button type="button" disabled={busy || duty.status !== 'online'} onClick={() => void next()}>{t('tele.nextPatient')}</button>
          {duty.status !== 'online' && <p className="hint">{t('tele.goOnlineFirst')}</p>}
          {nobody && <Notice kind="info">{t('tele.nobodyWaiting')}</Notice>}
        </section>
      )}
      {current && (
        <ConsultPanel key={current.id} request={current}
          onDone={() => { setCurrent(null); setNobody(false); if (hub) void loadHub(hub.id); }} />
      )}
    </section>
  );
}
