import { loadSqlParser } from '../../sql/parser';
import type { ExplainRunner } from '../explain-runner.interface';
import { selectStarRule } from '../rules/select-star.rule';
import { UnexplainableQueryError } from '../unexplainable-query.error';
import { PlanAnalyzer } from './plan-analyzer';

/** A runner that must not be reached: these paths run nothing. */
const unreachable: ExplainRunner = {
  onReplica: () => Promise.reject(new Error('onReplica must not be called')),
  onPrimary: () => Promise.reject(new Error('onPrimary must not be called')),
};

describe('PlanAnalyzer', () => {
  beforeAll(() => loadSqlParser());

  describe('#analyzeStatement', () => {
    it('gives the parse-tree suggestions without a database', () => {
      const suggestions = new PlanAnalyzer(unreachable).analyzeStatement('UPDATE users SET name = $1', ['x']);
      expect(suggestions).toEqual([expect.objectContaining({ ruleId: 'unbounded-write', severity: 'critical' })]);
    });

    it('runs only the rules it was given', () => {
      const analyzer = new PlanAnalyzer(unreachable, undefined, { rules: [selectStarRule] });
      expect(analyzer.analyzeStatement("SELECT * FROM users WHERE email LIKE '%x' OFFSET 5000").map((s) => s.ruleId)).toEqual(['select-star']);
    });

    it('refuses several statements', () => {
      expect(() => new PlanAnalyzer(unreachable).analyzeStatement('SELECT 1; SELECT 2')).toThrow(UnexplainableQueryError);
    });
  });

  describe('#analyzeExecutionPlan', () => {
    it('validates the options before reaching a server', async () => {
      const analyzer = new PlanAnalyzer(unreachable);
      await expect(analyzer.analyzeExecutionPlan('SELECT 1', [], { timeoutMs: 1.5 })).rejects.toThrow(RangeError);
      await expect(analyzer.analyzeExecutionPlan('SELECT 1', [], { settings: { role: 'postgres' } })).rejects.toThrow('cannot be changed');
    });
  });
});
