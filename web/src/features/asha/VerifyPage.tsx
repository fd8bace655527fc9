import { useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatDate, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { approveClaim, ashaOf, CLAIM_STATUSES, isFlagged, listClaims, recommendClaim, rejectClaim, type Claim, type ClaimPage } from './asha.api.ts';
import { BlockPicker, Flags, StatusBadge, useAsha } from './bits.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { EscalatedList } from './EscalatedList.tsx';

type Msg = { kind: 'success'; key: MessageKey; params: Record<string, string> } | { kind: 'error'; text: string } | null;

/**
 * The verifiers' queue: the CHO or ANM recommends the claims of her sub-centre's ASHAs, the medical
 * officer in charge (or a doctor) approves the recommended ones; either rejects with a reason the ASHA
 * reads. A flagged claim shows its flags first, and approving it needs a note saying why it is right.
 * Above the queue, the claims escalated to this officer (EscalatedList): to the MO in charge those the
 * ANM left past the deadline (which the MO may then decide directly), to the district officer those the
 * MO left.
 */
export function VerifyPage() {
  const { t } = useI18n();
  const a = useAsha();
  const me = useMe();
  const mayRecommend = can(me, 'can_recommend_asha_claims');
  const mayApprove = can(me, 'can_approve_asha_claims');
  const level = me.orgUnit.level.toLowerCase();
  // Told of escalations: the approvers (MO in charge), and the district's officers who keep the register.
  const toldOfEscalations = mayApprove || (can(me, 'can_manage_asha') && (level === 'district' || level === 'state' || level === 'country'));
  const [status, setStatus] = useState<string>(mayRecommend && !mayApprove ? 'submitted' : 'recommended');
  const [block, setBlock] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<ClaimPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const [reload, setReload] = useState(0);
  const [rejecting, setRejecting] = useState<Claim | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const reasonId = useId();

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    listClaims({ status: status || undefined, block: block || undefined, cursor: cursors.at(-1) }, ctrl.signal)
      .then(setPage)
      .catch((err) => { if (!ctrl.signal.aborted) { setPage(null); setError(a.error(err)); } });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, block, cursors, reload]);

  const act = async (c: Claim, kind: 'recommend' | 'approve', note?: string) => {
    setBusy(c.id);
    setMsg(null);
    try {
      if (kind === 'recommend') await recommendClaim(c.id, note);
      else await approveClaim(c.id, note);
      setMsg({ kind: 'success', key: kind === 'recommend' ? 'asha.verify.recommended' : 'asha.verify.approved', params: { name: a.name(c.nameEn, c.nameHi), asha: ashaOf(c) } });
      setReload((n) => n + 1);
    } catch (err) {
      setMsg({ kind: 'error', text: a.error(err) });
    } finally {
      setBusy(null);
    }
  };

  const reject = async () => {
    if (!rejecting) return;
    if (!reason.trim()) { setReasonError(t('asha.verify.reasonMissing')); return; }
    const c = rejecting;
    setBusy(c.id);
    try {
      await rejectClaim(c.id, reason.trim());
      setMsg({ kind: 'success', key: 'asha.verify.rejected', params: { name: a.name(c.nameEn, c.nameHi), asha: ashaOf(c) } });
      setRejecting(null);
      setReason('');
      setReload((n) => n + 1);
    } catch (err) {
      setReasonError(a.error(err));
    } finally {
      setBusy(null);
    }
  };

  if (!mayRecommend && !mayApprove) {
    return (
      <section className="asha-verify">
        <h1>{t('asha.verify.title')}</h1>
        {toldOfEscalations ? <EscalatedList /> : <Notice kind="error">{t('asha.verify.notVerifier')}</Notice>}
      </section>
    );
  }

  return (
    <section aria-labelledby="asha-verify-title" className="asha-verify">
      <h1 id="asha-verify-title">{t('asha.verify.title')}</h1>
      <p className="lead">{mayApprove ? t('asha.verify.leadMo') : t('asha.verify.leadAnm')}</p>
      {toldOfEscalations && <EscalatedList reload={reload} onShow={mayApprove ? (st) => { setStatus(st); setBlock(''); setCursors([]); } : undefined} />}
      <h2>{t('asha.verify.queue')}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('asha.verify.filters')}>
        <div className="field">
          <label htmlFor="asha-v-status">{t('asha.verify.status')}</label>
          <select id="asha-v-status" value={status} onChange={(e) => { setStatus(e.target.value); setCursors([]); }}>
            <option value="">{t('asha.all')}</option>
            {CLAIM_STATUSES.map((s) => <option key={s} value={s}>{a.status(s)}</option>)}
          </select>
        </div>
        {(level === 'district' || level === 'state' || level === 'country') && (
          <BlockPicker me={me} id="asha-v-block" value={block} optional onChange={(b) => { setBlock(b); setCursors([]); }} />
        )}
      </form>
      {msg && <Notice kind={msg.kind}>{'text' in msg ? msg.text : t(msg.key, msg.params)}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {!page && !error && <Notice kind="info">{t('common.loading')}</Notice>}
      {page && page.items.length === 0 && <p className="muted">{t('asha.verify.empty')}</p>}
      <ul className="asha-claims asha-queue">
        {page?.items.map((c) => (
          <VerifyItem key={c.id} claim={c} busy={busy === c.id}
            canRecommend={mayRecommend && c.status === 'submitted'}
            canApprove={mayApprove && (c.status === 'recommended' || (c.status === 'submitted' && (c.escalatedLevel ?? 0) > 0))}
            onRecommend={(note) => void act(c, 'recommend', note)}
            onApprove={(note) => void act(c, 'approve', note)}
            onReject={() => { setRejecting(c); setReason(''); setReasonError(null); }} />
        ))}
      </ul>
      <CursorPager cursors={cursors} next={page?.nextCursor} onPage={setCursors} />
      <ConfirmDialog
        open={!!rejecting}
        title={t('asha.verify.rejectTitle')}
        confirmLabel={t('asha.verify.reject')}
        cancelLabel={t('action.cancel')}
        danger
        busy={!!busy}
        onConfirm={() => void reject()}
        onCancel={() => setRejecting(null)}
      >
        <p>{rejecting ? t('asha.verify.rejectText', { name: a.name(rejecting.nameEn, rejecting.nameHi), asha: ashaOf(rejecting) }) : ''}</p>
        <div className="field">
          <label htmlFor={reasonId}>{t('asha.verify.reason')}</label>
          <textarea id={reasonId} value={reason} maxLength={500} onChange={(e) => { setReason(e.target.value); setReasonError(null); }}
            aria-invalid={!!reasonError} aria-describedby={reasonError ? `${reasonId}-error` : undefined} />
          {reasonError && <span className="error" id={`${reasonId}-error`}>{reasonError}</span>}
        </div>
      </ConfirmDialog>
    </section>
  );
}

