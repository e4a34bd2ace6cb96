import { clusterUrl, parseRedisTarget, sentinelUrl } from './redis-target';
import { resolveOptions } from './resolve-options';

describe('parseRedisTarget', () => {
  it('reads a single server with credentials, database and TLS', () => {
    expect(parseRedisTarget('rediss://app:s%40cret@cache:6380/2')).toEqual({
      kind: 'standalone', host: 'cache', port: 6380, db: 2, username: 'app', password: 's@cret', tls: true,
    });
  });

  it('reads a cluster listed as host:port pairs', () => {
    expect(parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], tls: false,
    });
  });

  it('reads sentinels, the master name and the database', () => {
    expect(parseRedisTarget('redis+sentinel://:pw@s1,s2:26380/mymaster/3')).toEqual({
      kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }], name: 'mymaster', db: 3, password: 'pw', tls: false,
    });
  });

  it.each([
    ['http://cache:6379', 'is not a Redis URL'],
    ['redis://a:1,b:2', 'names one host:port'],
    ['redis+cluster://a:1/3', 'only database 0'],
    ['redis+sentinel://s1:26379', 'must name the master'],
    ['redis://cache:99999', 'not a TCP port'],
    ['redis://cache:6379/x', 'not a number'],
  ])('refuses %s, saying it %s', (url, problem) => {
    expect(() => parseRedisTarget(url)).toThrow(problem);
  });

  it('never shows the password in its errors', () => {
    expect(() => parseRedisTarget('redis://u:topsecret@a:1,b:2')).toThrow(/u:\*\*\*@/);
    expect(() => parseRedisTarget('redis://u:topsecret@a:1,b:2')).not.toThrow(/topsecret/);
  });

  it('reads back what clusterUrl and sentinelUrl write', () => {
    expect(parseRedisTarget(clusterUrl(['h1:1', { host: 'h2', port: 2 }]))).toMatchObject({ kind: 'cluster', nodes: [{ host: 'h1', port: 1 }, { host: 'h2', port: 2 }] });
    expect(parseRedisTarget(sentinelUrl([{ host: 's', port: 5 }], 'm', { password: 'p w', db: 1 }))).toMatchObject({ kind: 'sentinel', name: 'm', db: 1, password: 'p w' });
  });
});

describe('resolveOptions, Redis deployments', () => {
  const base = { primaryUrl: 'postgres://app@db:5432/app' };

  it('turns redisCluster and redisSentinel into the one redisUrl the services read', () => {
    expect(resolveOptions({ ...base, redisCluster: { nodes: [{ host: 'h', port: 7000 }] } }).redisUrl).toBe('redis+cluster://h:7000');
    expect(resolveOptions({ ...base, redisSentinel: { sentinels: ['s:26379'], name: 'm' } }).redisUrl).toBe('redis+sentinel://s:26379/m/0');
  });

  it('refuses two Redis deployments at once, naming both', () => {
    expect(() => resolveOptions({ ...base, redisUrl: 'redis://a:1', redisCluster: { nodes: ['h:1'] } })).toThrow('redisUrl and redisCluster are both set');
  });

  it.each([
    [{ redisCluster: { nodes: [] } }, 'redisCluster.nodes must list at least one node'],
    [{ redisSentinel: { sentinels: ['s:1'], name: '' } }, 'redisSentinel.name is required'],
    [{ redisUrl: 'redis+cluster://h:1/5' }, 'only database 0'],
  ])('refuses %j at start: %s', (extra, message) => {
    expect(() => resolveOptions({ ...base, ...extra })).toThrow(message);
  });

  it('publishes fleet metrics every 5 s unless told otherwise', () => {
    expect(resolveOptions(base).fleetMetricsIntervalMs).toBe(5000);
    expect(resolveOptions({ ...base, fleetMetricsIntervalMs: 0 }).fleetMetricsIntervalMs).toBe(0);
  });
});
