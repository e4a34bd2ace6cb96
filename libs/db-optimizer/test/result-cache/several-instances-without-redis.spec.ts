import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import type { TestInstance } from '../support/test-module';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

const ROWS = 5;
const ROUNDS = 25;
const BOUND_MS = 300;
// Date.now() has whole milliseconds: an entry's age and the write's time may each be rounded by one.
const CLOCK_SLACK_MS = 2;

describe('several instances without Redis (instances: 2)', () => {
  const schema = uniqueSchema('rc_local_bounded');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const options = () => cacheOptions({ redisUrl: undefined, instances: 2, cacheOutageMaxAgeMs: BOUND_MS });
  const writer = fixture.bootInstance(options);
  const other = fixture.bootInstance(options);

  const readRow = (instance: TestInstance, id: number) => instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id]);

  it("never serves another instance's overwritten row once the write is older than cacheOutageMaxAgeMs", async () => {
    const tooOld: string[] = [];
    const staleForMs: number[] = [];
    let otherMemoryHits = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const id = 1 + (round % ROWS);
      await readRow(writer, id);
      await readRow(other, id);
      const written = await writer.db.executeOptimizedQuery<{ v: number }>(`UPDATE ${T} SET v = v + 1 WHERE id = $1 RETURNING v`, [id]);
      // From here on every replica has the write: a load that starts later sees it wherever it runs.
      await writer.db.waitForReplicas(written.metadata.consistencyToken as string);
      const visibleAt = Date.now();
      for (;;) {
        const startedAt = Date.now();
        const read = await readRow(other, id);
        if (levelOf(read) === 'memory') otherMemoryHits++;
        if (read.rows[0].v >= written.rows[0].v) {
          staleForMs.push(startedAt - visibleAt);
          break;
        }
        if (startedAt - visibleAt > BOUND_MS + CLOCK_SLACK_MS) tooOld.push(`round ${round}: read ${read.rows[0].v} ${startedAt - visibleAt} ms after ${written.rows[0].v} was written`);
        if (startedAt - visibleAt > BOUND_MS + 1000) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    console.log(`other instance stale for at most ${Math.max(...staleForMs)} ms after a write (bound ${BOUND_MS} ms); memory hits ${otherMemoryHits}`);
    expect(other.get(ResultCacheService).stats().mode).toBe('local-bounded');
    expect(tooOld).toEqual([]);
    // The bound caps entries' age; it does not switch the cache off.
    expect(otherMemoryHits).toBeGreaterThan(0);
  });
});
