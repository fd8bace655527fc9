import { useCallback, useEffect, useState } from 'react';
import { Pager } from '../../components/Pager.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { timeOf, useTele } from './bits.tsx';
import { listReferrals, type Referral } from './tele.api.ts';

const PAGE = 10;

/**
 * The centre's referrals (the doctor's, made in a teleconsultation, and the centre's own) with where
 * each stands at the hospital: referred, acknowledged, arrived, seen or cancelled.
 */
export function CentreReferralsPanel() {
  const { t, date } = useI18n();
  const tele = useTele();
  const [items, setItems] = useState<Referral[] | null>(null);
  const [more, setMore] = useState(false);
  const [offset, setOffset] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    listReferrals('outgoing', signal, { offset, limit: PAGE })
      .then((r) => { setItems(r.items); setMore(r.more); setProblem(null); })
      .catch((err) => !signal?.aborted && setProblem(tele.error(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offset]);
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal);
    // The hospital moves a referral on without telling the centre: looked at again now and then.
    const timer = setInterval(() => load(ctrl.signal), 30_000);
    return () => { ctrl.abort(); clearInterval(timer); };
  }, [load]);

  return (
    <section className="panel" aria-labelledby="tele-centre-ref-title" data-testid="tele-centre-referrals">
      <h2 id="tele-centre-ref-title">{t('tele.centreReferrals')}</h2>
      {problem && <p className="error" role="alert">{problem}</p>}
      {items === null && !problem && <p className="muted">{t('common.loading')}</p>}
      {items?.length === 0 && <p className="muted">{t('tele.noReferrals')}</p>}
      {items && items.length > 0 && (
        <table className="data-table compact" aria-labelledby="tele-centre-ref-title">
          <thead>
            <tr>
              <th scope="col">{t('tele.patient')}</th>
              <th scope="col">{t('tele.referredTo')}</th>
              <th scope="col">{t('tele.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-referral={r.id}>
                <td>
                  {r.patient.name ? tele.name({ name: r.patient.name, nameHi: r.patient.nameHi }) : t('tele.patientHidden')}
                  <div className="sub mono">{r.patient.stateNumber}</div>
                </td>
                <td>
                  {tele.name(r.to)}
                  <div className="sub">{t(`tele.urgency.${r.urgency}`)} · {date(r.referredAt)} {timeOf(r.referredAt)} · {t('tele.referredByName', { name: r.referredBy })}</div>
                </td>
                <td><span className={`badge tele-ref-${r.status}`} data-status={r.status}>{t(`tele.refStatus.${r.status}`)}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} hasNext={more} onPage={setOffset} />
    </section>
  );
}
