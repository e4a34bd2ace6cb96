import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { levelOf, replicatedSchema } from './support/cache-fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refresh ahead of expiry', () => {
  const schema = uniqueSchema('rc_refresh');
  const fixture = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 1), (2, 2)');
  const app = fixture.bootInstance();
  const stats = () => app.get(ResultCacheService).stats();

  const read = (id: number) => app.db.executeOptimizedQuery(`SELECT v FROM ${schema}.items WHERE id = $1`, [id], { ttlSeconds: 1 });

  it('reloads an entry read late in its life, so it does not expire under load', async () => {
    await read(1);
    const refreshesBefore = stats().refreshes;
    const loadsBefore = stats().loads;
    await sleep(850);
    expect(levelOf(await read(1))).toBe('memory');
    expect(stats().refreshes).toBe(refreshesBefore + 1);
    await waitFor(() => stats().loads === loadsBefore + 1, { what: 'the background reload' });
    await sleep(350);
    // Past the first load's expiry: served from the refreshed entry.
    expect(levelOf(await read(1))).toBe('memory');
  });

  it('lets an entry nobody reads late in its life expire', async () => {
    await read(2);
    const refreshesBefore = stats().refreshes;
    await sleep(1100);
    expect(levelOf(await read(2))).toBe(false);
    expect(stats().refreshes).toBe(refreshesBefore);
  });

  it('refuses a negative TTL, naming the fix', async () => {
    await expect(app.db.executeOptimizedQuery(`SELECT v FROM ${schema}.items WHERE id = $1`, [1], { ttlSeconds: -1 })).rejects.toThrow(
      /ttlSeconds must be a positive number/,
    );
  });
});
