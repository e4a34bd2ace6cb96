import { MetricsService, QueryOptimizerService } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from './support/test-module';

describe('QueryOptimizerService analysis, wired into the module', () => {
  const env = testEnv();
  const schema = uniqueSchema('analysis_wiring');
  let instance: TestInstance;
  let optimizer: QueryOptimizerService;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, note text)`);
    await sql(env.primaryUrl, `INSERT INTO ${schema}.orders SELECT g, g % 20000, 'n' FROM generate_series(1, 100000) g`);
    await sql(env.primaryUrl, `ANALYZE ${schema}.orders`);
    await waitFor(async () => (await sql<{ n: number }>(env.readReplicaUrl, `SELECT count(*)::int AS n FROM ${schema}.orders`).catch(() => [{ n: 0 }]))[0].n === 100000, {
      what: 'replication',
      timeoutMs: 30_000,
    });
    // Every call counts as slow, so the background explainer has work.
    instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], slowQueryThresholdMs: 0 });
    optimizer = instance.get(QueryOptimizerService);
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('explains a read on the replica and suggests the index on the filtered column', async () => {
    const analysis = await optimizer.analyzeExecutionPlan(`SELECT id FROM ${schema}.orders WHERE customer_id = $1`, [42]);
    expect(analysis.ranOn).toBe('replica');
    const seqScan = analysis.suggestions.find((s) => s.ruleId === 'seq-scan-filter');
    expect(seqScan?.fix).toContain(`CREATE INDEX CONCURRENTLY ON ${schema}.orders (customer_id)`);
    expect(instance.get(MetricsService).getPerformanceMetrics().performance.optimizationSuggestionsMade).toBeGreaterThan(0);
  });

  it('explains slow statements in the background, without their values', async () => {
    await instance.db.executeOptimizedQuery(`SELECT note FROM ${schema}.orders WHERE customer_id = $1`, [777]);
    const analyses = await waitFor(() => {
      const found = optimizer.slowQueryAnalyses();
      return found.length > 0 ? found : undefined;
    }, { what: 'a background analysis' });
    expect(JSON.stringify(analyses)).not.toContain('777');
    expect(optimizer.slowQueryExplainerStats().explained).toBeGreaterThan(0);
  });

  it('recommends indexes for the costliest fingerprints it has seen', async () => {
    for (let i = 0; i < 3; i++) await instance.db.executeOptimizedQuery(`SELECT note FROM ${schema}.orders WHERE customer_id = $1`, [i]);
    const advice = await optimizer.recommendIndexes();
    const recommendation = advice.recommendations.find((r) => r.table.endsWith('orders'));
    expect(recommendation?.columns).toEqual(['customer_id']);
    expect(recommendation?.statement).toMatch(/CREATE INDEX CONCURRENTLY/);
  });
});