function VerifyItem({ claim: c, busy, canRecommend, canApprove, onRecommend, onApprove, onReject }: {
  claim: Claim; busy: boolean; canRecommend: boolean; canApprove: boolean;
  onRecommend: (note?: string) => void; onApprove: (note?: string) => void; onReject: () => void;
}) {
  const { t } = useI18n();
  const a = useAsha();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const flagged = isFlagged(c);
  const approve = () => {
    if (flagged && !note.trim()) { setNoteError(t('asha.verify.noteMissing')); return; }
    onApprove(note.trim() || undefined);
  };
  const open = c.status === 'submitted' || c.status === 'recommended';
  return (
    <li className={`asha-claim${flagged ? ' asha-flagged' : ''}`} aria-label={`${ashaOf(c)}: ${a.name(c.nameEn, c.nameHi)}`} data-claim-id={c.id}>
      <div className="asha-claim-head">
        <strong>{a.name(c.nameEn, c.nameHi)}</strong>
        <StatusBadge status={c.status} />
      </div>
      <Flags flags={c.flags ?? []} />
      <dl className="asha-facts">
        <div><dt>{t('asha.verify.asha')}</dt><dd>{ashaOf(c) || '—'}</dd></div>
        <div><dt>{t('asha.list.doneOn')}</dt><dd>{formatDate(c.doneOn)}</dd></div>
        <div><dt>{t('asha.list.amount')}</dt><dd>{a.money(c.amount)}</dd></div>
        {c.pregnancyNumber && <div><dt>{t('asha.form.pregnancyNumber')}</dt><dd className="mono">{c.pregnancyNumber}</dd></div>}
        {c.beneficiaryPatientId && <div><dt>{t('asha.verify.patient')}</dt><dd className="mono">{c.beneficiaryPatientId}</dd></div>}
        {c.status === 'rejected' && c.rejectReason && <div><dt>{t('asha.list.reason')}</dt><dd>{c.rejectReason}</dd></div>}
        {c.approveNote && <div><dt>{t('asha.verify.noteShown')}</dt><dd>{c.approveNote}</dd></div>}
      </dl>
      {(canRecommend || canApprove) && (
        <>
          {flagged && canApprove && (
            <div className="field">
              <label htmlFor={noteId}>{t('asha.verify.note')}</label>
              <textarea id={noteId} value={note} maxLength={500} onChange={(e) => { setNote(e.target.value); setNoteError(null); }}
                aria-invalid={!!noteError} aria-describedby={noteError ? `${noteId}-error` : undefined} />
              {noteError && <span className="error" id={`${noteId}-error`}>{noteError}</span>}
            </div>
          )}
          <div className="asha-row-actions">
            {canRecommend && <button type="button" disabled={busy} onClick={() => onRecommend()}>{t('asha.verify.recommend')}</button>}
            {canApprove && <button type="button" disabled={busy} onClick={approve}>{t('asha.verify.approve')}</button>}
            {open && <button type="button" className="danger" disabled={busy} onClick={onReject}>{t('asha.verify.reject')}</button>}
          </div>
        </>
      )}
    </li>
  );
}
