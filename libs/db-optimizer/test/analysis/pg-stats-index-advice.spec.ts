import { IndexAdvisor } from '../../src/lib/analysis/advisor/index-advisor';
import { schemaOnCluster } from './support/analysis-database';

describe('IndexAdvisor without HypoPG (pg_stats heuristic)', () => {
  const database = schemaOnCluster('analysis_pgstats', { orders: 100_000 });
  const advisor = new IndexAdvisor(database.runner);

  describe('#recommendIndexes', () => {
    it('recommends a selective equality column from pg_stats, on the replica, unverified', async () => {
      const table = `${database.schema}.orders`;
      const advice = await advisor.recommendIndexes([
        { sql: `SELECT id FROM ${table} WHERE flag = $1`, totalTimeMs: 900 },
        { sql: `SELECT id, email FROM ${table} WHERE customer_id = $1 AND flag = true`, totalTimeMs: 800 },
        { sql: `SELECT id FROM ${table} WHERE id = $1`, totalTimeMs: 700 },
      ]);

      expect(database.runner.calls).toEqual(['replica']);
      expect(advice.mode).toBe('heuristic');
      expect(advice.recommendations).toEqual([
        {
          table,
          columns: ['customer_id'],
          statement: `CREATE INDEX CONCURRENTLY ON ${table} (customer_id)`,
          costBefore: expect.any(Number),
          verifiedWithHypopg: false,
          queries: [`SELECT id, email FROM ${table} WHERE customer_id = $1 AND flag = $2`],
          fingerprints: [expect.any(String)],
          estimatedSelectivity: expect.any(Number),
        },
      ]);
      // 5000 distinct customers: one value matches 1/5000 of the rows.
      expect(advice.recommendations[0].estimatedSelectivity).toBeCloseTo(1 / 5000, 5);
    });

    it('reports what it cannot advise on, by normalized text only', async () => {
      const advice = await advisor.recommendIndexes([
        { sql: "INSERT INTO t (secret) VALUES ('hunter2')" },
        { sql: 'SELECT 1; SELECT 2' },
      ]);
      expect(advice.skipped.map((entry) => entry.query)).toEqual(['INSERT INTO t (secret) VALUES ($1)', 'SELECT $1; SELECT $2']);
      expect(JSON.stringify(advice)).not.toContain('hunter2');
    });
  });
});
