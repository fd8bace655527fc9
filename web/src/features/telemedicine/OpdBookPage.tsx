import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { unitName } from '../geo/geo.api.ts';
import { useTele } from './bits.tsx';
import { book, getDistricts, getOpds, lastBooking, rememberBooking, sendCode, waitingRoomHash, type District } from './opd.api.ts';
import { FindPlacePanel } from './FindPlacePanel.tsx';
import { PublicShell } from './PublicShell.tsx';
import type { Hub } from './tele.api.ts';

type Who = 'registered' | 'new';
const PATIENT_FIELDS = ['name', 'sex', 'age', 'address.district'];
/** Fields the form shows its errors beside; any other problem is shown at the top. */
const SHOWN = ['mobile', 'code', 'stateNumber', 'patient.name', 'patient.sex', 'patient.age', 'patient.address.district', 'opd', 'specialty', 'hubId', 'complaint'];

/**
 * Book a specialty OPD from home: the mobile number and the code sent to it, the patient (a state
 * patient number, or a few details to register), the OPD; the booking opens the waiting room.
 */
export function OpdBookPage() {
  const { t, num, lang } = useI18n();
  const tele = useTele();
  const [opds, setOpds] = useState<Hub[] | null>(null);
  const [districts, setDistricts] = useState<District[] | null>(null);
  const [mobile, setMobile] = useState('');
  const [challenge, setChallenge] = useState<{ id: string; sentTo: string } | null>(null);
  const [code, setCode] = useState('');
  const [who, setWho] = useState<Who>('new');
  const [stateNumber, setStateNumber] = useState('');
  const [name, setName] = useState('');
  const [sex, setSex] = useState('');
  const [age, setAge] = useState('');
  const [district, setDistrict] = useState('');
  const [choice, setChoice] = useState('');
  const [complaint, setComplaint] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const previous = lastBooking();

  useEffect(() => {
    const ctrl = new AbortController();
    getOpds(ctrl.signal).then((r) => setOpds(r.items)).catch((err) => !ctrl.signal.aborted && setTop(tele.error(err)));
    getDistricts(ctrl.signal).then(setDistricts).catch(() => undefined);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const fail = (err: unknown) => {
    // Registration names its fields without the `patient.` the booking wraps them in.
    const byField = Object.fromEntries(Object.entries(tele.fields(err)).map(([f, m]) => [PATIENT_FIELDS.includes(f) ? `patient.${f}` : f, m]));
    setErrors(byField);
    // Field problems beside their fields; anything else (or an error naming no field) at the top.
    const keys = Object.keys(byField);
    if (!keys.length || !keys.every((f) => SHOWN.includes(f))) setTop(tele.error(err));
  };

  async function askCode(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    setErrors({});
    if (!mobile.trim()) return setErrors({ mobile: t('opdHome.err.mobile') });
    setBusy(true);
    try {
      const r = await sendCode(mobile.trim());
      setChallenge({ id: r.challengeId, sentTo: r.sentTo });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!challenge) return;
    setTop(null);
    const errs: Record<string, string> = {};
    if (!/^\d{4,8}$/.test(code.trim())) errs.code = t('opdHome.err.code');
    if (who === 'registered' && !stateNumber.trim()) errs.stateNumber = t('opdHome.err.stateNumber');
    if (who === 'new') {
      if (!name.trim()) errs['patient.name'] = t('opdHome.err.name');
      if (!sex) errs['patient.sex'] = t('opdHome.err.sex');
      const a = Number(age);
      if (!age.trim() || !Number.isInteger(a) || a < 0 || a > 130) errs['patient.age'] = t('opdHome.err.age');
      if (!district.trim()) errs['patient.address.district'] = t('opdHome.err.district');
    }
    if (!choice) errs.opd = t('opdHome.err.opd');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const [hubId = '', specialty = ''] = choice.split('|');
    setBusy(true);
    try {
      const b = await book({
        mobile: mobile.trim(), challengeId: challenge.id, code: code.trim(), hubId, specialty,
        ...(who === 'registered'
          ? { stateNumber: stateNumber.trim().toUpperCase() }
          : { patient: { name: name.trim(), sex: sex as 'male' | 'female' | 'other', age: Number(age), address: { district: district.trim() } } }),
        ...(complaint.trim() ? { complaint: complaint.trim() } : {}),
      });
      rememberBooking(b);
      window.location.hash = waitingRoomHash(b.id, b.key);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  const open = (opds ?? []).flatMap((h) => h.specialties.map((s) => ({ hub: h, s })));
  return (
    <PublicShell>
      <section aria-labelledby="opd-title" className="opd-book">
        <h1 id="opd-title">{t('opdHome.title')}</h1>
        <p className="lead">{t('opdHome.lead')}</p>
        {previous && (
          <Notice kind="info">
            <a href={waitingRoomHash(previous.id, previous.key)}>{t('opdHome.backToWaiting', { n: num(previous.token) })}</a>
          </Notice>
        )}
        {top && <Notice kind="error">{top}</Notice>}
        <form className="panel" onSubmit={askCode} noValidate aria-labelledby="opd-step1">
          <h2 id="opd-step1">{t('opdHome.step1')}</h2>
          <div className="inline-form">
            <FormField id="opd-mobile" label={t('opdHome.mobile')} type="tel" inputMode="tel" value={mobile} maxLength={16} error={errors.mobile}
              onChange={(v) => { setMobile(v); if (challenge) setChallenge(null); }} disabled={busy} />
            <button type="submit" className={challenge ? 'secondary' : ''} disabled={busy}>{challenge ? t('opdHome.resend') : t('opdHome.sendCode')}</button>
          </div>
          {challenge && <p role="status" className="muted">{t('opdHome.codeSent', { to: challenge.sentTo })}</p>}
        </form>
        {challenge && (
          <form className="panel" onSubmit={submit} noValidate aria-labelledby="opd-step2">
            <h2 id="opd-step2">{t('opdHome.step2')}</h2>
            <FormField id="opd-code" label={t('opdHome.code')} value={code} onChange={(v) => { setCode(v); setErrors(({ code: _fixed, ...rest }) => rest); }} inputMode="numeric" maxLength={8} error={errors.code} />
            <fieldset className="radio-group">
              <legend>{t('opdHome.who')}</legend>
              <label className="radio"><input type="radio" name="opd-who" checked={who === 'new'} onChange={() => setWho('new')} />{t('opdHome.whoNew')}</label>
              <label className="radio"><input type="radio" name="opd-who" checked={who === 'registered'} onChange={() => setWho('registered')} />{t('opdHome.whoRegistered')}</label>
            </fieldset>
            {who === 'registered' ? (
              <FormField id="opd-state-number" label={t('opdHome.stateNumber')} value={stateNumber} onChange={setStateNumber} maxLength={20}
                hint={t('opdHome.stateNumberHint')} error={errors.stateNumber} />
            ) : (
              <div className="field-pair">
                <FormField id="opd-name" label={t('opdHome.name')} value={name} onChange={setName} error={errors['patient.name']} />
                <FormField id="opd-sex" label={t('patients.sex')} value={sex} onChange={setSex} error={errors['patient.sex']}
                  options={(['female', 'male', 'other'] as const).map((s) => ({ value: s, label: t(`patients.sex.${s}`) }))} />
                <FormField id="opd-age" label={t('opdHome.age')} value={age} onChange={setAge} inputMode="numeric" maxLength={3} error={errors['patient.age']} />
                {districts
                  ? <FormField id="opd-district" label={t('opdHome.district')} value={district} onChange={setDistrict} error={errors['patient.address.district']}
                      options={districts.map((d) => ({ value: String(d.lgdCode ?? d.id), label: unitName(d, lang) }))} />
                  : <FormField id="opd-district" label={t('opdHome.districtCode')} value={district} onChange={setDistrict} inputMode="numeric" maxLength={9}
                      hint={t('opdHome.districtCodeHint')} error={errors['patient.address.district']} />}
              </div>
            )}
            <fieldset className={`tele-queues${errors.opd || errors.specialty || errors.hubId ? ' has-error' : ''}`}>
              <legend>{t('opdHome.opd')}</legend>
              {opds === null && <p className="muted">{t('common.loading')}</p>}
              {opds && open.length === 0 && <p className="muted">{t('opdHome.noOpds')}</p>}
              {open.map(({ hub, s }) => (
                <label key={`${hub.id}|${s.code}`} className="radio tele-queue-option">
                  <input type="radio" name="opd-choice" value={`${hub.id}|${s.code}`} checked={choice === `${hub.id}|${s.code}`} onChange={(e) => setChoice(e.target.value)} />
                  <span>{tele.specialty(s)} — {tele.name(hub)}</span>
                  <span className="sub">{s.doctorsOnline ? t('tele.queueFacts', { online: num(s.doctorsOnline), waiting: num(s.waiting) }) : t('opdHome.noDoctorNow')}</span>
                </label>
              ))}
              {(errors.opd || errors.specialty || errors.hubId) && <div className="error" role="alert">{errors.opd || errors.specialty || errors.hubId}</div>}
            </fieldset>
            <FormField id="opd-complaint" label={t('opdHome.complaint')} value={complaint} onChange={setComplaint} multiline error={errors.complaint} />
            <p className="hint">{t('opdHome.emergency')}</p>
            <div className="form-actions"><button type="submit" disabled={busy}>{busy ? t('common.saving') : t('opdHome.book')}</button></div>
          </form>
        )}
        <FindPlacePanel />
        <p className="muted"><a href="#/login">{t('opdHome.staffSignIn')}</a></p>
      </section>
    </PublicShell>
  );
}
