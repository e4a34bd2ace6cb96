import { FleetMetricsPublisher, MetricsService } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
// Internals on purpose: the reference histogram of the exactness check, and a store that publishes like a crashed instance would have.
import { LatencyHistogram } from '../../src/lib/core/latency-histogram';
import { RedisFleetStore } from '../../src/lib/metrics/fleet/redis-fleet-store';
import { parseRedisTarget } from '../../src/lib/options/redis-target';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import type { TestInstance } from '../support/test-module';

const ROWS = 20;

describe('fleet metrics of two instances sharing Redis', () => {
  const schema = uniqueSchema('fl_metrics');
  const T = `${schema}.items`;
  // Its own namespace: instances of other test files share this primary, and so its default fleet.
  const namespace = uniqueSchema('fleet');
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  // A long interval: the test publishes when it wants to, so the figures compared are the same ones.
  const options = () => cacheOptions({ cacheNamespace: namespace, fleetMetricsIntervalMs: 60_000 });
  const a = fixture.bootInstance(options);
  const b = fixture.bootInstance(options);
  const metricsOf = (instance: TestInstance) => instance.get(MetricsService);
  const publish = async () => {
    for (const instance of [a, b]) expect(await instance.get(FleetMetricsPublisher).publishNow()).toBe(true);
  };

  it('sums each instance’s own totals', async () => {
    for (let i = 0; i < 60; i++) await a.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [1 + (i % ROWS)]);
    for (let i = 0; i < 25; i++) await b.db.executeOptimizedQuery(`UPDATE ${T} SET v = v + 1 WHERE id = $1`, [1 + (i % ROWS)]);
    for (let i = 0; i < 15; i++) await b.db.executeOptimizedQuery(`SELECT count(*) FROM ${T} WHERE v > $1`, [i]);
    await publish();

    const fleet = await metricsOf(a).getFleetMetrics();
    const [own, other] = [a, b].map((instance) => metricsOf(instance).getPerformanceMetrics().performance);
    expect(fleet.instances.map((instance) => instance.instanceId).sort()).toEqual([a, b].map((i) => i.get(FleetMetricsPublisher).instanceId).sort());
    // Not `acquisitions`: the lag monitor checks connections out in the background, between the publish and this line.
    for (const key of ['totalQueries', 'failedQueries', 'cacheHits', 'cacheMisses', 'primaryQueries', 'readReplicaQueries', 'analyticalQueries', 'slowQueriesDetected'] as const) {
      expect([key, fleet.performance[key]]).toEqual([key, own[key] + other[key]]);
    }
    expect(fleet.performance.totalQueries).toBeGreaterThanOrEqual(100);
    // Statements merged by fingerprint: each one's calls are the sum of both instances' calls.
    for (const statement of fleet.fingerprints) {
      const calls = [a, b].map((instance) => metricsOf(instance).getFingerprintStats({ limit: 1000 }).find((f) => f.fingerprint === statement.fingerprint)?.calls ?? 0);
      expect([statement.fingerprint, statement.calls]).toEqual([statement.fingerprint, calls[0] + calls[1]]);
    }
  });

  it('merges latency histograms exactly: percentiles as one histogram of every call', async () => {
    for (const instance of [a, b]) metricsOf(instance).reset();
    const all: number[] = [];
    const record = (instance: TestInstance, durationMs: number) => {
      all.push(durationMs);
      metricsOf(instance).recordQuery({
        fingerprint: 'f', normalizedSql: 'SELECT $1', durationMs, pool: 'read_replica', queryType: 'READ', cached: false, prepared: true, rowCount: 1, optimized: true,
      });
    };
    for (let i = 0; i < 2000; i++) record(a, 0.1 + (i % 100) / 50);
    for (let i = 0; i < 400; i++) record(b, 40 + (i % 40) * 7);
    await publish();

    const fleet = await metricsOf(b).getFleetMetrics();
    const reference = new LatencyHistogram();
    for (const ms of all) reference.recordMs(ms);
    expect(fleet.performance.totalQueries).toBe(all.length);
    expect([50, 90, 95, 99].map((p) => fleet.performance[`p${p}QueryTimeMs` as 'p50QueryTimeMs'])).toEqual([50, 90, 95, 99].map((p) => reference.percentileMs(p)));
    const perInstanceP99 = [a, b].map((instance) => metricsOf(instance).getPerformanceMetrics().performance.p99QueryTimeMs);
    expect(fleet.performance.p99QueryTimeMs).not.toBe((perInstanceP99[0] + perInstanceP99[1]) / 2);
  });

  it('drops an instance that stopped publishing once its snapshot expires', async () => {
    const key = `{dbo:fleet:${namespace}}`;
    const gone = new RedisFleetStore(parseRedisTarget(testEnv().redisUrl), key, 1000, () => undefined);
    await gone.connect();
    const snapshot = metricsOf(a).fleetSnapshot('crashed-instance');
    await gone.publish('crashed-instance', JSON.stringify(snapshot), 300);
    gone.close();
    const ids = async () => (await metricsOf(a).getFleetMetrics()).instances.map((instance) => instance.instanceId);
    expect(await ids()).toContain('crashed-instance');
    await waitFor(async () => !(await ids()).includes('crashed-instance'), { timeoutMs: 5000, what: 'the silent instance to drop out' });
    expect(await ids()).toHaveLength(2);
  });
});
