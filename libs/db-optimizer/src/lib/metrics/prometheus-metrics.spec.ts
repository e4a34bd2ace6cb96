import { Logger } from '@nestjs/common';
import { MetricsService } from './metrics.service';
import type { MetricsStateProvider } from './metrics-state-provider.interface';
import { METRIC_NAMES } from './metrics.constants';
import { PrometheusMetrics } from './prometheus-metrics';
import type { QuerySample } from '../core/query-sample.interface';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN';
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (${VALUE})(?: -?\\d+)?$`);
const COMMENT_LINE = new RegExp(`^# (?:HELP ${METRIC_NAME} .*|TYPE ${METRIC_NAME} (?:counter|gauge|histogram|summary|untyped))$`);

/** Parses Prometheus text exposition 0.0.4, failing on any line outside the grammar. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!COMMENT_LINE.test(line)) throw new Error(`Bad comment line: ${line}`);
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`Bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3].replace('Inf', 'Infinity')) });
  }
  return samples;
}

/** The only label keys each family may carry (histogram series add `le` to their buckets). */
const ALLOWED_LABELS: Record<string, string[]> = {
  [METRIC_NAMES.queryDuration]: ['pool', 'query_type'],
  [METRIC_NAMES.queries]: ['pool', 'query_type', 'cached'],
  [METRIC_NAMES.queryErrors]: ['pool', 'query_type'],
  [METRIC_NAMES.slowQueries]: [],
  [METRIC_NAMES.acquireDuration]: ['pool'],
  [METRIC_NAMES.poolConnections]: ['pool', 'state'],
  [METRIC_NAMES.cacheRequests]: ['level', 'result'],
  [METRIC_NAMES.cacheConsistencyBypasses]: ['level'],
  [METRIC_NAMES.replicaLagBytes]: ['replica'],
  [METRIC_NAMES.replicaLagSeconds]: ['replica'],
  [METRIC_NAMES.replicaBanned]: ['replica'],
  [METRIC_NAMES.replicaFallbacks]: [],
  [METRIC_NAMES.degradedReads]: [],
  [METRIC_NAMES.preparedStatements]: ['event'],
  [METRIC_NAMES.sharedReads]: ['event'],
};

const family = (name: string): string => name.replace(/_(bucket|sum|count)$/, '');

const SECRET_URL = 'postgres://app:hunter2@replica-2:5432/app';

const provider: MetricsStateProvider = {
  pools: () => [
    { name: 'primary', total: 5, idle: 3, waiting: 0, max: 20 },
    { name: 'read_replica', total: 4, idle: 4, waiting: 1, max: 20 },
  ],
  replicas: () => [
    { name: 'replica-1', lagBytes: 2048, lagMs: 1500, banned: false },
    { name: SECRET_URL, lagBytes: null, lagMs: null, banned: true },
  ],
  statementCache: () => ({ hits: 90, misses: 10, preparations: 10, evictions: 2, reprepares: 1 }),
  sharedReads: () => ({ sharedReads: 160, checkouts: 20, socketWrites: 25, keptApart: 3 }),
};

const query = (overrides: Partial<QuerySample> = {}): QuerySample => ({
  fingerprint: 'f00d',
  normalizedSql: 'SELECT * FROM accounts WHERE api_key = $1',
  durationMs: 3,
  pool: 'read_replica',
  queryType: 'READ',
  cached: false,
  prepared: true,
  rowCount: 1,
  optimized: true,
  ...overrides,
});

