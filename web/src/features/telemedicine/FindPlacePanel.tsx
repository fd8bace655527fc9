import { useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { useTele } from './bits.tsx';
import { findPlace, rememberBooking, sendCode, waitingRoomHash, type Booking } from './opd.api.ts';

/**
 * "Find my place": a citizen who closed the waiting room gives the mobile that booked and the code
 * sent to it, and goes back to their place in the queue (several open bookings: one link each).
 * Codes and tries are limited by the server, so a booking cannot be found by guessing.
 */
export function FindPlacePanel() {
  const { t, num } = useI18n();
  const tele = useTele();
  const [mobile, setMobile] = useState('');
  const [challenge, setChallenge] = useState<{ id: string; sentTo: string } | null>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Booking[] | null>(null);

  const fail = (err: unknown) => {
    const p = tele.problems(err, (f) => f === 'mobile' || f === 'code');
    setErrors(p.errors);
    setTop(p.top);
  };

  async function ask(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    setErrors({});
    setFound(null);
    if (!mobile.trim()) return setErrors({ mobile: t('opdHome.err.mobile') });
    setBusy(true);
    try {
      const r = await sendCode(mobile.trim());
      setChallenge({ id: r.challengeId, sentTo: r.sentTo });
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function find(e: FormEvent) {
    e.preventDefault();
    if (!challenge) return;
    setTop(null);
    if (!/^\d{4,8}$/.test(code.trim())) return setErrors({ code: t('opdHome.err.code') });
    setErrors({});
    setBusy(true);
    try {
      const r = await findPlace({ mobile: mobile.trim(), challengeId: challenge.id, code: code.trim() });
      // The code is used up either way: another search needs a new one.
      setChallenge(null);
      setCode('');
      if (r.items.length === 1) {
        const b = r.items[0]!;
        rememberBooking(b);
        window.location.hash = waitingRoomHash(b.id, b.key);
        return;
      }
      for (const b of r.items) rememberBooking(b);
      setFound(r.items);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="opd-find-title" data-testid="opd-find">
      <h2 id="opd-find-title">{t('opdFind.title')}</h2>
      <p className="muted">{t('opdFind.lead')}</p>
      {top && <Notice kind="error">{top}</Notice>}
      <form onSubmit={ask} noValidate className="inline-form">
        <FormField id="opd-find-mobile" label={t('opdFind.mobile')} type="tel" inputMode="tel" value={mobile} maxLength={16} error={errors.mobile}
          onChange={(v) => { setMobile(v); if (challenge) setChallenge(null); }} disabled={busy} />
        <button type="submit" className={challenge ? 'secondary' : ''} disabled={busy}>{challenge ? t('opdHome.resend') : t('opdFind.sendCode')}</button>
      </form>
      {challenge && (
        <form onSubmit={find} noValidate className="inline-form">
          <p role="status" className="muted">{t('opdHome.codeSent', { to: challenge.sentTo })}</p>
          <FormField id="opd-find-code" label={t('opdFind.code')} value={code} onChange={(v) => { setCode(v); setErrors(({ code: _fixed, ...rest }) => rest); }} inputMode="numeric" maxLength={8} error={errors.code} />
          <button type="submit" disabled={busy}>{t('opdFind.find')}</button>
        </form>
      )}
      {found?.length === 0 && <Notice kind="info">{t('opdFind.none')}</Notice>}
      {found && found.length > 1 && (
        <ul className="opd-found">
          {found.map((b) => (
            <li key={b.id}><a href={waitingRoomHash(b.id, b.key)}>{t('opdFind.open', { n: num(b.token), opd: `${tele.specialty(b)} — ${tele.name(b.hub)}` })}</a></li>
          ))}
        </ul>
      )}
    </section>
  );
}
