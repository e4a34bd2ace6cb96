import type { Metric, Registry } from 'prom-client';
import { INVALID_HISTOGRAM_BUCKETS } from './metrics.messages';

/**
 * One label combination of a `FixedBucketHistogram`. Observing is a short
 * bucket scan and three increments: no allocation, no label hashing.
 */
export class HistogramSeries {
  /** counts[i]: observations in (bound[i-1], bound[i]]; the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly upperBounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/** A sample as prom-client's registry renders it. */
interface RenderedValue {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * A Prometheus histogram that records into plain typed arrays and is rendered
 * by a prom-client `Registry` on scrape.
 *
 * Why not prom-client's `Histogram`: its `observe()` builds a label hash
 * string and validates labels on every call, ~450 ns measured here, which is
 * more than the rest of `recordQuery()` together. This class implements only
 * what the registry reads from a metric (`name`, `help`, `type`,
 * `aggregator`, `get()`, `reset()`), so the exposition format stays
 * prom-client's own. Callers keep the `HistogramSeries` handles.
 */
export class FixedBucketHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly seriesByKey = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly upperBounds: readonly number[],
  ) {
    const ascending = upperBounds.every((bound, i) => Number.isFinite(bound) && bound > (i === 0 ? 0 : upperBounds[i - 1]));
    if (upperBounds.length === 0 || !ascending) throw new RangeError(INVALID_HISTOGRAM_BUCKETS(name));
  }

  /** Adds this histogram to `registry`. */
  registerIn(registry: Registry): this {
    // The registry's TypeScript type lists prom-client's own classes only; at
    // run time it reads the members implemented here (registry.js, v15).
    registry.registerMetric(this as unknown as Metric);
    return this;
  }

  /** The series of these label values (in `labelNames` order), created on first use. Keep the handle. */
  series(labelValues: readonly string[]): HistogramSeries {
    const key = labelValues.join('\u0000');
    let series = this.seriesByKey.get(key);
    if (series === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = labelValues[i]));
      series = new HistogramSeries(this.upperBounds, labels);
      this.seriesByKey.set(key, series);
    }
    return series;
  }

  /** The same shape prom-client's `Histogram.get()` returns. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: RenderedValue[] }> {
    const values: RenderedValue[] = [];
    for (const series of this.seriesByKey.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((bound, i) => {
        cumulative += series.counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: bound }, value: cumulative });
      });
      values.push(
        { metricName: `${this.name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count },
        { metricName: `${this.name}_sum`, labels: { ...series.labels }, value: series.sum },
        { metricName: `${this.name}_count`, labels: { ...series.labels }, value: series.count },
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Zeroes every series; handles held by callers stay valid. */
  reset(): void {
    for (const series of this.seriesByKey.values()) series.reset();
  }
}
