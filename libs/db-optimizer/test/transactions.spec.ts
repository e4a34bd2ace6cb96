import { TransactionStatementError } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { expectPoolSettled } from './support/pool-probes';
import { sql, startInstance, TestInstance, waitForReplay } from './support/test-module';

describe('#executeTransactionOptimized', () => {
  const env = testEnv();
  const schema = uniqueSchema('tx');
  let instance: TestInstance;

  const count = async (): Promise<number> =>
    (await sql<{ n: number }>(env.primaryUrl, `SELECT count(*)::int AS n FROM ${schema}.entries`))[0].n;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.entries (id serial PRIMARY KEY, label text UNIQUE NOT NULL)`);
    // Read-only transactions run on the replica: it must know the table.
    await waitForReplay(env.primaryUrl, [env.readReplicaUrl]);
    instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], primaryPool: { min: 1, max: 4 } });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  afterEach(async () => {
    // A client is never returned to the pool inside a transaction, and none is left out.
    await expectPoolSettled(instance.get(PoolManagerService).primary);
  });

  it('commits a list of statements and returns their results in order', async () => {
    const before = await count();
    const { result, metadata } = await instance.db.executeTransactionOptimized([
      [`INSERT INTO ${schema}.entries (label) VALUES ($1) RETURNING label`, ['a']],
      [`INSERT INTO ${schema}.entries (label) VALUES ($1) RETURNING label`, ['b']],
    ]);
    expect((result as Array<{ rows: unknown[] }>).map((r) => r.rows)).toEqual([[{ label: 'a' }], [{ label: 'b' }]]);
    expect(metadata.poolUsed).toBe('primary');
    expect(metadata.consistencyToken).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(await count()).toBe(before + 2);
  });

  it('rolls everything back when a statement fails, naming its index and SQLSTATE', async () => {
    const before = await count();
    const failure = instance.db.executeTransactionOptimized([
      [`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['c']],
      [`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['a']],
    ]);
    await expect(failure).rejects.toBeInstanceOf(TransactionStatementError);
    await expect(failure).rejects.toMatchObject({ index: 1, code: '23505' });
    expect(await count()).toBe(before);
  });

  it('rolls back when the callback throws', async () => {
    const before = await count();
    await expect(
      instance.db.executeTransactionOptimized(async (tx) => {
        await tx.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['d']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await count()).toBe(before);
  });

  it('undoes only the failing statement with rollback_to_savepoint', async () => {
    const before = await count();
    const { result, metadata } = await instance.db.executeTransactionOptimized(
      [
        [`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['e']],
        [`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['a']],
        [`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['f']],
      ],
      { onStatementError: 'rollback_to_savepoint' },
    );
    expect(metadata.failedStatements).toEqual([1]);
    expect((result as Array<{ error?: { code?: string } }>)[1].error).toMatchObject({ code: '23505' });
    expect(await count()).toBe(before + 2);
  });

  it('recovers from a failure inside savepoint() and commits the rest', async () => {
    const before = await count();
    await instance.db.executeTransactionOptimized(async (tx) => {
      await tx.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['g']);
      await expect(tx.savepoint((inner) => inner.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['a']))).rejects.toMatchObject({
        code: '23505',
      });
      await tx.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['h']);
    });
    expect(await count()).toBe(before + 2);
  });

  it.each([
    ['read_committed', 'read committed'],
    ['repeatable_read', 'repeatable read'],
    ['serializable', 'serializable'],
  ] as const)('sets isolation level %s', async (level, expected) => {
    const { result } = await instance.db.executeTransactionOptimized(
      async (tx) => (await tx.query<{ level: string }>("SELECT current_setting('transaction_isolation') AS level")).rows[0].level,
      { isolationLevel: level },
    );
    expect(result).toBe(expected);
  });

  it('runs a read-only transaction on the replica, where writes are refused', async () => {
    await expect(
      instance.db.executeTransactionOptimized([[`INSERT INTO ${schema}.entries (label) VALUES ('ro')`]], { readOnly: true }),
    ).rejects.toMatchObject({ code: '25006' });
    const { metadata } = await instance.db.executeTransactionOptimized([[`SELECT count(*) FROM ${schema}.entries`]], { readOnly: true });
    expect(metadata.poolUsed).toBe('read_replica');
  });

  it('runs a serializable read-only transaction on the primary (a standby cannot)', async () => {
    const { metadata } = await instance.db.executeTransactionOptimized([[`SELECT count(*) FROM ${schema}.entries`]], {
      readOnly: true,
      isolationLevel: 'serializable',
    });
    expect(metadata.poolUsed).toBe('primary');
  });

  it('reports a transaction aborted by a caught error as failed, and commits nothing', async () => {
    const before = await count();
    const error = await instance.db
      .executeTransactionOptimized(async (tx) => {
        await tx.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['swallowed']);
        await tx.query(`INSERT INTO ${schema}.entries (label) VALUES ($1)`, ['a']).catch(() => undefined);
        return 'ok';
      })
      .then(() => undefined, (e: unknown) => e as Error & { code?: string });
    expect(error?.message).toMatch(/nothing was committed/);
    expect(error?.code).toBe('25P02');
    expect(await count()).toBe(before);
  });

  it('does not blame a COMMIT-time failure on a statement', async () => {
    await sql(env.primaryUrl, `CREATE TABLE IF NOT EXISTS ${schema}.deferred (k int, CONSTRAINT k_unique UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)`);
    const failure = instance.db.executeTransactionOptimized([
      [`INSERT INTO ${schema}.deferred VALUES (1)`],
      [`INSERT INTO ${schema}.deferred VALUES (1)`],
    ]);
    await expect(failure).rejects.toMatchObject({ code: '23505' });
    await expect(failure).rejects.not.toBeInstanceOf(TransactionStatementError);
    expect(await sql(env.primaryUrl, `SELECT * FROM ${schema}.deferred`)).toEqual([]);
  });

  it('rejects an unknown isolation level before touching the database', async () => {
    await expect(instance.db.executeTransactionOptimized([['SELECT 1']], { isolationLevel: 'chaos' as never })).rejects.toThrow(
      /isolationLevel must be one of read_committed, repeatable_read, serializable/,
    );
  });

  it('refuses COMMIT inside the work', async () => {
    await expect(instance.db.executeTransactionOptimized([['COMMIT']])).rejects.toThrow(/cannot run inside executeTransactionOptimized/);
  });

  it('closes the handle when the transaction ends', async () => {
    let leaked: { query(sql: string): Promise<unknown> } | undefined;
    await instance.db.executeTransactionOptimized(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow(/already ended/);
  });
});
