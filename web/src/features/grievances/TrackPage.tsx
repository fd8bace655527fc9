import { useEffect, useState, type FormEvent } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, useI18n } from '../../i18n/i18n.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { GrievanceShell, History, mobileDigits, StatusBadge, useGrv } from './bits.tsx';
import { addInformation, rate, reopenPublic, sendCode, trackGrievance, type PublicTicket } from './grievances.api.ts';

const LAST = 'swasthya.grievance.last';
/** The access token of the complaint just filed in this tab (memory only), so "Track it" opens without a second code. */
let justFiled: { ticket: string; accessToken: string } | null = null;

/** Remembers the ticket and mobile of a complaint filed on this device (not secret: a code is still needed), and its access for this tab. */
export function rememberFiled(f: { ticket: string; mobile: string; accessToken: string | null }): void {
  justFiled = f.accessToken ? { ticket: f.ticket, accessToken: f.accessToken } : null;
  try {
    localStorage.setItem(LAST, JSON.stringify({ ticket: f.ticket, mobile: f.mobile }));
  } catch {
    /* private mode */
  }
}
function lastFiled(): { ticket: string; mobile: string } | null {
  try {
    const v = JSON.parse(localStorage.getItem(LAST) ?? 'null') as { ticket?: unknown; mobile?: unknown } | null;
    return v && typeof v.ticket === 'string' && typeof v.mobile === 'string' ? { ticket: v.ticket, mobile: v.mobile } : null;
  } catch {
    return null;
  }
}

const SHOWN = ['ticketNumber', 'mobile', 'code'];

/**
 * Track a complaint: the ticket number, the mobile it was filed with and a code sent to it; then its
 * status, history and replies; add information while it is open; reopen within 15 days of its
 * resolution; rate the resolution (not satisfied opens an appeal).
 */
