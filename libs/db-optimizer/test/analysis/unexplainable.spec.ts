import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { UnexplainableQueryError } from '../../src/lib/analysis/unexplainable-query.error';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: text it must not explain', () => {
  const database = schemaOnCluster('analysis_refused', { orders: 1000 });
  const analyzer = new PlanAnalyzer(database.runner);

  describe('#analyzeExecutionPlan', () => {
    it.each([
      ['several statements', (schema: string) => `SELECT 1; DELETE FROM ${schema}.orders`, 'exactly one statement, got 2'],
      ['unparseable text', (schema: string) => `SELEC id FROM ${schema}.orders`, 'does not parse'],
      ['a statement EXPLAIN does not take', (schema: string) => `VACUUM ${schema}.orders`, 'Vacuum cannot be explained'],
      ['an EXPLAIN', (schema: string) => `EXPLAIN ANALYZE DELETE FROM ${schema}.orders`, 'already an EXPLAIN'],
      ['an empty text', () => ' ; ', 'exactly one statement, got 0'],
    ])('refuses %s before running anything', async (_what, sql, message) => {
      const error = await analyzer.analyzeExecutionPlan(sql(database.schema)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnexplainableQueryError);
      expect((error as Error).message).toContain(message);
      expect(database.runner.calls).toEqual([]);
      expect(Number((await database.primary.query(`SELECT count(*) AS n FROM ${database.schema}.orders`)).rows[0].n)).toBe(1000);
    });
  });
});
