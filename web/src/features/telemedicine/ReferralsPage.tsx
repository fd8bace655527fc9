import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, useMe } from '../auth/session.tsx';
import { timeOf, useTele } from './bits.tsx';
import { ReferralNotes } from './ReferralNotes.tsx';
import { listReferrals, moveReferral, type Referral, type ReferralStatus } from './tele.api.ts';
import './tele.css';

const PAGE = 20;

/**
 * Referrals to this facility (acknowledge, arrived, seen), each with the patient's record and the
 * consultation's notes (the referral opens them to the receiving hospital), and the ones sent from it.
 */
export function ReferralsPage() {
  const { t, date } = useI18n();
  const me = useMe();
  const tele = useTele();
  const [incoming, setIncoming] = useState<Referral[] | null>(null);
  const [outgoing, setOutgoing] = useState<Referral[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [inOffset, setInOffset] = useState(0);
  const [outOffset, setOutOffset] = useState(0);
  const [more, setMore] = useState({ incoming: false, outgoing: false });
  const [notesOf, setNotesOf] = useState<string | null>(null);
  const receives = can(me, 'can_receive_referral');

  const load = useCallback(() => {
    if (receives) {
      listReferrals('incoming', undefined, { offset: inOffset, limit: PAGE })
        .then((r) => { setIncoming(r.items); setMore((m) => ({ ...m, incoming: r.more })); }).catch((err) => setProblem(tele.error(err)));
    }
    if (can(me, 'can_refer')) {
      listReferrals('outgoing', undefined, { offset: outOffset, limit: PAGE })
        .then((r) => { setOutgoing(r.items); setMore((m) => ({ ...m, outgoing: r.more })); }).catch(() => setOutgoing([]));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [receives, inOffset, outOffset]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [load]);

  async function move(r: Referral, status: ReferralStatus) {
    setBusy(r.id);
    setProblem(null);
    try {
      await moveReferral(r.id, status);
      load();
    } catch (err) {
      setProblem(tele.error(err));
    } finally {
      setBusy(null);
    }
  }

  const patientOf = (r: Referral, dir: 'incoming' | 'outgoing') => (
    <>
      {r.patient.name
        ? (dir === 'incoming' ? <a href={`#/patients/${encodeURIComponent(r.patientId)}`}>{tele.name({ name: r.patient.name, nameHi: r.patient.nameHi })}</a> : tele.name({ name: r.patient.name, nameHi: r.patient.nameHi }))
        : t('tele.patientHidden')}
      <div className="sub mono">{r.patient.stateNumber}</div>
      {dir === 'incoming' && r.patient.name && (
        <button type="button" className="link-button small" aria-expanded={notesOf === r.id} onClick={() => setNotesOf(notesOf === r.id ? null : r.id)}>
          {notesOf === r.id ? t('tele.hideNotes') : t('tele.showNotes')}
        </button>
      )}
    </>
  );
  const table = (items: Referral[], dir: 'incoming' | 'outgoing') => (
    <table className="data-table compact">
      <thead>
        <tr>
          <th scope="col">{t('tele.urgency')}</th>
          <th scope="col">{t('tele.patient')}</th>
          <th scope="col">{dir === 'incoming' ? t('tele.from') : t('tele.destination')}</th>
          <th scope="col">{t('tele.reason')}</th>
          <th scope="col">{t('tele.status')}</th>
          {dir === 'incoming' && <th scope="col">{t('tele.actions')}</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((r) => [
          <tr key={r.id} data-referral={r.id}>
            <td><span className={`badge tele-urgency-${r.urgency}`}>{t(`tele.urgency.${r.urgency}`)}</span></td>
            <td>{patientOf(r, dir)}</td>
            <td>{dir === 'incoming' ? tele.name(r.from) : tele.name(r.to)}{r.specialty && <div className="sub">{tele.specialty({ specialtyName: r.specialtyName ?? undefined, specialtyNameHi: r.specialtyNameHi ?? undefined, code: r.specialty })}</div>}</td>
            <td>{r.reason}<div className="sub">{date(r.referredAt)} {timeOf(r.referredAt)} · {r.referredBy}</div></td>
            <td><span className={`badge tele-ref-${r.status}`} data-status={r.status}>{t(`tele.refStatus.${r.status}`)}</span></td>
            {dir === 'incoming' && (
              <td><div className="row-actions">
                {r.next.filter((s) => s !== 'cancelled').map((s) => (
                  <button key={s} type="button" className="small secondary" disabled={busy === r.id} onClick={() => void move(r, s)}>
                    {t(`tele.refAction.${s as Exclude<ReferralStatus, 'referred' | 'cancelled'>}`)}
                  </button>
                ))}
              </div></td>
            )}
          </tr>,
          dir === 'incoming' && notesOf === r.id && (
            <tr key={`${r.id}-notes`} className="tele-ref-notes-row">
              <td colSpan={6}><ReferralNotes patientId={r.patientId} requestId={r.requestId} /></td>
            </tr>
          ),
        ])}
      </tbody>
    </table>
  );

  return (
    <section aria-labelledby="ref-title" className="tele-page">
      <h1 id="ref-title">{t('tele.referralsTitle')}</h1>
      {problem && <Notice kind="error">{problem}</Notice>}
      {receives && (
        <section className="panel" aria-labelledby="ref-in-title">
          <h2 id="ref-in-title">{t('tele.incoming')}</h2>
          {incoming === null ? <p className="muted">{t('common.loading')}</p>
            : incoming.length === 0 ? <p className="muted">{t('tele.noReferrals')}</p> : table(incoming, 'incoming')}
          <Pager offset={inOffset} pageSize={PAGE} hasNext={more.incoming} onPage={setInOffset} />
        </section>
      )}
      {outgoing && (
        <section className="panel" aria-labelledby="ref-out-title">
          <h2 id="ref-out-title">{t('tele.outgoing')}</h2>
          {outgoing.length === 0 ? <p className="muted">{t('tele.noReferrals')}</p> : table(outgoing, 'outgoing')}
          <Pager offset={outOffset} pageSize={PAGE} hasNext={more.outgoing} onPage={setOutOffset} />
        </section>
      )}
    </section>
  );
}
