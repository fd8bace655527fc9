import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { unitName } from '../geo/geo.api.ts';
import { standing, type DistrictFigures, type Ranking } from './responseTimes.api.ts';

/** Minutes with one decimal, or a dash. */
export function useMinutes() {
  const { num } = useI18n();
  return (m: number | null | undefined) => (m === null || m === undefined ? '—' : num(Math.round(m * 10) / 10));
}

export function usePercent() {
  const { num } = useI18n();
  return (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '—' : `${num(Math.round(ratio * 1000) / 10)}%`);
}

/** How a share within target stands, in words with a colour and a sign. */
export function Standing({ share }: { share: number | null }) {
  const { t } = useI18n();
  const s = standing(share);
  return <span className={`rt-standing rt-${s}`} data-standing={s}>{t(`rt.standing.${s}` as MessageKey)}</span>;
}

/** p50 / p90 in one cell; the 90th percentile marked (in words for screen readers) when it passes the target. */
function Pair({ p50, p90, target }: { p50: number | null; p90: number | null; target?: number }) {
  const { t } = useI18n();
  const min = useMinutes();
  const over = target !== undefined && p90 !== null && p90 > target;
  return (
    <>
      {min(p50)} / <span className={over ? 'rt-over' : undefined}>{min(p90)}</span>
      {over && <span className="visually-hidden"> {t('rt.overTarget')}</span>}
    </>
  );
}

/** Per district and service: the figures beside the targets. */
export function FiguresTable({ rows }: { rows: DistrictFigures[] }) {
  const { t, num, lang } = useI18n();
  const pct = usePercent();
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="rt-districts">
        <caption className="visually-hidden">{t('rt.byDistrict')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rt.district')}</th>
            <th scope="col">{t('rt.service')}</th>
            <th scope="col" className="num">{t('rt.calls')}</th>
            <th scope="col" className="num">{t('rt.reached')}</th>
            <th scope="col" className="num">{t('rt.callToDispatch')}</th>
            <th scope="col" className="num">{t('rt.dispatchToScene')}</th>
            <th scope="col" className="num">{t('rt.callToScene')}</th>
            <th scope="col" className="num">{t('rt.target')}</th>
            <th scope="col" className="num">{t('rt.withinTarget')}</th>
            <th scope="col" className="num">{t('rt.callToHospital')}</th>
            <th scope="col" className="num">{t('rt.tripsPerVehicle')}</th>
            <th scope="col" className="num">{t('rt.offRoad')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.districtId}-${r.service}`} data-district={r.lgdCode ?? r.districtId} data-service={r.service}>
              <th scope="row">{unitName(r, lang)}</th>
              <td>{r.service}</td>
              <td className="num" data-testid="calls">{num(r.calls)}</td>
              <td className="num" data-testid="reached">{num(r.reached)}</td>
              <td className="num"><Pair p50={r.callToDispatchP50} p90={r.callToDispatchP90} /></td>
              <td className="num"><Pair p50={r.dispatchToSceneP50} p90={r.dispatchToSceneP90} /></td>
              <td className="num" data-testid="to-scene"><Pair p50={r.callToSceneP50} p90={r.callToSceneP90} target={Math.max(r.targetUrbanMinutes, r.targetRuralMinutes)} /></td>
              <td className="num">{t('rt.targetPair', { urban: num(r.targetUrbanMinutes), rural: num(r.targetRuralMinutes) })}</td>
              <td className="num" data-testid="within">{pct(r.withinTargetShare)} <Standing share={r.withinTargetShare} /></td>
              <td className="num"><Pair p50={r.callToHospitalP50} p90={r.callToHospitalP90} /></td>
              <td className="num">{r.tripsPerVehiclePerDay === null ? '—' : num(r.tripsPerVehiclePerDay)}</td>
              <td className="num" data-testid="off-road">{t('rt.offRoadOf', { off: num(r.offRoadNow), count: r.vehicles })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The state's districts ranked by share within target, then by the 90th percentile of call to scene. */
export function RankingTable({ ranking, own }: { ranking: Ranking; own: string | null }) {
  const { t, num, lang } = useI18n();
  const pct = usePercent();
  const min = useMinutes();
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="rt-ranking">
        <caption className="visually-hidden">{t('rt.ranking')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t('rt.rank')}</th>
            <th scope="col">{t('rt.district')}</th>
            <th scope="col" className="num">{t('rt.withinTarget')}</th>
            <th scope="col" className="num">{t('rt.callToSceneP90')}</th>
            <th scope="col" className="num">{t('rt.calls')}</th>
          </tr>
        </thead>
        <tbody>
          {ranking.items.map((r) => {
            const mine = r.districtId === own;
            return (
              <tr key={r.districtId} data-district={r.lgdCode ?? r.districtId} style={mine ? { background: '#eef6ee', fontWeight: 600 } : undefined}>
                <td className="num">{r.rank === null ? '—' : num(r.rank)}</td>
                <th scope="row">{unitName(r, lang)}{mine && <span className="sub"> · {t('rt.yourDistrict')}</span>}</th>
                <td className="num">{pct(r.withinTargetShare)} <Standing share={r.withinTargetShare} /></td>
                <td className="num">{min(r.callToSceneP90)}</td>
                <td className="num">{num(r.calls)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
