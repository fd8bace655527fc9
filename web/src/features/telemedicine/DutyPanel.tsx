import { useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTele } from './bits.tsx';
import { setDuty, type DutyStatus, type HubDetail } from './tele.api.ts';

const STATUSES: DutyStatus[] = ['online', 'break', 'offline'];

/** The doctor's duty switch: online (taking this specialty's queue), on a break, or offline. */
export function DutyPanel({ hub, mine, status, specialty, onChange }: {
  hub: HubDetail; mine: string[]; status: DutyStatus; specialty: string; onChange: (s: { status: DutyStatus; specialty: string }) => void;
}) {
  const { t, num } = useI18n();
  const tele = useTele();
  const offered = hub.specialties.filter((s) => mine.includes(s.code));
  const [chosen, setChosen] = useState(specialty || offered[0]?.code || '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function change(next: DutyStatus) {
    setBusy(true);
    setProblem(null);
    try {
      const r = await setDuty({ hubId: hub.id, specialty: chosen, status: next });
      onChange({ status: r.status, specialty: r.specialty });
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel tele-duty" aria-labelledby="tele-duty-title">
      <h2 id="tele-duty-title">{t('tele.duty')}</h2>
      {problem && <Notice kind="error">{problem}</Notice>}
      {offered.length === 0 && <Notice kind="info">{t('tele.noProfile')}</Notice>}
      {offered.length > 0 && (
        <div className="inline-form">
          <div className="field">
            <label htmlFor="tele-duty-specialty">{t('tele.specialty')}</label>
            <select id="tele-duty-specialty" value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={status !== 'offline' && busy}>
              {offered.map((s) => (
                <option key={s.code} value={s.code}>{tele.specialty(s)} — {t('tele.waitingN', { n: num(s.waiting) })}</option>
              ))}
            </select>
          </div>
          <div className="tele-duty-switch" role="group" aria-label={t('tele.dutyStatus')}>
            {STATUSES.map((s) => (
              <button key={s} type="button" aria-pressed={status === s && (s === 'offline' || specialty === chosen)}
                className={status === s && (s === 'offline' || specialty === chosen) ? `duty-${s} active` : 'secondary'}
                disabled={busy} onClick={() => void change(s)}>
                {t(`tele.duty.${s}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      <p className="tele-duty-now" aria-live="polite">
        {status === 'offline' ? t('tele.youAreOffline') : t(status === 'online' ? 'tele.youAreOnline' : 'tele.youAreOnBreak', { specialty: tele.specialtyCode(specialty) })}
      </p>
    </section>
  );
}
