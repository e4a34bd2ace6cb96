import { PlanAnalyzer } from '../../src/lib/analysis/plan/plan-analyzer';
import { SlowQueryExplainer } from '../../src/lib/analysis/slow/slow-query-explainer';
import { fingerprintSql } from '../../src/lib/sql/parser';
import { schemaOnCluster } from './support/analysis-database';

describe('SlowQueryExplainer: never runs a write again, never runs anything on the primary', () => {
  const database = schemaOnCluster('analysis_slow_safe', { orders: 1000 });
  let explainer: SlowQueryExplainer;

  const slowCall = (sql: string, params: unknown[], isWrite: boolean) => ({
    fingerprint: fingerprintSql(sql) ?? '',
    sql,
    params,
    durationMs: 750,
    pool: 'primary' as const,
    isWrite,
  });

  beforeAll(async () => {
    await database.onPrimaryAndReplicated(`
      CREATE TABLE ${database.schema}.audit (n int);
      CREATE FUNCTION ${database.schema}.remember(n int) RETURNS int LANGUAGE sql VOLATILE
        AS $$ INSERT INTO ${database.schema}.audit VALUES (n) RETURNING n $$;`);
  });

  beforeEach(() => {
    database.runner.calls.splice(0);
    database.runner.replicaUsable = true;
    explainer = new SlowQueryExplainer(new PlanAnalyzer(database.runner), { clock: { now: () => 0 } });
  });

  describe('#offer', () => {
    it('only plans a SELECT the facade ran as a write (it calls a VOLATILE function)', async () => {
      const call = slowCall(`SELECT ${database.schema}.remember($1)`, [7], true);
      expect(explainer.offer(call)).toBe(true);
      await explainer.whenIdle();

      expect(explainer.analysisOf(call.fingerprint)).toMatchObject({ status: 'explained', analyzed: false, summary: { analyzed: false } });
    });

    it('only plans a slow read when no replica is usable: nothing runs on the primary', async () => {
      database.runner.replicaUsable = false;
      const call = slowCall(`SELECT count(*) FROM ${database.schema}.orders WHERE customer_id = $1`, [3], false);
      explainer.offer(call);
      await explainer.whenIdle();

      expect(database.runner.calls).toEqual(['replica']);
      const analysis = explainer.analysisOf(call.fingerprint);
      expect(analysis).toMatchObject({ status: 'explained', analyzed: false, ranOn: 'primary', summary: { analyzed: false } });
      expect(analysis?.warnings).toEqual([expect.stringContaining('no replica was usable')]);
    });

    it('still EXPLAIN ANALYZEs a slow read on a usable replica', async () => {
      const call = slowCall(`SELECT count(*) FROM ${database.schema}.orders WHERE customer_id = $1`, [4], false);
      explainer.offer(call);
      await explainer.whenIdle();
      expect(explainer.analysisOf(call.fingerprint)).toMatchObject({ status: 'explained', analyzed: true, ranOn: 'replica' });
    });
  });
});
