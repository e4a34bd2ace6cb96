import { performance } from 'node:perf_hooks';
import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import type { TestInstance } from '../support/test-module';
import { percentile, replicatedSchema } from './support/cache-fixture';

const ROWS = 12;
const ROUNDS = 1200;

describe('two instances sharing Redis, randomized writes and reads', () => {
  const schema = uniqueSchema('rc_fresh');
  const T = `${schema}.counters`;
  const fixture = replicatedSchema(schema, `CREATE TABLE counters (id int PRIMARY KEY, v int NOT NULL); INSERT INTO counters SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const writer = fixture.bootInstance();
  const other = fixture.bootInstance();

  it('never serves the writer stale data, nor the other instance once the window has passed', async () => {
    const truth = new Array<number>(ROWS + 1).fill(0);
    const readRow = async (instance: TestInstance, id: number) =>
      (await instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id])).rows[0].v;
    const readSum = async (instance: TestInstance) =>
      Number((await instance.db.executeOptimizedQuery<{ s: string }>(`SELECT sum(v) AS s FROM ${T}`)).rows[0].s);
    const sum = (): number => truth.reduce((a, b) => a + b, 0);
    const windowsMs: number[] = [];
    const stale: string[] = [];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };

    for (let round = 0; round < ROUNDS; round++) {
      const id = 1 + random(ROWS);
      const action = random(10);
      if (action < 3) {
        await writer.db.executeOptimizedQuery(`UPDATE ${T} SET v = v + 1 WHERE id = $1`, [id]);
        const returnedAt = performance.now();
        truth[id]++;
        // The writer, right after its write returned: never stale.
        if ((await readRow(writer, id)) !== truth[id]) stale.push(`writer row ${id} round ${round}`);
        if ((await readSum(writer)) !== sum()) stale.push(`writer sum round ${round}`);
        // The other instance: poll until it has dropped its entry, and measure how long that took.
        while ((await readRow(other, id)) !== truth[id]) {
          if (performance.now() - returnedAt > 5000) throw new Error(`other instance still stale after 5 s (round ${round})`);
        }
        windowsMs.push(performance.now() - returnedAt);
        while ((await readSum(other)) !== sum()) {
          if (performance.now() - returnedAt > 5000) throw new Error(`other instance sum still stale after 5 s (round ${round})`);
        }
      } else if (action < 6) {
        if ((await readRow(writer, id)) !== truth[id]) stale.push(`writer row ${id} round ${round}`);
      } else if (action < 9) {
        if ((await readRow(other, id)) !== truth[id]) stale.push(`other row ${id} round ${round}`);
      } else {
        if ((await readSum(other)) !== sum()) stale.push(`other sum round ${round}`);
        if ((await readSum(writer)) !== sum()) stale.push(`writer sum round ${round}`);
      }
    }

    const histogram = other.get(ResultCacheService).stats();
    const report = {
      writes: windowsMs.length,
      pollWindowP50Ms: percentile(windowsMs, 50),
      pollWindowP99Ms: percentile(windowsMs, 99),
      pollWindowMaxMs: percentile(windowsMs, 100),
      histogram: histogram.crossInstanceWindowMs,
      otherMemoryHits: histogram.memory.hits,
      otherRedisHits: histogram.redisLevel.hits,
    };
    console.log(`cross-instance window: ${JSON.stringify(report)}`);
    expect(stale).toEqual([]);
    expect(windowsMs.length).toBeGreaterThan(ROUNDS / 5);
    expect(histogram.crossInstanceWindowMs.count).toBeGreaterThanOrEqual(windowsMs.length);
    expect(histogram.memory.hits).toBeGreaterThan(ROUNDS / 10);
    // Generous bound for a loaded CI machine; the measured figures are printed above.
    expect(histogram.crossInstanceWindowMs.p99).toBeLessThan(50);
  });

  it('lets a consistency token from the writer see the write on the other instance at once', async () => {
    for (let round = 0; round < 100; round++) {
      const id = 1 + (round % ROWS);
      await other.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [id]);
      const write = await writer.db.executeOptimizedQuery<{ v: number }>(`UPDATE ${T} SET v = v + 1 WHERE id = $1 RETURNING v`, [id]);
      const token = write.metadata.consistencyToken;
      expect(token).toBeDefined();
      const read = await other.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id], { consistencyToken: token });
      expect(read.rows[0].v).toBe(write.rows[0].v);
    }
  });

  it('serves the other instance from Redis what one instance loaded', async () => {
    const sql = `SELECT v FROM ${T} WHERE id = $1 AND v >= $2`;
    await writer.db.executeOptimizedQuery(sql, [1, -1]);
    const fromOther = await other.db.executeOptimizedQuery(sql, [1, -1]);
    expect(fromOther.metadata.cached).toBe('redis');
    expect((await other.db.executeOptimizedQuery(sql, [1, -1])).metadata.cached).toBe('memory');
  });
});
