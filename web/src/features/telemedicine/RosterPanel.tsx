import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { useTele } from './bits.tsx';
import { addRoster, getRoster, removeRoster, type HubDetail, type RosterEntry } from './tele.api.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

/** The hub's weekly roster: who consults which specialty when; add and remove entries. */
export function RosterPanel({ hub, editable }: { hub: HubDetail; editable: boolean }) {
  const { t } = useI18n();
  const tele = useTele();
  const [items, setItems] = useState<RosterEntry[] | null>(null);
  const [username, setUsername] = useState('');
  const [specialty, setSpecialty] = useState('');
  const [weekday, setWeekday] = useState('1');
  const [starts, setStarts] = useState('09:00');
  const [ends, setEnds] = useState('13:00');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    getRoster(hub.id).then((r) => setItems(r.items)).catch((err) => setProblem(tele.error(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hub.id]);
  useEffect(load, [load]);

  const doctor = hub.doctors.find((d) => d.username === username);
  const specialtyOptions = hub.specialties.filter((s) => !doctor || doctor.specialties.includes(s.code));

  async function add(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const errs: Record<string, string> = {};
    if (!username) errs.username = t('tele.err.doctor');
    if (!specialty) errs.specialty = t('tele.err.specialty');
    if (!starts || !ends || starts >= ends) errs.ends = t('tele.err.times');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await addRoster({ hubId: hub.id, username, specialty, weekday: Number(weekday), starts, ends });
      load();
    } catch (err) {
      const p = tele.problems(err, (f) => ['username', 'specialty', 'weekday', 'starts', 'ends'].includes(f));
      setErrors(p.errors);
      setProblem(p.top);
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setProblem(null);
    try {
      await removeRoster(id);
      load();
    } catch (err) {
      setProblem(tele.error(err));
    }
  }

  return (
    <section className="panel tele-roster" aria-labelledby="roster-title">
      <h2 id="roster-title">{t('tele.roster')}</h2>
      {problem && <Notice kind="error">{problem}</Notice>}
      {items === null ? <p className="muted">{t('common.loading')}</p> : items.length === 0 ? <p className="muted">{t('tele.rosterEmpty')}</p> : (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t('tele.weekday')}</th>
              <th scope="col">{t('tele.hours')}</th>
              <th scope="col">{t('tele.doctor')}</th>
              <th scope="col">{t('tele.specialty')}</th>
              {editable && <th scope="col"><span className="visually-hidden">{t('tele.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} className={r.missing ? 'row-warn' : undefined}>
                <td>{t(`tele.weekday.${r.weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`)}</td>
                <td className="nowrap">{r.starts}–{r.ends}</td>
                <td>{tele.name(r)}{r.missing && <div className="rule-warning">{t('tele.onShiftNotOnline')}</div>}</td>
                <td>{tele.specialtyCode(r.specialty)}</td>
                {editable && (
                  <td><button type="button" className="small secondary" onClick={() => void remove(r.id)}
                    aria-label={t('tele.removeRoster', { name: tele.name(r), day: t(`tele.weekday.${r.weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`) })}>{t('tele.removeLine')}</button></td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && (
        <form className="inline-form tele-roster-form" onSubmit={add} noValidate aria-label={t('tele.addRoster')}>
          <FormField id="roster-doctor" label={t('tele.doctor')} value={username} onChange={(v) => { setUsername(v); setSpecialty(''); }} error={errors.username}
            options={hub.doctors.map((d) => ({ value: d.username, label: tele.name(d) }))} />
          <FormField id="roster-specialty" label={t('tele.specialty')} value={specialty} onChange={setSpecialty} error={errors.specialty}
            options={specialtyOptions.map((s) => ({ value: s.code, label: tele.specialty(s) }))} />
          <FormField id="roster-weekday" label={t('tele.weekday')} value={weekday} onChange={setWeekday} placeholder={false}
            options={WEEKDAYS.map((d) => ({ value: String(d), label: t(`tele.weekday.${d}`) }))} error={errors.weekday} />
          <FormField id="roster-starts" label={t('tele.starts')} type="time" value={starts} onChange={setStarts} error={errors.starts} />
          <FormField id="roster-ends" label={t('tele.ends')} type="time" value={ends} onChange={setEnds} error={errors.ends} />
          <button type="submit" disabled={busy}>{t('tele.addRoster')}</button>
        </form>
      )}
    </section>
  );
}
