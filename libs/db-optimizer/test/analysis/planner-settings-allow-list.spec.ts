import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: settings are an allow-list of planner settings', () => {
  const database = schemaOnCluster('analysis_settings', { orders: 1000 });
  let analyzer: PlanAnalyzer;
  const sql = () => `SELECT id FROM ${database.schema}.orders WHERE id = $1`;

  beforeEach(() => {
    database.runner.calls.splice(0);
    analyzer = new PlanAnalyzer(database.runner);
  });

  describe('#analyzeExecutionPlan', () => {
    it.each([
      ['standard_conforming_strings', 'off'],
      ['search_path', 'evil'],
      ['session_replication_role', 'replica'],
      ['transaction_isolation', 'serializable'],
      ['lock_timeout', '1'],
    ])('refuses %s (not a planner setting) before anything is sent, saying which are allowed', async (name, value) => {
      await expect(analyzer.analyzeExecutionPlan(sql(), [1], { settings: { [name]: value } })).rejects.toThrow(
        new RegExp(`"${name}" is not a planner setting.*enable_\\*.*work_mem.*PLANNER_SETTINGS`),
      );
      expect(database.runner.calls).toEqual([]);
    });

    it.each([["64kB'; SELECT 1; --"], ['$$x$$'], ['a'.repeat(65)], ['']])('refuses the value %j before anything is sent', async (value) => {
      await expect(analyzer.analyzeExecutionPlan(sql(), [1], { settings: { work_mem: value } })).rejects.toThrow(
        'must be a number, a word or a size',
      );
      expect(database.runner.calls).toEqual([]);
    });

    it('applies an enable_* switch and a cost for this EXPLAIN only', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(sql(), [1], {
        settings: { ENABLE_INDEXSCAN: false, enable_bitmapscan: 'off', random_page_cost: 1.1 },
      });
      expect(analysis.nodes[0].nodeType).toBe('Seq Scan');
      expect((await database.replica.query('SHOW enable_indexscan')).rows[0].enable_indexscan).toBe('on');
    });
  });
});
