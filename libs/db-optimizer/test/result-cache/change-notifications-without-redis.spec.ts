import { performance } from 'node:perf_hooks';
import { ResultCacheService } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { Client } from 'pg';
import type { TestInstance } from '../support/test-module';
import { cacheOptions, percentile, replicatedSchema } from './support/cache-fixture';

const ROWS = 5;
const ROUNDS = 40;
const READS_AFTER_WINDOW = 20;

describe('change notifications across instances without Redis', () => {
  const schema = uniqueSchema('rc_notify_local');
  const T = `${schema}.prices`;
  const fixture = replicatedSchema(schema, `CREATE TABLE prices (id int PRIMARY KEY, cents int NOT NULL); INSERT INTO prices SELECT g, 100 FROM generate_series(1, ${ROWS}) g`);
  const options = () => cacheOptions({ redisUrl: undefined });
  const writer = fixture.bootInstance(options);
  let outside: Client;
  // Installed by the first instance only; the second starts afterwards and must listen by itself.
  beforeAll(async () => {
    await writer.get(ResultCacheService).installChangeNotifications([T]);
    outside = new Client({ connectionString: testEnv().primaryUrl });
    await outside.connect();
  });
  afterAll(async () => {
    await outside?.end();
  });
  const other = fixture.bootInstance(options);

  const price = async (instance: TestInstance, id: number) =>
    (await instance.db.executeOptimizedQuery<{ cents: number }>(`SELECT cents FROM ${T} WHERE id = $1`, [id])).rows[0].cents;
  // Memory hits resolve in microtasks: a turn of the event loop lets the notification in.
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('invalidates the other instance for module and outside writes, with 0 stale reads after the window', async () => {
    const windowsMs: number[] = [];
    const unseen: string[] = [];
    let staleAfterWindow = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const id = 1 + (round % ROWS);
      await price(writer, id);
      await price(other, id);
      await price(other, id);
      // Even rounds write through the module on the other instance, odd ones outside it.
      const written =
        round % 2 === 0
          ? (await writer.db.executeOptimizedQuery<{ cents: number }>(`UPDATE ${T} SET cents = cents + 1 WHERE id = $1 RETURNING cents`, [id])).rows[0].cents
          : (await outside.query<{ cents: number }>(`UPDATE ${T} SET cents = cents + 1 WHERE id = $1 RETURNING cents`, [id])).rows[0].cents;
      const committedAt = performance.now();
      while ((await price(other, id)) < written) {
        if (performance.now() - committedAt > 5000) {
          unseen.push(`round ${round}: ${written} not seen after 5 s`);
          break;
        }
        await turn();
      }
      windowsMs.push(performance.now() - committedAt);
      for (let n = 0; n < READS_AFTER_WINDOW; n++) {
        if ((await price(other, id)) < written) staleAfterWindow++;
        await turn();
      }
    }
    const stats = other.get(ResultCacheService).stats();
    console.log(
      `NOTIFY window without Redis over ${ROUNDS} writes: p50 ${percentile(windowsMs, 50).toFixed(2)} ms, p99 ${percentile(windowsMs, 99).toFixed(2)} ms, ` +
        `max ${percentile(windowsMs, 100).toFixed(2)} ms; stale reads after the window ${staleAfterWindow}; other memory hits ${stats.memory.hits}`,
    );
    expect(stats.mode).toBe('local');
    expect(unseen).toEqual([]);
    expect(staleAfterWindow).toBe(0);
    // The entries were really cached between writes (the notifications, not a disabled cache, made the reads fresh).
    expect(stats.memory.hits).toBeGreaterThan(ROUNDS);
  });
});
