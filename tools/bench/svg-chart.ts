/** One line of a chart: a client's values across caller counts. */
export interface ChartSeries {
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

const CHART_WIDTH = 460;
const CHART_HEIGHT = 300;
const MARGIN = { left: 64, right: 24, top: 36, bottom: 48 };
const LEGEND_LINE = 18;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const Y_TICKS = 5;

export const NON_POSITIVE_X = (label: string, x: number): string =>
  `Series "${label}" has x = ${x}; the x axis is logarithmic (caller counts), so every x must be above 0.`;

/**
 * Line charts side by side with one legend below them, as SVG text. The x axis
 * is logarithmic (caller counts 1…128 spread evenly), the y axis linear from 0.
 * Series keep their colour across charts, matched by label.
 *
 * @example
 * writeFileSync('latest.svg', chartsSvg('pk-lookup scale curve', [throughputChart, p99Chart]));
 */
export function chartsSvg(title: string, charts: LineChart[]): string {
  const labels = [...new Set(charts.flatMap((chart) => chart.series.map((series) => series.label)))];
  const colorOf = (label: string): string => COLORS[labels.indexOf(label) % COLORS.length];
  const width = Math.max(1, charts.length) * CHART_WIDTH;
  const legendTop = 28 + CHART_HEIGHT + 8;
  const height = legendTop + labels.length * LEGEND_LINE + 8;
  const body = [
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...charts.map((chart, index) => chartGroup(chart, index * CHART_WIDTH, 28, colorOf)),
    legend(labels, colorOf, legendTop),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function chartGroup(chart: LineChart, left: number, top: number, colorOf: (label: string) => string): string {
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  for (const series of chart.series) for (const point of series.points) if (!(point.x > 0)) throw new Error(NON_POSITIVE_X(series.label, point.x));
  const xs = [...new Set(chart.series.flatMap((series) => series.points.map((point) => point.x)))].sort((a, b) => a - b);
  const yMax = niceCeiling(Math.max(0, ...chart.series.flatMap((series) => series.points.map((point) => point.y))));
  const logMin = Math.log2(xs[0] ?? 1);
  const logSpan = Math.log2(xs[xs.length - 1] ?? 1) - logMin;
  const xOf = (x: number): number => MARGIN.left + (logSpan === 0 ? plotWidth / 2 : ((Math.log2(x) - logMin) / logSpan) * plotWidth);
  const yOf = (y: number): number => MARGIN.top + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [
    `<text x="${CHART_WIDTH / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(chart.title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
  ];
  for (const x of xs) {
    const at = round(xOf(x));
    parts.push(`<line x1="${at}" y1="${MARGIN.top + plotHeight}" x2="${at}" y2="${MARGIN.top + plotHeight + 4}" stroke="#333"/>`);
    parts.push(`<text x="${at}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${formatNumber(x)}</text>`);
  }
  for (let tick = 0; tick <= Y_TICKS; tick++) {
    const value = (yMax * tick) / Y_TICKS;
    const at = round(yOf(value));
    parts.push(`<line x1="${MARGIN.left}" y1="${at}" x2="${MARGIN.left + plotWidth}" y2="${at}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${at + 4}" text-anchor="end">${formatNumber(value)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${CHART_HEIGHT - 10}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  for (const series of chart.series) {
    const color = colorOf(series.label);
    const points = [...series.points].sort((a, b) => a.x - b.x).map((point) => `${round(xOf(point.x))},${round(yOf(point.y))}`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"><title>${escapeXml(series.label)}</title></polyline>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  }
  return `<g transform="translate(${left} ${top})">\n${parts.join('\n')}\n</g>`;
}

function legend(labels: string[], colorOf: (label: string) => string, top: number): string {
  const rows = labels.map((label, index) => {
    const y = top + index * LEGEND_LINE + 10;
    return (
      `<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + 24}" y2="${y}" stroke="${colorOf(label)}" stroke-width="3"/>` +
      `<text x="${MARGIN.left + 32}" y="${y + 4}">${escapeXml(label)}</text>`
    );
  });
  return `<g>\n${rows.join('\n')}\n</g>`;
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (1 for 0), so tick labels are round. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= value) ?? 10;
  return step * power;
}

/** `950`, `1.5k`, `12k`, `2.5M`; fractions below 10 keep one decimal. */
export function formatNumber(value: number): string {
  const trim = (text: string): string => text.replace(/\.0$/, '');
  if (value >= 1_000_000) return `${trim((value / 1_000_000).toFixed(1))}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${trim((value / 1000).toFixed(1))}k`;
  if (value >= 10 || Number.isInteger(value)) return String(Math.round(value));
  return trim(value.toFixed(1));
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const round = (n: number): number => Math.round(n * 10) / 10;
