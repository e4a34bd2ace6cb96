import { chartsSvg, escapeXml, formatNumber, LineChart, niceCeiling } from './svg-chart';

const callers = [1, 8, 32, 64, 128];
const series = (label: string, scale: number): LineChart['series'][number] => ({ label, points: callers.map((x) => ({ x, y: x * scale })) });
const throughput: LineChart = { title: 'Throughput', xLabel: 'callers', yLabel: 'ops/s', series: [series('pg unnamed', 100), series('pg named', 150), series('postgres.js', 170)] };
const p99: LineChart = { title: 'p99 latency', xLabel: 'callers', yLabel: 'p99 (ms)', series: [series('pg unnamed', 0.1), series('pg named', 0.08), series('postgres.js', 0.07)] };

describe('chartsSvg', () => {
  const svg = chartsSvg('pk-lookup <scale> & curve', [throughput, p99]);

  it('is one svg element with the SVG namespace', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
  });

  it('draws one polyline per client in each chart', () => {
    expect(svg.match(/<polyline\b/g)).toHaveLength(6);
    for (const label of ['pg unnamed', 'pg named', 'postgres.js']) expect(svg.match(new RegExp(`<title>${label}</title>`, 'g'))).toHaveLength(2);
  });

  it('gives each polyline one point per caller count, inside the chart', () => {
    const pointLists = [...svg.matchAll(/<polyline[^>]* points="([^"]+)"/g)].map((match) => match[1].split(' '));
    for (const points of pointLists) {
      expect(points).toHaveLength(callers.length);
      for (const point of points) {
        const [x, y] = point.split(',').map(Number);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('keeps a client in the same colour in both charts', () => {
    const colours = [...svg.matchAll(/<polyline[^>]* stroke="(#[0-9a-f]{6})"[^>]*><title>pg named</g)].map((match) => match[1]);
    expect(colours).toHaveLength(2);
    expect(colours[0]).toBe(colours[1]);
  });

  it('labels titles, axes, caller ticks and the legend, escaping markup', () => {
    expect(svg).toContain('pk-lookup &lt;scale&gt; &amp; curve');
    for (const text of ['Throughput', 'p99 latency', 'ops/s', 'p99 (ms)', '>callers<', '>128<', '>64<']) expect(svg).toContain(text);
    expect(svg.match(/<text[^>]*>postgres\.js<\/text>/g)).toHaveLength(1);
  });

  it('closes every group it opens', () => {
    expect(svg.match(/<g\b/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
  });

  it('refuses an x of 0, which a log axis cannot place', () => {
    expect(() => chartsSvg('t', [{ ...throughput, series: [{ label: 'bad', points: [{ x: 0, y: 1 }] }] }])).toThrow(/"bad" has x = 0/);
  });
});

describe('axis helpers', () => {
  it.each([
    [0, 1],
    [7, 10],
    [1234, 2000],
    [21_296, 25_000],
    [0.42, 0.5],
  ])('niceCeiling(%p) is %p', (value, expected) => {
    expect(niceCeiling(value)).toBeCloseTo(expected);
  });

  it.each([
    [950, '950'],
    [1500, '1.5k'],
    [12_345, '12k'],
    [2_500_000, '2.5M'],
    [2.5, '2.5'],
    [0, '0'],
  ])('formatNumber(%p) is %p', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('escapes the characters XML reserves', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
