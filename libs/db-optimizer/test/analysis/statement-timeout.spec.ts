import { DatabaseError } from 'pg';
import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: statement_timeout', () => {
  const database = schemaOnCluster('analysis_timeout');
  const analyzer = new PlanAnalyzer(database.runner);

  describe('#analyzeExecutionPlan', () => {
    it('cancels an EXPLAIN ANALYZE that outlives timeoutMs and keeps the server error as cause', async () => {
      const startedAt = Date.now();
      const error: Error = await analyzer.analyzeExecutionPlan('SELECT pg_sleep(5)', [], { timeoutMs: 200 }).then(
        () => new Error('expected the EXPLAIN to time out'),
        (caught: Error) => caught,
      );
      expect(Date.now() - startedAt).toBeLessThan(4000);
      expect(error.message).toMatch(/^EXPLAIN on the replica failed for "SELECT pg_sleep\(\$1\)": canceling statement due to statement timeout/);
      expect(error.cause).toBeInstanceOf(DatabaseError);
      expect((error.cause as DatabaseError).code).toBe('57014');
    });

    it('leaves the connection outside any transaction, with its own statement_timeout', async () => {
      const before = (await database.replica.query('SHOW statement_timeout')).rows[0].statement_timeout;
      await analyzer.analyzeExecutionPlan('SELECT pg_sleep(1)', [], { timeoutMs: 50 }).catch(() => undefined);
      expect((await database.replica.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe(before);
    });

    it('refuses a timeout that is not a positive whole number of milliseconds', async () => {
      await expect(analyzer.analyzeExecutionPlan('SELECT 1', [], { timeoutMs: 0 })).rejects.toThrow('positive whole number');
    });
  });
});
