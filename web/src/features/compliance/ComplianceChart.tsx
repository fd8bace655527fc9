import { useI18n } from '../../i18n/i18n.tsx';

export interface TypeRow {
  type: string;
  label: string;
  registered: number;
  listed: number;
  total: number;
}

const LABEL_W = 230;
const BAR_W = 520;
const ROW_H = 30;
const TOP = 8;

/** Horizontal stacked bars: registered then listed, one row per facility type. */
export function ComplianceChart({ rows }: { rows: TypeRow[] }) {
  const { t, num } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.registered + r.listed));
  const height = TOP + rows.length * ROW_H + 8;
  const width = LABEL_W + BAR_W + 90;
  const scale = (n: number) => (n / max) * BAR_W;

  return (
    <figure className="chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('compliance.chartAria')}
      >
        {rows.map((r, i) => {
          const y = TOP + i * ROW_H;
          const wReg = scale(r.registered);
          const wList = scale(r.listed);
          return (
            <g key={r.type}>
              <text x={LABEL_W - 8} y={y + ROW_H / 2} className="chart-label" textAnchor="end" dominantBaseline="middle">
                {r.label}
              </text>
              <rect x={LABEL_W} y={y + 5} width={wReg} height={ROW_H - 10} className="bar-registered">
                <title>{`${r.label}: ${t('portalStatus.registered')} ${num(r.registered)}`}</title>
              </rect>
              <rect x={LABEL_W + wReg} y={y + 5} width={wList} height={ROW_H - 10} className="bar-listed">
                <title>{`${r.label}: ${t('portalStatus.listed')} ${num(r.listed)}`}</title>
              </rect>
              <text x={LABEL_W + wReg + wList + 6} y={y + ROW_H / 2} className="chart-value" dominantBaseline="middle">
                {`${num(r.registered)} / ${num(r.total)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          <li><span className="swatch swatch-registered" aria-hidden="true" />{t('portalStatus.registered')}</li>
          <li><span className="swatch swatch-listed" aria-hidden="true" />{t('compliance.listedLegend')}</li>
        </ul>
      </figcaption>
    </figure>
  );
}
