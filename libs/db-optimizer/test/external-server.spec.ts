import { QueryOptimizerService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from './support/test-module';
import { describeWithOptionalServer } from './support/optional-server';
// Internal on purpose: the catalog's verdict on a function, read directly.
import { ClassificationService } from '../src/lib/classify/classification.service';

// The machine's ordinary PostgreSQL 15 (CI makes sure it answers and sets
// DB_OPTIMIZER_REQUIRE_EXTERNAL_PG=1), or EXTERNAL_DATABASE_URL: the module is not tied to the
// embedded cluster it is mostly tested on. A fresh machine may have no such server: then this
// file says once that it was not tested, and why.
const EXTERNAL_URL = process.env['EXTERNAL_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describeWithOptionalServer(
  'against an ordinary external PostgreSQL server',
  {
    tested: 'The module against an ordinary external PostgreSQL server',
    url: EXTERNAL_URL,
    urlVariable: 'EXTERNAL_DATABASE_URL',
    requireVariable: 'DB_OPTIMIZER_REQUIRE_EXTERNAL_PG',
    toRun: 'Start PostgreSQL 15 or later at 127.0.0.1:5432 with trust authentication for user postgres',
  },
  () => {
    const schema = uniqueSchema('external');
    let instance: TestInstance;

    beforeAll(async () => {
      await sql(EXTERNAL_URL, `CREATE SCHEMA ${schema}`);
      await sql(EXTERNAL_URL, `CREATE TABLE ${schema}.accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL)`);
      await sql(EXTERNAL_URL, `INSERT INTO ${schema}.accounts SELECT g, 'owner ' || g, 100 FROM generate_series(1, 50) g`);
      await sql(EXTERNAL_URL, `CREATE FUNCTION ${schema}.touch() RETURNS int VOLATILE LANGUAGE sql AS 'SELECT 1'`);
      instance = await startInstance({ primaryUrl: EXTERNAL_URL, primaryPool: { min: 1, max: 4 }, enableCache: true });
    });

    afterAll(async () => {
      await instance?.close();
      await sql(EXTERNAL_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('reads, prepares, caches, writes and invalidates', async () => {
      const [{ server_version_num }] = await sql<{ server_version_num: string }>(EXTERNAL_URL, 'SHOW server_version_num');
      expect(Number(server_version_num)).toBeGreaterThanOrEqual(150000);
      const read = () => instance.db.executeOptimizedQuery<{ balance: number }>(`SELECT balance FROM ${schema}.accounts WHERE id = $1`, [7]);
      const first = await read();
      expect(first.rows).toEqual([{ balance: 100 }]);
      // No replica configured: reads run on the primary.
      expect(first.metadata.poolUsed).toBe('primary');
      expect((await read()).metadata.cached).toBe('memory');
      await instance.db.executeOptimizedQuery(`UPDATE ${schema}.accounts SET balance = balance - $2 WHERE id = $1`, [7, 30]);
      const after = await read();
      expect(after).toMatchObject({ rows: [{ balance: 70 }], metadata: { cached: false } });
      const uncached = await instance.db.executeOptimizedQuery(`SELECT owner FROM ${schema}.accounts WHERE id = $1`, [8], { useCache: false });
      const again = await instance.db.executeOptimizedQuery(`SELECT owner FROM ${schema}.accounts WHERE id = $1`, [9], { useCache: false });
      expect(uncached.metadata.preparedStatement).toBe(false);
      expect(again.metadata.preparedStatement).toBe(true);
    });

    it('runs a transaction and reads the function catalog of that server', async () => {
      const { result } = await instance.db.executeTransactionOptimized(
        async (tx) => {
          await tx.query(`UPDATE ${schema}.accounts SET balance = balance - 10 WHERE id = 1`);
          await tx.query(`UPDATE ${schema}.accounts SET balance = balance + 10 WHERE id = 2`);
          return (await tx.query<{ total: number }>(`SELECT sum(balance)::int AS total FROM ${schema}.accounts WHERE id IN (1, 2)`)).rows[0].total;
        },
        { isolationLevel: 'serializable' },
      );
      expect(result).toBe(200);
      const classification = instance.get(ClassificationService);
      await expect(Promise.resolve(classification.safetyOf(classification.classify(`SELECT ${schema}.touch()`)))).resolves.toMatchObject({ mayWrite: true });
    });

    it('explains a query on that server', async () => {
      const analysis = await instance.get(QueryOptimizerService).analyzeExecutionPlan(`SELECT * FROM ${schema}.accounts WHERE owner = $1`, ['owner 3']);
      expect(analysis.summary.executionTimeMs).toBeGreaterThanOrEqual(0);
      expect(analysis.suggestions.map((s) => s.ruleId)).toContain('select-star');
    });
  },
);
