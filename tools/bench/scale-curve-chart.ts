import type { BenchRow } from './report';
import { chartsSvg, LineChart } from './svg-chart';

/** A row's line in the charts: the client, and where it runs when one client appears twice. */
const seriesLabel = (row: BenchRow): string => (row.notes ? `${row.client}, ${row.notes}` : row.client);

/** bench/results/latest.svg: throughput and p99 of each client across caller counts, from one workload's rows. */
export function scaleCurveSvg(rows: BenchRow[], workload: string, subtitle: string): string {
  const own = rows.filter((row) => row.workload === workload);
  const labels = [...new Set(own.map(seriesLabel))];
  const seriesOf = (value: (row: BenchRow) => number): LineChart['series'] =>
    labels.map((label) => ({
      label,
      points: own.filter((row) => seriesLabel(row) === label).map((row) => ({ x: row.callers, y: value(row) })),
    }));
  return chartsSvg(`${workload}: ${subtitle}`, [
    { title: 'Throughput', xLabel: 'callers (log scale)', yLabel: 'ops/s', series: seriesOf((row) => row.throughput) },
    { title: 'p99 latency', xLabel: 'callers (log scale)', yLabel: 'p99 (ms)', series: seriesOf((row) => row.p99Us / 1000) },
  ]);
}
