import { resolveOptions } from './resolve-options';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({ primaryUrl: 'postgres://app@db/app' });
    expect(options.primaryPool).toEqual({ min: 5, max: 20, poolConfig: {} });
    expect(options.readReplicaPool).toEqual({ min: 5, max: 20, poolConfig: {} });
    expect(options.analyticsPool).toEqual({ min: 5, max: 10, poolConfig: {} });
    expect(options.acquireTimeoutMs).toBe(5000);
    expect(options.slowQueryThresholdMs).toBe(100);
    expect(options.cacheTtlSeconds).toBe(3600);
    expect(options.enablePreparedStatements).toBe(true);
    expect(options.enableCache).toBe(false);
  });

  it('merges each role\'s poolConfig over the shared one', () => {
    const password = (): string => 'token';
    const options = resolveOptions({
      primaryUrl: 'postgres://app@db/app',
      poolConfig: { keepAlive: true, application_name: 'shop', password },
      readReplicaPool: { poolConfig: { application_name: 'shop-replica' } },
    });
    expect(options.primaryPool.poolConfig).toEqual({ keepAlive: true, application_name: 'shop', password });
    expect(options.readReplicaPool.poolConfig).toEqual({ keepAlive: true, application_name: 'shop-replica', password });
  });

  it('refuses pool settings the module owns, naming the option to use instead', () => {
    expect(() => resolveOptions({ primaryUrl: 'postgres://db/app', poolConfig: { max: 50 } as never })).toThrow(
      /poolConfig.max is set by the module: use the \*Url options, \*Pool.min\/max/,
    );
    expect(() =>
      resolveOptions({ primaryUrl: 'postgres://db/app', analyticsPool: { poolConfig: { connectionString: 'postgres://x/y' } as never } }),
    ).toThrow(/analyticsPool.poolConfig.connectionString is set by the module/);
  });

  it('rejects a missing primary URL with the fix', () => {
    expect(() => resolveOptions({} as never)).toThrow(/primaryUrl is required/);
  });

  it('rejects min above max, naming both', () => {
    expect(() => resolveOptions({ primaryUrl: 'postgres://db/app', primaryPool: { min: 9, max: 3 } })).toThrow(
      /primaryPool.min \(9\) must not exceed primaryPool.max \(3\)/,
    );
  });

  it('rejects non-positive timeouts', () => {
    expect(() => resolveOptions({ primaryUrl: 'postgres://db/app', acquireTimeoutMs: 0 })).toThrow(/acquireTimeoutMs must be a positive number/);
  });

  it('rejects a refresh-ahead ratio of 1 or more, naming the range', () => {
    expect(() => resolveOptions({ primaryUrl: 'postgres://db/app', cacheRefreshAheadRatio: 1 })).toThrow(/cacheRefreshAheadRatio must be at least 0 and below 1/);
  });

  it('defaults maxUsesPerConnection to 0 (never recycled) and cacheUnknownTriggerPolicy to flush_all', () => {
    const options = resolveOptions({ primaryUrl: 'postgres://db/app' });
    expect(options.maxUsesPerConnection).toBe(0);
    expect(options.cacheUnknownTriggerPolicy).toBe('flush_all');
  });

  it('defaults multiplexReads to 8 reads per connection, shared by statements measured at most 20 ms; 0 turns it off', () => {
    expect(resolveOptions({ primaryUrl: 'postgres://db/app' })).toMatchObject({ multiplexReads: 8, sharedReadMaxMs: 20 });
    expect(resolveOptions({ primaryUrl: 'postgres://db/app', multiplexReads: 0, sharedReadMaxMs: 5 })).toMatchObject({ multiplexReads: 0, sharedReadMaxMs: 5 });
  });

  it.each([
    [{ maxUsesPerConnection: 2.5 }, /maxUsesPerConnection must be a whole number ≥ 0, got 2.5/],
    [{ maxUsesPerConnection: -1 }, /maxUsesPerConnection must be a whole number ≥ 0, got -1/],
    [{ multiplexReads: 1.5 }, /multiplexReads must be a whole number ≥ 0, got 1.5/],
    [{ sharedReadMaxMs: 0 }, /sharedReadMaxMs must be a positive number, got 0/],
    [{ cacheUnknownTriggerPolicy: 'never' as never }, /cacheUnknownTriggerPolicy must be one of 'flush_all', 'ignore', got "never"/],
    [{ redisUrl: 'http://cache:6379' }, /redisUrl "http:\/\/cache:6379" is not a Redis URL; use redis:\/\//],
  ])('rejects %p, naming the option and the fix', (given, message) => {
    expect(() => resolveOptions({ primaryUrl: 'postgres://db/app', ...given })).toThrow(message);
  });

  it('defaults the fault options: 30 s of staleness on primary loss, a breaker of 3 failures probing from 250 ms to 5 s', () => {
    const options = resolveOptions({ primaryUrl: 'postgres://app@db/app' });
    expect(options.maxStalenessOnPrimaryLossMs).toBe(30_000);
    expect(options.connectionBreaker).toEqual({ failureThreshold: 3, probeBackoffMs: 250, probeBackoffMaxMs: 5000 });
    expect(options.primaryUrls).toEqual(['postgres://app@db/app']);
  });

  it('turns a multi-host primaryUrl or primaryUrls into one candidate URL per host', () => {
    expect(resolveOptions({ primaryUrl: 'postgres://app@db1:5432,db2:5433/app' }).primaryUrls).toEqual([
      'postgres://app@db1:5432/app',
      'postgres://app@db2:5433/app',
    ]);
    const both = resolveOptions({ primaryUrls: ['postgres://app@db1/app', 'postgres://app@db2/app'] });
    expect(both.primaryUrls).toHaveLength(2);
    expect(both.primaryUrl).toBe('postgres://app@db1/app');
  });

  it.each([
    [{ primaryUrl: 'postgres://db/app', primaryUrls: ['postgres://db/app'] }, /primaryUrls cannot be combined with primaryUrl/],
    [{ primaryUrls: [] }, /primaryUrls must be a non-empty list of URLs/],
    [{ primaryUrl: 'postgres://db/app', connectionBreaker: { probeBackoffMs: 900, probeBackoffMaxMs: 100 } }, /probeBackoffMaxMs \(100\) must be at least probeBackoffMs \(900\)/],
    [{ primaryUrl: 'postgres://db/app', connectionBreaker: { failureThreshold: 1.5 } }, /failureThreshold must be a whole number/],
    [{ primaryUrl: 'postgres://db/app', maxStalenessOnPrimaryLossMs: -1 }, /maxStalenessOnPrimaryLossMs must be zero or a positive number/],
  ])('rejects bad fault options, naming them: %j', (given, message) => {
    expect(() => resolveOptions(given as never)).toThrow(message);
  });
});
