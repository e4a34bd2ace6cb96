import { redactUrl, resolveOptions } from './resolve-options';

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

  it('hides passwords', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
  });
});
