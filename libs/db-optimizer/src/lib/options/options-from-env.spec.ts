import { dbOptimizerOptionsFromEnv } from './options-from-env';

describe('dbOptimizerOptionsFromEnv', () => {
  const primary = 'postgres://app@db:5432/app';

  it('reads every variable', () => {
    const options = dbOptimizerOptionsFromEnv({
      DATABASE_PRIMARY_URL: primary,
      DATABASE_READ_REPLICA_URL: 'postgres://app@r1:5432/app, postgres://app@r2:5432/app',
      DATABASE_ANALYTICS_URL: 'postgres://app@a:5432/app',
      DB_POOL_MIN_SIZE: '2',
      DB_POOL_MAX_SIZE: '8',
      SLOW_QUERY_THRESHOLD_MS: '250',
      ENABLE_PREPARED_STATEMENTS: 'false',
      ENABLE_QUERY_OPTIMIZATION: 'true',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(options).toMatchObject({
      primaryUrl: primary,
      readReplicaUrls: ['postgres://app@r1:5432/app', 'postgres://app@r2:5432/app'],
      analyticsReplicaUrl: 'postgres://app@a:5432/app',
      primaryPool: { min: 2, max: 8 },
      readReplicaPool: { min: 2, max: 8 },
      slowQueryThresholdMs: 250,
      enablePreparedStatements: false,
      enableQueryOptimization: true,
      redisUrl: 'redis://cache:6379',
    });
  });

  it('requires DATABASE_PRIMARY_URL', () => {
    expect(() => dbOptimizerOptionsFromEnv({})).toThrow(/DATABASE_PRIMARY_URL is not set/);
  });

  it.each([
    ['DB_POOL_MAX_SIZE', 'twenty', /DB_POOL_MAX_SIZE="twenty" is invalid: expected a whole number/],
    ['DB_POOL_MIN_SIZE', '-1', /DB_POOL_MIN_SIZE="-1" is invalid/],
    ['SLOW_QUERY_THRESHOLD_MS', '1.5', /SLOW_QUERY_THRESHOLD_MS="1.5" is invalid/],
    ['ENABLE_PREPARED_STATEMENTS', 'maybe', /ENABLE_PREPARED_STATEMENTS="maybe" is invalid: expected true or false/],
    ['DB_POOL_MAX_QUERIES', '-5', /DB_POOL_MAX_QUERIES="-5" is invalid: expected a whole number ≥ 0/],
    ['DB_MULTIPLEX_READS', 'eight', /DB_MULTIPLEX_READS="eight" is invalid: expected a whole number ≥ 0/],
    ['ENABLE_PREDICTIVE_CACHE', 'maybe', /ENABLE_PREDICTIVE_CACHE="maybe" is invalid: expected true or false/],
    ['DATABASE_READ_REPLICA_URL', 'mysql://x@y/z', /DATABASE_READ_REPLICA_URL="mysql:\/\/x@y\/z" is invalid/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, [name]: value })).toThrow(message);
  });

  it('reads several primary hosts and the staleness bound', () => {
    const options = dbOptimizerOptionsFromEnv({
      DATABASE_PRIMARY_URL: 'postgres://app@db1:5432,db2:5432/app',
      DB_MAX_STALENESS_ON_PRIMARY_LOSS_MS: '5000',
    });
    expect(options.primaryUrl).toBe('postgres://app@db1:5432,db2:5432/app');
    expect(options.maxStalenessOnPrimaryLossMs).toBe(5000);
  });

  it('rejects a minimum above the maximum', () => {
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, DB_POOL_MIN_SIZE: '9', DB_POOL_MAX_SIZE: '3' })).toThrow(
      /DB_POOL_MIN_SIZE="9" is invalid: expected at most DB_POOL_MAX_SIZE \(3\)/,
    );
  });

  it('maps the seed variables DB_POOL_MAX_QUERIES and ENABLE_PREDICTIVE_CACHE', () => {
    const options = dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, DB_POOL_MAX_QUERIES: '50000', ENABLE_PREDICTIVE_CACHE: 'true' });
    expect(options).toMatchObject({ maxUsesPerConnection: 50000, enableCache: true });
  });

  it('reads DB_MULTIPLEX_READS and DB_SHARED_READ_MAX_MS', () => {
    expect(dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, DB_MULTIPLEX_READS: '0', DB_SHARED_READ_MAX_MS: '5' })).toMatchObject({
      multiplexReads: 0,
      sharedReadMaxMs: 5,
    });
  });

  it.each([
    ['true', 'true', true],
    ['false', '0', false],
    ['yes', undefined, true],
    [undefined, 'off', false],
  ])('accepts ENABLE_CACHE=%s with ENABLE_PREDICTIVE_CACHE=%s when they agree', (cache, predictive, expected) => {
    const env = { DATABASE_PRIMARY_URL: primary, ENABLE_CACHE: cache, ENABLE_PREDICTIVE_CACHE: predictive };
    expect(dbOptimizerOptionsFromEnv(env).enableCache).toBe(expected);
  });

  it('rejects ENABLE_CACHE and ENABLE_PREDICTIVE_CACHE that disagree, naming both', () => {
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, ENABLE_CACHE: 'false', ENABLE_PREDICTIVE_CACHE: 'true' })).toThrow(
      /ENABLE_CACHE="false" and ENABLE_PREDICTIVE_CACHE="true" disagree: .*Set only one of them/,
    );
  });

  it('reads CACHE_UNKNOWN_TRIGGER_POLICY', () => {
    expect(dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, CACHE_UNKNOWN_TRIGGER_POLICY: 'ignore' }).cacheUnknownTriggerPolicy).toBe('ignore');
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: primary, CACHE_UNKNOWN_TRIGGER_POLICY: 'sometimes' })).toThrow(
      /CACHE_UNKNOWN_TRIGGER_POLICY="sometimes" is invalid: expected one of flush_all, ignore/,
    );
  });

  it('never echoes a password in its errors', () => {
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: 'mysql://app:s3cret@db/app' })).toThrow(/app:\*\*\*@db/);
    expect(() => dbOptimizerOptionsFromEnv({ DATABASE_PRIMARY_URL: 'mysql://app:s3cret@db/app' })).not.toThrow(/s3cret/);
  });
});
