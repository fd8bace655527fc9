import { useI18n } from '../../i18n/i18n.tsx';
import type { RatesAnswer } from './hmis.api.ts';

/** Reporting rate by facility type and by ownership, side by side. */
export function RatesBreakdown({ byType, byOwnership }: { byType: RatesAnswer | null; byOwnership: RatesAnswer | null }) {
  const { t, tx, num } = useI18n();
  const table = (title: string, prefix: string, data: RatesAnswer | null) => (
    <div className="table-wrap">
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col" className="num">{t('hmis.expected')}</th>
            <th scope="col" className="num">{t('hmis.actual')}</th>
            <th scope="col" className="num">{t('hmis.rate')}</th>
            <th scope="col" className="num">{t('hmis.rateOnTime')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.rows ?? []).filter((r) => r.expected > 0).map((r) => (
            <tr key={r.key}>
              <th scope="row">{tx(`${prefix}.${r.key}`, r.name)}</th>
              <td className="num">{num(r.expected)}</td>
              <td className="num">{num(r.actual)}</td>
              <td className="num">{num(r.rate)}%</td>
              <td className="num">{num(r.rateOnTime)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <div className="rates-grid">
      {table(t('field.type'), 'type', byType)}
      {table(t('field.ownership'), 'ownership', byOwnership)}
    </div>
  );
}
