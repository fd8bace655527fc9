import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDate as day, useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { closePregnancy, closeReason, groupNumber, listPregnancies, OUTCOMES, registerPregnancy, type Outcome, type Pregnancy } from './maternal.api.ts';
import './maternal.css';

const todayIst = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);

/**
 * A woman's pregnancy registrations on her record: register one (LMP), see its number to copy or
 * print for her ANC card (the ultrasound centre asks for it), and close it with its outcome and date.
 */
export function PregnancyPanel({ patientId, name }: { patientId: string; name: string }) {
  const { t } = useI18n();
  const me = useMe();
  const { error } = useApiErrors();
  const [items, setItems] = useState<Pregnancy[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const mayRegister = can(me, 'can_register_pregnancy');

  useEffect(() => {
    const ctrl = new AbortController();
    listPregnancies(patientId, ctrl.signal).then((r) => setItems(r.items)).catch((err) => !ctrl.signal.aborted && setLoadError(error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId, reload]);

  const open = items?.find((p) => p.status === 'open') ?? null;
  return (
    <section className="panel maternal-panel" aria-labelledby={`preg-title-${patientId}`}>
      <h2 id={`preg-title-${patientId}`}>{t('maternal.pregnancy')}</h2>
      {notice && <p className="maternal-notice" role="status">{notice}</p>}
      {loadError && <p className="error" role="alert">{loadError}</p>}
      {!items && !loadError && <p className="muted">{t('common.loading')}</p>}
      {items && open && (
        <OpenPregnancy p={open} name={name} mayClose={mayRegister} onClosed={(n) => { setNotice(t('maternal.closedDone', { number: groupNumber(n) })); setReload((x) => x + 1); }} />
      )}
      {items && !open && mayRegister && (
        <RegisterForm patientId={patientId} onDone={(n) => { setNotice(t('maternal.registered', { number: groupNumber(n) })); setReload((x) => x + 1); }} />
      )}
      {items && !open && !mayRegister && <p className="muted">{t('maternal.noneOpen')}</p>}
      {items && items.some((p) => p.status === 'closed') && (
        <details className="maternal-history">
          <summary>{t('maternal.history', { count: items.filter((p) => p.status === 'closed').length })}</summary>
          <ul>
            {items.filter((p) => p.status === 'closed').map((p) => (
              <li key={p.id}>
                <span className="mono">{groupNumber(p.registrationNumber)}</span> · {t('maternal.closedOn', { date: day(p.closedAt) })}
                {p.closedReason && <span className="muted"> · {p.closedReason}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function RegisterForm({ patientId, onDone }: { patientId: string; onDone: (number: string) => void }) {
  const { t } = useI18n();
  const { error } = useApiErrors();
  const id = useId();
  const [lmp, setLmp] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const r = await registerPregnancy({ patientId, lmp: lmp || undefined });
      onDone(r.registrationNumber);
    } catch (err) {
      setProblem(error(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-lmp`}>{t('maternal.lmp')}</label>
        <input id={`${id}-lmp`} type="date" value={lmp} max={todayIst()} onChange={(e) => setLmp(e.target.value)} aria-describedby={`${id}-lmp-hint`} />
        <small id={`${id}-lmp-hint`} className="muted">{t('maternal.lmpHint')}</small>
      </div>
      <button type="submit" disabled={busy}>{busy ? t('common.saving') : t('maternal.register')}</button>
      {problem && <div className="error" role="alert">{problem}</div>}
    </form>
  );
}

function OpenPregnancy({ p, name, mayClose, onClosed }: { p: Pregnancy; name: string; mayClose: boolean; onClosed: (number: string) => void }) {
  const { t, lang } = useI18n();
  const { error } = useApiErrors();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const [closing, setClosing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>('live_birth');
  const [date, setDate] = useState(todayIst());
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(p.registrationNumber);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page): select the number so that the user copies it by hand.
      const el = document.getElementById(`${id}-number`);
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  }

  function print() {
    document.body.classList.add('printing-slip');
    const done = () => { document.body.classList.remove('printing-slip'); window.removeEventListener('afterprint', done); };
    window.addEventListener('afterprint', done);
    window.print();
    // Browsers that print synchronously have printed by now.
    setTimeout(done, 1000);
  }

  async function close() {
    setBusy(true);
    setProblem(null);
    try {
      await closePregnancy(p.registrationNumber, closeReason(outcome, date, note));
      setConfirm(false);
      setClosing(false);
      onClosed(p.registrationNumber);
    } catch (err) {
      setConfirm(false);
      setProblem(err instanceof ApiError ? err.message : error(err));
    } finally {
      setBusy(false);
    }
  }

  const facility = lang === 'hi' && p.facilityHi ? p.facilityHi : p.facility;
  return (
    <div>
      <div className="maternal-slip">
        <p className="muted maternal-slip-title">{t('maternal.numberLabel')}</p>
        <p className="maternal-number mono" id={`${id}-number`} aria-label={t('maternal.numberLabel')}>{groupNumber(p.registrationNumber)}</p>
        <p className="maternal-slip-name">{name}</p>
        <p className="muted">
          {p.lmp ? t('maternal.lmpOn', { date: day(p.lmp) }) : t('maternal.lmpUnknown')}
          {p.gestationWeeks !== null && <> · {t('maternal.weeks', { weeks: p.gestationWeeks })}</>}
          {' · '}{t('maternal.registeredAt', { facility, date: day(p.registeredAt) })}
          {' · '}{t('maternal.scans', { count: p.scans })}
        </p>
      </div>
      <div className="maternal-actions">
        <button type="button" className="secondary" onClick={copy}>{t('maternal.copy')}</button>
        <button type="button" className="secondary" onClick={print}>{t('maternal.print')}</button>
        {mayClose && !closing && <button type="button" className="secondary" onClick={() => setClosing(true)}>{t('maternal.close')}</button>}
        {copied && <span role="status" className="muted">{t('maternal.copied')}</span>}
      </div>
      {closing && (
        <form className="maternal-close" onSubmit={(e) => { e.preventDefault(); setConfirm(true); }}>
          <div className="field">
            <label htmlFor={`${id}-outcome`}>{t('maternal.outcome')}</label>
            <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
              {OUTCOMES.map((o) => <option key={o} value={o}>{t(`maternal.outcome.${o}`)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-date`}>{t('maternal.outcomeDate')}</label>
            <input id={`${id}-date`} type="date" required value={date} max={todayIst()} onChange={(e) => setDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>{t('maternal.note')}</label>
            <input id={`${id}-note`} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="submit" className="danger">{t('maternal.closeSubmit')}</button>
            <button type="button" className="secondary" onClick={() => setClosing(false)}>{t('maternal.cancel')}</button>
          </div>
        </form>
      )}
      {problem && <p className="error" role="alert">{problem}</p>}
      <ConfirmDialog
        open={confirm}
        title={t('maternal.confirmTitle')}
        confirmLabel={t('maternal.confirmYes')}
        cancelLabel={t('maternal.confirmNo')}
        danger
        busy={busy}
        onConfirm={close}
        onCancel={() => setConfirm(false)}
      >
        <p>{t('maternal.confirmText', { number: groupNumber(p.registrationNumber), outcome: t(`maternal.outcome.${outcome}`), date: day(date) })}</p>
      </ConfirmDialog>
    </div>
  );
}
