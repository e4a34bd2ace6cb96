import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: a selective filter without an index (100k rows)', () => {
  const database = schemaOnCluster('analysis_seqscan', { orders: 100_000 });
  const analyzer = new PlanAnalyzer(database.runner);

  beforeEach(() => database.runner.calls.splice(0));

  describe('#analyzeExecutionPlan', () => {
    it('suggests CREATE INDEX on the filtered column, explaining the read on the replica', async () => {
      const sql = `SELECT id, email FROM ${database.schema}.orders WHERE customer_id = $1`;
      const analysis = await analyzer.analyzeExecutionPlan(sql, [42]);

      expect(database.runner.calls).toEqual(['replica']);
      expect(analysis.ranOn).toBe('replica');
      expect(analysis.warnings).toEqual([]);
      expect(analysis.summary).toMatchObject({ analyzed: true, actualRows: 20 });
      expect(analysis.summary.executionTimeMs).toBeGreaterThan(0);
      expect(analysis.nodes[0]).toMatchObject({ nodeType: 'Seq Scan', relation: 'orders', schema: database.schema, rowsRemovedByFilter: 99_980 });
      const suggestion = analysis.suggestions.find((candidate) => candidate.ruleId === 'seq-scan-filter');
      expect(suggestion).toMatchObject({
        severity: 'critical',
        node: { nodeType: 'Seq Scan', relation: `${database.schema}.orders`, path: '0' },
        fix: `CREATE INDEX CONCURRENTLY ON ${database.schema}.orders (customer_id)`,
      });
      expect(analysis.normalizedSql).toBe(`SELECT id, email FROM ${database.schema}.orders WHERE customer_id = $1`);
    });

    it('suggests the same index from the planner\'s estimate when only planning (analyze: false)', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`SELECT id FROM ${database.schema}.orders o WHERE o.customer_id = 7`, [], {
        analyze: false,
      });
      expect(analysis.summary.analyzed).toBe(false);
      expect(analysis.summary.executionTimeMs).toBeUndefined();
      expect(analysis.warnings).toEqual([expect.stringContaining('Planned only')]);
      expect(analysis.suggestions.map((s) => s.fix)).toContain(`CREATE INDEX CONCURRENTLY ON ${database.schema}.orders (customer_id)`);
    });

    it('stops suggesting it once the suggested index exists, and the plan uses it', async () => {
      await database.onPrimaryAndReplicated(`CREATE INDEX CONCURRENTLY ON ${database.schema}.orders (customer_id)`);
      const analysis = await analyzer.analyzeExecutionPlan(`SELECT id, email FROM ${database.schema}.orders WHERE customer_id = $1`, [42]);
      expect(analysis.suggestions.filter((s) => s.ruleId === 'seq-scan-filter')).toEqual([]);
      expect(analysis.nodes.some((node) => node.index === 'orders_customer_id_idx')).toBe(true);
    });
  });
});
