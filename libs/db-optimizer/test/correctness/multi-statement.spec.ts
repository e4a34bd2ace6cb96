import { QueryRoutingError } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import { sql } from '../support/test-module';

// Issue #10, item 1: a text of several statements runs as one transaction on the primary,
// invalidates what it wrote, returns a token and the last statement's rows; never a TypeError
// after the commit. Texts with parameters, or with transaction control anywhere, are refused
// before anything is sent.
describe('a text of several statements', () => {
  const env = testEnv();
  const schema = uniqueSchema('multi_statement');
  const instance = replicatedSchema(
    schema,
    `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
     INSERT INTO t VALUES (1, 0), (2, 0);`,
  ).bootInstance(() => cacheOptions({ redisUrl: undefined }));

  const readV = (id: number) => instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${schema}.t WHERE id = $1`, [id], { sessionKey: 'writer' });
  const onPrimary = async (id: number): Promise<number> =>
    (await sql<{ v: number }>(env.primaryUrl, `SELECT v FROM ${schema}.t WHERE id = $1`, [id]))[0].v;

  it('runs as one unit, invalidates the cached read and returns the last statement and a token', async () => {
    const before = await onPrimary(1);
    await readV(1);
    expect((await readV(1)).metadata.cached).toBe('memory');

    const result = await instance.db.executeOptimizedQuery(
      `UPDATE ${schema}.t SET v = v + 1 WHERE id = 1; UPDATE ${schema}.t SET v = v + 1 WHERE id = 2; SELECT v FROM ${schema}.t WHERE id = 1`,
      undefined,
      { sessionKey: 'writer' },
    );

    expect(result.rows).toEqual([{ v: before + 1 }]);
    expect(result.metadata).toMatchObject({ poolUsed: 'primary', statementCount: 3, consistencyToken: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
    expect(result.metadata.statementResults?.map((statement) => statement.command)).toEqual(['UPDATE', 'UPDATE', 'SELECT']);
    expect(await onPrimary(1)).toBe(before + 1);
    const after = await readV(1);
    expect(after.metadata.cached).toBe(false);
    expect(after.rows).toEqual([{ v: before + 1 }]);
  });

  it('commits nothing when one of its statements fails', async () => {
    const before = await onPrimary(1);
    await expect(instance.db.executeOptimizedQuery(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 1; SELECT 1 / 0`)).rejects.toMatchObject({ code: '22012' });
    expect(await onPrimary(1)).toBe(before);
  });

  it.each([
    ['with parameters', `UPDATE ${schema}.t SET v = v + $1 WHERE id = 1; UPDATE ${schema}.t SET v = v + 1 WHERE id = 2`, [1]],
    ['with COMMIT inside', `UPDATE ${schema}.t SET v = v + 1 WHERE id = 1; COMMIT`, []],
    ['with BEGIN inside', `BEGIN; UPDATE ${schema}.t SET v = v + 1 WHERE id = 1`, []],
    ['with a SAVEPOINT inside', `UPDATE ${schema}.t SET v = v + 1 WHERE id = 1; SAVEPOINT s`, []],
  ])('is refused before anything is sent %s', async (_label, text, params) => {
    const before = await onPrimary(1);
    await expect(instance.db.executeOptimizedQuery(text as string, params as unknown[])).rejects.toBeInstanceOf(QueryRoutingError);
    expect(await onPrimary(1)).toBe(before);
  });

  describe('inside a transaction', () => {
    it('refuses transaction control anywhere in the text, and nothing of the transaction commits', async () => {
      const before = await onPrimary(1);
      await expect(
        instance.db.executeTransactionOptimized(async (tx) => {
          await tx.query(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 2`);
          await tx.query(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 1; COMMIT`);
        }),
      ).rejects.toBeInstanceOf(QueryRoutingError);
      expect(await onPrimary(1)).toBe(before);
    });

    it('answers with the last statement of the text', async () => {
      const before = await onPrimary(2);
      const { result } = await instance.db.executeTransactionOptimized((tx) =>
        tx.query<{ v: number }>(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 2; SELECT v FROM ${schema}.t WHERE id = 2`),
      );
      expect(result).toEqual({ rows: [{ v: before + 1 }], rowCount: 1 });
    });
  });

  describe('in batches', () => {
    it('runs it in a plain batch, and the read after it sees its writes', async () => {
      const before = await onPrimary(2);
      const results = await instance.db.executeBatchOptimized([
        [`UPDATE ${schema}.t SET v = v + 1 WHERE id = 2; UPDATE ${schema}.t SET v = v + 1 WHERE id = 2`],
        [`SELECT v FROM ${schema}.t WHERE id = $1`, [2]],
      ]);
      expect(results[0].metadata.statementCount).toBe(2);
      expect(results[1].rows).toEqual([{ v: before + 2 }]);
    });

    it('runs it in an atomic batch', async () => {
      const before = await onPrimary(2);
      const results = await instance.db.executeBatchOptimized(
        [[`UPDATE ${schema}.t SET v = v + 1 WHERE id = 2; SELECT v FROM ${schema}.t WHERE id = 2`]],
        { atomic: true },
      );
      expect(results[0].rows).toEqual([{ v: before + 1 }]);
    });
  });
});
