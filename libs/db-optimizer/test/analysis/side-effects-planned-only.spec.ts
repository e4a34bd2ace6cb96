import { Client } from 'pg';
import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { testEnv } from '../../../../tools/testing/test-env';
import { schemaOnCluster } from './support/analysis-database';

describe('PlanAnalyzer: statements with effects a rollback does not undo are planned only', () => {
  const database = schemaOnCluster('analysis_effects', { orders: 1000 });
  let analyzer: PlanAnalyzer;
  const advisoryLocks = async (key: number): Promise<number> => {
    const query = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1";
    const [primary, replica] = await Promise.all([database.primary.query(query, [key]), database.replica.query(query, [key])]);
    return primary.rows[0].n + replica.rows[0].n;
  };

  beforeAll(async () => {
    await database.onPrimaryAndReplicated(`
      CREATE SEQUENCE ${database.schema}.tickets;
      CREATE FUNCTION ${database.schema}.lock_quietly(k bigint) RETURNS int LANGUAGE plpgsql VOLATILE
        AS $$ BEGIN PERFORM pg_advisory_lock(k); RETURN 1; END $$;`);
  });

  beforeEach(() => {
    analyzer = new PlanAnalyzer(database.runner);
  });

  describe('#analyzeExecutionPlan', () => {
    it('plans SELECT pg_advisory_lock(...) without running it: no pooled connection holds the lock, and the result says so', async () => {
      const analysis = await analyzer.analyzeExecutionPlan('SELECT pg_advisory_lock(42042)');
      expect(await advisoryLocks(42042)).toBe(0);
      expect(analysis.summary.analyzed).toBe(false);
      expect(analysis.warnings).toEqual([expect.stringContaining('Planned only, not run: pg_advisory_lock()')]);
    });

    it('plans pg_terminate_backend(pid) without running it: the target session survives', async () => {
      const victim = new Client({ connectionString: testEnv().readReplicaUrl });
      await victim.connect();
      try {
        const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const analysis = await analyzer.analyzeExecutionPlan('SELECT pg_terminate_backend($1)', [pid]);
        expect(analysis.summary.analyzed).toBe(false);
        expect((await victim.query('SELECT 1 AS alive')).rows[0].alive).toBe(1);
      } finally {
        await victim.end().catch(() => undefined);
      }
    });

    it('plans nextval() without advancing the sequence', async () => {
      const sequence = `${database.schema}.tickets`;
      const analysis = await analyzer.analyzeExecutionPlan(`SELECT nextval('${sequence}')`);
      expect(analysis.summary.analyzed).toBe(false);
      expect((await database.primary.query(`SELECT last_value, is_called FROM ${sequence}`)).rows[0]).toMatchObject({ is_called: false });
    });

    it('plans a VOLATILE user function (found through the catalog) without running it', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`SELECT ${database.schema}.lock_quietly(42043)`);
      expect(await advisoryLocks(42043)).toBe(0);
      expect(analysis.summary.analyzed).toBe(false);
      expect(analysis.warnings).toEqual([expect.stringMatching(/lock_quietly\(\) is VOLATILE/)]);
    });

    it('still runs a statement whose functions are all IMMUTABLE or STABLE', async () => {
      const analysis = await analyzer.analyzeExecutionPlan(`SELECT lower(email), now() FROM ${database.schema}.orders WHERE id = $1`, [1]);
      expect(analysis.summary.analyzed).toBe(true);
      expect(analysis.warnings).toEqual([]);
    });
  });
});
