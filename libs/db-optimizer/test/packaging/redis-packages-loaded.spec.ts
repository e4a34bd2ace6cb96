import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DbOptimizerOptions } from '@db-optimizer/core';
import { testEnv } from '../../../../tools/testing/test-env';

const ROOT = join(__dirname, '../../../..');
const WORKER = join(__dirname, 'support/loaded-packages-worker.ts');
/** Anything of the Redis stack: clients, cache-manager, Keyv and their stores. */
const REDIS_STACK = /redis|keyv|cache-manager/;

interface WorkerAnswer {
  rows: number[];
  cached: false | 'memory' | 'redis';
  redisHealthy: boolean;
  packages: string[];
}

/** Boots the module in a new Node process (an empty require.cache) and returns what it loaded. */
async function bootFresh(options: DbOptimizerOptions): Promise<WorkerAnswer> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', join(ROOT, 'tools/register.js'), WORKER], {
    cwd: ROOT,
    env: { ...process.env, LOADED_PACKAGES_OPTIONS: JSON.stringify(options) },
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerAnswer;
}

const redisStack = (answer: WorkerAnswer): string[] => answer.packages.filter((name) => REDIS_STACK.test(name));

describe('Redis packages are loaded only when Redis is configured', () => {
  const { primaryUrl, redisUrl } = testEnv();

  it('loads none of them with the cache off', async () => {
    const answer = await bootFresh({ primaryUrl, enableCache: false });
    expect(answer.rows).toEqual([7, 7]);
    expect(answer.packages).toContain('pg');
    expect(redisStack(answer)).toEqual([]);
  });

  it('loads none of them with the cache on in memory only (no redisUrl)', async () => {
    const answer = await bootFresh({ primaryUrl, enableCache: true });
    expect(answer.cached).toBe('memory');
    expect(redisStack(answer)).toEqual([]);
  });

  it('loads none of them with the cache off and fleet metrics off, even with redisUrl set', async () => {
    const answer = await bootFresh({ primaryUrl, enableCache: false, redisUrl, fleetMetricsIntervalMs: 0 });
    expect(answer.rows).toEqual([7, 7]);
    expect(redisStack(answer)).toEqual([]);
  });

  it('loads ioredis, cache-manager, its ioredis store and Keyv with the cache on and redisUrl', async () => {
    const answer = await bootFresh({ primaryUrl, enableCache: true, redisUrl, fleetMetricsIntervalMs: 0 });
    expect(answer.redisHealthy).toBe(true);
    expect(answer.cached).not.toBe(false);
    expect(redisStack(answer)).toEqual(expect.arrayContaining(['cache-manager', 'cache-manager-ioredis-yet', 'ioredis', 'keyv']));
  });
});