/** A service feeding a PrometheusMetrics, with one call of each kind recorded. */
async function scrape(setProvider = true): Promise<{ text: string; samples: Sample[] }> {
  const prometheus = new PrometheusMetrics();
  if (setProvider) prometheus.setStateProvider(provider);
  const targets = {
    p90QueryTimeMs: 25,
    acquisitionTimeMs: 5,
    cacheHitRate: 0.95,
    queryOptimizationRate: 0.9,
    connectionPoolEfficiency: 0.95,
  };
  const service = new MetricsService({ slowQueryThresholdMs: 100, targets }, prometheus);
  service.recordQuery(query({ durationMs: 3 }));
  service.recordQuery(query({ durationMs: 0.002, cached: 'memory' }));
  service.recordQuery(query({ durationMs: 250, pool: 'primary', queryType: 'WRITE', failed: true, prepared: false }));
  service.recordAcquisition('primary', 0.3);
  service.recordAcquisition(SECRET_URL, 2);
  service.recordCacheLookup('memory', true);
  service.recordCacheLookup('memory', false);
  service.recordCacheLookup('redis', false);
  service.recordCacheConsistencyBypass('memory');
  service.recordReplicaFallback();
  service.recordDegradedRead();
  service.recordDegradedRead();
  const text = await prometheus.metrics();
  return { text, samples: parseExposition(text) };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('parseExposition (the test\'s own parser)', () => {
  it.each(['metric{label=unquoted} 1', 'metric{"label"="x"} 1', 'metric 1 2 3', '9metric 1', 'metric Nan', '# TYPE metric weird'])(
    'rejects %j',
    (line) => expect(() => parseExposition(line)).toThrow(),
  );

  it('reads labels, +Inf and exponents', () => {
    expect(parseExposition('m_bucket{a="x\\"y",le="+Inf"} 1e3')).toEqual([
      { name: 'm_bucket', labels: { a: 'x\\"y', le: '+Inf' }, value: 1000 },
    ]);
  });
});

describe('PrometheusMetrics', () => {
  it('renders every line in the text exposition grammar', async () => {
    const { text } = await scrape();
    expect(() => parseExposition(text)).not.toThrow();
    expect(new PrometheusMetrics().contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('exposes each series of the library', async () => {
    const { samples } = await scrape();
    const names = new Set(samples.map((s) => family(s.name)));
    expect([...names].sort()).toEqual(Object.keys(ALLOWED_LABELS).sort());
  });

  it('uses only the allowed label keys, and no literal, password or SQL in any label', async () => {
    const { text, samples } = await scrape();
    for (const sample of samples) {
      const allowed = [...ALLOWED_LABELS[family(sample.name)], ...(sample.name.endsWith('_bucket') ? ['le'] : [])];
      expect(Object.keys(sample.labels).filter((key) => !allowed.includes(key))).toEqual([]);
    }
    for (const forbidden of ['hunter2', 'secret-value-42', 'SELECT', 'api_key', '$1', '@replica-2']) {
      expect(text).not.toContain(forbidden);
    }
  });

  it('counts calls by pool, type and cache level, and errors apart', async () => {
    const { samples } = await scrape();
    expect(find(samples, METRIC_NAMES.queries, { pool: 'read_replica', query_type: 'READ', cached: 'none' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.queries, { pool: 'read_replica', query_type: 'READ', cached: 'memory' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.queryErrors, { pool: 'primary', query_type: 'WRITE' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.slowQueries)?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.replicaFallbacks)?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.degradedReads)?.value).toBe(2);
    expect(find(samples, METRIC_NAMES.cacheRequests, { level: 'memory', result: 'miss' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.cacheRequests, { level: 'redis', result: 'hit' })?.value).toBe(0);
    expect(find(samples, METRIC_NAMES.cacheConsistencyBypasses, { level: 'memory' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.cacheConsistencyBypasses, { level: 'redis' })?.value).toBe(0);
  });

  it('fills histogram buckets cumulatively, in seconds', async () => {
    const { samples } = await scrape();
    const labels = { pool: 'read_replica', query_type: 'READ' };
    const bucket = (le: string) => find(samples, `${METRIC_NAMES.queryDuration}_bucket`, { ...labels, le })?.value;
    expect(bucket('0.0005')).toBe(1);
    expect(bucket('0.0025')).toBe(1);
    expect(bucket('0.005')).toBe(2);
    expect(bucket('+Inf')).toBe(2);
    expect(find(samples, `${METRIC_NAMES.queryDuration}_count`, labels)?.value).toBe(2);
    expect(find(samples, `${METRIC_NAMES.queryDuration}_sum`, labels)?.value).toBeCloseTo(0.003002, 9);
    expect(find(samples, `${METRIC_NAMES.acquireDuration}_count`, { pool: 'primary' })?.value).toBe(1);
    expect(find(samples, `${METRIC_NAMES.acquireDuration}_count`, { pool: 'postgres://replica-2:5432/app' })?.value).toBe(1);
  });

  it('reads pools, replicas and the statement cache from the provider on scrape', async () => {
    const { samples } = await scrape();
    expect(find(samples, METRIC_NAMES.poolConnections, { pool: 'read_replica', state: 'waiting' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.poolConnections, { pool: 'primary', state: 'max' })?.value).toBe(20);
    expect(find(samples, METRIC_NAMES.replicaLagBytes, { replica: 'replica-1' })?.value).toBe(2048);
    expect(find(samples, METRIC_NAMES.replicaLagSeconds, { replica: 'replica-1' })?.value).toBe(1.5);
    expect(find(samples, METRIC_NAMES.replicaBanned, { replica: 'postgres://replica-2:5432/app' })?.value).toBe(1);
    // Unknown lag is left out rather than published as 0.
    expect(samples.filter((s) => s.name === METRIC_NAMES.replicaLagBytes)).toHaveLength(1);
    expect(find(samples, METRIC_NAMES.preparedStatements, { event: 'reprepare' })?.value).toBe(1);
    expect(find(samples, METRIC_NAMES.sharedReads, { event: 'read' })?.value).toBe(160);
    expect(find(samples, METRIC_NAMES.sharedReads, { event: 'checkout' })?.value).toBe(20);
    expect(find(samples, METRIC_NAMES.sharedReads, { event: 'socket_write' })?.value).toBe(25);
    expect(find(samples, METRIC_NAMES.sharedReads, { event: 'kept_apart' })?.value).toBe(3);
  });

  it('leaves state series out without a provider, and survives a failing one', async () => {
    const { samples } = await scrape(false);
    expect(find(samples, METRIC_NAMES.poolConnections)).toBeUndefined();

    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const prometheus = new PrometheusMetrics();
    prometheus.setStateProvider({
      ...provider,
      pools: () => {
        throw new Error('pool manager closed');
      },
    });
    const failing = parseExposition(await prometheus.metrics());
    expect(find(failing, METRIC_NAMES.poolConnections)).toBeUndefined();
    expect(find(failing, METRIC_NAMES.replicaBanned)?.value).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('pool manager closed'));
    warn.mockRestore();
  });

  it('folds acquisition pool names past the cap into "other"', async () => {
    const prometheus = new PrometheusMetrics();
    for (let i = 0; i < 100; i++) prometheus.observeAcquisition(`pool-${i}`, 1);
    const pools = new Set(
      parseExposition(await prometheus.metrics())
        .filter((s) => s.name === `${METRIC_NAMES.acquireDuration}_count`)
        .map((s) => s.labels['pool']),
    );
    expect(pools.size).toBe(33);
    expect(pools.has('other')).toBe(true);
  });

  it('rejects unsorted histogram buckets with a sentence naming the metric', () => {
    expect(() => new PrometheusMetrics({ queryDurationBucketsSeconds: [1, 0.5] })).toThrow(METRIC_NAMES.queryDuration);
  });

  it('keeps registries apart', async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics();
    a.countSlowQuery();
    expect(find(parseExposition(await b.metrics()), METRIC_NAMES.slowQueries)?.value).toBe(0);
  });
});
