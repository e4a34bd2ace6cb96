import { InvalidConsistencyTokenError, QueryOptimizerService } from '@db-optimizer/core';
import { testEnv } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from '../support/test-module';

// Issue #10, item 9: what comes from outside is bounded. The classification cache holds at
// most classificationCacheMaxBytes whatever the texts; session keys and tokens have a length
// and a format, and a malformed token is a typed error (the demo answers 400 for it).
describe('bounded outside input', () => {
  const env = testEnv();
  let instance: TestInstance;
  const maxBytes = 2_000_000;

  beforeAll(async () => {
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 }, classificationCacheMaxBytes: maxBytes });
  });
  afterAll(() => instance?.close());

  it('keeps the classification cache under its byte bound, however large the distinct texts', async () => {
    const padding = Array.from({ length: 400 }, (_, i) => `${i} AS c${i}`).join(', ');
    for (let round = 0; round < 60; round++) {
      await instance.db.executeOptimizedQuery(`SELECT ${round} AS r, ${padding}`);
    }
    const stats = instance.get(QueryOptimizerService).classificationCache;
    expect(stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(stats.size).toBeLessThan(60);
  });

  it.each([
    ['not a WAL position', 'abc'],
    ['too long', `0/${'F'.repeat(300)}`],
    ['a position with a tail', '0/3000060; DROP TABLE x'],
  ])('refuses a consistency token that is %s with InvalidConsistencyTokenError', async (_what, token) => {
    await expect(instance.db.executeOptimizedQuery('SELECT 1', [], { consistencyToken: token })).rejects.toBeInstanceOf(InvalidConsistencyTokenError);
    await expect(instance.db.executeTransactionOptimized([['SELECT 1']], { consistencyToken: token })).rejects.toBeInstanceOf(InvalidConsistencyTokenError);
  });

  it('refuses a session key longer than 256 characters, naming the limit', async () => {
    await expect(instance.db.executeOptimizedQuery('SELECT 1', [], { sessionKey: 'k'.repeat(257) })).rejects.toThrow(/at most 256 characters/);
    await expect(instance.db.executeBatchOptimized([['SELECT 1']], { sessionKey: 'k'.repeat(257) })).rejects.toThrow(/at most 256 characters/);
    await expect(instance.db.executeOptimizedQuery('SELECT 1', [], { sessionKey: 'k'.repeat(256) })).resolves.toBeDefined();
  });
});
