import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: EXPLAIN ANALYZE of writes', () => {
  const database = schemaOnCluster('analysis_writes', { orders: 100_000 });
  let analyzer: PlanAnalyzer;
  const count = async (table: string): Promise<number> =>
    Number((await database.primary.query(`SELECT count(*) AS n FROM ${database.schema}.${table}`)).rows[0].n);

  beforeAll(async () => {
    await database.primary.query(`CREATE TABLE ${database.schema}.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL)`);
  });

  beforeEach(() => {
    database.runner.calls.splice(0);
    analyzer = new PlanAnalyzer(database.runner);
  });

  describe('#analyzeExecutionPlan', () => {
    it('runs a DELETE on the primary, leaves every row in place, and warns about sequences', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`DELETE FROM ${database.schema}.orders WHERE customer_id = $1`, [7]);

      expect(await count('orders')).toBe(100_000);
      expect(database.runner.calls).toEqual(['primary']);
      expect(analysis.ranOn).toBe('primary');
      expect(analysis.nodes[0]).toMatchObject({ nodeType: 'ModifyTable' });
      expect(analysis.nodes[1]).toMatchObject({ nodeType: 'Seq Scan', actualRows: 20 });
      expect(analysis.warnings).toEqual([expect.stringMatching(/rolled back.*sequences .* stay advanced/)]);
    });

    it('leaves a table intact after analyzing DELETE without WHERE, and calls the statement critical', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`DELETE FROM ${database.schema}.orders`);
      expect(await count('orders')).toBe(100_000);
      expect(analysis.nodes[1].actualRows).toBe(100_000);
      expect(analysis.suggestions.find((suggestion) => suggestion.ruleId === 'unbounded-write')?.severity).toBe('critical');
    });

    it('undoes an INSERT, but its identity sequence stays advanced, as the warning says', async () => {
      const sequence = `${database.schema}.events_id_seq`;
      await database.primary.query(`INSERT INTO ${database.schema}.events (kind) VALUES ('first')`);
      const before = Number((await database.primary.query(`SELECT last_value FROM ${sequence}`)).rows[0].last_value);

      const analysis = await analyzer.analyzeExecutionPlan(`INSERT INTO ${database.schema}.events (kind) SELECT 'x' FROM generate_series(1, 5)`);

      expect(await count('events')).toBe(1);
      expect(Number((await database.primary.query(`SELECT last_value FROM ${sequence}`)).rows[0].last_value)).toBe(before + 5);
      expect(analysis.warnings[0]).toContain('sequences');
    });

    it('rolls back a write that fails and hands the same connection back, clean', async () => {
      const pid = async (): Promise<number> => (await database.primary.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const before = await pid();
      await expect(
        analyzer.analyzeExecutionPlan(`UPDATE ${database.schema}.orders SET id = 1 WHERE id = $1`, [2]),
      ).rejects.toThrow(/EXPLAIN on the primary failed .* duplicate key value/);
      // The one-connection pool reuses the client only when it came back outside any transaction.
      expect(await pid()).toBe(before);
      expect(await count('orders')).toBe(100_000);
    });

    it('only plans a write with analyze: false, on the primary, without running it', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`UPDATE ${database.schema}.orders SET flag = NOT flag WHERE id = $1`, [1], {
        analyze: false,
      });
      expect(analysis.summary.analyzed).toBe(false);
      expect(analysis.warnings).toEqual([expect.stringContaining('Planned only')]);
      expect((await database.primary.query(`SELECT flag FROM ${database.schema}.orders WHERE id = 1`)).rows[0].flag).toBe(false);
    });
  });
});
