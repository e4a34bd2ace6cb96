import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import type { TestInstance } from '../support/test-module';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

describe('a read with a consistency token and the entries it may use', () => {
  const schema = uniqueSchema('rc_token_hits');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, 3) g');
  // A patient Redis timeout: an outage (memory cleared) on a busy machine would make the levels below meaningless.
  const options = () => cacheOptions({ cacheRedisTimeoutMs: 2000 });
  const writer = fixture.bootInstance(options);
  const reader = fixture.bootInstance(options);

  const readRow = (instance: TestInstance, id: number, consistencyToken: string) =>
    instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id], { consistencyToken });
  const write = async (id: number): Promise<string> => {
    const result = await writer.db.executeOptimizedQuery(`UPDATE ${T} SET v = v + 1 WHERE id = $1`, [id]);
    if (result.metadata.consistencyToken === undefined) throw new Error('the write returned no consistencyToken: the test needs replicas');
    return result.metadata.consistencyToken;
  };

  it('hits, in memory and in Redis, an entry loaded after the write behind the token', async () => {
    const token = await write(2);
    // Row 1 is loaded after that write (at or past its position), and nobody writes row 1 afterwards.
    expect(levelOf(await readRow(reader, 1, token))).toBe(false);
    expect(levelOf(await readRow(reader, 1, token))).toBe('memory');
    await reader.get(ResultCacheService).storesSent();
    expect(levelOf(await readRow(writer, 1, token))).toBe('redis');
    expect(reader.get(ResultCacheService).stats().consistency).toMatchObject({ reads: 2, hits: 1, bypasses: 0 });
  });

  it('skips an entry older than a newer token once, then hits the refreshed entry with either token', async () => {
    const older = await write(2);
    await readRow(reader, 1, older);
    const newer = await write(3);
    // The fresh load then runs on a replica that has replayed `newer`, so its entry covers `newer`.
    // (A load that falls back to the primary records one byte less, by design: the next read with
    // exactly `newer` would load again. That is conservative, and not what this test is about.)
    await reader.db.waitForReplicas(newer);
    const before = reader.get(ResultCacheService).stats().consistency;
    const fresh = await readRow(reader, 1, newer);
    expect([levelOf(fresh), reader.get(ResultCacheService).stats().consistency.bypasses - before.bypasses]).toEqual([false, 1]);
    expect([levelOf(await readRow(reader, 1, newer)), levelOf(await readRow(reader, 1, older))]).toEqual(['memory', 'memory']);
  });
});
