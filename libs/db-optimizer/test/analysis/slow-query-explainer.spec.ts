import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { SlowQueryExplainer } from '../../src/lib/analysis/slow/slow-query-explainer';
import { fingerprintSql } from '../../src/lib/sql/parser';
import { schemaOnCluster } from './support/analysis-database';

describe('SlowQueryExplainer against the cluster', () => {
  const database = schemaOnCluster('analysis_slow', { orders: 100_000 });
  let explainer: SlowQueryExplainer;
  let now: number;

  beforeEach(() => {
    now = 0;
    database.runner.calls.splice(0);
    explainer = new SlowQueryExplainer(new PlanAnalyzer(database.runner), { clock: { now: () => now } });
  });

  const slowCall = (sql: string, params: unknown[]) => ({
    fingerprint: fingerprintSql(sql) ?? '',
    sql,
    params,
    durationMs: 750,
    pool: 'primary' as const,
  });

  describe('#offer', () => {
    it('EXPLAIN ANALYZEs a slow read on the replica and keeps its suggestions', async () => {
      const call = slowCall(`SELECT id FROM ${database.schema}.orders WHERE customer_id = $1`, [99]);
      expect(explainer.offer(call)).toBe(true);
      await explainer.whenIdle();

      expect(database.runner.calls).toEqual(['replica']);
      const analysis = explainer.analysisOf(call.fingerprint);
      expect(analysis).toMatchObject({ status: 'explained', analyzed: true, ranOn: 'replica', normalizedSql: call.sql });
      expect(analysis?.suggestions.map((suggestion) => suggestion.fix)).toContain(`CREATE INDEX CONCURRENTLY ON ${database.schema}.orders (customer_id)`);
      expect(explainer.stats()).toMatchObject({ explained: 1, suggestionsByRule: { 'seq-scan-filter': 1 } });
    });

    it('only plans a slow write: the rows stay, nothing ran', async () => {
      const call = slowCall(`DELETE FROM ${database.schema}.orders WHERE customer_id = $1`, [5]);
      explainer.offer(call);
      await explainer.whenIdle();

      expect(database.runner.calls).toEqual(['primary']);
      expect(explainer.analysisOf(call.fingerprint)).toMatchObject({ status: 'explained', analyzed: false, summary: { analyzed: false } });
      const { rows } = await database.primary.query(`SELECT count(*)::int AS n FROM ${database.schema}.orders WHERE customer_id = 5`);
      expect(rows[0].n).toBe(20);
    });

    it('records a timeout as a failure without stopping later explains', async () => {
      explainer = new SlowQueryExplainer(new PlanAnalyzer(database.runner), { clock: { now: () => now }, timeoutMs: 100 });
      const sleepy = slowCall('SELECT pg_sleep(2)', []);
      explainer.offer(sleepy);
      await explainer.whenIdle();
      expect(explainer.analysisOf(sleepy.fingerprint)).toMatchObject({ status: 'failed', error: 'SQLSTATE 57014 (statement timeout or cancel)' });

      now += 5000;
      expect(explainer.offer(slowCall(`SELECT id FROM ${database.schema}.orders WHERE a = $1`, [3]))).toBe(true);
      await explainer.whenIdle();
      expect(explainer.stats()).toMatchObject({ failed: 1, explained: 1 });
    });
  });
});