export function TrackPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const g = useGrv();
  const last = lastFiled();
  const [ticketNumber, setTicketNumber] = useState(query.get('ticket') ?? last?.ticket ?? '');
  const [mobile, setMobile] = useState(last && (!query.get('ticket') || query.get('ticket') === last.ticket) ? last.mobile : '');
  const [challenge, setChallenge] = useState<{ id: string; sentTo: string } | null>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ticket, setTicket] = useState<PublicTicket | null>(null);

  useEffect(() => {
    // Just filed in this tab: open it with the access the filing gave, no second code.
    const wanted = query.get('ticket');
    if (!justFiled || !wanted || justFiled.ticket !== wanted) return;
    const ctrl = new AbortController();
    trackGrievance(wanted, { accessToken: justFiled.accessToken }, ctrl.signal).then(setTicket).catch(() => { justFiled = null; });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const fail = (err: unknown) => {
    const p = g.problems(err, (f) => SHOWN.includes(f));
    setErrors(p.errors);
    setTop(p.top);
  };

  async function askCode(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const errs: Record<string, string> = {};
    if (!/^[A-Za-z0-9-]{6,40}$/.test(ticketNumber.trim())) errs.ticketNumber = t('grv.err.ticket');
    const digits = mobileDigits(mobile);
    if (!digits) errs.mobile = t('grv.err.mobile');
    setErrors(errs);
    if (Object.keys(errs).length || !digits) return;
    setBusy(true);
    try {
      const r = await sendCode(digits);
      setChallenge({ id: r.challengeId, sentTo: r.sentTo });
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function show(e: FormEvent) {
    e.preventDefault();
    if (!challenge) return;
    setTop(null);
    if (!/^\d{4,8}$/.test(code.trim())) return setErrors({ code: t('grv.err.code') });
    setErrors({});
    setBusy(true);
    try {
      const found = await trackGrievance(ticketNumber.trim().toUpperCase(), { mobile: mobileDigits(mobile) ?? mobile.trim(), challengeId: challenge.id, code: code.trim() });
      setTicket(found);
      setChallenge(null);
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  if (ticket) {
    return (
      <GrievanceShell current="track">
        <TicketView ticket={ticket} onChange={setTicket} onOther={() => { setTicket(null); justFiled = null; }} />
      </GrievanceShell>
    );
  }
  return (
    <GrievanceShell current="track">
      <section aria-labelledby="grv-track-title">
        <h1 id="grv-track-title">{t('grv.track.title')}</h1>
        <p className="lead">{t('grv.track.lead')}</p>
        {top && <Notice kind="error">{top}</Notice>}
        <form className="panel" onSubmit={askCode} noValidate>
          <FormField id="grv-track-ticket" label={t('grv.ticketNumber')} value={ticketNumber} maxLength={40} error={errors.ticketNumber}
            onChange={(v) => { setTicketNumber(v); setChallenge(null); }} disabled={busy} />
          <FormField id="grv-track-mobile" label={t('grv.mobile')} type="tel" inputMode="tel" value={mobile} maxLength={16} error={errors.mobile}
            onChange={(v) => { setMobile(v); setChallenge(null); }} disabled={busy} />
          <button type="submit" className={challenge ? 'secondary' : ''} disabled={busy}>{challenge ? t('grv.resend') : t('grv.sendCode')}</button>
          {challenge && <p role="status" className="muted">{t('grv.codeSent', { to: challenge.sentTo })}</p>}
        </form>
        {challenge && (
          <form className="panel" onSubmit={show} noValidate>
            <FormField id="grv-track-code" label={t('grv.code')} value={code} inputMode="numeric" maxLength={8} error={errors.code}
              onChange={(v) => { setCode(v); setErrors(({ code: _fixed, ...rest }) => rest); }} />
            <button type="submit" disabled={busy}>{t('grv.track.show')}</button>
          </form>
        )}
      </section>
    </GrievanceShell>
  );
}

/** One complaint as the citizen sees it, with what they may do next. */
function TicketView({ ticket, onChange, onOther }: { ticket: PublicTicket; onChange: (t: PublicTicket) => void; onOther: () => void }) {
  const { t } = useI18n();
  const g = useGrv();
  const [done, setDone] = useState<string | null>(null);
  const open = !['resolved', 'closed'].includes(ticket.status);
  const changed = (next: PublicTicket, message: string) => {
    onChange(next);
    setDone(message);
  };
  return (
    <section aria-labelledby="grv-ticket-title" className="grv-track" data-testid="grv-public-ticket">
      <div className="page-head">
        <h1 id="grv-ticket-title">{t('grv.ticket.title', { ticket: ticket.ticketNumber })}</h1>
        <button type="button" className="secondary" onClick={onOther}>{t('grv.track.again')}</button>
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      <dl className="facts">
        <div className="fact"><dt>{t('grv.facts.status')}</dt><dd><StatusBadge status={ticket.status} /></dd></div>
        <div className="fact"><dt>{t('grv.facts.type')}</dt><dd>{g.type(ticket.type)}</dd></div>
        <div className="fact"><dt>{t('grv.facts.place')}</dt><dd>{ticket.facilityName ? `${g.name(ticket.facilityName, ticket.facilityNameHi)}, ` : ''}{g.name(ticket.districtName, ticket.districtNameHi)}</dd></div>
        <div className="fact"><dt>{t('grv.facts.filed')}</dt><dd>{formatDate(ticket.filedAt)}</dd></div>
        {open && <div className="fact"><dt>{t('grv.facts.due')}</dt><dd>{formatDate(ticket.resolutionDue)}</dd></div>}
        <div className="fact"><dt>{t('grv.facts.level')}</dt><dd>{g.level(ticket.level)}</dd></div>
        {ticket.rating && <div className="fact"><dt>{t('grv.facts.rating')}</dt><dd>{t(ticket.rating.satisfied ? 'grv.rated.satisfied' : 'grv.rated.not_satisfied')}</dd></div>}
      </dl>
      {ticket.resolution && (
        <div className="grv-resolution" data-testid="grv-resolution">
          <h2>{t('grv.resolution.title')}</h2>
          <p className="grv-text">{ticket.resolution}</p>
        </div>
      )}
      {ticket.canRate && <RateForm ticket={ticket} onDone={changed} />}
      {ticket.canReopen && <TextAction ticket={ticket} kind="reopen" onDone={changed} />}
      {open && <TextAction ticket={ticket} kind="info" onDone={changed} />}
      <History lines={ticket.history.map((h, i) => ({ key: `${i}`, at: h.at, kind: h.kind, text: g.text(h.kind, h.text), who: g.by(h.by) }))} testId="grv-public-history" />
    </section>
  );
}

/** Add information, or reopen: one text, one button. */
function TextAction({ ticket, kind, onDone }: { ticket: PublicTicket; kind: 'info' | 'reopen'; onDone: (t: PublicTicket, message: string) => void }) {
  const { t } = useI18n();
  const g = useGrv();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `grv-${kind}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return setError(t(kind === 'info' ? 'grv.err.text' : 'grv.err.reason'));
    setError(null);
    setBusy(true);
    try {
      const next = kind === 'info'
        ? await addInformation(ticket.ticketNumber, ticket.accessToken, text.trim())
        : await reopenPublic(ticket.ticketNumber, ticket.accessToken, text.trim());
      setText('');
      onDone(next, t(kind === 'info' ? 'grv.addInfo.done' : 'grv.reopen.done'));
    } catch (err) {
      const f = g.fields(err);
      setError(f.text ?? f.reason ?? g.error(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(kind === 'info' ? 'grv.addInfo.title' : 'grv.reopen.title')}</h2>
      {kind === 'reopen' && ticket.reopenUntil && <p className="muted">{t('grv.reopen.lead', { date: formatDate(ticket.reopenUntil) })}</p>}
      <FormField id={`${id}-text`} label={t(kind === 'info' ? 'grv.addInfo.text' : 'grv.reopen.reason')} value={text} onChange={setText} multiline error={error ?? undefined} />
      <button type="submit" className={kind === 'reopen' ? 'secondary' : ''} disabled={busy}>{t(kind === 'info' ? 'grv.addInfo.send' : 'grv.reopen.send')}</button>
    </form>
  );
}

/** Satisfied, or not satisfied with a reason (an appeal to the next level). */
function RateForm({ ticket, onDone }: { ticket: PublicTicket; onDone: (t: PublicTicket, message: string) => void }) {
  const { t } = useI18n();
  const g = useGrv();
  const [choice, setChoice] = useState<'yes' | 'no' | ''>('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const errs: Record<string, string> = {};
    if (!choice) errs.satisfied = t('grv.err.rating');
    if (choice === 'no' && !comment.trim()) errs.comment = t('grv.err.reason');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const next = await rate(ticket.ticketNumber, ticket.accessToken, { satisfied: choice === 'yes', ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onDone(next, t(choice === 'yes' ? 'grv.rate.thanks' : 'grv.rate.appealed'));
    } catch (err) {
      const p = g.problems(err, (f) => f === 'comment' || f === 'satisfied');
      setErrors(p.errors);
      setTop(p.top);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="panel grv-rate" onSubmit={submit} noValidate aria-labelledby="grv-rate-title">
      <h2 id="grv-rate-title">{t('grv.rate.title')}</h2>
      {top && <Notice kind="error">{top}</Notice>}
      <fieldset className={`radio-group${errors.satisfied ? ' has-error' : ''}`}>
        <legend className="visually-hidden">{t('grv.rate.title')}</legend>
        <label className="radio"><input type="radio" name="grv-rating" checked={choice === 'yes'} onChange={() => setChoice('yes')} />{t('grv.rate.satisfied')}</label>
        <label className="radio"><input type="radio" name="grv-rating" checked={choice === 'no'} onChange={() => setChoice('no')} />{t('grv.rate.notSatisfied')}</label>
        {errors.satisfied && <div className="error" role="alert">{errors.satisfied}</div>}
      </fieldset>
      {choice === 'no' && <p className="hint">{t('grv.rate.appealHint')}</p>}
      <FormField id="grv-rate-comment" label={t(choice === 'no' ? 'grv.rate.appealReason' : 'grv.rate.comment')} value={comment} onChange={setComment} multiline error={errors.comment} />
      <button type="submit" disabled={busy}>{t('grv.rate.send')}</button>
    </form>
  );
}
