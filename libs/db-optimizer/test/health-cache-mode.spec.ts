import type { DbOptimizerOptions } from '@db-optimizer/core';
import { testEnv } from '@db-optimizer/cluster';
import { startHealthInstance } from './support/health-instance';

type CacheHealth = { database: { cache: { enabled: boolean; mode: string; redis: string } } };

describe('DbOptimizerHealthIndicator and the result cache mode', () => {
  const base = (): DbOptimizerOptions => ({ primaryUrl: testEnv().primaryUrl, primaryPool: { min: 1, max: 2 } });

  it.each([
    [{ enableCache: true }, { enabled: true, mode: 'local', redis: 'not configured' }],
    [{ enableCache: true, instances: 1 }, { enabled: true, mode: 'local', redis: 'not configured' }],
    [{ enableCache: true, instances: 3 }, { enabled: true, mode: 'local-bounded', redis: 'not configured' }],
    [{ enableCache: false, instances: 3 }, { enabled: false, mode: 'off', redis: 'not configured' }],
  ] as const)('reports %j as %j', async (options, expected) => {
    const { app, indicator } = await startHealthInstance({ ...base(), ...options });
    try {
      const report = (await indicator.isHealthy('database')) as unknown as CacheHealth;
      expect(report.database.cache).toEqual(expected);
    } finally {
      await app.close();
    }
  });
});
