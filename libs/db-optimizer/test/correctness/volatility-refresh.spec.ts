import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import { sql } from '../support/test-module';
import { ClassificationService } from '../../src/lib/classify/classification.service';

// Issue #10, item 5: what the catalog said about a function is re-read after function DDL that
// passes through the module, and expires after functionVolatilityTtlMs for DDL run elsewhere,
// "not found" answers included.
describe('function volatility that changes', () => {
  const env = testEnv();
  const schema = uniqueSchema('volatility_refresh');
  const fixture = replicatedSchema(
    schema,
    `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
     INSERT INTO t VALUES (1, 10);
     CREATE FUNCTION f(int) RETURNS int STABLE LANGUAGE sql AS $$ SELECT $1 + 1 $$;
     CREATE FUNCTION g(int) RETURNS int STABLE LANGUAGE sql AS $$ SELECT $1 + 2 $$;`,
  );
  // The default TTL (60 s) outlasts the test: only DDL through the module can explain a change.
  const longLived = fixture.bootInstance(() => cacheOptions({ enableCache: false, redisUrl: undefined }));
  const shortLived = fixture.bootInstance(() => cacheOptions({ enableCache: false, redisUrl: undefined, functionVolatilityTtlMs: 100 }));

  const poolFor = async (instance: typeof longLived, text: string) =>
    (await instance.db.executeOptimizedQuery(text, [1], { sessionKey: 'ddl' })).metadata.poolUsed;

  it('re-reads volatility after CREATE OR REPLACE / ALTER FUNCTION through the module', async () => {
    expect(await poolFor(longLived, `SELECT ${schema}.f($1)`)).toBe('read_replica');
    await longLived.db.executeOptimizedQuery(`CREATE OR REPLACE FUNCTION ${schema}.f(int) RETURNS int VOLATILE LANGUAGE sql AS $$ SELECT $1 + 1 $$`, [], {
      sessionKey: 'ddl',
    });
    expect(await poolFor(longLived, `SELECT ${schema}.f($1)`)).toBe('primary');
    const altered = await longLived.db.executeOptimizedQuery(`ALTER FUNCTION ${schema}.f(int) STABLE`, [], { sessionKey: 'ddl' });
    // The session's next read must see the DDL: once a replica has replayed it, the read belongs there (not before).
    await longLived.db.waitForReplicas(altered.metadata.consistencyToken as string);
    expect(await poolFor(longLived, `SELECT ${schema}.f($1)`)).toBe('read_replica');
  });

  it('sees DDL run elsewhere once the answer expires', async () => {
    expect(await poolFor(shortLived, `SELECT ${schema}.g($1)`)).toBe('read_replica');
    await sql(env.primaryUrl, `ALTER FUNCTION ${schema}.g(int) VOLATILE`);
    await waitFor(async () => (await poolFor(shortLived, `SELECT ${schema}.g($1)`)) === 'primary', { what: 'the new volatility of g()' });
  });

  it('forgets a "not found" answer once it expires', async () => {
    const poolOfH = async () => (await shortLived.db.executeOptimizedQuery(`SELECT ${schema}.h($1)`, [1])).metadata.poolUsed;
    await expect(poolOfH()).rejects.toMatchObject({ code: '42883' });
    await sql(env.primaryUrl, `CREATE FUNCTION ${schema}.h(int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT $1 $$`);
    // Outside any session: while h() is still unknown a call counts as a write, and in a session each such call
    // would move the position the session's next read waits for. Found, h() is IMMUTABLE and goes to a replica
    // (a replica that has not replayed the CREATE yet answers 42883, and waitFor asks again).
    await waitFor(async () => (await poolOfH()) === 'read_replica', { what: 'h() to be found' });
  });

  it('keeps an answer through a step of the wall clock: its lifetime runs on the monotonic clock', async () => {
    const service = longLived.get(ClassificationService);
    // '=' is an operator the catalog is asked about, as a function would be.
    const statement = service.classify(`SELECT v FROM ${schema}.t WHERE id = $1`);
    const first = service.safetyOf(statement);
    expect((first instanceof Promise ? await first : first).readSafe).toBe(true);
    // NTP stepping the clock by more than the TTL (60 s) says nothing about the catalog.
    const stepped = Date.now() + 10 * 60_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => stepped);
    try {
      expect(service.safetyOf(statement)).not.toBeInstanceOf(Promise);
    } finally {
      clock.mockRestore();
    }
  });
});
