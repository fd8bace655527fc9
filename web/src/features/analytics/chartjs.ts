// Chart.js with only the parts Swasthya draws (lines and bars, their axes, legend, title, tooltip).
// Loaded with import() by ChartView, so the library is a chunk of its own, fetched only by screens
// that draw a chart.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement,
  PointElement, Title, Tooltip, type Plugin,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Title, Tooltip);

/** Paints the canvas white first, so an exported PNG is not transparent (black in some viewers). */
export const whiteBackground: Plugin = {
  id: 'swasthyaWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export { Chart };
