import { useI18n } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import type { DoctorUse, Ranking, StatsRow, Utilisation } from './telestats.api.ts';

/** Minutes as "2 h 05 min" (or "45 min"). */
export function useDuration() {
  const { t, num } = useI18n();
  return (minutes: number | null | undefined) => {
    if (minutes === null || minutes === undefined) return '—';
    const m = Math.round(minutes);
    if (m < 60) return t('telestats.minutes', { n: num(m) });
    return t('telestats.hours', { h: num(Math.floor(m / 60)), m: String(m % 60).padStart(2, '0') });
  };
}

export function usePercent() {
  const { num } = useI18n();
  return (ratio: number | null | undefined, digits = 1) => (ratio === null || ratio === undefined ? '—' : `${num(Math.round(ratio * 100 * 10 ** digits) / 10 ** digits)}%`);
}

/** States ranked by national consultations, each with a bar, its share, and what Swasthya recorded. */
export function RankingTable({ ranking, ownState }: { ranking: Ranking; ownState: number | null }) {
  const { t, num, lang } = useI18n();
  const pct = usePercent();
  const top = Math.max(1, ...ranking.items.map((r) => r.consultations));
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="tele-ranking">
        <caption className="visually-hidden">{t('telestats.ranking')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t('telestats.rank')}</th>
            <th scope="col">{t('telestats.stateCol')}</th>
            <th scope="col" className="num">{t('telestats.consultations')}</th>
            <th scope="col" style={{ width: '32%' }}><span className="visually-hidden">{t('telestats.bar')}</span></th>
            <th scope="col" className="num">{t('telestats.share')}</th>
            <th scope="col" className="num">{t('telestats.own')}</th>
          </tr>
        </thead>
        <tbody>
          {ranking.items.map((r) => {
            const mine = r.stateLgd === ownState;
            return (
              <tr key={r.stateLgd} data-state={r.stateLgd} className={mine ? 'row-own' : undefined} style={mine ? { background: '#eef6ee', fontWeight: 600 } : undefined}>
                <td className="num">{num(r.rank)}</td>
                <th scope="row">
                  {unitName(r, lang)}
                  {mine && <span className="sub"> · {t('telestats.yourState')}</span>}
                </th>
                <td className="num" data-testid="consultations">{num(r.consultations)}</td>
                <td aria-hidden="true">
                  <span style={{ display: 'block', height: '0.9em', width: `${(100 * r.consultations) / top}%`, minWidth: r.consultations ? 2 : 0, background: mine ? '#2e7d32' : '#1565c0', borderRadius: 2 }} />
                </td>
                <td className="num">{pct(r.share)}</td>
                <td className="num">{r.ownConsultations === null ? '—' : num(r.ownConsultations)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row">{t('telestats.totalRow')}</th>
            <td className="num">{num(ranking.total)}</td>
            <td colSpan={3} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Per doctor: time online, time in consultation, utilisation and consultations. */
export function UtilisationTable({ data }: { data: Utilisation }) {
  const { t, num, lang } = useI18n();
  const dur = useDuration();
  const pct = usePercent();
  if (!data.items.length) return <p className="muted">{t('telestats.noDoctors')}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="tele-utilisation">
        <caption className="visually-hidden">{t('telestats.utilisation')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('telestats.doctor')}</th>
            <th scope="col">{t('telestats.hub')}</th>
            <th scope="col" className="num">{t('telestats.online')}</th>
            <th scope="col" className="num">{t('telestats.consulting')}</th>
            <th scope="col" className="num">{t('telestats.utilisationShare')}</th>
            <th scope="col" className="num">{t('telestats.consultations')}</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((d: DoctorUse) => (
            <tr key={d.doctorId}>
              <th scope="row">{unitName(d, lang)}</th>
              <td>{lang === 'hi' && d.hubNameHi ? d.hubNameHi : d.hubName}</td>
              <td className="num">{dur(d.onlineMinutes)}</td>
              <td className="num">{dur(d.consultingMinutes)}</td>
              <td className="num">{pct(d.utilisation)}</td>
              <td className="num">{num(d.consultations)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>{t('telestats.totalRow')}</th>
            <td className="num">{dur(data.total.onlineMinutes)}</td>
            <td className="num">{dur(data.total.consultingMinutes)}</td>
            <td className="num">{pct(data.total.utilisation)}</td>
            <td className="num">{num(data.total.consultations)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Hubs (or any grouping): consultations, no-shows and waiting-time percentiles. */
export function WaitTable({ rows, label, testId }: { rows: StatsRow[]; label: string; testId: string }) {
  const { t, num, lang } = useI18n();
  const dur = useDuration();
  const pct = usePercent();
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">{t('telestats.requests')}</th>
            <th scope="col" className="num">{t('telestats.consultations')}</th>
            <th scope="col" className="num">{t('telestats.noShowRate')}</th>
            <th scope="col" className="num">{t('telestats.waitP50')}</th>
            <th scope="col" className="num">{t('telestats.waitP90')}</th>
            <th scope="col" className="num">{t('telestats.waitP95')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{unitName(r, lang)}</th>
              <td className="num">{num(r.requests)}</td>
              <td className="num">{num(r.consultations)}</td>
              <td className="num">{pct(r.noShowRate)}</td>
              <td className="num">{dur(r.waitP50Minutes)}</td>
              <td className="num">{dur(r.waitP90Minutes)}</td>
              <td className="num">{dur(r.waitP95Minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
