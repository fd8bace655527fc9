import { useI18n } from '../../i18n/i18n.tsx';
import { ChartView } from '../analytics/ChartView.tsx';

export interface TypeRow {
  type: string;
  label: string;
  registered: number;
  listed: number;
  total: number;
}

/** Horizontal stacked bars: registered then listed, one row per facility type (Chart.js, loaded on use). */
export function ComplianceChart({ rows }: { rows: TypeRow[] }) {
  const { t } = useI18n();
  return (
    <ChartView kind="hbar" stacked testId="compliance-chart" title={t('compliance.byType')} labels={rows.map((r) => r.label)}
      series={[
        { id: 'registered', label: t('portalStatus.registered'), values: rows.map((r) => r.registered), color: '#0b6e4f' },
        { id: 'listed', label: t('compliance.listedLegend'), values: rows.map((r) => r.listed), color: '#c2570c' },
      ]}
      categoryTitle={t('charts.facilityType')} valueTitle={t('charts.facilities')} fileName="swasthya-compliance" />
  );
}
