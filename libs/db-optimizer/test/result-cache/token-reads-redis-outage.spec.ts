import { ResultCacheService } from '@db-optimizer/core';
import { spawnRedis, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import type { RedisHandle } from '@db-optimizer/cluster';
import type { ChildProcess } from 'node:child_process';
import { cacheOptions, replicatedSchema } from './support/cache-fixture';
import { PhaseCount, runTokenLoad, warmUp } from './support/token-load';

const ROWS = 20;
type SpawnedRedis = RedisHandle & { port: number; process: ChildProcess };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// This file kills its own redis-server; the shared one is never touched.
describe('reads with a consistency token while Redis dies and comes back', () => {
  const schema = uniqueSchema('rc_token_outage');
  const fixture = replicatedSchema(
    schema,
    `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g;
     CREATE TABLE noise (id int PRIMARY KEY, n int NOT NULL); INSERT INTO noise SELECT g, 0 FROM generate_series(1, 4) g`,
  );
  let redis: SpawnedRedis;
  beforeAll(async () => {
    redis = await spawnRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const writer = fixture.bootInstance(() => cacheOptions({ redisUrl: redis.url }));
  const reader = fixture.bootInstance(() => cacheOptions({ redisUrl: redis.url }));
  const healthy = () => writer.get(ResultCacheService).redisHealthy && reader.get(ResultCacheService).redisHealthy;

  it('never returns a row older than the token, before, during and after the outage', async () => {
    await waitFor(healthy, { timeoutMs: 15_000, what: 'Redis healthy on both instances' });
    const shape = { writer, reader, table: `${schema}.items`, rows: ROWS, noise: `${schema}.noise` };
    await warmUp(shape);
    let phase: string | undefined = 'before';
    const load = runTokenLoad({ ...shape, callers: 8, phase: () => phase });
    try {
      await pause(2000);
      phase = 'during';
      await new Promise<void>((resolve) => {
        redis.process.once('exit', () => resolve());
        redis.process.kill('SIGKILL');
      });
      await pause(3000);
      redis = await spawnRedis(redis.port);
      await waitFor(healthy, { timeoutMs: 15_000, what: 'Redis healthy again on both instances (under load)' });
      phase = 'after';
      await pause(2000);
    } finally {
      phase = undefined;
    }
    const counts = await load;

    const stats = reader.get(ResultCacheService).stats();
    console.log(`token reads by phase: ${JSON.stringify(Object.fromEntries(counts))}; reader consistency ${JSON.stringify(stats.consistency)}`);
    const summary = (count: PhaseCount | undefined) => ({ older: count?.older, examples: count?.examples, read: (count?.tokenReads ?? 0) > 0 });
    expect(['before', 'during', 'after'].map((name) => [name, summary(counts.get(name))])).toEqual(
      ['before', 'during', 'after'].map((name) => [name, { older: 0, examples: [], read: true }]),
    );
    // Entries older than a token were met and skipped, and token reads still hit the cache when entries were new enough.
    expect(stats.consistency.bypasses).toBeGreaterThan(0);
    expect(stats.consistency.hits).toBeGreaterThan(0);
  });
});
