import { ReplicaHealthService } from '@db-optimizer/core';
import { ClassificationService } from '../../src/lib/classify/classification.service';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import { sql } from '../support/test-module';

// Issue #10, item 4: routing by volatility. STABLE and IMMUTABLE user functions (PARALLEL
// UNSAFE, as every CREATE FUNCTION is by default) run on replicas. One that writes anyway
// fails there with 25006: the read runs once more on the primary and stays there.
describe('routing user functions by volatility', () => {
  const env = testEnv();
  const schema = uniqueSchema('volatility_routing');
  const instance = replicatedSchema(
    schema,
    `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
     INSERT INTO t VALUES (1, 10);
     CREATE SEQUENCE tickets;
     CREATE FUNCTION doubled(int) RETURNS int STABLE LANGUAGE sql AS $$ SELECT v * 2 FROM ${schema}.t WHERE id = $1 $$;
     CREATE FUNCTION tripled(int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT $1 * 3 $$;
     CREATE FUNCTION next_ticket() RETURNS bigint STABLE LANGUAGE sql AS $$ SELECT nextval('${schema}.tickets') $$;
     CREATE SEQUENCE stubs;
     CREATE VIEW next_stub AS SELECT nextval('${schema}.stubs') AS n;`,
  ).bootInstance(() => cacheOptions({ enableCache: false, redisUrl: undefined }));

  it.each([
    ['a STABLE SQL function', `SELECT ${schema}.doubled($1) AS x`, 20],
    ['an IMMUTABLE SQL function', `SELECT ${schema}.tripled($1) AS x`, 3],
  ])('runs %s on a read replica', async (_what, text, expected) => {
    const { rows, metadata } = await instance.db.executeOptimizedQuery<{ x: number }>(text, [1]);
    expect(rows).toEqual([{ x: expected }]);
    expect(metadata.poolUsed).toBe('read_replica');
  });

  it('runs a STABLE function that writes once on the primary after the replica refuses it, and keeps it there', async () => {
    const lastValue = async () => Number((await sql<{ n: string }>(env.primaryUrl, `SELECT last_value AS n FROM ${schema}.tickets`))[0].n);
    const first = await instance.db.executeOptimizedQuery<{ n: string }>(`SELECT ${schema}.next_ticket() AS n`);
    expect(first.metadata.poolUsed).toBe('primary');
    expect(Number(first.rows[0].n)).toBe(await lastValue());
    const second = await instance.db.executeOptimizedQuery<{ n: string }>(`SELECT ${schema}.next_ticket() + 0 AS n`);
    expect(second.metadata.poolUsed).toBe('primary');
    expect(Number(second.rows[0].n)).toBe(Number(first.rows[0].n) + 1);
    // A SQL error is no replica failure: nothing was banned.
    expect(instance.get(ReplicaHealthService).replicas.every((replica) => replica.ban === undefined)).toBe(true);
  });

  it('keeps a text that wrote through a view (no function to blame) on the primary, until function facts are forgotten', async () => {
    const text = `SELECT n FROM ${schema}.next_stub`;
    const classification = instance.get(ClassificationService);
    const safety = async () => {
      const known = classification.safetyOf(classification.classify(text));
      return known instanceof Promise ? await known : known;
    };
    expect((await safety()).readSafe).toBe(true);
    const first = await instance.db.executeOptimizedQuery<{ n: string }>(text);
    expect(first.metadata.poolUsed).toBe('primary');
    // The text itself is marked: the next call is routed to the primary, not refused by a replica first.
    expect(await safety()).toMatchObject({ readSafe: false, mayWrite: true, reason: 'wrote on a replica (SQLSTATE 25006)' });
    const second = await instance.db.executeOptimizedQuery<{ n: string }>(text);
    expect([second.metadata.poolUsed, Number(second.rows[0].n)]).toEqual(['primary', Number(first.rows[0].n) + 1]);
    classification.forgetFunctionFacts();
    expect((await safety()).readSafe).toBe(true);
  });
});
