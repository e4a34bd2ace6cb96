import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CallCounters, comboIndex, comboLabels } from './call-counters';
import { FixedBucketHistogram, type HistogramSeries } from './fixed-bucket-histogram';
import { safeLabelValue } from './label-value';
import {
  ACQUIRE_DURATION_BUCKETS_SECONDS,
  MAX_POOL_LABEL_VALUES,
  METRIC_NAMES,
  QUERY_DURATION_BUCKETS_SECONDS,
} from './metrics.constants';
import type { MetricsStateProvider } from './metrics-state-provider.interface';
import type { CacheLevel, QuerySample } from '../core/query-sample.interface';
import { registerStateCollectors } from './state-collectors';
import { REGISTRY_TAKEN } from './metrics.messages';

/**
 * Options of `PrometheusMetrics`.
 * @publicApi
 */
export interface PrometheusMetricsOptions {
  /** Upper bounds, in seconds, ascending. @default 0.5 ms to 30 s, 15 buckets */
  queryDurationBucketsSeconds?: readonly number[];
  /** Upper bounds, in seconds, ascending. @default 0.1 ms to 5 s, 14 buckets */
  acquireDurationBucketsSeconds?: readonly number[];
  /** Register in this registry (the app's) instead of one of its own. @default a new Registry */
  registry?: Registry;
}

/**
 * The library's Prometheus series, in a registry of their own (never the
 * global one, so two apps or two tests never collide). Labels are pool roles,
 * query types, cache levels and sanitized pool/replica names: never SQL text
 * or values.
 *
 * The per-call methods only bump numbers in typed arrays; counters are copied
 * into prom-client on scrape, and state owned elsewhere (pools, replicas,
 * statement cache) is read from the `MetricsStateProvider` on scrape.
 * @publicApi
 *
 * @example
 * const prometheus = new PrometheusMetrics();
 * const metrics = new MetricsService(options, prometheus);
 * prometheus.setStateProvider(stateProvider);
 * // in the app's controller:
 * res.set('Content-Type', prometheus.contentType).send(await prometheus.metrics());
 */
export class PrometheusMetrics {
  readonly registry: Registry;
  private readonly logger = new Logger(PrometheusMetrics.name);
  private stateProvider?: MetricsStateProvider;
  private readonly counters = new CallCounters();
  private queryDuration!: FixedBucketHistogram;
  /** Series handles by (pool, type) combo, created on first use. */
  private readonly querySeries: Array<HistogramSeries | undefined> = [];
  private acquireDuration!: FixedBucketHistogram;
  private readonly acquireSeries = new Map<string, HistogramSeries>();
  private acquireOverflow?: HistogramSeries;

  constructor(options: PrometheusMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    try {
      this.registerAll(options);
    } catch (error) {
      // prom-client refuses a second metric of the same name: say which option causes it.
      if (options.registry === undefined) throw error;
      throw new Error(REGISTRY_TAKEN((error as Error).message), { cause: error });
    }
  }

  private registerAll(options: PrometheusMetricsOptions): void {
    this.queryDuration = new FixedBucketHistogram(
      METRIC_NAMES.queryDuration,
      'Time callers waited for a query (cache hits included), in seconds.',
      ['pool', 'query_type'],
      options.queryDurationBucketsSeconds ?? QUERY_DURATION_BUCKETS_SECONDS,
    ).registerIn(this.registry);
    this.acquireDuration = new FixedBucketHistogram(
      METRIC_NAMES.acquireDuration,
      'Time spent waiting for a pool connection, in seconds.',
      ['pool'],
      options.acquireDurationBucketsSeconds ?? ACQUIRE_DURATION_BUCKETS_SECONDS,
    ).registerIn(this.registry);
    this.counters.registerIn(this.registry);
    registerStateCollectors(this.registry, () => this.stateProvider, this.logger);
  }

  /** Content-Type of the `metrics()` text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text; state gauges are read from the provider now. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Where the pool, replica and statement-cache series read from on each scrape. */
  setStateProvider(provider: MetricsStateProvider | undefined): void {
    this.stateProvider = provider;
  }

  /** Hot path. `durationMs` comes sanitized (finite, >= 0). */
  observeQuery(sample: QuerySample, durationMs: number): void {
    const combo = comboIndex(sample.pool, sample.queryType);
    if (combo < 0) return;
    const series = this.querySeries[combo] ?? this.createQuerySeries(combo);
    series.observe(durationMs / 1000);
    this.counters.countQuery(combo, sample);
  }

  /** Hot path. `pool` is a role or server name; it becomes a sanitized label. */
  observeAcquisition(pool: string, durationMs: number): void {
    const series = this.acquireSeries.get(pool) ?? this.createAcquireSeries(pool);
    series.observe(durationMs / 1000);
  }

  countCacheLookup(level: CacheLevel, hit: boolean): void {
    this.counters.countCacheLookup(level, hit);
  }

  countCacheConsistencyBypass(level: CacheLevel): void {
    this.counters.countCacheConsistencyBypass(level);
  }

  countSlowQuery(): void {
    this.counters.countSlowQuery();
  }

  countReplicaFallback(): void {
    this.counters.countReplicaFallback();
  }

  countDegradedRead(): void {
    this.counters.countDegradedRead();
  }

  private createQuerySeries(combo: number): HistogramSeries {
    const { pool, query_type } = comboLabels(combo);
    const series = this.queryDuration.series([pool, query_type]);
    this.querySeries[combo] = series;
    return series;
  }

  private createAcquireSeries(pool: string): HistogramSeries {
    if (this.acquireSeries.size < MAX_POOL_LABEL_VALUES) {
      const series = this.acquireDuration.series([safeLabelValue(pool)]);
      this.acquireSeries.set(pool, series);
      return series;
    }
    // Past the cap, further names share one series and are not remembered, so
    // a caller inventing names grows neither this map nor the output.
    this.acquireOverflow ??= this.acquireDuration.series(['other']);
    return this.acquireOverflow;
  }
}
