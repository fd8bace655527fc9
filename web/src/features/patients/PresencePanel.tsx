import { useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { recordPresence, sendPresenceCode, type PresenceGrant, type PresenceMethod } from './patients.api.ts';

const MIN_REASON = 10;

/**
 * Before staff who may not read a record serve the patient, the patient is shown present: a code
 * sent to the patient's own mobile (the number is never shown, only its last four digits), the
 * health card's QR code, or, for someone with neither, a reason (break-glass: audited, the patient
 * is told by SMS, the district officer reviews it). `onPresent` continues to the action.
 */
export function PresencePanel({ patientId, mobileLast4, onPresent }: { patientId: string; mobileLast4?: string | null; onPresent: (g: PresenceGrant) => void }) {
  const { t } = useI18n();
  const { error: errorText, fields } = useApiErrors();
  const noMobile = mobileLast4 === null;
  const [method, setMethod] = useState<PresenceMethod>(noMobile ? 'card' : 'otp');
  const [challenge, setChallenge] = useState<{ id: string; sentTo: string } | null>(null);
  const [code, setCode] = useState('');
  const [card, setCard] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const id = (s: string) => `presence-${s}-${patientId}`;

  const fail = (err: unknown) => {
    const f = fields(err);
    const first = Object.values(f)[0];
    setFieldError(first ?? null);
    setProblem(first ? null : errorText(err));
  };

  async function sendCode() {
    setBusy(true);
    setProblem(null);
    setFieldError(null);
    try {
      const sent = await sendPresenceCode(patientId);
      setChallenge({ id: sent.challengeId, sentTo: sent.sentTo });
      setCode('');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit(e?: SyntheticEvent) {
    e?.preventDefault();
    e?.stopPropagation();
    setProblem(null);
    setFieldError(null);
    if (method === 'otp' && !/^\d{6}$/.test(code.trim())) return setFieldError(t('presence.err.code'));
    if (method === 'card' && !card.trim()) return setFieldError(t('presence.err.card'));
    if (method === 'break_glass' && reason.trim().length < MIN_REASON) return setFieldError(t('presence.err.reason', { min: MIN_REASON }));
    setBusy(true);
    try {
      const body = method === 'otp' ? { method, challengeId: challenge?.id, code: code.trim() }
        : method === 'card' ? { method, code: card.trim() } : { method, reason: reason.trim() };
      onPresent(await recordPresence(patientId, body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) setProblem(t('error.network'));
      else fail(err);
    } finally {
      setBusy(false);
    }
  }

  // Enter in the code or card field confirms, as in a form (not in the reason's text area).
  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'radio' && !busy) void submit(e);
  };
  const choose = (m: PresenceMethod) => {
    setMethod(m);
    setProblem(null);
    setFieldError(null);
  };
  const errorId = id('error');
  return (
    <section className="panel presence-panel" aria-labelledby={id('title')}>
      <h2 id={id('title')}>{t('presence.title')}</h2>
      <p className="muted">{t('presence.lead')}</p>
      <fieldset className="radio-group">
        <legend>{t('presence.how')}</legend>
        {(['otp', 'card', 'break_glass'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={id('method')} value={m} checked={method === m} onChange={() => choose(m)} />
            {t(`presence.method.${m}`)}
          </label>
        ))}
      </fieldset>
      {/* Not a form: the panel also sits inside other forms (the teleconsultation request), and forms do not nest. */}
      <div className="presence-form" role="group" aria-labelledby={id('title')} onKeyDown={onEnter}>
        {method === 'otp' && (
          <>
            {noMobile && <Notice kind="info">{t('presence.noMobile')}</Notice>}
            {!challenge ? (
              <button type="button" disabled={busy} onClick={() => void sendCode()}>
                {mobileLast4 ? t('presence.sendCodeTo', { last4: mobileLast4 }) : t('presence.sendCode')}
              </button>
            ) : (
              <>
                <p role="status">{t('presence.codeSent', { to: challenge.sentTo })}</p>
                <div className="field">
                  <label htmlFor={id('code')}>{t('presence.code')}</label>
                  <input id={id('code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => { setCode(e.target.value); setFieldError(null); }}
                    aria-invalid={fieldError ? true : undefined} aria-describedby={fieldError ? errorId : undefined} />
                </div>
                <div className="actions">
                  <button type="button" disabled={busy} onClick={(e) => void submit(e)}>{t('presence.confirm')}</button>
                  <button type="button" className="secondary" disabled={busy} onClick={() => void sendCode()}>{t('presence.resend')}</button>
                </div>
              </>
            )}
          </>
        )}
        {method === 'card' && (
          <>
            <div className="field">
              <label htmlFor={id('card')}>{t('presence.card')}</label>
              <input id={id('card')} value={card} onChange={(e) => { setCard(e.target.value); setFieldError(null); }} autoComplete="off" aria-describedby={`${id('card-hint')}${fieldError ? ` ${errorId}` : ''}`}
                aria-invalid={fieldError ? true : undefined} />
              <div className="hint" id={id('card-hint')}>{t('presence.cardHint')}</div>
            </div>
            <button type="button" disabled={busy} onClick={(e) => void submit(e)}>{t('presence.confirm')}</button>
          </>
        )}
        {method === 'break_glass' && (
          <>
            <Notice kind="info">{t('presence.breakGlassWarning')}</Notice>
            <div className="field">
              <label htmlFor={id('reason')}>{t('presence.reason')}</label>
              <textarea id={id('reason')} rows={3} maxLength={500} value={reason} onChange={(e) => { setReason(e.target.value); setFieldError(null); }}
                aria-invalid={fieldError ? true : undefined} aria-describedby={`${id('reason-hint')}${fieldError ? ` ${errorId}` : ''}`} />
              <div className="hint" id={id('reason-hint')}>{t('presence.reasonHint', { min: MIN_REASON })}</div>
            </div>
            <button type="button" className="danger" disabled={busy} onClick={(e) => void submit(e)}>{t('presence.breakGlass')}</button>
          </>
        )}
        {fieldError && <div className="error" id={errorId} role="alert">{fieldError}</div>}
        {problem && <Notice kind="error">{problem}</Notice>}
      </div>
    </section>
  );
}
