import { useI18n } from '../../i18n/i18n.tsx';

const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
export const seriesColor = (i: number) => COLORS[i % COLORS.length];

export interface Series { id: string; label: string; values: (number | undefined)[] }

/** Items over periods: one line per item. */
export function LineChart({ labels, series, aria }: { labels: string[]; series: Series[]; aria: string }) {
  const { num } = useI18n();
  const W = 860, H = 280, L = 70, R = 16, T = 14, B = 56;
  const raw = Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)));
  const max = niceMax(raw);
  const x = (i: number) => L + (labels.length <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (labels.length - 1));
  const y = (v: number) => T + (1 - v / max) * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => max * f);
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={aria}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} className="grid" />
            <text x={L - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" className="chart-value">{num(Math.round(v * 100) / 100)}</text>
          </g>
        ))}
        {labels.map((l, i) => (
          <text key={l + i} x={x(i)} y={H - B + 16} textAnchor="end" transform={`rotate(-35 ${x(i)} ${H - B + 16})`} className="chart-label small">{l}</text>
        ))}
        {series.map((s, si) => {
          const pts = s.values.map((v, i) => (v === undefined ? null : [x(i), y(v)] as const));
          let d = '';
          let pen = false;
          for (const p of pts) {
            if (!p) { pen = false; continue; }
            d += `${pen ? 'L' : 'M'}${p[0].toFixed(1)} ${p[1].toFixed(1)}`;
            pen = true;
          }
          return (
            <g key={s.id} stroke={seriesColor(si)} fill={seriesColor(si)}>
              <path d={d} fill="none" strokeWidth={2} />
              {pts.map((p, i) => p && (
                <circle key={i} cx={p[0]} cy={p[1]} r={3.5}><title>{`${s.label} · ${labels[i]}: ${num(s.values[i])}`}</title></circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {series.map((s, i) => (
            <li key={s.id}><span className="swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />{s.label}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** 1, 2, 2.5 or 5 × a power of ten, at least the value (4 for an empty chart). */
function niceMax(v: number): number {
  if (v <= 0) return 4;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].map((k) => k * p).find((m) => m >= v) ?? 10 * p);
}

/** Horizontal bars, largest first. */
export function BarChart({ rows, aria }: { rows: { id: string; label: string; value: number }[]; aria: string }) {
  const { num } = useI18n();
  const LABEL = 200, BAR = 540, ROW = 24, TOP = 6;
  const sorted = [...rows].sort((a, b) => b.value - a.value);
  if (!sorted.length) return null;
  const max = Math.max(1, ...sorted.map((r) => r.value));
  const H = TOP + sorted.length * ROW + 6;
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${LABEL + BAR + 90} ${H}`} role="img" aria-label={aria}>
        {sorted.map((r, i) => {
          const y = TOP + i * ROW;
          const w = (Math.max(0, r.value) / max) * BAR;
          return (
            <g key={r.id}>
              <text x={LABEL - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">{r.label}</text>
              <rect x={LABEL} y={y + 4} width={w} height={ROW - 8} className="bar-registered"><title>{`${r.label}: ${num(r.value)}`}</title></rect>
              <text x={LABEL + w + 6} y={y + ROW / 2} dominantBaseline="middle" className="chart-value">{num(r.value)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
