// The pure parts of ChartView: label wrapping and the CSV of a chart's data (tested in chartData.test.ts).

export interface ChartSeries { id: string; label: string; values: (number | undefined)[]; color?: string }

/** Splits a long name (a Hindi facility or district name) into lines of about `max` characters. */
export function wrapLabel(label: string, max = 26): string | string[] {
  if (label.length <= max) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The data behind a chart as CSV (UTF-8 with a BOM, so Excel reads Hindi names). */
export function chartCsv(categoryTitle: string, labels: string[], series: ChartSeries[]): string {
  const cell = (v: string | number | undefined) => {
    if (v === undefined) return '';
    if (typeof v === 'number') return String(v);
    // A name that starts like a formula is kept as text in a spreadsheet (a leading apostrophe).
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = [categoryTitle, ...series.map((s) => s.label)].map(cell).join(',');
  const rows = labels.map((l, i) => [cell(l), ...series.map((s) => cell(s.values[i]))].join(','));
  return `\uFEFF${[head, ...rows].join('\r\n')}\r\n`;
}
