import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: per-call settings and a sort that spills', () => {
  const database = schemaOnCluster('analysis_spill', { orders: 100_000 });
  const analyzer = new PlanAnalyzer(database.runner);
  const sql = `SELECT id, email FROM ${database.schema}.orders ORDER BY email`;

  describe('#analyzeExecutionPlan', () => {
    it('reports a sort spilled to disk under work_mem = 64kB and sizes work_mem from the plan', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(sql, [], { settings: { work_mem: '64kB' } });
      const sort = analysis.nodes.find((node) => node.nodeType === 'Sort');
      expect(sort?.sort).toMatchObject({ spaceType: 'Disk' });
      const spill = analysis.suggestions.find((suggestion) => suggestion.ruleId === 'disk-spill');
      const expectedMb = Math.ceil(((sort?.sort?.spaceUsedKb ?? 0) * 2) / 1024);
      expect(spill).toMatchObject({ severity: 'warning', node: { nodeType: 'Sort' }, fix: `SET work_mem = '${expectedMb}MB'` });
    });

    it('keeps the sort in memory with enough work_mem', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(sql, [], { settings: { work_mem: '256MB' } });
      expect(analysis.nodes.find((node) => node.nodeType === 'Sort')?.sort?.spaceType).toBe('Memory');
      expect(analysis.suggestions.filter((suggestion) => suggestion.ruleId === 'disk-spill')).toEqual([]);
    });

    it('applies settings with SET LOCAL only: the connection keeps its own work_mem', async () => {
      const before = (await database.replica.query('SHOW work_mem')).rows[0].work_mem;
      await analyzer.analyzeExecutionPlan(sql, [], { settings: { work_mem: '64kB' } });
      expect((await database.replica.query('SHOW work_mem')).rows[0].work_mem).toBe(before);
    });

    it('refuses settings that would undo the timeout or the read-only mode, before running anything', async () => {
      database.runner.calls.splice(0);
      await expect(analyzer.analyzeExecutionPlan(sql, [], { settings: { statement_timeout: 0 } })).rejects.toThrow(RangeError);
      await expect(analyzer.analyzeExecutionPlan(sql, [], { settings: { transaction_read_only: 'off' } })).rejects.toThrow(
        'cannot be changed',
      );
      await expect(analyzer.analyzeExecutionPlan(sql, [], { settings: { "work_mem = '1GB'; --": 'x' } })).rejects.toThrow(
        'not a valid setting name',
      );
      expect(database.runner.calls).toEqual([]);
    });
  });
});
