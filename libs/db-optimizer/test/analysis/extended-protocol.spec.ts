import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

/**
 * The parser reads `'a\'` as a whole string (standard_conforming_strings on); a server with
 * it off reads `\'` as an escaped quote, so over the simple protocol it would see
 * `SELECT 'a'', '`, `COMMIT` and `SELECT pg_advisory_lock(...)`: the lock would be taken
 * outside the rolled-back frame and kept by the pooled connection.
 */
describe('PlanAnalyzer: the EXPLAIN goes over the extended protocol', () => {
  const database = schemaOnCluster('analysis_protocol');
  const key = 610_061;
  const smuggled = `SELECT 'a\\', '; COMMIT; SELECT pg_advisory_lock(${key}); --'`;
  const advisoryLocks = async (): Promise<number> =>
    (await database.replica.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", [key]))
      .rows[0].n;

  afterEach(async () => {
    await database.replica.query('RESET standard_conforming_strings');
    await database.replica.query('SELECT pg_advisory_unlock_all()');
  });

  describe('#analyzeExecutionPlan', () => {
    it('refuses, on the server, a text that a server with standard_conforming_strings off reads as several statements', async () => {
      const analyzer = new PlanAnalyzer(database.runner);
      expect(analyzer.classify(smuggled).statementCount).toBe(1);
      // The replica pool has one connection: the analysis uses this very session.
      await database.replica.query('SET standard_conforming_strings = off');

      await expect(analyzer.analyzeExecutionPlan(smuggled)).rejects.toMatchObject({
        message: expect.stringMatching(/EXPLAIN on the replica failed/),
        cause: expect.objectContaining({ code: '42601' }),
      });
      expect(await advisoryLocks()).toBe(0);
      expect((await database.replica.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    });

    it('still explains that text as one statement with the default setting', async () => {
      const analysis = await new PlanAnalyzer(database.runner).analyzeExecutionPlan(smuggled);
      expect(analysis.summary.analyzed).toBe(true);
      expect(await advisoryLocks()).toBe(0);
    });
  });
});
