import { Pool } from 'pg';
import { uniqueSchema } from '../../../../tools/testing/test-env';
import { IndexAdvisor } from '../../src/lib/analysis/advisor/index-advisor';
import { HYPOPG_MISSING } from '../../src/lib/analysis/analysis.messages';
import { loadSqlParser } from '../../src/lib/sql/parser';
import { PoolExplainRunner } from './support/analysis-database';
import { describeWithOptionalServer } from '../support/optional-server';

/**
 * Runs against a PostgreSQL that has the HypoPG package (the machine's PostgreSQL 15; CI
 * installs postgresql-15-hypopg and sets DB_OPTIMIZER_REQUIRE_HYPOPG=1, which makes a missing
 * HypoPG fail these tests). Elsewhere (a fresh machine) they say once that they did not run,
 * and why; the heuristic advisor is tested everywhere (pg-stats-index-advice.spec.ts).
 */
const HYPOPG_URL = process.env['HYPOPG_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describeWithOptionalServer(
  'IndexAdvisor with HypoPG',
  {
    tested: 'HypoPG-verified index advice',
    url: HYPOPG_URL,
    urlVariable: 'HYPOPG_DATABASE_URL',
    requireVariable: 'DB_OPTIMIZER_REQUIRE_HYPOPG',
    toRun: 'Install postgresql-15-hypopg',
    needs: { sql: "SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'", missing: 'the server has no hypopg extension package' },
  },
  () => {
    const schema = uniqueSchema('analysis_hypopg');
    let pool: Pool;
    let advisor: IndexAdvisor;

    beforeAll(async () => {
      await loadSqlParser();
      // search_path: if the advisor has to create the extension, it lands in this schema and leaves with it.
      pool = new Pool({ connectionString: HYPOPG_URL, max: 1, options: `-c search_path=${schema},public` });
      const { rows } = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'");
      if (rows.length === 0) throw new Error(HYPOPG_MISSING(new URL(HYPOPG_URL).host));
      await pool.query(`CREATE SCHEMA ${schema}`);
      await pool.query(`
        CREATE TABLE ${schema}.orders AS
          SELECT i AS id, i % 20000 AS customer_id, i % 2 = 0 AS flag, (i % 1000)::numeric AS total
          FROM generate_series(1, 100000) AS i;
        ALTER TABLE ${schema}.orders ADD PRIMARY KEY (id);
        CREATE TABLE ${schema}.settings AS SELECT 'key' || i AS key, 'value' || i AS value FROM generate_series(1, 10) AS i;
        ANALYZE ${schema}.orders;
        ANALYZE ${schema}.settings;`);
      advisor = new IndexAdvisor(new PoolExplainRunner(pool, pool), undefined, { installHypopg: true });
    });

    afterAll(async () => {
      await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool?.end();
    });

    describe('#recommendIndexes', () => {
      it('HypoPG verifies a useful index and rejects a useless one', async () => {
        const advice = await advisor.recommendIndexes([
          { sql: `SELECT id, total FROM ${schema}.orders WHERE customer_id = $1`, params: [42], calls: 9000, totalTimeMs: 45_000 },
          { sql: `SELECT id FROM ${schema}.orders WHERE flag = $1`, calls: 50, totalTimeMs: 30_000 },
          { sql: `SELECT value FROM ${schema}.settings WHERE key = $1`, calls: 90_000, totalTimeMs: 20_000 },
          { sql: `UPDATE ${schema}.orders SET total = total + 1 WHERE customer_id = 4242`, calls: 100, totalTimeMs: 1000 },
        ]);

        expect(advice.mode).toBe('hypopg');
        expect(advice.skipped).toEqual([]);
        expect(advice.recommendations).toEqual([
          {
            table: `${schema}.orders`,
            columns: ['customer_id'],
            statement: `CREATE INDEX CONCURRENTLY ON ${schema}.orders (customer_id)`,
            costBefore: expect.any(Number),
            costAfter: expect.any(Number),
            improvement: expect.any(Number),
            verifiedWithHypopg: true,
            queries: [
              `SELECT id, total FROM ${schema}.orders WHERE customer_id = $1`,
              `UPDATE ${schema}.orders SET total = total + $1 WHERE customer_id = $2`,
            ],
            fingerprints: [expect.stringMatching(/^[0-9a-f]+$/), expect.stringMatching(/^[0-9a-f]+$/)],
          },
        ]);
        const [useful] = advice.recommendations;
        expect(useful.improvement).toBeGreaterThanOrEqual(0.5);
        expect(useful.costAfter).toBeLessThan(useful.costBefore / 2);
        expect(JSON.stringify(advice)).not.toContain('4242');
      });

      it('leaves no hypothetical index, prepared statement or real index behind', async () => {
        await advisor.recommendIndexes([{ sql: `SELECT id FROM ${schema}.orders WHERE customer_id = $1` }]);
        const { rows: extension } = await pool.query<{ schema: string }>(
          "SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'hypopg'",
        );
        const hypothetical = await pool.query(`SELECT count(*)::int AS n FROM ${extension[0].schema}.hypopg_list_indexes`);
        expect(hypothetical.rows[0].n).toBe(0);
        expect((await pool.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0].n).toBe(0);
        const indexes = await pool.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1', [schema]);
        expect(indexes.rows.map((row) => row.indexname)).toEqual(['orders_pkey']);
      });

      it('does not recommend again an index that exists', async () => {
        await pool.query(`CREATE INDEX ON ${schema}.orders (customer_id)`);
        try {
          const advice = await advisor.recommendIndexes([{ sql: `SELECT id FROM ${schema}.orders WHERE customer_id = $1` }]);
          expect(advice.recommendations).toEqual([]);
        } finally {
          await pool.query(`DROP INDEX ${schema}.orders_customer_id_idx`);
        }
      });
    });
  },
);
