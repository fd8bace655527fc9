import { useEffect, useRef, useState } from 'react';
import type { Chart as ChartType, ChartConfiguration, TooltipModel } from 'chart.js';
import { useI18n } from '../../i18n/i18n.tsx';
import './charts.css';
import { chartCsv, wrapLabel, type ChartSeries } from './chartData.ts';

export type { ChartSeries };

const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
export const seriesColor = (i: number) => COLORS[i % COLORS.length];


export interface ChartViewProps {
  /** `line`: series over categories (periods); `hbar`: one horizontal bar per category, largest names wrapped. */
  kind: 'line' | 'hbar';
  stacked?: boolean;
  title: string;
  labels: string[];
  series: ChartSeries[];
  /** The axis of categories (periods, areas) and of values. */
  categoryTitle: string;
  valueTitle: string;
  /** File name of the downloads, without extension. */
  fileName: string;
  testId?: string;
}

function download(href: string, name: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

interface Tip { x: number; y: number; align: 'left' | 'center' | 'right'; title: string; lines: { color: string; text: string }[] }

/**
 * A chart drawn by Chart.js (loaded on first use): axes with titles, a legend, a tooltip on hover or
 * touch (an HTML box, read out by screen readers), and downloads of the picture (PNG) and of the
 * data behind it (CSV). The numbers are also in a table inside the canvas for assistive technology.
 */
export function ChartView(props: ChartViewProps) {
  const { t, num, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartType | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  const [failed, setFailed] = useState(false);
  const { kind, stacked = false, labels, series, title, categoryTitle, valueTitle } = props;
  const key = JSON.stringify([kind, stacked, labels, series, title, categoryTitle, valueTitle, lang]);

  useEffect(() => {
    let cancelled = false;
    import('./chartjs.ts').then(({ Chart, whiteBackground }) => {
      if (cancelled || !canvas.current) return;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = '#1f2d33';
      const external = ({ chart: c, tooltip }: { chart: ChartType; tooltip: TooltipModel<'line' | 'bar'> }) => {
        if (tooltip.opacity === 0) { setTip(null); return; }
        const x = c.canvas.offsetLeft + tooltip.caretX;
        const room = c.canvas.offsetWidth;
        setTip({
          x,
          // Near an edge the box opens inwards, so it keeps its width and is not cut off.
          align: x < 150 ? 'left' : x > room - 150 ? 'right' : 'center',
          y: c.canvas.offsetTop + tooltip.caretY,
          title: (tooltip.title ?? []).join(' '),
          lines: tooltip.dataPoints.map((p, i) => ({
            color: String(tooltip.labelColors[i]?.backgroundColor ?? '#000'),
            text: `${p.dataset.label ?? ''}: ${num(p.parsed[kind === 'hbar' ? 'x' : 'y'])}`,
          })),
        });
      };
      const valueAxis = { beginAtZero: true, stacked, title: { display: true, text: valueTitle, font: { weight: 'bold' as const } }, ticks: { callback: (v: string | number) => num(Number(v)) } };
      const categoryAxis = {
        stacked,
        title: { display: true, text: categoryTitle, font: { weight: 'bold' as const } },
        ticks: {
          autoSkip: kind === 'line',
          maxRotation: 45,
          callback(this: { getLabelForValue(v: number): string }, v: string | number) { return wrapLabel(this.getLabelForValue(Number(v))); },
        },
      };
      const config: ChartConfiguration<'line' | 'bar'> = {
        type: kind === 'line' ? 'line' : 'bar',
        data: {
          labels: labels.map((l) => l),
          datasets: series.map((s, i) => ({
            label: s.label,
            data: s.values.map((v) => (v === undefined ? null : v)),
            borderColor: s.color ?? seriesColor(i),
            backgroundColor: s.color ?? seriesColor(i),
            spanGaps: false,
            pointRadius: 3.5,
            pointHoverRadius: 6,
            borderWidth: 2,
            maxBarThickness: 26,
          })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: kind === 'hbar' ? 'y' : 'x',
          interaction: { mode: 'index', intersect: false, axis: kind === 'hbar' ? 'y' : 'x' },
          plugins: {
            title: { display: true, text: title, font: { size: 15, weight: 'bold' } },
            legend: { display: series.length > 1 || kind === 'line', position: 'bottom' },
            tooltip: { enabled: false, external },
          },
          scales: kind === 'hbar' ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        },
        plugins: [whiteBackground],
      };
      chart.current?.destroy();
      chart.current = new Chart(canvas.current, config as ChartConfiguration);
    }).catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      chart.current?.destroy();
      chart.current = null;
      setTip(null);
    };
    // The chart is drawn again when what it shows changes (key holds all of it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const exportPng = () => {
    if (chart.current) download(chart.current.toBase64Image('image/png', 1), `${props.fileName}.png`);
  };
  const exportCsv = () => {
    const url = URL.createObjectURL(new Blob([chartCsv(categoryTitle, labels, series)], { type: 'text/csv;charset=utf-8' }));
    download(url, `${props.fileName}.csv`);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const lines = Math.max(1, ...labels.map((l) => { const w = wrapLabel(l); return Array.isArray(w) ? w.length : 1; }));
  const height = kind === 'line' ? 340 : Math.max(180, labels.length * Math.max(30, 16 * lines + 8) * (stacked ? 1 : Math.max(1, Math.min(series.length, 3))) + 110);
  return (
    <figure className="chart-view" data-testid={props.testId}>
      <div className="chart-tools">
        <button type="button" className="secondary small" onClick={exportPng} disabled={failed}>{t('charts.exportPng')}</button>
        <button type="button" className="secondary small" onClick={exportCsv}>{t('charts.exportCsv')}</button>
      </div>
      <div className="chart-canvas" style={{ height }}>
        <canvas ref={canvas} role="img" aria-label={title}>
          <table>
            <caption>{title}</caption>
            <thead><tr><th scope="col">{categoryTitle}</th>{series.map((s) => <th key={s.id} scope="col">{s.label}</th>)}</tr></thead>
            <tbody>{labels.map((l, i) => <tr key={`${l}${i}`}><th scope="row">{l}</th>{series.map((s) => <td key={s.id}>{num(s.values[i])}</td>)}</tr>)}</tbody>
          </table>
        </canvas>
        {tip && (
          <div className={`chart-tooltip ${tip.align}`} role="status" style={{ left: tip.x, top: tip.y }}>
            <strong>{tip.title}</strong>
            {tip.lines.map((l, i) => <span key={i}><i style={{ background: l.color }} aria-hidden="true" />{l.text}</span>)}
          </div>
        )}
      </div>
      {failed && <p className="muted">{t('charts.failed')}</p>}
    </figure>
  );
}
