import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { replaceQuery } from '../../router.ts';
import { can, useMe } from '../auth/session.tsx';
import { PatientName } from '../patients/PatientBits.tsx';
import { StatusBadge, timeOf, useTele } from './bits.tsx';
import { CentreReferralsPanel } from './CentreReferralsPanel.tsx';
import { RequestForm } from './RequestForm.tsx';
import { RequestStatusPanel } from './RequestStatusPanel.tsx';
import { StockPanel } from './StockPanel.tsx';
import { getRequest, listRequests, type TeleRequest } from './tele.api.ts';
import './tele.css';

/**
 * The spoke's teleconsultation screen (CHO): ask a hub for a consultation, follow it live, see today's
 * requests, and for a finished one the prescription with what is in stock, and hand the medicines over;
 * keep the centre's medicine stock.
 */
export function ChoPage({ query }: { query: URLSearchParams }) {
  const { t, num } = useI18n();
  const me = useMe();
  const tele = useTele();
  const selectedId = query.get('request');
  const [today, setToday] = useState<TeleRequest[] | null>(null);
  const [selected, setSelected] = useState<TeleRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = useCallback(() => {
    listRequests({}).then((r) => setToday(r.items)).catch((err) => setProblem(tele.error(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 15_000);
    return () => clearInterval(timer);
  }, [refresh]);

  useEffect(() => {
    if (!selectedId) {
      setSelected(null);
      return;
    }
    if (selected?.id === selectedId) return;
    const ctrl = new AbortController();
    getRequest(selectedId, ctrl.signal).then(setSelected).catch((err) => !ctrl.signal.aborted && setProblem(tele.error(err)));
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const open = (r: TeleRequest) => {
    setSelected(r);
    replaceQuery('/telemedicine', { request: r.id });
  };

  return (
    <section aria-labelledby="tele-title" className="tele-page">
      <div className="page-head">
        <h1 id="tele-title">{t('tele.choTitle')}</h1>
      </div>
      <p className="lead">{t('tele.choLead')}</p>
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="tele-columns">
        <div>
          {can(me, 'can_request_consultation') && <RequestForm onCreated={(r) => { open(r); refresh(); }} />}
          {can(me, 'can_dispense') && <StockPanel />}
        </div>
        <div>
          {selected && <RequestStatusPanel key={selected.id} request={selected} onChanged={(r) => { setSelected(r); refresh(); }} onStatus={refresh} />}
          <section className="panel" aria-labelledby="tele-today-title">
            <h2 id="tele-today-title">{t('tele.today')}</h2>
            {today === null && <p className="muted">{t('common.loading')}</p>}
            {today?.length === 0 && <p className="muted">{t('tele.noneToday')}</p>}
            {today && today.length > 0 && (
              <table className="data-table compact" aria-labelledby="tele-today-title">
                <thead>
                  <tr>
                    <th scope="col">{t('tele.token')}</th>
                    <th scope="col">{t('tele.patient')}</th>
                    <th scope="col">{t('tele.queue')}</th>
                    <th scope="col">{t('tele.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {today.map((r) => (
                    <tr key={r.id} aria-current={r.id === selected?.id ? 'true' : undefined}>
                      <td className="num">{num(r.token)}<div className="sub">{timeOf(r.queuedAt)}</div></td>
                      <td>
                        <button type="button" className="link-button" onClick={() => open(r)}><PatientName p={r.patient} /></button>
                      </td>
                      <td>{tele.specialty(r)}<div className="sub">{tele.name(r.hub)}</div></td>
                      <td>
                        <StatusBadge status={r.status} />
                        {r.status === 'waiting' && <div className="sub">{t('tele.position', { n: num(r.position) })}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {can(me, 'can_refer') && <CentreReferralsPanel />}
        </div>
      </div>
    </section>
  );
}
