import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from './support/cache-fixture';
import { PhaseCount, runTokenLoad, untilTokenReads, warmUp } from './support/token-load';

const ROWS = 20;

describe('reads with a consistency token across instances without Redis', () => {
  const schema = uniqueSchema('rc_token_local');
  const fixture = replicatedSchema(
    schema,
    `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g;
     CREATE TABLE noise (id int PRIMARY KEY, n int NOT NULL); INSERT INTO noise SELECT g, 0 FROM generate_series(1, 4) g`,
  );
  // A long age bound: the token alone must keep the reader from older rows, not the bound.
  const options = () => cacheOptions({ redisUrl: undefined, instances: 2, cacheOutageMaxAgeMs: 60_000 });
  const writer = fixture.bootInstance(options);
  const reader = fixture.bootInstance(options);

  it('never returns a row older than the token, though the reader never hears of the writes', async () => {
    const shape = { writer, reader, table: `${schema}.items`, rows: ROWS, noise: `${schema}.noise` };
    await warmUp(shape);
    const counts = new Map<string, PhaseCount>();
    await runTokenLoad({ ...shape, callers: 8, phase: untilTokenReads(counts, 'load', 1000, 20_000) }, counts);
    const stats = reader.get(ResultCacheService).stats();
    console.log(`token reads without Redis: ${JSON.stringify(counts.get('load'))}; reader consistency ${JSON.stringify(stats.consistency)}`);
    expect(stats.mode).toBe('local-bounded');
    expect(counts.get('load')).toMatchObject({ older: 0, examples: [] });
    expect(counts.get('load')?.tokenReads).toBeGreaterThan(0);
    expect(stats.consistency.bypasses).toBeGreaterThan(0);
  });
});
