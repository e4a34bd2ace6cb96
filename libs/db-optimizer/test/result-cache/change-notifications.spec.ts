import { performance } from 'node:perf_hooks';
import { ResultCacheService } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { Client } from 'pg';
import type { TestInstance } from '../support/test-module';
import { levelOf, percentile, replicatedSchema } from './support/cache-fixture';

describe('#installChangeNotifications', () => {
  const schema = uniqueSchema('rc_notify');
  const T = `${schema}.prices`;
  const fixture = replicatedSchema(schema, `CREATE TABLE prices (id int PRIMARY KEY, cents int NOT NULL); INSERT INTO prices SELECT g, 100 FROM generate_series(1, 5) g;
      CREATE TABLE untouched (id int PRIMARY KEY); INSERT INTO untouched VALUES (1)`);
  const listening = fixture.bootInstance();
  const other = fixture.bootInstance();
  let outside: Client;

  beforeAll(async () => {
    outside = new Client({ connectionString: testEnv().primaryUrl });
    await outside.connect();
  });

  afterAll(async () => {
    await outside?.end();
  });

  const price = (instance: TestInstance, id: number) =>
    instance.db.executeOptimizedQuery<{ cents: number }>(`SELECT cents FROM ${T} WHERE id = $1`, [id]);

  it('drops the entries an outside write affects, on every instance, within the window', async () => {
    const installed = await listening.get(ResultCacheService).installChangeNotifications([T]);
    expect(installed).toEqual([T]);
    const untouched = () => other.db.executeOptimizedQuery(`SELECT id FROM ${schema}.untouched WHERE id = $1`, [1]);
    await untouched();
    const windowsMs: number[] = [];
    for (let round = 1; round <= 20; round++) {
      const id = 1 + (round % 5);
      for (const instance of [listening, other]) await price(instance, id);
      expect(levelOf(await price(other, id))).toBe('memory');
      await outside.query(`UPDATE ${T} SET cents = cents + 1 WHERE id = $1`, [id]);
      const committedAt = performance.now();
      const expected = (await outside.query<{ cents: number }>(`SELECT cents FROM ${T} WHERE id = $1`, [id])).rows[0].cents;
      for (const instance of [listening, other]) {
        await waitFor(async () => (await price(instance, id)).rows[0].cents === expected, { intervalMs: 1, timeoutMs: 5000, what: 'the outside write' });
      }
      windowsMs.push(performance.now() - committedAt);
    }
    console.log(`outside-write window over 20 writes: p50 ${percentile(windowsMs, 50).toFixed(2)} ms, p99 ${percentile(windowsMs, 99).toFixed(2)} ms`);
    expect(percentile(windowsMs, 99)).toBeLessThan(1000);
    // Tables without triggers keep their entries.
    expect(levelOf(await untouched())).toBe('memory');
  });

  it('keeps entries without notifications for tables it does not watch (TTL is their only bound)', async () => {
    const read = () => listening.db.executeOptimizedQuery<{ id: number }>(`SELECT id FROM ${schema}.untouched WHERE id = $1`, [1]);
    await read();
    await outside.query(`UPDATE ${schema}.untouched SET id = 1 WHERE id = 1`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(levelOf(await read())).toBe('memory');
  });
});
