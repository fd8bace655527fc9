import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useApiErrors } from '../../components/useApiErrors.ts';
import { formatDateTime, useI18n } from '../../i18n/i18n.tsx';
import {
  addPlace, callers as findCallers, CATEGORIES, LANGUAGES, listCalls, logCall, OUTCOMES, parsePoint, previewDisposition, protocols as loadProtocols, QUEUES,
  type CallItem, type Caller, type Category, type Created, type NewCall, type Protocol,
} from './helpline.api.ts';
import './helpline.css';

const NEW = '__new__';

/**
 * The helpline agent's call form (#/helpline), made for the keyboard: the number first (Enter looks
 * the caller up), then language, category, the protocol's red flags as checkboxes, advice, outcome;
 * Ctrl+Enter saves from anywhere in the form. The disposition shown while asking is worked out from
 * the same protocol table the server uses; the one saved is the server's. Below: ambulance calls
 * waiting for a place (a point added sends them on) and the agent's recent calls.
 */
export function CallPage() {
  const { t, tx, lang } = useI18n();
  const id = useId();
  const { error: errorText, problems } = useApiErrors();
  const [protocolList, setProtocolList] = useState<Protocol[]>([]);
  const blank = () => ({
    mobile: '', callerName: '', patientId: NEW, language: lang as string, category: 'medical_advice' as Category, protocol: '', answers: {} as Record<string, boolean>,
    advice: '', notes: '', outcome: 'resolved', transferTo: 'doctor', transferReason: '', complaint: '', place: '', service: '108',
  });
  const [form, setForm] = useState(blank);
  const [found, setFound] = useState<{ mobile: string; items: Caller[] } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const started = useRef(Date.now());
  const mobileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    loadProtocols(ctrl.signal).then((p) => setProtocolList(p.items)).catch((err) => { if (!ctrl.signal.aborted) setProblem(errorText(err)); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const protocol = useMemo(() => protocolList.find((p) => p.id === form.protocol) ?? null, [protocolList, form.protocol]);
  const preview = protocol ? previewDisposition(protocol, form.answers) : null;
  const set = <K extends keyof ReturnType<typeof blank>>(k: K, v: ReturnType<typeof blank>[K]) => setForm((f) => ({ ...f, [k]: v }));

  async function lookUp() {
    const mobile = form.mobile.trim();
    if (!mobile || found?.mobile === mobile) return;
    try {
      const r = await findCallers(mobile);
      setFound({ mobile, items: r.items });
      setErrors((e) => ({ ...e, callerMobile: '' }));
      set('patientId', r.items.length === 1 ? r.items[0]!.id : NEW);
    } catch (err) {
      const p = problems(err, () => true);
      setErrors((e) => ({ ...e, callerMobile: Object.values(p.errors)[0] ?? errorText(err) }));
      setFound(null);
    }
  }

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setProblem(null); setSaved(null); setErrors({});
    const body: NewCall = { callerMobile: form.mobile, language: form.language, category: form.category, outcome: form.outcome };
    if (form.callerName.trim()) body.callerName = form.callerName.trim();
    if (form.patientId !== NEW && found?.mobile === form.mobile.trim()) body.patientId = form.patientId;
    if (form.category === 'medical_advice') {
      if (form.protocol) body.protocol = form.protocol;
      // Every question asked: an unticked flag is a "no".
      if (protocol) body.answers = Object.fromEntries(protocol.flags.map((f) => [f.id, !!form.answers[f.id]]));
    }
    if (form.advice.trim()) body.advice = form.advice.trim();
    if (form.notes.trim()) body.notes = form.notes.trim();
    if (form.outcome === 'transferred') {
      body.transferTo = form.transferTo;
      if (form.transferReason.trim()) body.transferReason = form.transferReason.trim();
    }
    if (form.category === 'ambulance') {
      body.complaint = form.complaint;
      body.service = form.service;
      if (form.place.trim()) {
        const point = parsePoint(form.place);
        if (!point) { setErrors({ place: t('helpline.placeBad') }); return; }
        Object.assign(body, point);
      }
    }
    body.durationSeconds = Math.min(86_400, Math.round((Date.now() - started.current) / 1000));
    setBusy(true);
    try {
      const created = await logCall(body);
      setSaved(created);
      setForm({ ...blank(), language: form.language });
      setFound(null);
      started.current = Date.now();
      setReload((n) => n + 1);
      mobileRef.current?.focus();
    } catch (err) {
      const shown = new Set(['callerMobile', 'callerName', 'patientId', 'language', 'category', 'protocol', 'answers', 'advice', 'notes', 'outcome', 'transferTo', 'transferReason', 'complaint', 'latitude', 'longitude']);
      const p = problems(err, (f) => shown.has(f));
      const placeError = p.errors.latitude ?? p.errors.longitude;
      if (placeError) p.errors.place = placeError;
      setErrors(p.errors); setProblem(p.top);
    } finally {
      setBusy(false);
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); }
  };
  const err = (k: string) => errors[k] ? <small className="error" id={`${id}-${k}-err`}>{errors[k]}</small> : null;
  const field = (k: string, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${k}`}>{label}</label>
      {input}
      {hint && <small className="sub" id={`${id}-${k}-hint`}>{hint}</small>}
      {err(k)}
    </div>
  );
  const callerLine = (c: Caller) => t('helpline.callerLine', {
    name: lang === 'hi' && c.nameHi ? c.nameHi : c.name, sex: tx(`helpline.sex.${c.sex}`, c.sex), age: c.age,
    place: (lang === 'hi' ? c.placeHi ?? c.place : c.place) ? `, ${lang === 'hi' ? c.placeHi ?? c.place : c.place}` : '',
  });
  const flagText = (f: { en: string; hi: string }) => (lang === 'hi' ? f.hi : f.en);

  return (
    <section aria-labelledby={`${id}-title`} className="helpline">
      <h1 id={`${id}-title`}>{t('helpline.title')}</h1>
      <p className="muted">{t('helpline.lead')}</p>
      {saved && <SavedNotice created={saved} />}
      {problem && <Notice kind="error">{problem}</Notice>}

      <form className="facility-form helpline-form" onSubmit={(e) => void save(e)} onKeyDown={onKeyDown} noValidate aria-labelledby={`${id}-title`}>
        <fieldset className="helpline-block">
          <legend>{t('helpline.caller')}</legend>
          {field('callerMobile', t('helpline.mobile'), (
            <input id={`${id}-callerMobile`} ref={mobileRef} autoFocus inputMode="tel" autoComplete="off" value={form.mobile} className="mono"
              aria-invalid={!!errors.callerMobile} aria-describedby={`${id}-callerMobile-hint`}
              onChange={(e) => { set('mobile', e.target.value); setFound(null); }} onBlur={() => void lookUp()}
              onKeyDown={(e) => { if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); void lookUp(); } }} />
          ), t('helpline.mobileHint'))}
          {found && (
            <div className="helpline-callers" aria-live="polite">
              <p className="sub">{t('helpline.found', { count: found.items.length })}</p>
              {found.items.length > 0 && (
                <fieldset className="radio-group">
                  <legend className="visually-hidden">{t('helpline.caller')}</legend>
                  {found.items.map((c) => (
                    <label key={c.id} className="radio"><input type="radio" name={`${id}-caller`} checked={form.patientId === c.id} onChange={() => set('patientId', c.id)} /> {callerLine(c)} <span className="mono sub">{c.stateNumber}</span></label>
                  ))}
                  <label className="radio"><input type="radio" name={`${id}-caller`} checked={form.patientId === NEW} onChange={() => set('patientId', NEW)} /> {t('helpline.newCaller')}</label>
                </fieldset>
              )}
            </div>
          )}
          {field('callerName', t('helpline.callerName'), (
            <input id={`${id}-callerName`} value={form.callerName} maxLength={100} autoComplete="off" onChange={(e) => set('callerName', e.target.value)} />
          ))}
          {field('language', t('helpline.language'), (
            <select id={`${id}-language`} value={form.language} onChange={(e) => set('language', e.target.value)}>
              {LANGUAGES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
            </select>
          ))}
        </fieldset>

        <fieldset className={`radio-group helpline-block${errors.category ? ' has-error' : ''}`}>
          <legend>{t('helpline.category')}</legend>
          {CATEGORIES.map((c) => (
            <label key={c} className="radio"><input type="radio" name={`${id}-category`} value={c} checked={form.category === c} onChange={() => set('category', c)} /> {t(`helpline.category.${c}`)}</label>
          ))}
          {err('category')}
        </fieldset>

        {form.category === 'medical_advice' && (
          <fieldset className="helpline-block">
            <legend>{t('helpline.protocol')}</legend>
            {field('protocol', t('helpline.chooseProtocol'), (
              <select id={`${id}-protocol`} value={form.protocol} aria-invalid={!!errors.protocol} onChange={(e) => setForm((f) => ({ ...f, protocol: e.target.value, answers: {} }))}>
                <option value="">—</option>
                {protocolList.map((p) => <option key={p.id} value={p.id}>{flagText(p)}</option>)}
              </select>
            ))}
            {protocol && (
              <fieldset className="helpline-flags">
                <legend>{t('helpline.redFlags')}</legend>
                {protocol.flags.map((f) => (
                  <label key={f.id} className={`helpline-flag flag-${f.leadsTo}`}>
                    <input type="checkbox" name={f.id} checked={!!form.answers[f.id]} onChange={(e) => setForm((x) => ({ ...x, answers: { ...x.answers, [f.id]: e.target.checked } }))} />
                    {' '}{flagText(f)}
                  </label>
                ))}
                {err('answers')}
              </fieldset>
            )}
            {preview && (
              <p className={`helpline-disposition disposition-${preview}`} aria-live="polite" data-testid="disposition-preview">
                {t('helpline.dispositionNow', { disposition: t(`helpline.disposition.${preview}`) })}
              </p>
            )}
          </fieldset>
        )}

        {form.category === 'ambulance' && (
          <fieldset className="helpline-block">
            <legend>{t('helpline.category.ambulance')}</legend>
            {field('complaint', t('helpline.complaint'), (
              <input id={`${id}-complaint`} value={form.complaint} maxLength={500} aria-invalid={!!errors.complaint} onChange={(e) => set('complaint', e.target.value)} />
            ))}
            {field('place', t('helpline.place'), (
              <input id={`${id}-place`} value={form.place} className="mono" autoComplete="off" placeholder="29.15, 75.72" aria-invalid={!!errors.place}
                aria-describedby={`${id}-place-hint`} onChange={(e) => set('place', e.target.value)} />
            ), t('helpline.placeHint'))}
            {field('service', t('helpline.service'), (
              <select id={`${id}-service`} value={form.service} onChange={(e) => set('service', e.target.value)}>
                <option value="108">{t('helpline.service.108')}</option>
                <option value="102">{t('helpline.service.102')}</option>
              </select>
            ))}
          </fieldset>
        )}

        {field('advice', t('helpline.advice'), (
          <textarea id={`${id}-advice`} rows={2} maxLength={2000} value={form.advice} onChange={(e) => set('advice', e.target.value)} />
        ))}
        <fieldset className={`radio-group helpline-block${errors.outcome ? ' has-error' : ''}`}>
          <legend>{t('helpline.outcome')}</legend>
          {OUTCOMES.map((o) => (
            <label key={o} className="radio"><input type="radio" name={`${id}-outcome`} value={o} checked={form.outcome === o} onChange={() => set('outcome', o)} /> {t(`helpline.outcome.${o}`)}</label>
          ))}
          {err('outcome')}
        </fieldset>
        {form.outcome === 'transferred' && (
          <div className="field-pair">
            {field('transferTo', t('helpline.transferTo'), (
              <select id={`${id}-transferTo`} value={form.transferTo} onChange={(e) => set('transferTo', e.target.value)}>
                {QUEUES.map((q) => <option key={q} value={q}>{t(`helpline.queue.${q}`)}</option>)}
              </select>
            ))}
            {field('transferReason', t('helpline.transferReason'), (
              <input id={`${id}-transferReason`} value={form.transferReason} maxLength={500} onChange={(e) => set('transferReason', e.target.value)} />
            ))}
          </div>
        )}
        {field('notes', t('helpline.notes'), (
          <textarea id={`${id}-notes`} rows={2} maxLength={2000} value={form.notes} onChange={(e) => set('notes', e.target.value)} />
        ))}
        <button type="submit" disabled={busy}>{t('helpline.save')}</button>
      </form>

      <WaitingCalls reload={reload} onPlaced={() => setReload((n) => n + 1)} />
      <RecentCalls reload={reload} />
    </section>
  );
}

function SavedNotice({ created }: { created: Created }) {
  const { t } = useI18n();
  return (
    <Notice kind={created.disposition === 'emergency' || created.ambulance?.status === 'awaiting_place' ? 'error' : 'success'}>
      <strong>{t('helpline.saved')}</strong>
      {created.disposition && (
        <span className={`helpline-disposition disposition-${created.disposition}`} data-testid="disposition"> {t('helpline.savedDisposition', { disposition: t(`helpline.disposition.${created.disposition}`) })}</span>
      )}
      {created.patientId && <span> {t('helpline.savedKnown')}</span>}
      {created.transfer && <span> {t('helpline.savedTransfer', { queue: t(`helpline.queue.${created.transfer.queue as 'doctor' | 'counsellor'}`) })}</span>}
      {created.ambulance && <span data-testid="ambulance"> {t(`helpline.ambulance.${created.ambulance.status}`, { id: created.ambulance.dispatchCallId ?? '', problem: created.ambulance.problem ?? '' })}</span>}
    </Notice>
  );
}

function WaitingCalls({ reload, onPlaced }: { reload: number; onPlaced: () => void }) {
  const { t } = useI18n();
  const { error: errorText } = useApiErrors();
  const [items, setItems] = useState<CallItem[] | null>(null);
  const [place, setPlace] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    listCalls({ waiting: true, limit: 50 }, ctrl.signal).then((r) => setItems(r.items)).catch(() => undefined);
    return () => ctrl.abort();
  }, [reload]);
  async function send(c: CallItem) {
    const point = parsePoint(place[c.id] ?? '');
    if (!point) { setMessage({ kind: 'error', text: t('helpline.placeBad') }); return; }
    try {
      const r = await addPlace(c.id, point);
      setMessage(r.ambulance.status === 'dispatched' ? { kind: 'success', text: t('helpline.placed') } : { kind: 'error', text: r.ambulance.problem ?? '' });
      onPlaced();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  }
  return (
    <section aria-labelledby="helpline-waiting" className="helpline-waiting">
      <h2 id="helpline-waiting">{t('helpline.waiting')}</h2>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {items && items.length === 0 && <p className="muted">{t('helpline.noneWaiting')}</p>}
      {items && items.length > 0 && (
        <ul className="helpline-list">
          {items.map((c) => (
            <li key={c.id}>
              <div><strong>{c.callerName ?? c.callerMobileMasked}</strong> <span className="muted">{formatDateTime(c.createdAt)}</span></div>
              <div className="sub">{c.ambulance?.problem}</div>
              <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void send(c); }}>
                <div className="field">
                  <label htmlFor={`place-${c.id}`}>{t('helpline.addPlaceFor', { caller: c.callerName ?? c.callerMobileMasked })}</label>
                  <input id={`place-${c.id}`} className="mono" placeholder="29.15, 75.72" value={place[c.id] ?? ''} onChange={(e) => setPlace({ ...place, [c.id]: e.target.value })} />
                </div>
                <button type="submit" className="small">{t('helpline.addPlace')}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentCalls({ reload }: { reload: number }) {
  const { t, tx } = useI18n();
  const [items, setItems] = useState<CallItem[] | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    listCalls({ mine: true, limit: 20 }, ctrl.signal).then((r) => setItems(r.items)).catch(() => undefined);
    return () => ctrl.abort();
  }, [reload]);
  return (
    <section aria-labelledby="helpline-recent">
      <h2 id="helpline-recent">{t('helpline.recent')}</h2>
      {items && items.length === 0 && <p className="muted">{t('helpline.noCalls')}</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="helpline-recent">
            <thead>
              <tr>
                <th scope="col">{t('helpline.when')}</th>
                <th scope="col">{t('helpline.caller')}</th>
                <th scope="col">{t('helpline.category')}</th>
                <th scope="col">{t('helpline.disposition')}</th>
                <th scope="col">{t('helpline.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{formatDateTime(c.createdAt)}</td>
                  <th scope="row">{c.callerName ?? c.callerMobileMasked}<div className="sub mono">{c.callerMobileMasked} · {c.language}</div></th>
                  <td>{tx(`helpline.category.${c.category}`, c.category)}</td>
                  <td>{c.disposition ? <span className={`helpline-disposition disposition-${c.disposition}`}>{tx(`helpline.disposition.${c.disposition}`, c.disposition)}</span> : '—'}</td>
                  <td>
                    {tx(`helpline.outcome.${c.outcome}`, c.outcome)}
                    {c.transfer && <div className="sub">{tx(`helpline.queue.${c.transfer.queue}`, c.transfer.queue)} · {c.transfer.status}</div>}
                    {c.ambulance && <div className="sub">{t(`helpline.ambulanceState.${c.ambulance.status}`)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
