import { useI18n } from '../../i18n/i18n.tsx';
import type { OutlierItem } from './hmis.api.ts';

/** Values far from each facility's own history (hidden when the server has no outlier report). */
export function OutlierList({ items, entryHref }: { items: OutlierItem[]; entryHref: (orgUnit: string) => string }) {
  const { t, num } = useI18n();
  return (
    <section aria-labelledby="outliers-title">
      <h2 id="outliers-title">{t('hmis.outliersTitle')}</h2>
      {items.length === 0 ? <p className="muted">{t('hmis.noOutliers')}</p> : (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t('hmis.facility')}</th>
                <th scope="col">{t('hmis.itemCode')}</th>
                <th scope="col" className="num">{t('hmis.value')}</th>
                <th scope="col" className="num">{t('hmis.median')}</th>
                <th scope="col" className="num">{t('hmis.zScore')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o, i) => (
                <tr key={`${o.orgUnit}.${o.dataElement}.${o.categoryOptionCombo}.${i}`}>
                  <td><a href={entryHref(o.orgUnit)}>{o.name}</a></td>
                  <td><span className="item-code">{o.code ?? o.dataElement}</span></td>
                  <td className="num">{num(Number(o.value))}</td>
                  <td className="num">{num(o.median)}</td>
                  <td className="num">{o.zScore === null ? '—' : num(Math.round(o.zScore * 10) / 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
