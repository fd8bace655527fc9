import { useEffect, useState, type FormEvent } from 'react';
import { downloadFile } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { FormField } from '../facilities/FormField.tsx';
import { History, StatusBadge, useGrv } from './bits.tsx';
import { act, attachmentPath, FINISHED, getTicket, type Action, type Ticket } from './grievances.api.ts';

const EXT: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * One complaint for the officer handling it: the facts, the citizen's words and files, the history with
 * internal notes marked; reply (or ask the citizen for more), add an internal note, assign, give the one
 * interim reply that extends the deadline, resolve (the resolution is required), close after a confirmation.
 */
export function TicketPage({ ticketNumber }: { ticketNumber: string }) {
  const { t, num } = useI18n();
  const g = useGrv();
  const me = useMe();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    getTicket(ticketNumber, ctrl.signal).then(setTicket).catch((err) => !ctrl.signal.aborted && setError(g.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ticketNumber]);

  /** Runs one action; the answer is the ticket as it now stands. A refusal comes back to the form that asked. */
  async function run(action: Action, message: string): Promise<void> {
    setBusy(true);
    setDone(null);
    try {
      setTicket(await act(ticketNumber, action));
      setDone(message);
    } finally {
      setBusy(false);
    }
  }

  if (!ticket) {
    return (
      <section aria-labelledby="grv-ticket-title">
        <p className="breadcrumb"><a href="#/grievances">{t('grv.ticket.back')}</a></p>
        <h1 id="grv-ticket-title">{t('grv.ticket.title', { ticket: ticketNumber })}</h1>
        {error ? <Notice kind="error">{error}</Notice> : <Notice kind="info">{t('common.loading')}</Notice>}
      </section>
    );
  }
  // Block officers read; the officers a complaint is routed to act on it.
  const handles = can(me, 'can_handle_grievances');
  const open = handles && !FINISHED.includes(ticket.status);
  const mine = ticket.assignedTo?.userId === me.id;
  return (
    <section aria-labelledby="grv-ticket-title" className="grv-ticket-page" data-testid="grv-ticket" data-status={ticket.status}>
      <p className="breadcrumb"><a href="#/grievances">{t('grv.ticket.back')}</a></p>
      <div className="page-head">
        <h1 id="grv-ticket-title">{t('grv.ticket.title', { ticket: ticket.ticketNumber })}</h1>
        <div className="actions">
          <StatusBadge status={ticket.status} />
          {ticket.overdue && <span className="badge grv-overdue">{t('grv.overdue')}</span>}
        </div>
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      <div className="detail-grid">
        <div>
          <dl className="facts">
            <div className="fact"><dt>{t('grv.facts.type')}</dt><dd>{g.type(ticket.type)}</dd></div>
            <div className="fact"><dt>{t('grv.facts.place')}</dt><dd>{ticket.facilityName ? `${ticket.facilityName}, ` : ''}{ticket.districtName}</dd></div>
            <div className="fact"><dt>{t('grv.facts.level')}</dt><dd>{g.level(ticket.level)}</dd></div>
            <div className="fact"><dt>{t('grv.facts.assignee')}</dt><dd>{ticket.assignedTo?.name ?? '—'}</dd></div>
            <div className="fact"><dt>{t('grv.facts.mobile')}</dt><dd>{ticket.mobile}{ticket.name ? ` · ${ticket.name}` : ''}</dd></div>
            <div className="fact"><dt>{t('grv.facts.filed')}</dt><dd>{formatDateTime(ticket.filedAt)}</dd></div>
            <div className="fact"><dt>{t('grv.facts.due')}</dt><dd>{formatDate(ticket.resolutionDue)}
              {ticket.extension && <div className="sub muted">{t('grv.extendedTo', { date: formatDate(ticket.resolutionDue) })}: {ticket.extension.reason}</div>}</dd></div>
            {ticket.rating && <div className="fact"><dt>{t('grv.facts.rating')}</dt><dd>{t(ticket.rating.satisfied ? 'grv.rated.satisfied' : 'grv.rated.not_satisfied')}{ticket.rating.comment ? `: ${ticket.rating.comment}` : ''}</dd></div>}
            <div className="fact"><dt>{t('grv.facts.description')}</dt><dd className="grv-text">{ticket.description}</dd></div>
          </dl>
          {ticket.attachments.length > 0 && (
            <ul className="grv-files" aria-label={t('grv.attachments')}>
              {ticket.attachments.map((a) => (
                <li key={a.id}>
                  <span>{a.title ?? a.id} <span className="muted">({(EXT[a.mediaType] ?? a.mediaType).toUpperCase()}, {num(Math.max(1, Math.round(a.bytes / 1024)))} KB)</span></span>
                  <button type="button" className="secondary small" aria-label={t('grv.downloadNamed', { title: a.title ?? a.id })}
                    onClick={() => downloadFile(attachmentPath(ticket.ticketNumber, a.id), undefined, `${ticket.ticketNumber}-${a.id}.${EXT[a.mediaType] ?? 'bin'}`).catch((err) => setError(g.error(err)))}>
                    {t('grv.download')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {error && <Notice kind="error">{error}</Notice>}
          {ticket.resolution && (
            <div className="grv-resolution"><h2>{t('grv.resolution.title')}</h2><p className="grv-text">{ticket.resolution}</p></div>
          )}
          <History testId="grv-officer-history" lines={ticket.events.map((e) => ({
            key: String(e.id), at: e.at, kind: e.kind, text: g.text(e.kind, e.text), internal: !e.visibleToCitizen,
            who: e.byCitizen ? t('grv.by.theCitizen') : e.by ? `${e.by.name} (${g.by(e.by.role)})` : t('grv.by.system'),
          }))} />
        </div>
        <div>
          {open && (
            <div className="panel">
              <h2>{t('grv.assign.title')}</h2>
              <div className="row-actions">
                {!mine && <button type="button" disabled={busy} onClick={() => run({ kind: 'assign' }, t('grv.assign.done')).catch((err) => setError(g.error(err)))}>{t('grv.assign.me')}</button>}
                {ticket.status === 'assigned' && <button type="button" className="secondary" disabled={busy} onClick={() => run({ kind: 'start' }, t('grv.status.in_progress')).catch((err) => setError(g.error(err)))}>{t('grv.start.send')}</button>}
              </div>
            </div>
          )}
          {open && <ReplyForm busy={busy} run={run} />}
          {open && (ticket.extension ? <p className="muted panel">{t('grv.interim.used')}</p> : <InterimForm busy={busy} run={run} />)}
          {open && <TextForm id="grv-resolve" title={t('grv.resolve.title')} label={t('grv.resolve.text')} button={t('grv.resolve.send')} empty={t('grv.resolve.required')} field="resolution"
            busy={busy} send={(text) => run({ kind: 'resolve', resolution: text }, t('grv.resolve.done'))} />}
          {handles && ticket.status === 'resolved' && (
            <div className="panel">
              <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmClose(true)}>{t('grv.close.send')}</button>
            </div>
          )}
          {ticket.status === 'closed' && <Notice kind="info">{t('grv.finished')}</Notice>}
          {handles && <TextForm id="grv-note" title={t('grv.note.title')} label={t('grv.note.text')} button={t('grv.note.send')} empty={t('grv.err.text')} field="note" secondary
            busy={busy} send={(text) => run({ kind: 'notes', note: text }, t('grv.note.done'))} />}
        </div>
      </div>
      <ConfirmDialog open={confirmClose} title={t('grv.close.confirmTitle', { ticket: ticket.ticketNumber })} confirmLabel={t('grv.close.confirm')} cancelLabel={t('grv.cancel')}
        busy={busy} onCancel={() => setConfirmClose(false)}
        onConfirm={() => { run({ kind: 'close' }, t('grv.close.done')).catch((err) => setError(g.error(err))).finally(() => setConfirmClose(false)); }}>
        <p>{t('grv.close.confirmText')}</p>
      </ConfirmDialog>
    </section>
  );
}

type Run = (action: Action, message: string) => Promise<void>;

/** One text and one button; the server's refusal (a field problem or a 409) is shown beside it. */
function TextForm(props: { id: string; title: string; label: string; button: string; empty: string; field: string; busy: boolean; secondary?: boolean; send: (text: string) => Promise<void> }) {
  const g = useGrv();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return setError(props.empty);
    setError(null);
    try {
      await props.send(text.trim());
      setText('');
    } catch (err) {
      setError(g.fields(err)[props.field] ?? g.error(err));
    }
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <FormField id={`${props.id}-text`} label={props.label} value={text} onChange={setText} multiline error={error ?? undefined} />
      <button type="submit" className={props.secondary ? 'secondary' : ''} disabled={props.busy}>{props.button}</button>
    </form>
  );
}

/** A reply the citizen reads, or (ticked) a question that puts the ticket to wait for the citizen's answer. */
function ReplyForm({ busy, run }: { busy: boolean; run: Run }) {
  const { t } = useI18n();
  const g = useGrv();
  const [text, setText] = useState('');
  const [ask, setAsk] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return setError(t('grv.err.text'));
    setError(null);
    try {
      await run(ask ? { kind: 'wait', message: text.trim() } : { kind: 'reply', message: text.trim() }, t('grv.reply.done'));
      setText('');
      setAsk(false);
    } catch (err) {
      setError(g.fields(err).message ?? g.error(err));
    }
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="grv-reply-title">
      <h2 id="grv-reply-title">{t('grv.reply.title')}</h2>
      <FormField id="grv-reply-text" label={t('grv.reply.text')} value={text} onChange={setText} multiline error={error ?? undefined} />
      <label className="radio"><input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} />{t('grv.reply.waiting')}</label>
      <div><button type="submit" disabled={busy}>{t('grv.reply.send')}</button></div>
    </form>
  );
}

/** The one interim reply: a reason the citizen sees and the working days added to the deadline. */
function InterimForm({ busy, run }: { busy: boolean; run: Run }) {
  const { t } = useI18n();
  const g = useGrv();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('7');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setTop(null);
    const errs: Record<string, string> = {};
    if (!reason.trim()) errs.reason = t('grv.err.reason');
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 60) errs.extendDays = t('grv.interim.daysRange');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await run({ kind: 'interim', reason: reason.trim(), extendDays: n }, t('grv.interim.done'));
      setReason('');
    } catch (err) {
      const p = g.problems(err, (f) => f === 'reason' || f === 'extendDays');
      setErrors(p.errors);
      setTop(p.top);
    }
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="grv-interim-title">
      <h2 id="grv-interim-title">{t('grv.interim.title')}</h2>
      <p className="hint">{t('grv.interim.lead')}</p>
      {top && <Notice kind="error">{top}</Notice>}
      <FormField id="grv-interim-reason" label={t('grv.interim.reason')} value={reason} onChange={setReason} multiline error={errors.reason} />
      <FormField id="grv-interim-days" label={t('grv.interim.days')} value={days} onChange={setDays} inputMode="numeric" maxLength={2} error={errors.extendDays} />
      <button type="submit" className="secondary" disabled={busy}>{t('grv.interim.send')}</button>
    </form>
  );
}
