import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useOnline } from '../../components/useOnline.ts';
import { formatDate, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { todayIst } from '../patients/patients.api.ts';
import { getActivities, getMyClaims, resubmitClaim, type Activity, type Claim, type MyClaims, type ResubmitBody } from './asha.api.ts';
import { loadCatalogue, loadMine, removeClaim, saveCatalogue, saveMine, useLocalClaims, type LocalClaim } from './asha.store.ts';
import { syncClaims, type SyncOutcome } from './asha.sync.ts';
import { Flags, StatusBadge, useAsha } from './bits.tsx';
import { ClaimForm } from './ClaimForm.tsx';

type Msg = { kind: 'error' | 'info' | 'success'; key: MessageKey; params?: Record<string, string | number> } | { kind: 'error' | 'success'; text: string } | null;

/**
 * The ASHA's own claims, on her phone: a new claim (kept on the phone and sent when there is a
 * network: at once, when the phone comes back online, when the page opens, or with the button), the
 * claims waiting to be sent, and every claim the server has with its status, who holds it now, the
 * expected pay day, the reason of a rejection (and a button to send it again), and each month's
 * amounts paid and pending.
 */
export function ClaimsPage() {
  const { t } = useI18n();
  const a = useAsha();
  const me = useMe();
  const online = useOnline();
  const { claims: local, storageError } = useLocalClaims(me.id);
  const [activities, setActivities] = useState<Activity[] | null>(() => loadCatalogue(me.id));
  const [mine, setMine] = useState<MyClaims | null>(() => loadMine(me.id));
  const [mineFresh, setMineFresh] = useState(false);
  const [more, setMore] = useState<{ items: Claim[]; cursor: string | null }>({ items: [], cursor: null });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const [removing, setRemoving] = useState<LocalClaim | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const waiting = (local ?? []).filter((c) => c.status === 'pending');
  const refused = (local ?? []).filter((c) => c.status === 'refused');

  // The catalogue: from the server when it answers, else the copy kept on the phone.
  useEffect(() => {
    const ctrl = new AbortController();
    getActivities(ctrl.signal)
      .then((r) => { saveCatalogue(me.id, r.items); setActivities(r.items); })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        if (!(err instanceof ApiError && err.status === 0)) setLoadError(a.error(err));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.id]);

  // Her claims on the server (the first page, kept on the phone for an offline look).
  useEffect(() => {
    const ctrl = new AbortController();
    getMyClaims(undefined, ctrl.signal)
      .then((r) => { saveMine(me.id, r); setMine(r); setMineFresh(true); setMore({ items: [], cursor: r.nextCursor ?? null }); setLoadError(null); })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setMineFresh(false);
        if (!(err instanceof ApiError && err.status === 0)) setLoadError(a.error(err));
      });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.id, reload]);

  const sync = useCallback(async (quiet: boolean) => {
    setSyncing(true);
    if (!quiet) setMsg(null);
    let out: SyncOutcome;
    try {
      out = await syncClaims(me.id);
    } catch {
      setMsg({ kind: 'error', key: 'asha.form.storageFull' });
      return;
    } finally {
      setSyncing(false);
    }
    if (out.sent) setReload((n) => n + 1);
    if (out.error) setMsg({ kind: 'error', text: out.error });
    else if (out.refused) setMsg({ kind: 'error', key: 'asha.sync.refused', params: { count: out.refused } });
    else if (out.offline) { if (!quiet) setMsg({ kind: 'info', key: 'asha.sync.offline' }); }
    else if (out.sent) setMsg({ kind: 'success', key: out.flagged.length ? 'asha.sync.sentFlagged' : 'asha.sync.sent', params: { count: out.sent } });
    else if (!quiet) setMsg({ kind: 'info', key: 'asha.sync.nothing' });
  }, [me.id]);

  // By itself: when the page opens with claims waiting, and when the phone comes back online.
  const hasWaiting = waiting.length > 0;
  useEffect(() => {
    if (navigator.onLine && hasWaiting) void sync(true);
    const onOnline = () => void sync(true);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [sync, hasWaiting]);

  const onSaved = useCallback((c: LocalClaim) => {
    setMsg({ kind: 'success', key: 'asha.form.saved', params: { name: a.name(c.nameEn, c.nameHi) } });
    if (navigator.onLine) void sync(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sync]);

  const resubmit = async (c: Claim, body: ResubmitBody) => {
    setBusyId(c.id);
    setMsg(null);
    try {
      await resubmitClaim(c.id, body);
      setMsg({ kind: 'success', key: 'asha.list.resubmitted', params: { name: a.name(c.nameEn, c.nameHi) } });
      setCorrecting(null);
      setReload((n) => n + 1);
    } catch (err) {
      setMsg({ kind: 'error', text: a.error(err) });
    } finally {
      setBusyId(null);
    }
  };

  const showMore = async () => {
    if (!more.cursor) return;
    setBusyId('more');
    try {
      const r = await getMyClaims(more.cursor);
      setMore((m) => ({ items: [...m.items, ...r.items], cursor: r.nextCursor ?? null }));
    } catch (err) {
      setMsg({ kind: 'error', text: a.error(err) });
    } finally {
      setBusyId(null);
    }
  };

  if (!can(me, 'can_claim_asha_incentives')) {
    return (
      <section className="asha-page">
        <h1>{t('asha.claims.title')}</h1>
        <Notice kind="error">{t('asha.claims.notAsha')}</Notice>
      </section>
    );
  }

  const serverClaims = [...(mine?.items ?? []), ...more.items];
  return (
    <section className="asha-page" aria-labelledby="asha-claims-title">
      <h1 id="asha-claims-title">{t('asha.claims.title')}</h1>
      {!online && <div className="offline-banner" role="status">{t('asha.offline')}</div>}
      <div className="asha-syncbar" aria-live="polite">
        <span data-testid="asha-waiting">{t('asha.sync.waiting', { count: waiting.length })}</span>
        <button type="button" onClick={() => void sync(false)} disabled={syncing || !waiting.length}>
          {syncing ? t('asha.sync.sending') : t('asha.sync.now')}
        </button>
      </div>
      {msg && <Notice kind={msg.kind}>{'text' in msg ? msg.text : t(msg.key, msg.params)}</Notice>}
      {storageError && <Notice kind="error">{t('asha.form.storageFull')}</Notice>}
      {loadError && <Notice kind="error">{loadError}</Notice>}

      {mine && mine.months.length > 0 && (
        <section aria-labelledby="asha-months-title" className="asha-months">
          <h2 id="asha-months-title">{t('asha.months.title')}</h2>
          <table className="data-table" data-testid="asha-months">
            <thead>
              <tr>
                <th scope="col">{t('asha.months.month')}</th>
                <th scope="col" className="num">{t('asha.months.paid')}</th>
                <th scope="col" className="num">{t('asha.months.pending')}</th>
              </tr>
            </thead>
            <tbody>
              {mine.months.map((m) => (
                <tr key={m.month} data-month={m.month}>
                  <th scope="row">{a.month(m.month)}</th>
                  <td className="num">{a.money(m.paid)}</td>
                  <td className="num">{a.money(m.pending)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {activities === null ? (
        loadError ? null : <Notice kind="info">{online ? t('common.loading') : t('asha.noCatalogueOffline')}</Notice>
      ) : activities.length === 0 ? (
        <Notice kind="info">{t('asha.noActivities')}</Notice>
      ) : (
        <ClaimForm userId={me.id} activities={activities} onSaved={onSaved} />
      )}

      {(waiting.length > 0 || refused.length > 0) && (
        <section aria-labelledby="asha-local-title">
          <h2 id="asha-local-title">{t('asha.local.title', { count: waiting.length + refused.length })}</h2>
          <ul className="asha-claims">
            {[...refused, ...waiting].map((c) => (
              <li key={c.clientId} className={`asha-claim asha-local-${c.status}`} aria-label={a.name(c.nameEn, c.nameHi)} data-client-id={c.clientId}>
                <div className="asha-claim-head">
                  <strong>{a.name(c.nameEn, c.nameHi)}</strong>
                  <span className={`badge asha-status-${c.status === 'pending' ? 'waiting' : 'rejected'}`}>
                    {c.status === 'pending' ? t('asha.local.waiting') : t('asha.local.refused')}
                  </span>
                </div>
                <div className="muted">{formatDate(c.body.doneOn)} · {a.money(c.amount)}</div>
                {c.problem && <p className="asha-reason">{c.problem}</p>}
                {c.status === 'refused' && (
                  <div className="asha-row-actions">
                    <button type="button" className="secondary small" onClick={() => setRemoving(c)}>{t('asha.local.remove')}</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="asha-list-title">
        <h2 id="asha-list-title">{t('asha.list.title')}</h2>
        {mine && !mineFresh && <p className="muted">{t('asha.list.asKept')}</p>}
        {!mine && !loadError && <Notice kind="info">{online ? t('common.loading') : t('asha.list.offlineNone')}</Notice>}
        {mine && serverClaims.length === 0 && <p className="muted">{t('asha.list.empty')}</p>}
        <ul className="asha-claims" data-testid="asha-claims">
          {serverClaims.map((c) => (
            <li key={c.id} className={`asha-claim asha-claim-${c.status}`} aria-label={a.name(c.nameEn, c.nameHi)} data-claim-id={c.id} data-status={c.status}>
              <div className="asha-claim-head">
                <strong>{a.name(c.nameEn, c.nameHi)}</strong>
                <StatusBadge status={c.status} />
              </div>
              <dl className="asha-facts">
                <div><dt>{t('asha.list.doneOn')}</dt><dd>{formatDate(c.doneOn)}</dd></div>
                <div><dt>{t('asha.list.amount')}</dt><dd>{a.money(c.amount)}</dd></div>
                {c.status === 'paid' ? (
                  <>
                    <div><dt>{t('asha.list.paidOn')}</dt><dd>{formatDate(c.paidOn)}</dd></div>
                    {c.utr && <div><dt>{t('asha.list.utr')}</dt><dd className="mono">{c.utr}</dd></div>}
                  </>
                ) : c.status !== 'rejected' && (
                  <>
                    <div><dt>{t('asha.list.holder')}</dt><dd data-testid="asha-holder">{a.holder(c.holder)}</dd></div>
                    <div><dt>{t('asha.list.expected')}</dt><dd>{formatDate(c.expectedPayOn)}</dd></div>
                  </>
                )}
              </dl>
              {c.status === 'rejected' && c.rejectReason && (
                <p className="asha-reason"><strong>{t('asha.list.reason')}:</strong> {c.rejectReason}</p>
              )}
              {/* Once approved, the medical officer has settled the flags: they no longer worry her. */}
              {['submitted', 'recommended', 'rejected'].includes(c.status) && <Flags flags={c.flags ?? []} />}
              {c.status === 'rejected' && correcting !== c.id && (
                <div className="asha-row-actions">
                  <button type="button" className="small" disabled={!online} onClick={() => setCorrecting(c.id)}>{t('asha.list.correct')}</button>
                  {!online && <span className="hint">{t('asha.list.needsNetwork')}</span>}
                </div>
              )}
              {c.status === 'rejected' && correcting === c.id && (
                <ResubmitForm claim={c} busy={busyId === c.id || !online} onSend={(body) => void resubmit(c, body)} onCancel={() => setCorrecting(null)} />
              )}
            </li>
          ))}
        </ul>
        {more.cursor && mineFresh && (
          <div className="asha-actions">
            <button type="button" className="secondary" disabled={busyId === 'more'} onClick={() => void showMore()}>{t('asha.list.more')}</button>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={!!removing}
        title={t('asha.local.removeTitle')}
        confirmLabel={t('asha.local.remove')}
        cancelLabel={t('action.cancel')}
        danger
        onConfirm={() => {
          if (removing) void removeClaim(removing.clientId);
          setRemoving(null);
        }}
        onCancel={() => setRemoving(null)}
      >
        <p>{removing ? t('asha.local.removeText', { name: a.name(removing.nameEn, removing.nameHi) }) : ''}</p>
      </ConfirmDialog>
    </section>
  );
}

/** A rejected claim corrected (the date, the pregnancy number or patient, a note for the verifier) and sent again. */
function ResubmitForm({ claim, busy, onSend, onCancel }: { claim: Claim; busy: boolean; onSend: (body: ResubmitBody) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const ids = useId();
  const [doneOn, setDoneOn] = useState(claim.doneOn);
  const [pregnancy, setPregnancy] = useState(claim.pregnancyNumber ?? '');
  const [patient, setPatient] = useState(claim.beneficiaryPatientId ?? '');
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: ResubmitBody = {};
    if (doneOn && doneOn !== claim.doneOn) body.doneOn = doneOn;
    if (claim.pregnancyNumber && pregnancy.trim() && pregnancy.trim() !== claim.pregnancyNumber) body.pregnancyNumber = pregnancy.trim();
    if (claim.beneficiaryPatientId && patient.trim() && patient.trim() !== claim.beneficiaryPatientId) body.beneficiaryPatientId = patient.trim();
    if (note.trim()) body.note = note.trim();
    onSend(body);
  };
  return (
    <form className="asha-resubmit" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('asha.list.correctTitle')}</h3>
      <div className="field">
        <label htmlFor={`${ids}-date`}>{t('asha.form.doneOn')}</label>
        <input id={`${ids}-date`} type="date" value={doneOn} max={todayIst()} onChange={(e) => setDoneOn(e.target.value)} />
      </div>
      {claim.pregnancyNumber && (
        <div className="field">
          <label htmlFor={`${ids}-preg`}>{t('asha.form.pregnancyNumber')}</label>
          <input id={`${ids}-preg`} value={pregnancy} onChange={(e) => setPregnancy(e.target.value)} autoComplete="off" />
        </div>
      )}
      {claim.beneficiaryPatientId && (
        <div className="field">
          <label htmlFor={`${ids}-patient`}>{t('asha.verify.patient')}</label>
          <input id={`${ids}-patient`} value={patient} onChange={(e) => setPatient(e.target.value)} autoComplete="off" />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-note`}>{t('asha.list.note')}</label>
        <textarea id={`${ids}-note`} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="asha-row-actions">
        <button type="submit" disabled={busy}>{t('asha.list.resubmit')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}
